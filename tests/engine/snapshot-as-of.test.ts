/**
 * Every snapshot has a known as-of instant, or its KPIs are stale: the precedence of the rules
 * (src/engine/as-of.ts), dates in file names (src/time/file-name-date.ts), and the report of a period a
 * snapshot does not describe (issue 14, point 4).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotAsOf } from '../../src/engine/as-of.js';
import type { Report } from '../../src/report/model.js';
import { dateInFileName } from '../../src/time/file-name-date.js';
import { writeProject } from '../formula/harness.js';
import { runCli } from '../helpers/cli.js';

const DAY = 86_400_000;
const Q3 = { start: Date.UTC(2026, 6, 1), end: Date.UTC(2026, 9, 1) };

describe('dateInFileName', () => {
  it.each([
    ['aws-iam-credential-report-2026-09-30.csv', '2026-09-30'],
    ['users_20260930.csv', '2026-09-30'],
    ['2026-09-30_users.csv', '2026-09-30'],
    ['users_2026_09_30.csv', '2026-09-30'],
    ['export_20260930T143000.json', '2026-09-30'],
  ])('%s is dated %s', (name, date) => {
    expect(dateInFileName(name)).toBe(date);
  });

  it.each([
    ['two dates', 'users-2026-07-01-to-2026-09-30.csv'],
    ['the same date twice', 'users-2026-09-30-2026-09-30.csv'],
    ['an account number', 'credential-report-123456789012.csv'],
    ['a month 13', 'users-20261330.csv'],
    ['30 February', 'users-2026-02-30.csv'],
    ['a quarter', 'users-2026-Q3.csv'],
    ['a month', 'users-2026-09.csv'],
    ['mixed separators', 'users-2026-09_30.csv'],
    ['digits around it', 'users-120260930.csv'],
    ['no date', 'users.csv'],
  ])('%s is not a date: %s', (_, name) => {
    expect(dateInFileName(name)).toBeUndefined();
  });
});

describe('snapshotAsOf: the precedence of the rules', () => {
  const base = {
    name: 'iam',
    pathTemplate: 'exports/iam.csv',
    fieldLatest: null,
    modified: null,
    period: Q3,
    tz: 'UTC',
  };
  const endOf = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) + DAY;
  const all = {
    ...base,
    asOfField: 'generated',
    fieldLatest: Date.UTC(2026, 8, 28, 12),
    asOf: '2026-09-27',
    commandLine: '2026-09-26',
    pathTemplate: 'exports/iam-{period}-2026-09-25.csv',
    modified: Date.UTC(2026, 8, 24, 8),
  };

  it('1. the latest value of as_of_field', () => {
    expect(snapshotAsOf(all)).toEqual({ instant: Date.UTC(2026, 8, 28, 12), how: 'field' });
  });

  it('2. as_of in the catalogue (a date is the end of that day; a date-time is that instant)', () => {
    expect(snapshotAsOf({ ...all, fieldLatest: null })).toEqual({
      instant: endOf(2026, 9, 27),
      how: 'catalogue',
    });
    expect(snapshotAsOf({ ...base, asOf: '2026-09-27T18:00' }).instant).toBe(Date.UTC(2026, 8, 27, 18));
  });

  it('3. --as-of on the command line', () => {
    expect(snapshotAsOf({ ...all, fieldLatest: null, asOf: undefined })).toEqual({
      instant: endOf(2026, 9, 26),
      how: 'command-line',
    });
  });

  it('4. a period token in the path: the end of the period it names', () => {
    expect(snapshotAsOf({ ...all, fieldLatest: null, asOf: undefined, commandLine: undefined })).toEqual({
      instant: Q3.end,
      how: 'path',
    });
    // as_of: period_end means the same where the path has a token
    expect(snapshotAsOf({ ...base, asOf: 'period_end', pathTemplate: 'iam-{period}.csv' })).toEqual({
      instant: Q3.end,
      how: 'path',
    });
  });

  it('5. one date in the file name: the end of that day', () => {
    const named = { ...base, pathTemplate: 'exports/2026-09-01/iam-20260925.csv', modified: all.modified };
    expect(snapshotAsOf(named)).toEqual({ instant: endOf(2026, 9, 25), how: 'file-name' });
  });

  it('6. the file modification time, only where the catalogue opts in', () => {
    expect(snapshotAsOf({ ...base, asOf: 'file_modified', modified: all.modified })).toEqual({
      instant: all.modified,
      how: 'file-modified',
    });
    expect(snapshotAsOf({ ...base, modified: all.modified }).how).toBe('unknown');
  });

  it('otherwise unknown, saying why', () => {
    expect(snapshotAsOf(base)).toEqual({
      instant: null,
      how: 'unknown',
      unknown:
        'nothing says when the iam snapshot was taken (no as_of_field, as_of, as-of date given for the run, {period} in its path or date in its file name)',
    });
    expect(snapshotAsOf({ ...base, asOfField: 'generated' })).toEqual({
      instant: null,
      how: 'unknown',
      unknown: 'as_of_field generated is empty in every row of the iam snapshot',
    });
  });
});

/** The AWS credential report of the preset fixtures, exported on 2026-09-30. */
const CREDENTIAL_REPORT = fs.readFileSync(
  path.join(import.meta.dirname, '../../fixtures/presets/aws-iam-credential-report.csv'),
  'utf8',
);

function catalogue(source: string): string {
  return `organisation: Test GmbH
timezone: UTC
sources:
  iam:
    preset: aws-iam-credential-report
${source}
kpis:
  - id: ROOT-USED
    name: AWS root account used in the period
    owner: Cloud lead
    cadence: quarterly
    unit: count
    formula: count(iam, id == "<root_account>" and password_last_used >= period_start() and password_last_used < period_end())
    thresholds: { green: "== 0" }
`;
}

describe('a snapshot is never green for a period it does not describe', () => {
  let dir: string;
  beforeAll(() => {
    dir = writeProject({
      'fixed.yaml': catalogue('    path: aws-iam-credential-report.csv'),
      'named.yaml': catalogue('    path: aws-iam-credential-report-2026-09-30.csv'),
      'period-end.yaml': catalogue('    path: aws-iam-credential-report.csv\n    as_of: period_end'),
      'modified.yaml': catalogue('    path: aws-iam-credential-report.csv\n    as_of: file_modified'),
      'aws-iam-credential-report.csv': CREDENTIAL_REPORT,
      'aws-iam-credential-report-2026-09-30.csv': CREDENTIAL_REPORT,
    });
    const taken = new Date(Date.UTC(2026, 8, 30, 17, 5));
    fs.utimesSync(path.join(dir, 'aws-iam-credential-report.csv'), taken, taken);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const report = async (file: string, period: string): Promise<Report> => {
    const r = await runCli(['report', '-c', file, '--period', period, '--format', 'json'], {
      cwd: dir,
      now: Date.UTC(2028, 0, 15),
    });
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as Report;
  };

  it('the issue: 2027-Q4 over a credential report of 2026-09-30 with no as-of is stale, not a green 0', async () => {
    const r = await report('fixed.yaml', '2027-Q4');
    const kpi = r.kpis[0]!;
    expect(kpi.value).toBe(0);
    expect(kpi.status).toBe('stale');
    expect(kpi.judgement).toBe('green');
    expect(kpi.reason).toBe(
      'as-of unknown: nothing says when the iam snapshot was taken (no as_of_field, as_of, as-of date given for the run, {period} in its path or date in its file name); the value would be green',
    );
    expect(r.sources[0]).toMatchObject({ name: 'iam', asOfSource: 'unknown' });
    expect(r.sources[0]!.asOf).toBeUndefined();
  });

  it('a date in the file name dates it: fresh for 2026-Q3, stale for 2027-Q4 and for 2026-Q2', async () => {
    const q3 = await report('named.yaml', '2026-Q3');
    expect(q3.sources[0]).toMatchObject({ asOf: '2026-09-30', asOfSource: 'file-name' });
    expect(q3.kpis[0]!.status).toBe('red'); // the root account signed in on 2 September
    const later = await report('named.yaml', '2027-Q4');
    expect(later.kpis[0]!.status).toBe('stale');
    expect(later.kpis[0]!.reason).toBe(
      'the iam snapshot is from 2026-09-30, 457 days before the period ends (more than one quarter); the value would be green',
    );
    // Taken three months after 2026-Q2 ended: it does not describe the end of Q2 either.
    const earlier = await report('named.yaml', '2026-Q2');
    expect(earlier.kpis[0]!.status).toBe('stale');
    expect(earlier.kpis[0]!.reason).toBe(
      'the iam snapshot is from 2026-09-30, 92 days after the period ends (more than one day); the value would be green',
    );
  });

  it('as_of: file_modified is the opt-in for the file time', async () => {
    const r = await report('modified.yaml', '2026-Q3');
    expect(r.sources[0]).toMatchObject({ asOf: '2026-09-30', asOfSource: 'file-modified' });
    expect(r.kpis[0]!.status).toBe('red');
  });

  it('as_of: period_end with a fixed path is a located catalogue error that says what to write', async () => {
    const r = await runCli(['report', '-c', 'period-end.yaml', '--period', '2026-Q3'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: period-end.yaml:7:12: source iam: as_of: period_end is only for a path with a period token such as {period} (one file per period); aws-iam-credential-report.csv is the same file for every period, so write when it was taken: as_of: 2026-09-30, as_of_field, a date in the file name, or as_of: file_modified\n',
    );
  });
});

describe('the bundled example declares an as-of for each snapshot', () => {
  it('in the JSON report and the evidence manifest', async () => {
    const dir = writeProject({});
    try {
      const r = await runCli(
        ['report', '--period', '2026-Q3', '--format', 'json', '--evidence', path.join(dir, 'pack')],
        { now: Date.UTC(2026, 10, 1) },
      );
      const report = JSON.parse(r.stdout) as Report;
      const how = Object.fromEntries(
        report.sources.filter((s) => s.kind === 'snapshot').map((s) => [s.name, [s.asOf, s.asOfSource]]),
      );
      expect(how).toEqual({
        assets: ['2026-09-30', 'path'],
        dependabot: ['2026-10-01', 'catalogue'],
        entra: ['2026-09-30', 'path'],
        exceptions_register: ['2026-10-01', 'catalogue'],
        iam: ['2026-09-30', 'path'],
        nessus: ['2026-09-30', 'path'],
        suppliers: ['2026-09-30', 'path'],
        training: ['2026-09-30', 'path'],
        risks: ['2026-09-30', 'path'],
        // period_offset: -1, the previous review's register: as of the end of the quarter its path names.
        risks_previous: ['2026-06-30', 'path'],
        soa: ['2026-09-30', 'catalogue'],
      });
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'pack', 'manifest.json'), 'utf8'));
      expect(manifest.sources).toEqual(report.sources);
      // Every snapshot KPI of the example is judged, not stale for want of an as-of.
      expect(report.kpis.filter((k) => k.reason.startsWith('as-of unknown'))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the table shows each snapshot as-of and how it was determined', async () => {
    const r = await runCli(['report', '--period', '2026-Q3'], { now: Date.UTC(2026, 10, 1) });
    // evidence lines are wrapped to the table's width: continuation lines are indented by four spaces
    const stdout = r.stdout.replace(/\n {4}/g, ' ');
    expect(stdout).toMatch(
      /iam +fixtures\/acme\/aws-iam-credential-report-2026-Q3\.csv: .*; as of 2026-09-30 \(from the period in the path\)/,
    );
    expect(stdout).toMatch(
      /dependabot +fixtures\/acme\/dependabot-alerts\.json: .*; as of 2026-10-01 \(from the catalogue\)/,
    );
  });
});
