/**
 * The one place that writes: stdout, stderr and output files. Files are written atomically (a temporary
 * file in the same folder, then rename), so a failed run never leaves half a file and never touches an
 * existing one.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { IsmsKpiError, problem } from '../problems.js';

let isPipeGuarded = false;

export function out(text: string): void {
  if (!isPipeGuarded) {
    isPipeGuarded = true;
    // `isms-kpi report | head`: the reader went away; stop quietly instead of dying on EPIPE.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(process.exitCode ?? 0);
    });
  }
  process.stdout.write(text);
}

export function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Checks that every output can be written before any work is done, so bad paths fail fast. */
export async function checkOutputTargets(files: readonly string[]): Promise<void> {
  for (const file of files) {
    const dir = path.dirname(path.resolve(file));
    const info = await stat(dir).catch(() => undefined);
    if (!info)
      throw new IsmsKpiError(
        problem('output', `folder "${path.dirname(file)}" does not exist; create it first`, { file }),
      );
    if (!info.isDirectory())
      throw new IsmsKpiError(problem('output', `"${path.dirname(file)}" is not a folder`, { file }));
    const target = await stat(path.resolve(file)).catch(() => undefined);
    if (target?.isDirectory())
      throw new IsmsKpiError(problem('output', 'is a folder; give a file name', { file }));
  }
}

/** Writes all files or none: every file goes to a temporary name first, then all are renamed. */
export async function writeFilesAtomically(
  files: readonly { file: string; content: string }[],
): Promise<void> {
  const staged: { temp: string; final: string }[] = [];
  try {
    for (const { file, content } of files) {
      const final = path.resolve(file);
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
    const e = error as NodeJS.ErrnoException;
    throw new IsmsKpiError(
      problem('output', `cannot write: ${e.code === 'EACCES' ? 'permission denied' : e.message}`, {
        file: files[staged.length - 1]?.file ?? '',
      }),
    );
  }
}
