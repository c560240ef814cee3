/**
 * The few tests of the built binary in a child process (`npm test` builds dist/ first): what only a real
 * process shows. Everything else about the CLI runs in-process (tests/helpers/cli.ts, runCli).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO, spawnCli } from '../helpers/cli.js';

const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };

beforeAll(() => {
  if (!existsSync(path.join(REPO, 'dist', 'cli', 'main.js')))
    throw new Error('dist/cli/main.js is missing: run `npm run build` before these tests');
});

describe('the built binary', { timeout: 120_000 }, () => {
  it('--version prints the package.json version and exits 0', () => {
    const r = spawnCli(['--version']);
    expect(r).toEqual({ status: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('report sets the process exit code: 1 with a red KPI, 2 for an input error with one line and no stack', () => {
    // AC-01 is red in 2026-Q3 (13 of 16 leavers deprovisioned within 24 h, fixtures/acme/README.md).
    const report = spawnCli(['report', '--kpi', 'AC-01']);
    expect(report.status).toBe(1);
    expect(report.stderr).toBe('');
    expect(report.stdout).toMatch(/^1 KPI: 0 green, 0 amber, 1 red/m);
    const missing = spawnCli(['report', '--catalogue', 'nope.yaml']);
    expect(missing.status).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^error: nope\.yaml: catalogue not found/);
  });

  it('loading every source in a worker thread gives the same report byte for byte', () => {
    const inWorkers = spawnCli(['report', '--format', 'json'], { env: { ISMS_KPI_WORKERS: 'always' } });
    const inProcess = spawnCli(['report', '--format', 'json'], { env: { ISMS_KPI_WORKERS: 'never' } });
    expect(inWorkers.status).toBe(1);
    expect(inWorkers.stderr).toBe('');
    expect(inWorkers.stdout).toBe(inProcess.stdout);
    expect(JSON.parse(inWorkers.stdout).kpis).toHaveLength(56);
  });

  it('reading each file in ranges on several threads gives the same report and validation byte for byte', () => {
    const env = { ISMS_KPI_WORKERS: 'always', ISMS_KPI_RANGES: '3' };
    const inRanges = spawnCli(['report', '--format', 'json'], { env });
    const inProcess = spawnCli(['report', '--format', 'json'], { env: { ISMS_KPI_WORKERS: 'never' } });
    expect(inRanges.stderr).toBe('');
    expect(inRanges.stdout).toBe(inProcess.stdout);
    const validated = spawnCli(['validate', '--format', 'json'], { env });
    const validatedInProcess = spawnCli(['validate', '--format', 'json'], {
      env: { ISMS_KPI_WORKERS: 'never' },
    });
    expect(validated.status).toBe(validatedInProcess.status);
    expect(validated.stdout).toBe(validatedInProcess.stdout);
  });

  it('a JSON Lines export read in ranges on several threads gives the same report and validation', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'isms-jsonl-ranges-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    // 3,000 lines: every 7th repeats an earlier record (dropped), every 101st is not JSON (rejected).
    const record = (i: number) =>
      JSON.stringify({
        id: `E-${i}`,
        at: `2026-0${7 + (i % 3)}-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`,
        sev: ['High', 'Low', 'Ünknown'][i % 3],
        tags: i % 5 === 0 ? [] : ['a', `t${i % 4}`],
      });
    const lines = Array.from({ length: 3000 }, (_, i) =>
      i % 101 === 100 ? `{"id": broken ${i}` : record(i % 7 === 6 ? i - 6 : i),
    );
    const isJson = (line: string) => !line.includes('broken');
    const duplicates = lines.filter((line, i) => isJson(line) && lines.indexOf(line) < i).length;
    writeFileSync(path.join(dir, 'events.jsonl'), `${lines.join('\n')}\n`);
    writeFileSync(
      path.join(dir, 'metrics.yaml'),
      [
        'organisation: Test',
        'timezone: UTC',
        'period: 2026-Q3',
        'sources:',
        '  events:',
        '    path: events.jsonl',
        '    kind: events',
        '    time_field: at',
        '    duplicates: drop-exact',
        '    fields:',
        '      id: { path: id, required: true }',
        '      at: { path: at, type: datetime }',
        '      sev: { path: sev }',
        '      tags: { path: tags, type: list }',
        'kpis:',
        '  - { id: K1, name: High, owner: QA, cadence: quarterly, unit: count, formula: \'count(events, sev == "High")\' }',
        '  - { id: K2, name: Tagged, owner: QA, cadence: quarterly, unit: count, formula: \'count(events, contains(tags, "t1"))\' }',
        '',
      ].join('\n'),
    );
    const env = { ISMS_KPI_WORKERS: 'always', ISMS_KPI_RANGES: '3' };
    for (const command of ['report', 'validate']) {
      const inRanges = spawnCli([command, '--format', 'json'], { cwd: dir, env });
      const inProcess = spawnCli([command, '--format', 'json'], {
        cwd: dir,
        env: { ISMS_KPI_WORKERS: 'never' },
      });
      expect(inRanges.stderr).toBe('');
      expect(inRanges.status).toBe(inProcess.status);
      expect(inRanges.stdout).toBe(inProcess.stdout);
    }
    const report = JSON.parse(spawnCli(['report', '--format', 'json'], { cwd: dir, env }).stdout);
    expect(duplicates).toBeGreaterThan(400);
    expect(report.sources[0]).toMatchObject({
      rowsRead: 3000,
      duplicates,
      rejected: lines.filter((line) => !isJson(line)).length,
    });
  });

  it('a source error inside a worker is reported like any other', () => {
    // AC-03 reads the AWS credential report, of which the example has no 2026-Q1 file.
    const r = spawnCli(['report', '--period', '2026-Q1', '--kpi', 'AC-03'], {
      env: { ISMS_KPI_WORKERS: 'always' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^error: fixtures\/acme\/aws-iam-credential-report-2026-Q1\.csv: file not found/m,
    );
  });

  it('a reader that hangs up early (| head) ends the run quietly, without an EPIPE trace', async () => {
    const child = spawn(process.execPath, [BIN, 'report', '--format', 'html'], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    // Read the first chunk, then close the pipe as `head -c` would.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(stderr).not.toContain('    at ');
    expect(code).not.toBe(null);
  });
});
