/**
 * What the use cases may ask of the world: read files and folders, the working directory, the clock,
 * the environment and the number of cores. Injected, so a use case is a function of its options and
 * its Io (tests pass a working directory and a fixed clock; nothing changes the process's state).
 * Writing is not here: use cases return what to write, and src/cli/ writes it.
 */
import type { SpecialKind } from '../util/file-problem.js';

export interface FileInfo {
  isFile: boolean;
  isDirectory: boolean;
  size: number;
  /** Modification time (epoch ms), where the file system gives one. */
  modified?: number;
  /** What the path is when it is neither a regular file nor a folder (a named pipe, a device, a socket). */
  special?: SpecialKind;
}

export interface DirEntry {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
}

export interface Io {
  /** Relative paths given by the user are relative to this folder, and shown relative to it. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Cores available to this process (worker threads, early evaluation). */
  readonly cpuCount: number;
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * A UTF-8 text file (absolute path), read only when it is a regular file (after following symbolic
   * links) of at most `maxBytes` bytes; rejects with the operating system's error (ENOENT, EISDIR, ...)
   * or a FileRefusal (src/util/file-problem.ts): not a regular file, too large, not valid UTF-8 (the
   * first invalid sequence located). Nothing that is not a regular file is ever opened, so a named pipe
   * cannot block and a device cannot feed endless bytes. A byte order mark is kept.
   */
  readText(file: string, maxBytes: number): Promise<string>;
  /** Follows symbolic links; rejects with the operating system's error. */
  stat(file: string): Promise<FileInfo>;
  /** The entries of a folder, in no particular order; rejects with the operating system's error. */
  readdir(dir: string): Promise<DirEntry[]>;
}
