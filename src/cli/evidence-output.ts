/**
 * Writes the evidence pack as a whole or not at all: every file goes into a temporary sibling folder, which
 * is then renamed to the target. An existing target is replaced only when it is empty or holds exactly an
 * earlier pack (every file in it is listed in its isms-kpi manifest.json); anything else is refused, so
 * files a user put there are never deleted.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, mkdirSync, openSync, readSync, rmSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { filesOfEarlierPack, MANIFEST_FILE } from '../evidence/pack-manifest.js';
import type { PackSink } from '../evidence/write-pack.js';
import { IsmsKpiError, problem } from '../problems.js';
import { writeProblem } from '../util/file-problem.js';
import type { Temporaries } from './interrupt.js';
import { type Staged, temporaryName } from './output.js';

type TargetState = 'absent' | 'empty' | 'earlier-pack';

function refuse(dir: string, message: string): never {
  throw new IsmsKpiError(problem('output', `--evidence: ${message}`, { file: dir }));
}

/** Checks the target (relative to cwd) before any work is done; the check is repeated just before the rename. */
export async function checkEvidenceTarget(dir: string, cwd: string): Promise<TargetState> {
  const absolute = path.resolve(cwd, dir);
  const parent = path.dirname(absolute);
  const parentInfo = await lstat(parent).catch(() => undefined);
  if (!parentInfo?.isDirectory())
    refuse(dir, `folder "${path.dirname(dir)}" does not exist; create it first`);
  const info = await lstat(absolute).catch(() => undefined);
  if (!info) return 'absent';
  if (!info.isDirectory()) refuse(dir, 'exists and is not a folder');
  const entries = await walk(absolute);
  if (entries.length === 0) return 'empty';
  // Read only when it is a regular file: a named pipe called manifest.json would block the run.
  const manifestPath = path.join(absolute, MANIFEST_FILE);
  const manifestInfo = await lstat(manifestPath).catch(() => undefined);
  const manifest = manifestInfo?.isFile()
    ? await readFile(manifestPath, 'utf8').catch(() => undefined)
    : undefined;
  const listed = manifest === undefined ? undefined : filesOfEarlierPack(manifest);
  if (!listed)
    refuse(
      dir,
      'the folder is not empty and is not an evidence pack written by isms-kpi; give a new or empty folder',
    );
  const ours = new Set(listed);
  const foreign = entries.filter((e) =>
    e.isDirectory ? !listed.some((f) => f.startsWith(`${e.path}/`)) : !ours.has(e.path),
  );
  // isms-kpi sample writes into samples/, outside the manifest (whose hash seeds the draw): such samples
  // belong to the earlier pack, and are not deleted with it.
  if (foreign.length > 0 && foreign.every((e) => e.path === 'samples' || e.path.startsWith('samples/')))
    refuse(
      dir,
      'the folder holds samples drawn from the earlier evidence pack (samples/, isms-kpi sample); move them away with that pack or give another folder',
    );
  if (foreign.length > 0)
    refuse(
      dir,
      `the folder holds an earlier evidence pack plus files isms-kpi did not write (${foreign
        .slice(0, 3)
        .map((e) => e.path)
        .join(', ')}${foreign.length > 3 ? ', ...' : ''}); move them or give another folder`,
    );
  return 'earlier-pack';
}

async function walk(root: string, prefix = ''): Promise<{ path: string; isDirectory: boolean }[]> {
  const out: { path: string; isDirectory: boolean }[] = [];
  for (const entry of await readdir(path.join(root, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      out.push({ path: relative, isDirectory: true });
      out.push(...(await walk(root, relative)));
    } else {
      // Symbolic links and special files count as files, so they are foreign unless listed (they never are).
      out.push({ path: relative, isDirectory: false });
    }
  }
  return out;
}

/**
 * The files of a pack in a folder. Writes are synchronous appends: the pack writer calls them between
 * reads of an export (bounded buffers, see write-pack.ts), and a file is created only by its first
 * write (`wx`: never over a file that is already there).
 */
class FolderSink implements PackSink {
  private readonly created = new Set<string>();
  constructor(private readonly root: string) {}

  private at(relative: string): string {
    return path.join(this.root, ...relative.split('/'));
  }

  append(relative: string, data: string | Uint8Array): void {
    const target = this.at(relative);
    if (!this.created.has(relative)) {
      mkdirSync(path.dirname(target), { recursive: true });
      appendFileSync(target, data, { flag: 'wx' });
      this.created.add(relative);
    } else appendFileSync(target, data);
  }

  *read(relative: string): Iterable<Uint8Array> {
    const fd = openSync(this.at(relative), 'r');
    try {
      const buffer = Buffer.allocUnsafe(1 << 20);
      for (;;) {
        const n = readSync(fd, buffer, 0, buffer.length, null);
        if (n === 0) return;
        yield buffer.subarray(0, n);
      }
    } finally {
      closeSync(fd);
    }
  }

  remove(relative: string): void {
    rmSync(this.at(relative), { recursive: true, force: true });
    this.created.delete(relative);
  }
}

/**
 * Writes the pack into a temporary sibling folder; commit() moves it into place. The temporary folder is
 * listed in `temporaries` while it exists, for an interrupted run (or a failed one) to remove.
 */
export async function stageEvidence(
  dir: string,
  write: (sink: PackSink) => Promise<unknown>,
  cwd: string,
  temporaries: Temporaries,
): Promise<Staged> {
  const final = path.resolve(cwd, dir);
  const token = randomBytes(6).toString('hex');
  const temp = temporaryName(final, token);
  const remove = async () => {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    temporaries.delete(temp);
  };
  const fail = async (error: unknown): Promise<never> => {
    await remove();
    if (error instanceof IsmsKpiError) throw error;
    throw new IsmsKpiError(writeProblem(error, dir, '--evidence: '));
  };
  try {
    temporaries.add(temp);
    await mkdir(temp);
    await write(new FolderSink(temp));
  } catch (error) {
    return fail(error);
  }
  return {
    abort: remove,
    commit: async () => {
      try {
        const state = await checkEvidenceTarget(dir, cwd);
        if (state === 'absent') {
          await rename(temp, final);
          temporaries.delete(temp);
          return;
        }
        if (state === 'empty') {
          await rmdir(final);
          await rename(temp, final);
          temporaries.delete(temp);
          return;
        }
        const old = temporaryName(final, token, 'old');
        await rename(final, old);
        try {
          await rename(temp, final);
          temporaries.delete(temp);
        } catch (error) {
          await rename(old, final);
          throw error;
        }
        await rm(old, { recursive: true, force: true }).catch(() => undefined);
      } catch (error) {
        await fail(error);
      }
    },
  };
}
