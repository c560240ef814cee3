/**
 * What the write phase does to what stands at an output path, and how it fails (issue 15, items 6, 7
 * and 10): a replaced file keeps its mode; a named pipe, a folder or a symbolic link at the path is
 * refused before anything is written; a name near the system's limit is written (its temporary name
 * does not grow past 255 bytes); stdout that cannot be written is one located line and exit 2. Every
 * case checks that no temporary is left in the folder. In-process (tests/helpers/cli.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '../../src/cli/output.js';
import { REPO, runCli } from '../helpers/cli.js';

/** A catalogue of two KPIs over a two-row export; `report` exits 0. */
const CASE = path.join(REPO, 'fixtures', 'bad', 'semicolon-decimal-comma');
const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;

let tmp = '';
let n = 0;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'isms-outputs-'));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A fresh copy of the case folder. */
function folder(): string {
  const dir = path.join(tmp, `case-${++n}`);
  cpSync(CASE, dir, { recursive: true });
  return dir;
}

/** Temporaries of the write phase (`.q3.json.<hex>.tmp`, `.isms-kpi.<hex>.tmp`) left in a folder. */
const leftovers = (dir: string) => readdirSync(dir).filter((name) => /\.(tmp|old)$/.test(name));

const report = (dir: string, ...args: string[]) =>
  runCli(['report', '-c', 'metrics.yaml', '--fail-on', 'never', ...args], { cwd: dir });

describe('files at the output path', () => {
  it('a replaced 0600 report stays 0600 (it does not become world-readable)', async () => {
    const dir = folder();
    const file = path.join(dir, 'q3.json');
    writeFileSync(file, 'old', { mode: 0o600 });
    const r = await report(dir, '-o', 'q3.json');
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).kpis).toHaveLength(2);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(leftovers(dir)).toEqual([]);
  });

  it('a replaced 0640 file keeps 0640; a new file gets the usual mode', async () => {
    const dir = folder();
    writeFileSync(path.join(dir, 'q3.md'), 'old', { mode: 0o640 });
    const r = await report(dir, '-o', 'q3.md', '-o', 'new.csv');
    expect(r.status).toBe(0);
    expect(statSync(path.join(dir, 'q3.md')).mode & 0o777).toBe(0o640);
    const fresh = path.join(dir, 'fresh');
    writeFileSync(fresh, '');
    expect(statSync(path.join(dir, 'new.csv')).mode & 0o777).toBe(statSync(fresh).mode & 0o777);
  });

  it.skipIf(!hasMkfifo)(
    'a named pipe at the output path is refused before any work, and stays a pipe',
    async () => {
      const dir = folder();
      const fifo = path.join(dir, 'q3.json');
      execFileSync('mkfifo', [fifo]);
      const r = await report(dir, '-o', 'q3.json', '-o', 'q3.html');
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(
        'error: q3.json: is a named pipe (FIFO), not a regular file; only regular files are replaced\n',
      );
      expect(lstatSync(fifo).isFIFO()).toBe(true);
      expect(existsSync(path.join(dir, 'q3.html'))).toBe(false);
      expect(leftovers(dir)).toEqual([]);
    },
  );

  it.skipIf(!hasMkfifo)(
    'an --evidence folder holding a named pipe called manifest.json is refused without reading it',
    async () => {
      const dir = folder();
      execFileSync('mkdir', [path.join(dir, 'pack')]);
      execFileSync('mkfifo', [path.join(dir, 'pack', 'manifest.json')]);
      const r = await report(dir, '--evidence', 'pack');
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(
        'error: pack: --evidence: the folder is not empty and is not an evidence pack written by isms-kpi; give a new or empty folder\n',
      );
      expect(leftovers(dir)).toEqual([]);
    },
  );

  it('a symbolic link at the output path is refused; the link and its target are unchanged', async () => {
    const dir = folder();
    writeFileSync(path.join(dir, 'target.json'), 'old');
    symlinkSync('target.json', path.join(dir, 'q3.json'));
    const r = await report(dir, '-o', 'q3.html', '-o', 'q3.json');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'error: q3.json: is a symbolic link; outputs are not written through links: give the path of the file it points to, or remove the link\n',
    );
    expect(lstatSync(path.join(dir, 'q3.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(dir, 'target.json'), 'utf8')).toBe('old');
    // All or nothing: the other output was not written either.
    expect(existsSync(path.join(dir, 'q3.html'))).toBe(false);
    expect(leftovers(dir)).toEqual([]);
  });

  it('init --force refuses a symbolic link too, writing nothing', async () => {
    const dir = folder();
    writeFileSync(path.join(dir, 'elsewhere.yaml'), 'old');
    symlinkSync('elsewhere.yaml', path.join(dir, 'starter.yaml'));
    const r = await runCli(['init', '--output', 'starter.yaml', '--force'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: starter\.yaml: is a symbolic link; /);
    expect(readFileSync(path.join(dir, 'elsewhere.yaml'), 'utf8')).toBe('old');
    expect(existsSync(path.join(dir, 'exports'))).toBe(false);
  });
});

describe('output names near the system limit (255 bytes)', () => {
  // The temporary name adds 18 bytes to the target's: a 250-byte name used to give ENAMETOOLONG, and
  // the cleanup's rm then threw an "unexpected failure".
  it('a 250-byte name is written, leaving no temporary', async () => {
    const dir = folder();
    const name = `${'a'.repeat(245)}.json`;
    expect(Buffer.byteLength(name)).toBe(250);
    const r = await report(dir, '-o', name);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`wrote ${name} (json)\n`);
    expect(JSON.parse(readFileSync(path.join(dir, name), 'utf8')).kpis).toHaveLength(2);
    expect(leftovers(dir)).toEqual([]);
  });

  it('a 260-byte name is a located error, exit 2, nothing left behind', async () => {
    const dir = folder();
    const name = `${'b'.repeat(255)}.json`;
    const r = await report(dir, '-o', name, '-o', 'other.json');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: ${name}: cannot write: the file name is too long\n`);
    expect(readdirSync(dir).sort()).toEqual(['events.csv', 'metrics.yaml']);
  });
});

/** A stdout whose writes fail as a full disk does (`report > q3.json` on a full file system). */
function fullDisk(how: 'throws' | 'flush' | 'epipe'): Output {
  const error = (code: string, message: string) =>
    Object.assign(new Error(`${code}: ${message}, write`), { code });
  if (how === 'throws')
    return {
      isTTY: false,
      write: () => {
        throw error('ENOSPC', 'no space left on device');
      },
    };
  const failure =
    how === 'epipe' ? error('EPIPE', 'broken pipe') : error('ENOSPC', 'no space left on device');
  return { isTTY: false, write: () => undefined, flush: () => Promise.reject(failure) };
}

describe('stdout that cannot be written', () => {
  it.each([
    ['report --format json', ['report', '-c', 'metrics.yaml', '--fail-on', 'never', '--format', 'json']],
    ['validate', ['validate', '-c', 'metrics.yaml']],
    ['list', ['list', '-c', 'metrics.yaml']],
    ['--help', ['--help']],
  ])('%s: one located line, exit 2 (not 1, which means a red KPI)', async (_name, args) => {
    for (const how of ['throws', 'flush'] as const) {
      const r = await runCli(args, { cwd: CASE, stdout: fullDisk(how) });
      expect(r.status, how).toBe(2);
      expect(r.stderr, how).toBe('error: stdout: no space left on device\n');
    }
  });

  it('a reader that went away (EPIPE) is not an error: the exit code is the command’s', async () => {
    const r = await runCli(['report', '-c', 'metrics.yaml', '--fail-on', 'never'], {
      cwd: CASE,
      stdout: fullDisk('epipe'),
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('--output files are still written when stdout is not used', async () => {
    const dir = folder();
    const r = await runCli(['report', '-c', 'metrics.yaml', '--fail-on', 'never', '-o', 'q3.json'], {
      cwd: dir,
      stdout: fullDisk('throws'),
    });
    expect(r.status).toBe(0);
    expect(existsSync(path.join(dir, 'q3.json'))).toBe(true);
  });
});

describe('empty option values are refused, not read as "the default" or "the current folder"', () => {
  it.each([
    [['report', '--period', '']],
    [['report', '--history', '']],
    [['report', '--baseline', ' ']],
    [['report', '-o', '']],
    [['validate', '--tz', '']],
    [['report', '--catalogue', '']],
    [['trend', '']],
    [['diff', '', 'b.json']],
  ])('%j: a usage error, exit 2', async (args) => {
    const r = await runCli(args, { cwd: CASE });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: .*(argument|value) ' ?' is invalid.*\. the value is empty\n/);
  });
});
