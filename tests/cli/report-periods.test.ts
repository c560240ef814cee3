/**
 * report --periods FIRST..LAST --output-dir DIR (issue 19): one saved JSON report per period, each
 * byte-identical to `report --period X --format json`; located usage errors for bad ranges and
 * conflicting options, with nothing written.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { periodRange } from '../../src/time/period-range.js';
import { runCli } from '../helpers/cli.js';

const TODAY = ['--today', '2026-12-01'];
const temp = mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-periods-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('report --periods', () => {
  it('writes one file per period, each equal to report --period X --format json; exit 0 whatever --fail-on', async () => {
    const dir = path.join(temp, 'reports');
    const result = await runCli(['report', '--periods', '2026-Q2..2026-Q3', '--output-dir', dir, ...TODAY]);
    expect(result.stderr).toContain('wrote 2 reports');
    expect(result.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['2026-Q2.json', '2026-Q3.json']);
    for (const label of ['2026-Q2', '2026-Q3']) {
      const single = await runCli(['report', '--period', label, '--format', 'json', ...TODAY]);
      expect(single.stdout.length).toBeGreaterThan(100);
      expect(readFileSync(path.join(dir, `${label}.json`), 'utf8')).toBe(single.stdout);
    }
    // The example's 2026-Q3 has a red KPI: report --period exits 1, the backfill does not.
    const q3 = await runCli(['report', '--period', '2026-Q3', '--format', 'json', ...TODAY]);
    expect(q3.status).toBe(1);
  });

  it('a period without its snapshot files gets those sources as missing (no data), not an error', async () => {
    const dir = path.join(temp, 'q1');
    const result = await runCli(['report', '--periods', '2026-Q1..2026-Q1', '--output-dir', dir, ...TODAY]);
    expect(result.status).toBe(0);
    const report = JSON.parse(readFileSync(path.join(dir, '2026-Q1.json'), 'utf8')) as {
      sources: { name: string; missing?: string }[];
      kpis: { id: string; status: string; value: unknown }[];
    };
    const missing = report.sources.filter((s) => s.missing?.includes('no file for this period'));
    expect(missing.map((s) => s.name).sort()).toEqual([
      'assets',
      'entra',
      'iam',
      'nessus',
      'risks',
      'suppliers',
      'training',
    ]);
    // The previous review's register (period_offset: -1, 2025-Q4) is an optional source: missing as such.
    expect(report.sources.find((s) => s.name === 'risks_previous')?.missing).toContain(
      'risk-register-2025-Q4.csv not found (optional source risks_previous)',
    );
    // Their KPIs have no value and are never shown green.
    const noData = report.kpis.filter((k) => k.value === null);
    expect(noData.length).toBeGreaterThan(0);
    for (const kpi of noData) expect(kpi.status, kpi.id).not.toBe('green');
    // Without --periods the same period stops with the missing file.
    const single = await runCli(['report', '--period', '2026-Q1', '--format', 'json', ...TODAY]);
    expect(single.status).toBe(2);
  });

  it.each([
    ['2026-Q3..2026-Q1', '--periods: 2026-Q3 is after 2026-Q1'],
    ['2026-Q1..2026-09', '--periods: 2026-Q1 and 2026-09 are periods of different kinds'],
    ['2026-Q1', '--periods: "2026-Q1" is not a range FIRST..LAST'],
    ['2026-Q5..2026-Q6', '--periods: first period: unknown period "2026-Q5"'],
    ['2026-Q1..2026-X', '--periods: last period: unknown period "2026-X"'],
    ['2000-01..2026-01', '--periods: 2000-01..2026-01 holds more than 120 periods'],
  ])('refuses --periods %s with a located usage error and writes nothing', async (range, message) => {
    const dir = path.join(temp, 'bad');
    const result = await runCli(['report', '--periods', range, '--output-dir', dir, ...TODAY]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
    expect(existsSync(dir)).toBe(false);
  });

  it.each([
    [['--period', '2026-Q2'], '--periods and --period cannot be combined'],
    [['--from', '2026-01-01', '--to', '2026-03-31'], '--periods and --from/--to cannot be combined'],
    [['--output', 'x.json'], '--output-dir and --output cannot be combined'],
    [['--format', 'json'], '--output-dir and --format cannot be combined'],
  ])('refuses %j with --periods', async (extra, message) => {
    const dir = path.join(temp, 'conflict');
    const result = await runCli(['report', '--periods', '2026-Q2..2026-Q3', '--output-dir', dir, ...extra]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(existsSync(dir)).toBe(false);
  });

  it('needs --periods and --output-dir together, and a folder', async () => {
    const alone = await runCli(['report', '--periods', '2026-Q2..2026-Q3']);
    expect(alone.status).toBe(2);
    expect(alone.stderr).toContain('give the folder with --output-dir');
    const dirOnly = await runCli(['report', '--output-dir', path.join(temp, 'x')]);
    expect(dirOnly.status).toBe(2);
    expect(dirOnly.stderr).toContain('--output-dir goes with --periods');
    const file = path.join(temp, 'a-file');
    writeFileSync(file, 'x');
    const notFolder = await runCli(['report', '--periods', '2026-Q2..2026-Q3', '--output-dir', file]);
    expect(notFolder.status).toBe(2);
    expect(notFolder.stderr).toContain('is not a folder');
  });
});

describe('periodRange', () => {
  const options = { tz: 'Europe/Berlin' };
  const labels = (text: string, fsm = 1) => {
    const r = periodRange(text, { ...options, fiscalYearStartMonth: fsm });
    if (!r.ok) throw new Error(r.message);
    return r.periods.map((p) => p.label);
  };
  it('enumerates every period of the range, across year ends, in order', () => {
    expect(labels('2025-Q3..2026-Q2')).toEqual(['2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2']);
    expect(labels('2025-11..2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(labels('2025-H2..2026-H2')).toEqual(['2025-H2', '2026-H1', '2026-H2']);
    expect(labels('2024..2026')).toEqual(['2024', '2025', '2026']);
    expect(labels('2026-Q2..2026-Q2')).toEqual(['2026-Q2']);
    expect(labels('FY2025-Q4..FY2026-Q1', 4)).toEqual(['FY2025-Q4', 'FY2026-Q1']);
  });
  it('allows exactly 120 periods and not 121', () => {
    expect(labels('2017-01..2026-12')).toHaveLength(120);
    expect(periodRange('2016-12..2026-12', options).ok).toBe(false);
  });
  it('refuses a calendar end with a fiscal one', () => {
    const r = periodRange('FY2025-Q4..2026-Q1', { ...options, fiscalYearStartMonth: 4 });
    expect(r.ok).toBe(false);
  });
});
