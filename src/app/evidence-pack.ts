/** Reading an evidence pack that `report --evidence` wrote: its manifest, and the SHA-256 of its files. */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { MANIFEST_FILE, type PackManifest } from '../evidence/pack-manifest.js';
import { IsmsKpiError, problem } from '../problems.js';
import { fileProblem } from '../util/file-problem.js';
import type { Io } from './io.js';

const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** The manifest of the pack in folder `dir` (as the user gave it), with its text's SHA-256. */
export async function readPackManifest(
  io: Io,
  dir: string,
): Promise<{ manifest: PackManifest; sha256: string }> {
  const file = path.join(dir, MANIFEST_FILE);
  const text = await io.readText(path.resolve(io.cwd, file), MAX_MANIFEST_BYTES).catch((error: unknown) => {
    throw new IsmsKpiError(
      fileProblem(error, file, {
        missing: 'not found: the folder is not an evidence pack (isms-kpi report --evidence DIR writes one)',
      }),
    );
  });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new IsmsKpiError(
      problem('file-unreadable', 'is not JSON: not the manifest of an evidence pack', { file }),
    );
  }
  const m = data as Partial<PackManifest> | null;
  if (typeof m !== 'object' || m === null || m.tool?.name !== 'isms-kpi' || !Array.isArray(m.files))
    throw new IsmsKpiError(
      problem('file-unreadable', 'is not the manifest of an isms-kpi evidence pack', { file }),
    );
  return { manifest: m as PackManifest, sha256: createHash('sha256').update(text, 'utf8').digest('hex') };
}

/** The SHA-256 of a file's bytes, read in pieces. */
export async function fileSha256(absolute: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(absolute, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}
