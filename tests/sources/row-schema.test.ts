/**
 * The zod row schema built from a mapping is the reference the compiled column converters implement:
 * every row intake accepts must parse with it, and values it refuses must be rejected by intake too.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoadedSource } from '../../src/sources/load-source.js';
import { rowSchema } from '../../src/sources/record-types.js';
import { cellValue } from '../../src/sources/table.js';
import { catalogueYaml, writeProject } from '../formula/harness.js';
import { loadCatalogue, loadSources, resolvePeriod } from '../helpers/run.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function rowObject(loaded: LoadedSource, row: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of loaded.source.fields) {
    const column = loaded.table.columns.get(field.name)!;
    const value = cellValue(column, row);
    out[field.name] = field.type === 'datetime' && typeof value === 'number' ? new Date(value) : value;
  }
  return out;
}

async function loadAll(cwd: string, catalogue = 'metrics.yaml'): Promise<LoadedSource[]> {
  const cat = await loadCatalogue({ catalogue, cwd });
  const period = resolvePeriod(cat, { period: '2026-Q3', now: 0 });
  const sources = await loadSources(cat, cat.sources.keys(), period, cwd);
  return [...sources.values()].filter((s): s is LoadedSource => !('missing' in s));
}

describe('rowSchema agrees with intake', () => {
  it('every accepted row of every bundled source parses with the schema built from its mapping', async () => {
    const sources = await loadAll(ROOT);
    expect(sources.length).toBeGreaterThanOrEqual(10);
    let rows = 0;
    for (const loaded of sources) {
      const schema = rowSchema(loaded.source.fields);
      for (let row = 0; row < loaded.table.length; row++) {
        const parsed = schema.safeParse(rowObject(loaded, row));
        if (!parsed.success) throw new Error(`${loaded.name} row ${row}: ${parsed.error.message}`);
        rows++;
      }
    }
    expect(rows).toBeGreaterThan(2500);
  });

  it('values the schema refuses are rejected by intake', async () => {
    const source = `  s:
    path: s.csv
    kind: snapshot
    fields:
      id: { required: true }
      level: { type: enum, values: [Low, High] }
      n: { type: integer }
      ok: { type: boolean }
`;
    const dir = writeProject({
      'metrics.yaml': catalogueYaml(source, [{ id: 'A', formula: 'count(s)' }], 'UTC'),
      // rows 2-5 each break one rule; row 1 is valid
      's.csv':
        'id,level,n,ok\na,Low,1,true\n,Low,1,true\nb,Medium,1,true\nc,High,1.5,true\nd,High,2,perhaps\n',
    });
    const [loaded] = await loadAll(dir);
    expect(loaded!.stats.accepted).toBe(1);
    expect(loaded!.rejectedRows.map((r) => r.line)).toEqual([3, 4, 5, 6]);
    const schema = rowSchema(loaded!.source.fields);
    expect(schema.safeParse({ id: 'a', level: 'Low', n: 1, ok: true }).success).toBe(true);
    for (const bad of [
      { id: null, level: 'Low', n: 1, ok: true },
      { id: 'b', level: 'Medium', n: 1, ok: true },
      { id: 'c', level: 'High', n: 1.5, ok: true },
      { id: 'd', level: 'High', n: 2, ok: 'perhaps' },
    ]) {
      expect(schema.safeParse(bad).success).toBe(false);
    }
  });
});
