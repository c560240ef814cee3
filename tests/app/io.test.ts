/**
 * The use cases see the world only through the Io: a folder of files held in memory, a fixed clock and
 * an environment are enough to run them, and their errors come from the one errno mapping.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/app/catalogue.js';
import { exitCode } from '../../src/app/exit-policy.js';
import type { Io } from '../../src/app/io.js';
import { list } from '../../src/app/list.js';
import { resolvePeriod } from '../../src/app/request.js';
import { IsmsKpiError } from '../../src/problems.js';

const CWD = path.resolve('/work/project');

const CATALOGUE = `organisation: In Memory Ltd
timezone: UTC
sources:
  changes:
    path: changes.csv
    kind: events
    time_field: opened
    fields:
      id: { column: id, required: true }
      opened: { column: opened, type: datetime }
kpis:
  - id: CH-01
    name: Changes
    owner: Change manager
    cadence: quarterly
    unit: count
    formula: count(changes)
`;

/** An Io over files in memory (absolute paths), with a fixed clock; nothing on disk is read. */
function memoryIo(files: Record<string, string>, now = Date.UTC(2026, 4, 15)): Io {
  const at = (file: string) => files[path.relative(CWD, file)];
  const enoent = (file: string) => Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
  return {
    cwd: CWD,
    env: {},
    cpuCount: 1,
    now: () => now,
    readText: async (file) => at(file) ?? Promise.reject(enoent(file)),
    stat: async (file) => {
      const text = at(file);
      if (text === undefined) throw enoent(file);
      return { isFile: true, isDirectory: false, size: text.length };
    },
    readdir: async () => [],
  };
}

describe('use cases over an injected Io', () => {
  it('list reads the catalogue through the Io and returns text and an outcome, writing nothing', async () => {
    const result = await list(
      { catalogue: 'metrics.yaml', format: 'json' },
      memoryIo({ 'metrics.yaml': CATALOGUE }),
    );
    expect(JSON.parse(result.stdout!)).toEqual([
      {
        id: 'CH-01',
        name: 'Changes',
        owner: 'Change manager',
        cadence: 'quarterly',
        controls: [],
        sources: ['changes'],
      },
    ]);
    expect(result.files).toBeUndefined();
    expect(exitCode(result.outcome)).toBe(0);
  });

  it('the default period is the last complete quarter before the Io clock', async () => {
    const io = memoryIo({ 'metrics.yaml': CATALOGUE }, Date.UTC(2026, 4, 15));
    const catalogue = await loadCatalogue(io, 'metrics.yaml');
    expect(resolvePeriod(catalogue, { now: io.now() }).label).toBe('2026-Q1');
    expect(resolvePeriod(catalogue, { now: Date.UTC(2026, 9, 1) }).label).toBe('2026-Q3');
  });

  it('a missing catalogue is file-missing with the command-line hint, relative to the Io folder', async () => {
    const error = await loadCatalogue(memoryIo({}), 'isms/metrics.yaml').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IsmsKpiError);
    expect((error as IsmsKpiError).problems[0]).toMatchObject({
      code: 'file-missing',
      location: { file: 'isms/metrics.yaml' },
    });
    expect((error as IsmsKpiError).problems[0]!.message).toContain('--catalogue FILE');
  });
});
