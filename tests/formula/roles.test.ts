/**
 * Numerator and denominator exist only where the KPI's value IS their ratio: the formula is pct(),
 * ratio() or `/` of two aggregates, maybe inside round(). A ratio inside if(), a sum or a product gives no
 * roles: no numerator or denominator in the JSON report (the fields are absent) nor in the CSV (empty
 * cells), and every aggregate plays the role `value`.
 */
import { describe, expect, it } from 'vitest';
import { renderCsv } from '../../src/render/csv.js';
import { csvRecords } from '../render/csv-parse.js';
import { catalogueYaml, csv, runProject } from './harness.js';

/*
 * a: 2 rows, 1 ok (50 %); b: 4 rows, 3 ok (75 %). Snapshots, so every row is in scope.
 */
const SOURCES = `  a:
    path: a.csv
    kind: snapshot
    fields:
      id: { required: true }
      ok: { type: boolean }
  b:
    path: b.csv
    kind: snapshot
    fields:
      id: { required: true }
      ok: { type: boolean }
`;
const FILES = {
  'a.csv': csv([
    ['id', 'ok'],
    [1, 'true'],
    [2, 'false'],
  ]),
  'b.csv': csv([
    ['id', 'ok'],
    [1, 'true'],
    [2, 'true'],
    [3, 'true'],
    [4, 'false'],
  ]),
};

/** [formula, value, numerator, denominator] (undefined: no such role). */
type Case = [string, number, number | undefined, number | undefined];

const CASES: Case[] = [
  // issue 14.1's repro: the sum of two percentages is not the ratio of either pair
  ['pct(count(a, ok), count(a)) + pct(count(b, ok), count(b))', 125, undefined, undefined],
  // a ratio in a branch of if(): the value is 75 here, but a formula that could give 0 has no roles
  ['if(count(b) > 3, pct(count(b, ok), count(b)), 0)', 75, undefined, undefined],
  ['if(count(b) > 9, 0, pct(count(b, ok), count(b)))', 75, undefined, undefined],
  // a ratio of sums, and a ratio times a number
  ['pct(count(a, ok) + count(b, ok), count(a) + count(b))', (4 / 6) * 100, undefined, undefined],
  ['count(b, ok) / count(b) * 100', 75, undefined, undefined],
  ['100 - pct(count(b, ok), count(b))', 25, undefined, undefined],
  // the value is the ratio: plain, with ratio() or /, and rounded
  ['pct(count(b, ok), count(b))', 75, 3, 4],
  ['ratio(count(b, ok), count(b))', 0.75, 3, 4],
  ['count(b, ok) / count(b)', 0.75, 3, 4],
  ['round(pct(count(a, ok), count(b)), 1)', 25, 1, 4],
  ['round(round(ratio(count(b, ok), count(a))))', 2, 3, 2],
];

describe('numerator and denominator', () => {
  it.each(CASES)('%s', async (formula, value, numerator, denominator) => {
    const result = await runProject({
      'metrics.yaml': catalogueYaml(SOURCES, [{ id: 'K', formula }]),
      ...FILES,
    });
    const kpi = result.report.kpis[0]!;
    expect(kpi.value).toBeCloseTo(value, 9);
    expect(kpi.numerator).toBe(numerator);
    expect(kpi.denominator).toBe(denominator);
    // absent from the saved JSON, not null
    const saved = JSON.parse(JSON.stringify(kpi)) as Record<string, unknown>;
    expect('numerator' in saved).toBe(numerator !== undefined);
    expect('denominator' in saved).toBe(denominator !== undefined);
    const roles = kpi.aggregates.map((a) => a.role);
    if (numerator === undefined) expect(roles.every((r) => r === 'value')).toBe(true);
    else expect(roles).toEqual(['numerator', 'denominator']);
    const row = csvRecords(renderCsv(result.report)).find((r) => r.kpi_id === 'K')!;
    expect([row.numerator, row.denominator]).toEqual([
      numerator === undefined ? '' : String(numerator),
      denominator === undefined ? '' : String(denominator),
    ]);
  });
});
