/**
 * Path to green (issue 20): the smallest change of a red or amber proportion's numerator (denominator
 * fixed) or of a count that reaches the next band, whether it is reachable, and the segments' share of the
 * shortfall; shown by `explain`.
 */
import { describe, expect, it } from 'vitest';
import type { KpiResult } from '../../src/report/model.js';
import { pathToGreen } from '../../src/report/path-to-green.js';
import { runCli } from '../helpers/cli.js';

/** A pct(count, count) KPI as the report has it; thresholds higher-is-better unless given. */
function proportion(
  numerator: number,
  denominator: number,
  status: KpiResult['status'],
  thresholds: KpiResult['thresholds'] = { green: '>= 95', amber: '>= 90', direction: 'higher' },
  segments: KpiResult['segments'] = [],
): KpiResult {
  return {
    value: (100 * numerator) / denominator,
    numerator,
    denominator,
    unit: '%',
    status,
    thresholds,
    formula: 'pct(count(l, ok), count(l))',
    aggregates: [
      {
        index: 0,
        text: 'count(l, ok)',
        fn: 'count',
        source: 'l',
        role: 'numerator',
        value: numerator,
        rowsInScope: 0,
        rowsMatched: numerator,
      },
      {
        index: 1,
        text: 'count(l)',
        fn: 'count',
        source: 'l',
        role: 'denominator',
        value: denominator,
        rowsInScope: 0,
        rowsMatched: denominator,
      },
    ],
    segments,
  } as unknown as KpiResult;
}

function count(n: number, status: KpiResult['status'], segments: KpiResult['segments'] = []): KpiResult {
  return {
    value: n,
    unit: 'count',
    status,
    thresholds: { green: '== 0', amber: '<= 2', direction: 'lower' },
    formula: 'count(i)',
    aggregates: [
      {
        index: 0,
        text: 'count(i)',
        fn: 'count',
        source: 'i',
        role: 'value',
        value: n,
        rowsInScope: n,
        rowsMatched: n,
      },
    ],
    segments,
  } as unknown as KpiResult;
}

const segment = (key: string, value: number, numerator?: number, denominator?: number) =>
  ({
    key,
    value,
    status: 'red',
    ...(numerator !== undefined ? { numerator, denominator } : {}),
  }) as KpiResult['segments'][number];

describe('pathToGreen', () => {
  it('red 13 of 16 (>= 95, amber >= 90): 2 more reach amber (15/16 = 93.75 %), 3 more green', () => {
    const path = pathToGreen(proportion(13, 16, 'red'))!;
    expect(path.steps).toEqual([
      { band: 'amber', bandText: '>= 90', change: 2, to: 15, value: 93.75 },
      { band: 'green', bandText: '>= 95', change: 3, to: 16, value: 100 },
    ]);
  });

  it('amber: only the step to green; a lower-is-better proportion moves down', () => {
    expect(pathToGreen(proportion(7, 8, 'amber'))!.steps).toEqual([
      { band: 'green', bandText: '>= 95', change: 1, to: 8, value: 100 },
    ]);
    const lower = pathToGreen(
      proportion(10, 25, 'amber', { green: '<= 20', amber: '<= 40', direction: 'lower' }),
    )!;
    expect(lower.steps).toEqual([{ band: 'green', bandText: '<= 20', change: -5, to: 5, value: 20 }]);
  });

  it('says when the band cannot be reached by the numerator', () => {
    const path = pathToGreen(proportion(7, 8, 'amber', { green: '> 100', direction: 'higher' }))!;
    expect(path.steps).toEqual([{ band: 'green', bandText: '> 100' }]);
  });

  it('a count moves by whole events, never below 0', () => {
    expect(pathToGreen(count(5, 'red'))!.steps).toEqual([
      { band: 'amber', bandText: '<= 2', change: -3, to: 2, value: 2 },
      { band: 'green', bandText: '== 0', change: -5, to: 0, value: 0 },
    ]);
  });

  it("each segment's share of the shortfall, largest first", () => {
    const segments = [segment('Bremen', 50, 1, 2), segment('Brno', 100, 4, 4), segment('Leipzig', 25, 1, 4)];
    const path = pathToGreen(proportion(6, 10, 'red', undefined, segments))!;
    expect(path.misses).toBe('not counted');
    // 4 rows not counted: Leipzig 3, Bremen 1, Brno none
    expect(path.segments).toEqual([
      { key: 'Leipzig', misses: 3, share: 0.75 },
      { key: 'Bremen', misses: 1, share: 0.25 },
    ]);
    const counts = pathToGreen(count(4, 'red', [segment('a', 3), segment('b', 1), segment('c', 0)]))!;
    expect(counts.segments.map((s) => [s.key, s.share])).toEqual([
      ['a', 0.75],
      ['b', 0.25],
    ]);
  });

  it('nothing for a green KPI, a median or a KPI without thresholds', () => {
    expect(pathToGreen(proportion(16, 16, 'green'))).toBeUndefined();
    expect(pathToGreen({ ...count(5, 'red'), thresholds: null })).toBeUndefined();
    const median = { ...count(5, 'red'), formula: 'median(i, h)' };
    median.aggregates = [{ ...median.aggregates[0]!, fn: 'median', text: 'median(i, h)' }];
    expect(pathToGreen(median)).toBeUndefined();
  });
});

describe('explain', () => {
  it('AC-01 (13 of 16 leavers, red): the interval and the path to amber and green', async () => {
    const r = await runCli(['explain', 'AC-01', '--period', '2026-Q3', '--sample', '0']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('95 % interval: 57.0-93.4 % (Wilson score interval)\n');
    expect(r.stdout).toContain(
      'path to amber >= 90 %: 2 more rows counted by count(leavers, hours(effective, revoked) <= 24) (15 of 16, 93.8 %) would reach amber\n',
    );
    expect(r.stdout).toContain('path to green >= 95 %: 3 more rows counted by');
  });

  it('IR-02 (amber, by site): the shortfall is all in Leipzig', async () => {
    const r = await runCli(['explain', 'IR-02', '--period', '2026-Q3', '--sample', '0']);
    expect(r.stdout).toContain('shortfall by site (rows not counted by the numerator): Leipzig 1 (100 %)\n');
  });
});
