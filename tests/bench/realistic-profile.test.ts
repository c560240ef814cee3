/**
 * The benchmark's realistic profile (bench/realistic/) at a small size, so that the profile and the
 * engine stay in step between benchmark runs: the three vendor exports (Jira with BOM, CRLF, repeated
 * list columns and local-time dates; the AWS credential report; a fully quoted Nessus CSV with exact
 * duplicate rows) are read through the real presets with no rejected row and no warning, and every KPI
 * value, segment value, row count in the period and duplicate count of the report equals what the DuckDB
 * twin computes from the same files (relative 1e-9, as bench/run.mjs compares them at a million rows).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../helpers/cli.js';

const ROWS = 2000;

interface Report {
  kpis: { id: string; value: number | null; segments: { key: string; value: number | null }[] }[];
  sources: { name: string; rowsInPeriod: number; rejected: number; warnings: number; duplicates: number }[];
}
interface Twin {
  values: Record<string, number | null>;
  segments: Record<string, Record<string, number | null>>;
  rowsInPeriod: Record<string, number>;
  duplicates: Record<string, number>;
}

const close = (a: number | null | undefined, b: number | null | undefined) =>
  a === null || a === undefined || b === null || b === undefined
    ? (a ?? null) === null && (b ?? null) === null
    : a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

let dir: string;
let report: Report;
let twin: Twin;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'isms-kpi-realistic-'));
  const node = (script: string, ...args: string[]) => {
    const run = spawnSync(process.execPath, [path.join(REPO, 'bench', 'realistic', script), ...args], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    return run.stdout;
  };
  node('generate.mjs', String(ROWS), '--out', dir);
  copyFileSync(path.join(REPO, 'bench', 'realistic', 'catalogue.yaml'), path.join(dir, 'catalogue.yaml'));
  const result = await runCli(['report', '-c', 'catalogue.yaml', '--format', 'json', '--fail-on', 'never'], {
    cwd: dir,
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  report = JSON.parse(result.stdout) as Report;
  twin = JSON.parse(node('duckdb.mjs', dir)) as Twin;
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the realistic benchmark profile at 2,000 rows per source', () => {
  it('reads every row of the three exports through the presets, drops the exact Nessus duplicates', () => {
    const sources = Object.fromEntries(report.sources.map((s) => [s.name, s]));
    expect(Object.keys(sources).sort()).toEqual(['iam', 'jira', 'nessus']);
    for (const s of report.sources) expect([s.name, s.rejected, s.warnings]).toEqual([s.name, 0, 0]);
    expect(sources.nessus!.duplicates).toBeGreaterThan(0);
    expect(sources.nessus!.duplicates).toBe(twin.duplicates.nessus);
    expect(sources.iam!.rowsInPeriod).toBe(ROWS);
    for (const [name, rows] of Object.entries(twin.rowsInPeriod))
      expect([name, sources[name]?.rowsInPeriod]).toEqual([name, rows]);
    // About 60 % of the issues are created in 2026-Q3 (local time).
    expect(sources.jira!.rowsInPeriod).toBeGreaterThan(ROWS * 0.5);
    expect(sources.jira!.rowsInPeriod).toBeLessThan(ROWS * 0.7);
  });

  it('computes the same 20 KPI values as DuckDB, none of them empty', () => {
    expect(report.kpis.map((k) => k.id)).toEqual(Object.keys(twin.values));
    expect(report.kpis).toHaveLength(20);
    for (const kpi of report.kpis) {
      expect(kpi.value, kpi.id).not.toBeNull();
      expect(close(kpi.value, twin.values[kpi.id]), `${kpi.id}: ${kpi.value} vs ${twin.values[kpi.id]}`).toBe(
        true,
      );
    }
  });

  it('computes the same segments as DuckDB (by project, by a list of components, by severity)', () => {
    expect(Object.keys(twin.segments).sort()).toEqual(['JI-02', 'JI-11', 'VU-03']);
    for (const [id, expected] of Object.entries(twin.segments)) {
      const got = Object.fromEntries(
        (report.kpis.find((k) => k.id === id)?.segments ?? []).map((s) => [s.key, s.value]),
      );
      expect(Object.keys(got).sort(), id).toEqual(Object.keys(expected).sort());
      for (const [key, value] of Object.entries(expected))
        expect(close(got[key], value), `${id} segment ${key}: ${got[key]} vs ${value}`).toBe(true);
    }
    // Segments of a list field are its items joined: some issues have two components.
    expect(Object.keys(twin.segments['JI-11']!).some((k) => k.includes(', '))).toBe(true);
  });
});
