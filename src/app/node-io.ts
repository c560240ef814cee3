/** The Io of a real run: node:fs, process.env, the system clock. The CLI passes it (or a test's variant). */
import { readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { findInvalidUtf8, openRegular } from '../sources/decode.js';
import { FileRefusal, specialKind } from '../util/file-problem.js';
import type { Io } from './io.js';

export interface NodeIoOptions {
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** A fixed clock (tests); default the system clock. */
  now?: number;
}

export function nodeIo(options: NodeIoOptions = {}): Io {
  const fixed = options.now;
  return {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    cpuCount: availableParallelism(),
    now: () => fixed ?? Date.now(),
    readText: readRegularText,
    stat: async (file) => {
      const info = await stat(file);
      const special = specialKind(info);
      return {
        isFile: info.isFile(),
        isDirectory: info.isDirectory(),
        size: info.size,
        modified: info.mtimeMs,
        ...(special ? { special } : {}),
      };
    },
    readdir: async (dir) =>
      (await readdir(dir, { withFileTypes: true })).map((e) => ({
        name: e.name,
        isFile: e.isFile(),
        isDirectory: e.isDirectory(),
      })),
  };
}

const READ_BLOCK = 1024 * 1024;

/**
 * Io.readText: stat first (a named pipe is never opened, a device never read), open without blocking
 * and check again what was opened, read at most maxBytes + 1 bytes (a file that grows while it is read
 * still hits the limit), then decode strictly as UTF-8.
 */
async function readRegularText(file: string, maxBytes: number): Promise<string> {
  const refuseSpecial = (info: Parameters<typeof specialKind>[0]) => {
    const special = specialKind(info);
    if (special) throw new FileRefusal({ kind: 'not-a-file', special });
  };
  const info = await stat(file);
  if (info.isDirectory())
    throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read`), { code: 'EISDIR' });
  refuseSpecial(info);
  if (info.size > maxBytes) throw new FileRefusal({ kind: 'too-large', limit: maxBytes });
  const handle = await openRegular(file);
  const blocks: Buffer[] = [];
  let total = 0;
  try {
    refuseSpecial(await handle.stat());
    for (;;) {
      const block = Buffer.allocUnsafe(Math.min(READ_BLOCK, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(block, 0, block.length, null);
      if (bytesRead === 0) break;
      blocks.push(block.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw new FileRefusal({ kind: 'too-large', limit: maxBytes });
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
  const bytes = Buffer.concat(blocks, total);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    const bad = findInvalidUtf8(bytes, hasBom ? 3 : 0);
    throw new FileRefusal({
      kind: 'not-utf8',
      line: bad?.line ?? 1,
      detail: bad?.detail ?? 'invalid bytes',
    });
  }
}
