/**
 * The one place that writes: stdout, stderr and output files. Files are written atomically (a temporary
 * file in the same folder, then rename), so a failed run never leaves half a file and never touches an
 * existing one.
 *
 * A file that is replaced keeps its permissions (a 0600 report stays 0600; the temporary is created 0600
 * and given the old mode before the rename) and, where the system allows it, its owner and group. Only
 * regular files are replaced: a named pipe, a device or a socket at the output path is refused, and so is
 * a symbolic link (isms-kpi does not write through links; SECURITY.md), before anything is written.
 */
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { chmod, chown, lstat, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EXIT_OK } from '../app/exit-policy.js';
import type { Io } from '../app/io.js';
import type { Document } from '../app/result.js';
import { IsmsKpiError, problem } from '../problems.js';
import { terminalSafe } from '../text.js';
import { errnoCode, notAFileMessage, specialKind, writeProblem } from '../util/file-problem.js';
import type { InterruptHandler, Temporaries } from './interrupt.js';
import type { PdfRequest } from './pdf.js';

/** A text stream: process.stdout and process.stderr, or a test's buffer. */
export interface Output {
  /** May throw (a test's writer), or report its failure through flush(). */
  write(text: string): void;
  /** A terminal: colours and progress are shown only there. */
  readonly isTTY: boolean;
  /** The terminal's width in characters, when it is one and says. */
  readonly columns?: number | undefined;
  /**
   * Resolves once everything written so far has been handed to the system; rejects with the first write
   * error (ENOSPC on a full disk behind `> q3.json`). Absent when writes cannot fail later.
   */
  flush?(): Promise<void>;
}

/** What the CLI reads (files, clock, environment) and where it writes text. */
export interface CliIo extends Io {
  stdout: Output;
  stderr: Output;
  /** Cleans up staged output on SIGINT/SIGTERM (the real process only; see interrupt.ts). */
  onInterrupt?: InterruptHandler;
  /** Prints HTML to PDF; default the local browser (pdf.ts). Tests pass a stand-in. */
  printPdf?: (request: PdfRequest) => Promise<Uint8Array>;
}

let isPipeGuarded = false;
let stdoutError: Error | undefined;
let lastStdoutWrite: Promise<void> = Promise.resolve();

/**
 * process.stdout. A reader that goes away (`isms-kpi report | head`) ends the run quietly; any other write
 * error (a full disk) is kept for flush(), so main() reports it as one line with exit 2 instead of an
 * uncaught exception.
 */
export function processStdout(): Output {
  if (!isPipeGuarded) {
    isPipeGuarded = true;
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
      stdoutError ??= error;
    });
    // Nothing can be reported when stderr itself fails; it must not crash the run either.
    process.stderr.on('error', () => undefined);
  }
  return {
    write: (text) => {
      lastStdoutWrite = new Promise((resolve) => {
        process.stdout.write(text, (error) => {
          if (error) stdoutError ??= error;
          resolve();
        });
      });
    },
    isTTY: process.stdout.isTTY === true,
    get columns() {
      return process.stdout.isTTY ? process.stdout.columns : undefined;
    },
    flush: async () => {
      await lastStdoutWrite;
      if (stdoutError) throw stdoutError;
    },
  };
}

export function processStderr(): Output {
  return { write: (text) => void process.stderr.write(text), isTTY: process.stderr.isTTY === true };
}

/**
 * A line on stderr (a newline is added when missing), made inert: a control character or bidi override
 * left in it (a file name in "wrote ...", an unexpected error's message) is shown as its escape.
 */
export function line(stream: Output, text: string): void {
  const safe = terminalSafe(text);
  stream.write(safe.endsWith('\n') ? safe : `${safe}\n`);
}

/**
 * An Output that never throws: the first error of `inner` (thrown by write, or reported by flush) is
 * kept, later writes are dropped, and `failure()` tells it once everything is flushed.
 */
export function guardedOutput(inner: Output): Output & { failure(): Promise<unknown> } {
  let error: unknown;
  let hasFailed = false;
  const fail = (e: unknown) => {
    if (!hasFailed) {
      hasFailed = true;
      error = e;
    }
  };
  return {
    isTTY: inner.isTTY,
    get columns() {
      return inner.columns;
    },
    write: (text) => {
      if (hasFailed) return;
      try {
        inner.write(text);
      } catch (e) {
        fail(e);
      }
    },
    flush: async () => {
      if (!hasFailed) await inner.flush?.().catch(fail);
    },
    failure: async () => {
      if (!hasFailed) await inner.flush?.().catch(fail);
      return hasFailed ? (error ?? new Error('write failed')) : undefined;
    },
  };
}

/** Whether a stdout error means that the reader went away (`| head`): not an error of the run. */
export function isClosedPipe(error: unknown): boolean {
  return errnoCode(error) === 'EPIPE';
}

/** Creates folders (and their parents) that files will be written into. */
export async function createFolders(folders: readonly string[], cwd: string): Promise<void> {
  for (const folder of folders) {
    const absolute = path.resolve(cwd, folder);
    await mkdir(absolute, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      throw new IsmsKpiError(
        problem('output', `cannot create the folder: ${error.message}`, { file: folder }),
      );
    });
  }
}

/**
 * `.q3.json.<hex>.tmp` next to the target; for a name near the system's limit (255 bytes) the temporary
 * name drops the target's name, which would make it too long.
 */
export function temporaryName(final: string, token: string, suffix = 'tmp'): string {
  const base = path.basename(final);
  const name =
    Buffer.byteLength(base) <= 200 ? `.${base}.${token}.${suffix}` : `.isms-kpi.${token}.${suffix}`;
  return path.join(path.dirname(final), name);
}

function refuseTarget(file: string, message: string): never {
  throw new IsmsKpiError(problem('output', message, { file }));
}

/** What stands at an output path (not following a symbolic link); refuses what must not be replaced. */
async function existingTarget(final: string, file: string): Promise<Stats | undefined> {
  let info: Stats;
  try {
    info = await lstat(final);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw new IsmsKpiError(writeProblem(error, file));
  }
  if (info.isSymbolicLink())
    refuseTarget(
      file,
      'is a symbolic link; outputs are not written through links: give the path of the file it points to, or remove the link',
    );
  if (info.isDirectory()) refuseTarget(file, 'is a folder; give a file name');
  const kind = specialKind(info);
  if (kind) refuseTarget(file, notAFileMessage(kind, 'replaced'));
  return info;
}

/** Gives the temporary the mode (and, where allowed, the owner and group) of the file it replaces. */
async function keepAttributes(temp: string, old: Stats): Promise<void> {
  await chmod(temp, old.mode & 0o777);
  const uid = process.getuid?.();
  const gid = process.getgid?.();
  if (old.uid === uid && old.gid === gid) return;
  // Root may keep the owner; anyone may keep a group they belong to; otherwise the file becomes ours.
  await chown(temp, old.uid, old.gid).catch(() => chown(temp, -1, old.gid).catch(() => undefined));
}

export interface Staged {
  /** Moves everything into place. */
  commit(): Promise<void>;
  /** Removes what was staged; never throws. */
  abort(): Promise<void>;
}

/**
 * Writes every file to a temporary name next to its target (all targets are checked first, so a refused
 * target stops the run before anything is written); commit() renames them all. Temporaries are listed in
 * `temporaries` while they exist, for an interrupted run to remove.
 */
export async function stageFiles(
  files: readonly Document[],
  cwd: string,
  temporaries: Temporaries,
): Promise<Staged> {
  const targets: { file: string; content: string | Uint8Array; final: string; old: Stats | undefined }[] = [];
  for (const { file, content } of files) {
    const final = path.resolve(cwd, file);
    targets.push({ file, content, final, old: await existingTarget(final, file) });
  }
  return stageChecked(targets, temporaries);
}

/** Refuses a target that must not be replaced (a link, a folder, a pipe, a device), before anything is created. */
export async function checkTargets(files: readonly Document[], cwd: string): Promise<void> {
  for (const { file } of files) await existingTarget(path.resolve(cwd, file), file);
}

async function stageChecked(
  targets: readonly { file: string; content: string | Uint8Array; final: string; old: Stats | undefined }[],
  temporaries: Temporaries,
): Promise<Staged> {
  const staged: { temp: string; final: string; file: string }[] = [];
  const abort = async () => {
    await Promise.all(
      staged.map(async ({ temp }) => {
        await rm(temp, { force: true }).catch(() => undefined);
        temporaries.delete(temp);
      }),
    );
  };
  let current = '';
  try {
    for (const { file, content, final, old } of targets) {
      current = file;
      const temp = temporaryName(final, randomBytes(6).toString('hex'));
      staged.push({ temp, final, file });
      temporaries.add(temp);
      // A replaced file's content is never readable by more people than before, not even for a moment.
      await writeFile(temp, content, { flag: 'wx', mode: old ? 0o600 : 0o666 });
      if (old) await keepAttributes(temp, old);
    }
  } catch (error) {
    await abort();
    throw new IsmsKpiError(writeProblem(error, current));
  }
  return {
    abort,
    commit: async () => {
      for (const [i, { temp, final, file }] of staged.entries()) {
        try {
          await rename(temp, final);
          temporaries.delete(temp);
        } catch (error) {
          await Promise.all(
            staged.slice(i).map(async (s) => {
              await rm(s.temp, { force: true }).catch(() => undefined);
              temporaries.delete(s.temp);
            }),
          );
          throw new IsmsKpiError(writeProblem(error, file));
        }
      }
    },
  };
}
