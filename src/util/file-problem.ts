/**
 * The one mapping from an operating-system error (ENOENT, EISDIR, EACCES, ...) to a Problem naming the
 * file. Callers may word the common cases for what the file is ("catalogue not found; ..."), but the
 * codes are always the same: a missing file is `file-missing`, a folder where a file was expected is
 * `file-is-directory`, anything the system refused is `file-unreadable`.
 */
import { type Problem, problem } from '../problems.js';

export interface FileWording {
  /** Message for a file or folder that does not exist. */
  missing?: string;
  /** Message for a folder given where a file is expected. */
  directory?: string;
  /** Message for a file given where a folder is expected (ENOTDIR on a folder read). */
  notFolder?: string;
}

const DEFAULT_WORDING: Required<FileWording> = {
  missing: 'file not found',
  directory: 'is a directory, not a file',
  notFolder: 'is not a folder',
};

/** The errno code of an error thrown by node:fs, if any. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function fileProblem(error: unknown, file: string, wording: FileWording = {}): Problem {
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
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** A file or folder that could not be written: code `output`, "cannot write: <reason>". */
export function writeProblem(error: unknown, file: string, prefix = ''): Problem {
  return problem('output', `${prefix}cannot write: ${writeReason(error)}`, { file });
}
