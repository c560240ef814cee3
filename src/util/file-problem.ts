/**
 * The one mapping from an operating-system error (ENOENT, EISDIR, EACCES, ...) to a Problem naming the
 * file. Callers may word the common cases for what the file is ("catalogue not found; ..."), but the
 * codes are always the same: a missing file is `file-missing`, a folder where a file was expected is
 * `file-is-directory`, anything the system refused is `file-unreadable`.
 *
 * The readers also refuse some files themselves, before or while reading them (a `FileRefusal`, mapped
 * here too): anything that is not a regular file after following symbolic links (`not-a-file`: a named
 * pipe would block the run forever, a device such as /dev/zero never ends and reports size 0, so it
 * would slip past every size limit), a file over its size limit (`file-too-large`) and text that is not
 * UTF-8 (`undecodable`, with the line and byte offset of the first invalid sequence).
 */
import { type Problem, problem } from '../problems.js';

export interface FileWording {
  /** Message for a file or folder that does not exist. */
  missing?: string;
  /** Message for a folder given where a file is expected. */
  directory?: string;
  /** Message for a file given where a folder is expected (ENOTDIR on a folder read). */
  notFolder?: string;
  /** Message for a file over the reader's size limit. */
  tooLarge?: string;
}

const DEFAULT_WORDING: Required<Omit<FileWording, 'tooLarge'>> = {
  missing: 'file not found',
  directory: 'is a directory, not a file',
  notFolder: 'is not a folder',
};

/** What a path is when it is neither a regular file nor a folder. */
export type SpecialKind = 'fifo' | 'character-device' | 'block-device' | 'socket' | 'other';

/** The part of node:fs Stats this needs (from stat, which follows symbolic links, or lstat). */
export interface StatsLike {
  isFile(): boolean;
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
  isSymbolicLink(): boolean;
}

/** The kind of a path that is neither a regular file nor a folder; undefined for those two. */
export function specialKind(stats: StatsLike): SpecialKind | undefined {
  if (stats.isFile() || stats.isDirectory()) return undefined;
  if (stats.isFIFO()) return 'fifo';
  if (stats.isCharacterDevice()) return 'character-device';
  if (stats.isBlockDevice()) return 'block-device';
  if (stats.isSocket()) return 'socket';
  return 'other';
}

const KIND_WORDS: Record<SpecialKind, string> = {
  fifo: 'a named pipe (FIFO)',
  'character-device': 'a device',
  'block-device': 'a block device',
  socket: 'a socket',
  other: 'a special file',
};

/** `is a named pipe (FIFO), not a regular file; ...`: why a special file is not read (or written). */
export function notAFileMessage(kind: SpecialKind, use: 'read' | 'replaced' = 'read'): string {
  return `is ${KIND_WORDS[kind]}, not a regular file; only regular files are ${use}`;
}

/** "5 MB", "512 MB", "1.5 KB": a byte limit in words. */
export function sizeInWords(bytes: number): string {
  const units: [number, string][] = [
    [1024 * 1024 * 1024, 'GB'],
    [1024 * 1024, 'MB'],
    [1024, 'KB'],
  ];
  for (const [size, unit] of units) if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  return `${bytes} bytes`;
}

export type Refusal =
  | { kind: 'not-a-file'; special: SpecialKind }
  | { kind: 'too-large'; limit: number }
  | { kind: 'not-utf8'; line: number; detail: string };

/**
 * A file a reader refused to read (it is not a regular file, it is too large, it is not UTF-8). Raised
 * where a system error would be, so every reader maps both here.
 */
export class FileRefusal extends Error {
  constructor(readonly refusal: Refusal) {
    super(`refused: ${refusal.kind}`);
    this.name = 'FileRefusal';
  }
}

function refusalProblem(refusal: Refusal, file: string, wording: FileWording): Problem {
  switch (refusal.kind) {
    case 'not-a-file':
      return problem('not-a-file', notAFileMessage(refusal.special), { file });
    case 'too-large':
      return problem(
        'file-too-large',
        wording.tooLarge ?? `file is larger than ${sizeInWords(refusal.limit)}`,
        {
          file,
        },
      );
    case 'not-utf8':
      return problem('undecodable', `bytes are not valid UTF-8 (${refusal.detail}); save the file as UTF-8`, {
        file,
        line: refusal.line,
      });
  }
}

/** The errno code of an error thrown by node:fs, if any. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function fileProblem(error: unknown, file: string, wording: FileWording = {}): Problem {
  if (error instanceof FileRefusal) return refusalProblem(error.refusal, file, wording);
  const words = { ...DEFAULT_WORDING, ...wording };
  const code = errnoCode(error);
  switch (code) {
    case 'ENOENT':
      return problem('file-missing', words.missing, { file });
    case 'ENOTDIR':
      return wording.notFolder === undefined
        ? problem('file-missing', words.missing, { file })
        : problem('file-unreadable', words.notFolder, { file });
    case 'EISDIR':
      return problem('file-is-directory', words.directory, { file });
    case 'EACCES':
    case 'EPERM':
      return problem('file-unreadable', 'permission denied', { file });
    default:
      return problem('file-unreadable', `cannot read file: ${describeError(error)}`, { file });
  }
}

/** An error as one line: `EIO (i/o error)` for system errors, the message otherwise. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = errnoCode(error);
    return code ? `${code} (${error.message})` : error.message;
  }
  return String(error);
}

/** Why a write failed, in words: "permission denied", "the disk is full", else the system's message. */
function writeReason(error: unknown): string {
  switch (errnoCode(error)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'the disk is full';
    case 'ENAMETOOLONG':
      return 'the file name is too long';
    case 'EROFS':
      return 'the file system is read-only';
    default:
      return systemMessage(error);
  }
}

/** The system's message without Node's decoration: "no space left on device" for "ENOSPC: no space left on device, write". */
function systemMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = errnoCode(error);
  return code ? error.message.replace(`${code}: `, '').replace(/, [a-z]+(?: .*)?$/, '') : error.message;
}

/** A file or folder that could not be written: code `output`, "cannot write: <reason>". */
export function writeProblem(error: unknown, file: string, prefix = ''): Problem {
  return problem('output', `${prefix}cannot write: ${writeReason(error)}`, { file });
}

/** Standard output could not be written (a full disk behind `> q3.json`): `stdout: no space left on device`. */
export function stdoutProblem(error: unknown): Problem {
  return problem('output', systemMessage(error), { file: 'stdout' });
}
