/**
 * Test harness shared by the formula, catalogue and engine tests: writes a tiny project (metrics.yaml plus
 * CSV files) into a temporary directory and runs the library entry point on it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IsmsKpiError } from '../../src/problems.js';
import type { KpiResult } from '../../src/report/model.js';
import { type RunResult, run } from '../helpers/run.js';

export interface KpiSpec {
  id: string;
  formula: string;
  cadence?: string;
  thresholds?: { green: string; amber?: string };
  segment_by?: string;
  direction?: string;
}

/** One KPI entry of a catalogue; the formula is written as a JSON (= YAML double-quoted) string. */
export function kpiYaml(kpi: KpiSpec): string {
  const lines = [
    `  - id: ${kpi.id}`,
    `    name: KPI ${kpi.id}`,
    '    owner: Tester',
    `    cadence: ${kpi.cadence ?? 'quarterly'}`,
    '    unit: count',
    `    formula: ${JSON.stringify(kpi.formula)}`,
  ];
  if (kpi.thresholds) {
    const amber =
      kpi.thresholds.amber === undefined ? '' : `, amber: ${JSON.stringify(kpi.thresholds.amber)}`;
    lines.push(`    thresholds: { green: ${JSON.stringify(kpi.thresholds.green)}${amber} }`);
  }
  if (kpi.segment_by) lines.push(`    segment_by: ${kpi.segment_by}`);
  if (kpi.direction) lines.push(`    direction: ${kpi.direction}`);
  return lines.join('\n');
}

/** A whole catalogue: header, the given `sources:` block (already indented) and the KPIs. */
export function catalogueYaml(sourcesBlock: string, kpis: KpiSpec[], timezone = 'Europe/Berlin'): string {
  return [
    'organisation: Test GmbH',
    `timezone: ${timezone}`,
    'sources:',
    sourcesBlock.replace(/\n+$/, ''),
    'kpis:',
    ...kpis.map(kpiYaml),
    '',
  ].join('\n');
}

export function writeProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-test-'));
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return dir;
}

/** Runs the project (metrics.yaml + data files) for a period and returns the result. */
export function runProject(
  files: Record<string, string>,
  period = '2026-Q3',
  options: { trace?: boolean } = {},
): Promise<RunResult> {
  return inProject(files, period, options, async (result) => result);
}

/**
 * Runs the project and hands the result to `use` while its files still exist (the evidence pack reads
 * the exports again), then removes them.
 */
export async function inProject<T>(
  files: Record<string, string>,
  period: string,
  options: { trace?: boolean },
  use: (result: RunResult) => Promise<T>,
): Promise<T> {
  const dir = writeProject(files);
  try {
    return await use(await run({ catalogue: 'metrics.yaml', cwd: dir, period, ...options }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs and returns the KPI results keyed by id. */
export async function kpiResults(
  files: Record<string, string>,
  period = '2026-Q3',
): Promise<Map<string, KpiResult>> {
  const result = await runProject(files, period);
  return new Map(result.report.kpis.map((k) => [k.id, k]));
}

/** Runs a project that must be refused, and returns the error. */
export async function runError(files: Record<string, string>, period = '2026-Q3'): Promise<IsmsKpiError> {
  try {
    await runProject(files, period);
  } catch (error) {
    if (error instanceof IsmsKpiError) return error;
    throw error;
  }
  throw new Error('expected the run to fail with IsmsKpiError, but it succeeded');
}

/** CSV text from rows of cells (cells are quoted when needed). */
export function csv(rows: (string | number)[][]): string {
  const cell = (c: string | number) => {
    const s = String(c);
    return /[",\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${rows.map((r) => r.map(cell).join(',')).join('\n')}\n`;
}
