/** The Io of a real run: node:fs, process.env, the system clock. The CLI passes it (or a test's variant). */
import { readdir, readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
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
    readText: (file) => readFile(file, 'utf8'),
    stat: async (file) => {
      const info = await stat(file);
      return {
        isFile: info.isFile(),
        isDirectory: info.isDirectory(),
        size: info.size,
        modified: info.mtimeMs,
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
