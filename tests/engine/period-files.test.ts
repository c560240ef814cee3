/**
 * Exports saved once per period, however they are named: one source per export family reads the file of
 * each period (`data/q{quarter}/...`, `nessus-q{quarter}.csv`), gives the values the bundled catalogue gives
 * for the same files, and a monthly report reads the quarter's file only where the catalogue says so
 * (`one_file_per: quarter`), as the monthly CI recipe of docs/ci-recipes.md needs.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { REPO, runCli } from '../helpers/cli.js';
import { run } from '../helpers/run.js';

const ACME = path.join(REPO, 'fixtures', 'acme');
let tmp = '';

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'isms-period-files-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * The bundled example's exports laid out as the issue found them: a folder per quarter for the identity
 * snapshots, the quarter in the file name for the scans; the other exports stay where they are.
 */
function quarterFolders(): string {
  const dir = mkdtempSync(path.join(tmp, 'layout-'));
  for (const q of ['2', '3']) {
    mkdirSync(path.join(dir, 'data', `q${q}`), { recursive: true });
    cpSync(
      path.join(ACME, `aws-iam-credential-report-2026-Q${q}.csv`),
      path.join(dir, 'data', `q${q}`, 'aws-iam-credential-report.csv'),
    );
    cpSync(path.join(ACME, `entra-users-2026-Q${q}.csv`), path.join(dir, 'data', `q${q}`, 'entra-users.csv'));
    cpSync(path.join(ACME, `nessus-2026-Q${q}.csv`), path.join(dir, 'data', `nessus-q${q}.csv`));
  }
  const catalogue = readFileSync(path.join(REPO, 'metrics.yaml'), 'utf8')
    .replace(
      'fixtures/acme/aws-iam-credential-report-{period}.csv',
      'data/q{quarter}/aws-iam-credential-report.csv',
    )
    .replace('fixtures/acme/entra-users-{period}.csv', 'data/q{quarter}/entra-users.csv')
    .replace('fixtures/acme/nessus-{period}.csv', 'data/nessus-q{quarter}.csv')
    .replaceAll('fixtures/acme/', `${ACME.split(path.sep).join('/')}/`);
  expect(catalogue).not.toContain('if(');
  writeFileSync(path.join(dir, 'metrics.yaml'), catalogue);
  return dir;
}

/** Each KPI's value, status and reason (paths to the unmoved exports shown from the repository). */
const values = (report: Report) =>
  report.kpis.map((k) => ({
    id: k.id,
    value: k.value,
    status: k.status,
    reason: k.reason?.replace(/\S*fixtures\/acme\//g, 'fixtures/acme/') ?? null,
  }));

describe('one source per export family', { timeout: 60_000 }, () => {
  it('reads data/q2/, data/q3/ and nessus-q2.csv, nessus-q3.csv and gives the bundled values for both quarters', async () => {
    const dir = quarterFolders();
    for (const quarter of ['2026-Q2', '2026-Q3']) {
      const bundled = await run({ catalogue: 'metrics.yaml', cwd: REPO, period: quarter });
      const laidOut = await run({ catalogue: 'metrics.yaml', cwd: dir, period: quarter });
      expect(values(laidOut.report)).toEqual(values(bundled.report));
      const q = quarter.at(-1);
      const byName = new Map(laidOut.report.sources.map((s) => [s.name, s]));
      expect(byName.get('iam')?.file).toBe(`data/q${q}/aws-iam-credential-report.csv`);
      expect(byName.get('nessus')?.file).toBe(`data/nessus-q${q}.csv`);
      // Each snapshot is as of the end of the quarter its path names.
      expect(byName.get('entra')?.asOf).toBe(quarter === '2026-Q2' ? '2026-06-30' : '2026-09-30');
      expect(byName.get('entra')?.asOfSource).toBe('path');
    }
  });

  it('names the files that do match when the period has no file', async () => {
    const dir = quarterFolders();
    const r = await runCli(['report', '--period', '2026-Q4'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('error: data/nessus-q4.csv: file not found\n');
    expect(r.stderr).toContain(
      '  files that match "data/nessus-q{quarter}.csv": "data/nessus-q2.csv", "data/nessus-q3.csv"\n',
    );
  });
});

describe('a monthly report over files saved per quarter', { timeout: 60_000 }, () => {
  it('runs the monthly CI recipe on the example catalogue: --period 2026-09 reads the 2026-Q3 snapshots', async () => {
    const out = mkdtempSync(path.join(tmp, 'recipe-'));
    const target = path.join(out, 'reports', 'monthly', '2026-09.json');
    mkdirSync(path.dirname(target), { recursive: true });
    // docs/ci-recipes.md, recipe 3, with `date -d '-1 month' +%Y-%m` run on 2026-10-02.
    const r = await runCli(
      ['report', '--period', '2026-09', '--fail-on', 'never', '--quiet', '--output', target],
      { cwd: REPO },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(readFileSync(target, 'utf8')) as Report;
    expect(report.period.label).toBe('2026-09');
    const entra = report.sources.find((s) => s.name === 'entra')!;
    expect(entra.file).toBe('fixtures/acme/entra-users-2026-Q3.csv');
    expect(entra.asOf).toBe('2026-09-30');
    // The quarter ends with the month: its snapshots describe 2026-09, so nothing is stale for it.
    expect(report.kpis.filter((k) => k.status === 'stale').map((k) => k.id)).toEqual([]);
  });

  it('marks the snapshots of an earlier month of the quarter stale: they describe the quarter end', async () => {
    const { report } = await run({ catalogue: 'metrics.yaml', cwd: REPO, period: '2026-08' });
    const entra = report.sources.find((s) => s.name === 'entra')!;
    expect(entra.file).toBe('fixtures/acme/entra-users-2026-Q3.csv');
    const ac03 = report.kpis.find((k) => k.id === 'AC-03')!;
    expect(ac03.status).toBe('stale');
  });

  it('refuses a quarterly path for a month without one_file_per, listing the files that exist', async () => {
    const dir = quarterFolders();
    const text = readFileSync(path.join(dir, 'metrics.yaml'), 'utf8');
    const without = text.replace(
      /( {4}path: data\/nessus-q\{quarter\}\.csv\n) {4}one_file_per: quarter\n/,
      '$1',
    );
    expect(without).not.toBe(text);
    writeFileSync(path.join(dir, 'metrics.yaml'), without);
    const r = await runCli(['report', '--period', '2026-09'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'error: metrics.yaml: source nessus: path "data/nessus-q{quarter}.csv": the path names a quarter ({quarter}), and 2026-09 is a month: add one_file_per: quarter to the source to read the file of the quarter 2026-09 falls in; files that match the path: "data/nessus-q2.csv", "data/nessus-q3.csv"\n',
    );
  });

  it('checks one_file_per against the path in the catalogue', async () => {
    const dir = quarterFolders();
    const text = readFileSync(path.join(dir, 'metrics.yaml'), 'utf8');
    writeFileSync(
      path.join(dir, 'metrics.yaml'),
      text.replace(
        /( {4}path: data\/nessus-q\{quarter\}\.csv\n) {4}one_file_per: quarter\n/,
        '$1    one_file_per: month\n',
      ),
    );
    const r = await runCli(['validate', '--catalogue-only'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^error: metrics\.yaml:\d+:\d+: source nessus: one_file_per: month, but the path names a quarter \(\{quarter\}\): the path and one_file_per must name the same unit\n/,
    );
  });
});
