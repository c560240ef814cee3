/**
 * The one place that writes: stdout, stderr and output files. Files are written atomically (a temporary
 * file in the same folder, then rename), so a failed run never leaves half a file and never touches an
 * existing one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EXIT_OK } from '../app/exit-policy.js';
import type { Io } from '../app/io.js';
import type { Document } from '../app/result.js';
import { IsmsKpiError, problem } from '../problems.js';
import { writeProblem } from '../util/file-problem.js';

/** A text stream: process.stdout and process.stderr, or a test's buffer. */
export interface Output {
  write(text: string): void;
  /** A terminal: colours and progress are shown only there. */
  readonly isTTY: boolean;
}

/** What the CLI reads (files, clock, environment) and where it writes text. */
export interface CliIo extends Io {
  stdout: Output;
  stderr: Output;
}

let isPipeGuarded = false;

/** process.stdout, which ends the run quietly when the reader goes away (`isms-kpi report | head`). */
export function processStdout(): Output {
  if (!isPipeGuarded) {
    isPipeGuarded = true;
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(process.exitCode ?? EXIT_OK);
    });
  }
  return {
    write: (text) => void process.stdout.write(text),
    isTTY: process.stdout.isTTY === true,
  };
}

export function processStderr(): Output {
  return { write: (text) => void process.stderr.write(text), isTTY: process.stderr.isTTY === true };
}

/** A line on stderr (a newline is added when missing). */
export function line(stream: Output, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
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

/** Writes all files or none: every file goes to a temporary name first, then all are renamed. */
export async function writeFilesAtomically(files: readonly Document[], cwd: string): Promise<void> {
  const staged: { temp: string; final: string }[] = [];
  try {
    for (const { file, content } of files) {
      const final = path.resolve(cwd, file);
      const temp = path.join(
        path.dirname(final),
        `.${path.basename(final)}.${randomBytes(6).toString('hex')}.tmp`,
      );
      staged.push({ temp, final });
      await writeFile(temp, content, { flag: 'wx' });
    }
    for (const { temp, final } of staged) await rename(temp, final);
  } catch (error) {
    await Promise.all(staged.map(({ temp }) => rm(temp, { force: true })));
    throw new IsmsKpiError(writeProblem(error, files[staged.length - 1]?.file ?? ''));
  }
}
