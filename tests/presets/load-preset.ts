/**
 * Loads a sample export from fixtures/presets through a preset, the way a catalogue would
 * (`sources: { s: { preset: NAME, path: FILE } }`), and returns its rows as plain objects.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { stringify } from 'yaml';
import { PRESET_NAMES } from '../../src/presets/index.js';
import type { LoadedSource } from '../../src/sources/load-source.js';
import { type CellValue, cellValue } from '../../src/sources/table.js';
import { loadCatalogue, loadSources, resolvePeriod, run } from '../helpers/run.js';

export const PRESET_FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/presets');

/** The preset a sample was written for: the longest registered name its file name starts with. */
export function expectedPreset(file: string): string | undefined {
  const base = file.replace(/\.(csv|json)$/i, '');
  return PRESET_NAMES.filter((name) => base === name || base.startsWith(`${name}-`)).sort(
    (a, b) => b.length - a.length,
  )[0];
}

export interface PresetLoad {
  loaded: LoadedSource;
  rows: Record<string, CellValue>[];
  /** Problems as the user reads them (file:line: ...). */
  problems: string[];
}

/**
 * `source` is merged into `{ preset, path }`, so a test can override keys or fields. Datetimes come back
 * as epoch milliseconds (UTC); compare with Date.UTC(...) or Date.parse('...Z').
 */
export async function loadPreset(
  preset: string,
  file: string,
  source: Record<string, unknown> = {},
  catalogue: Record<string, unknown> = {},
): Promise<PresetLoad> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'isms-preset-'));
  try {
    const config = {
      organisation: 'Preset test',
      timezone: 'UTC',
      period: '2026-Q3',
      ...catalogue,
      sources: { s: { preset, path: path.join(PRESET_FIXTURES, file), ...source } },
      kpis: [
        { id: 'K-1', name: 'Rows', owner: 'QA', cadence: 'quarterly', unit: 'count', formula: 'count(s)' },
      ],
      // Catalogue keys given by the test (kpis too) win over the defaults above.
      ...(catalogue.kpis ? { kpis: catalogue.kpis } : {}),
    };
    await writeFile(path.join(dir, 'metrics.yaml'), stringify(config));
    const loadedCatalogue = await loadCatalogue({ catalogue: 'metrics.yaml', cwd: dir });
    const period = resolvePeriod(loadedCatalogue, { now: 0 });
    const loaded = (await loadSources(loadedCatalogue, ['s'], period, dir)).get('s');
    if (loaded === undefined || 'missing' in loaded)
      throw new Error(`source was not loaded: ${JSON.stringify(loaded)}`);
    const names = [...loaded.table.columns.keys()];
    const rows = Array.from({ length: loaded.table.length }, (_, row) =>
      Object.fromEntries(names.map((name) => [name, cellValue(loaded.table.columns.get(name)!, row)])),
    );
    const { formatProblem } = await import('../../src/problems.js');
    return { loaded, rows, problems: loaded.problems.map(formatProblem) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs KPIs (formula by id) over one sample export read through a preset, as `isms-kpi report` would. */
export async function presetKpiValues(
  input: { source: string; preset: string; file: string; timezone?: string; period?: string },
  formulas: Record<string, string>,
): Promise<Record<string, number | null>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'isms-preset-kpi-'));
  try {
    const config = {
      organisation: 'Preset test',
      timezone: input.timezone ?? 'UTC',
      period: input.period ?? '2026-Q3',
      sources: { [input.source]: { preset: input.preset, path: path.join(PRESET_FIXTURES, input.file) } },
      kpis: Object.entries(formulas).map(([id, formula]) => ({
        id,
        name: id,
        owner: 'QA',
        cadence: 'quarterly',
        unit: 'count',
        formula,
      })),
    };
    await writeFile(path.join(dir, 'metrics.yaml'), stringify(config));
    const { report } = await run({ catalogue: 'metrics.yaml', cwd: dir, now: 0 });
    return Object.fromEntries(report.kpis.map((k) => [k.id, k.value]));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * For tests that try other layouts of an export: returns a function that writes a variant file into a
 * temporary folder (removed after the file's tests) and gives its path relative to fixtures/presets,
 * which is what loadPreset() takes.
 */
export function variantWriter(prefix: string): (name: string, text: string) => Promise<string> {
  let tmp = '';
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), prefix));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });
  return async (name, text) => {
    const file = path.join(tmp, name);
    await writeFile(file, text);
    return path.relative(PRESET_FIXTURES, file);
  };
}
