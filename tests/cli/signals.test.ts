/**
 * What only a real process shows about the write phase (issue 15, items 6 and 8), with the built binary
 * (`npm test` builds dist/ first):
 *
 * - Ctrl-C (SIGINT) or SIGTERM while the output is staged removes the temporary files and the temporary
 *   evidence folder, leaves what stood there before untouched, and ends the process by the signal (the
 *   shell's status 130 / 143). The test hook ISMS_KPI_TEST_PAUSE_MS holds the run between staging and
 *   moving into place, and says so on stderr; the test sends the signal then, so nothing depends on timing.
 * - stdout on a full disk (/dev/full) is one located line and exit 2, not an uncaught ENOSPC with exit 1.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO, spawnCli } from '../helpers/cli.js';

const CASE = path.join(REPO, 'fixtures', 'bad', 'semicolon-decimal-comma');
const PAUSED = 'paused before moving the output into place';
const ARGS = ['report', '-c', 'metrics.yaml', '--fail-on', 'never'];
const OUTPUTS = ['-o', 'out/q3.json', '-o', 'out/q3.html', '--evidence', 'out/pack'];

let tmp = '';
let n = 0;

beforeAll(() => {
  if (!existsSync(path.join(REPO, 'dist', 'cli', 'main.js')))
    throw new Error('dist/cli/main.js is missing: run `npm run build` before these tests');
  tmp = mkdtempSync(path.join(os.tmpdir(), 'isms-signals-'));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function folder(): string {
  const dir = path.join(tmp, `case-${++n}`);
  cpSync(CASE, dir, { recursive: true });
  mkdirSync(path.join(dir, 'out'));
  return dir;
}

/** Every file under a folder with its content, for a before/after comparison. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = readFileSync(file, 'utf8');
  }
  return out;
}

/** Resolves when stderr has shown `text`; rejects if the process ends first. */
function waitForStderr(child: ChildProcess, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (stderr.includes(text)) resolve(stderr);
    });
    child.once('exit', () => reject(new Error(`ended before "${text}" appeared; stderr: ${stderr}`)));
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

async function interrupt(dir: string, signal: 'SIGINT' | 'SIGTERM') {
  const child = spawn(process.execPath, [BIN, ...ARGS, ...OUTPUTS], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', ISMS_KPI_TEST_PAUSE_MS: '60000' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const done = exited(child);
  await waitForStderr(child, PAUSED);
  // The write phase is under way: the outputs are staged under temporary names.
  const staged = readdirSync(path.join(dir, 'out')).filter((name) => name.endsWith('.tmp'));
  child.kill(signal);
  return { staged, ...(await done) };
}

describe('an interrupted write phase', { timeout: 60_000 }, () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s removes every temporary, writes nothing and ends by the signal', async (signal, status) => {
    const dir = folder();
    const { staged, code, signal: endedBy } = await interrupt(dir, signal);
    expect(staged.sort()).toEqual([
      expect.stringMatching(/^\.pack\.[0-9a-f]{12}\.tmp$/),
      expect.stringMatching(/^\.q3\.html\.[0-9a-f]{12}\.tmp$/),
      expect.stringMatching(/^\.q3\.json\.[0-9a-f]{12}\.tmp$/),
    ]);
    // Killed by the signal (a shell shows 128 + its number), or an explicit exit with that status.
    expect(endedBy === signal || code === status, `code ${code}, signal ${endedBy}`).toBe(true);
    expect(readdirSync(path.join(dir, 'out'))).toEqual([]);
  });

  it('SIGTERM while replacing earlier outputs leaves them exactly as they were', async () => {
    const dir = folder();
    const first = spawnCli([...ARGS, ...OUTPUTS], { cwd: dir });
    expect(first.status).toBe(0);
    const before = snapshot(path.join(dir, 'out'));
    expect(Object.keys(before)).toContain('pack/manifest.json');
    const { code, signal } = await interrupt(dir, 'SIGTERM');
    expect(signal === 'SIGTERM' || code === 143).toBe(true);
    expect(readdirSync(path.join(dir, 'out')).sort()).toEqual(['pack', 'q3.html', 'q3.json']);
    expect(snapshot(path.join(dir, 'out'))).toEqual(before);
  });
});

describe.skipIf(!existsSync('/dev/full'))('stdout on a full disk (/dev/full)', { timeout: 60_000 }, () => {
  it.each([
    ['report --format json', [...ARGS, '--format', 'json']],
    ['validate', ['validate', '-c', 'metrics.yaml']],
  ])('%s: "error: stdout: no space left on device", exit 2, no stack trace', (_name, args) => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, ...args], {
        cwd: CASE,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', full, 'pipe'],
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(r.stderr).toBe('error: stdout: no space left on device\n');
      expect(r.status).toBe(2);
    } finally {
      closeSync(full);
    }
  });
});
