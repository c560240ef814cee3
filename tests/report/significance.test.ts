/**
 * The one significance rule (src/report/significance.ts): which saved values can be judged, the test each
 * kind gets, and the intervals a report saves.
 */
import { describe, expect, it } from 'vitest';
import {
  changeSignificance,
  measureOf,
  type SavedValues,
  valueInterval,
} from '../../src/report/significance.js';
import { wilsonInterval } from '../../src/util/stats.js';

const agg = (fn: string, role: 'numerator' | 'denominator' | 'value', text: string, value: number) => ({
  fn,
  role,
  text,
  value,
  rowsMatched: value,
});

/** A pct(count(...), count(...)) KPI's saved values. */
function proportion(numerator: number, denominator: number): SavedValues {
  return {
    value: (100 * numerator) / denominator,
    numerator,
    denominator,
    unit: '%',
    formula: 'pct(count(leavers, revoked), count(leavers))',
    aggregates: [
      agg('count', 'numerator', 'count(leavers, revoked)', numerator),
      agg('count', 'denominator', 'count(leavers)', denominator),
    ],
  };
}

function count(n: number): SavedValues {
  return {
    value: n,
    unit: 'count',
    formula: 'count(incidents)',
    aggregates: [agg('count', 'value', 'count(incidents)', n)],
  };
}

const AT_05 = { level: 0.05 };

describe('changeSignificance', () => {
  it('7/8 vs 8/8 is not significant', () => {
    const result = changeSignificance(proportion(7, 8), proportion(8, 8), AT_05);
    expect(result.significant).toBe(false);
    expect(result.method).toBe('Fisher exact test');
    expect(result.pValue).toBeGreaterThan(0.05);
  });

  it('20/200 vs 60/200 is significant at 0.05, either way round', () => {
    const up = changeSignificance(proportion(20, 200), proportion(60, 200), AT_05);
    expect(up).toMatchObject({ significant: true, method: 'two-proportion z-test' });
    expect(up.pValue).toBeLessThan(1e-6);
    expect(changeSignificance(proportion(60, 200), proportion(20, 200), AT_05).significant).toBe(true);
  });

  it('judges at the level given: a p-value of about 0.03 is significant at 0.05, not at 0.01', () => {
    // 50/100 vs 65/100: z = 2.14, p = 0.032
    const at05 = changeSignificance(proportion(50, 100), proportion(65, 100), AT_05);
    const at01 = changeSignificance(proportion(50, 100), proportion(65, 100), { level: 0.01 });
    expect(at05.pValue).toBeCloseTo(0.0321, 3);
    expect(at05.significant).toBe(true);
    expect(at01.significant).toBe(false);
  });

  it('counts: 10 vs 12 is not significant, 5 vs 30 is', () => {
    expect(changeSignificance(count(10), count(12), AT_05)).toMatchObject({
      significant: false,
      method: 'exact Poisson test',
    });
    expect(changeSignificance(count(5), count(30), AT_05).significant).toBe(true);
  });

  it('cannot judge a median, a derived KPI, a ratio of sums or a missing value, and says why', () => {
    const median: SavedValues = {
      value: 4.5,
      unit: 'h',
      formula: 'median(incidents, hours(occurred, opened))',
      aggregates: [
        {
          fn: 'median',
          role: 'value',
          text: 'median(incidents, hours(occurred, opened))',
          value: 4.5,
          rowsMatched: 12,
        },
      ],
    };
    expect(changeSignificance(median, median, AT_05)).toEqual({
      significant: null,
      method: 'none',
      reason: 'a median (n = 12) is not tested',
    });
    const derived: SavedValues = {
      value: 3,
      unit: 'count',
      formula: 'kpi("AC-02") + kpi("AC-04")',
      aggregates: [],
    };
    expect(changeSignificance(derived, derived, AT_05)).toMatchObject({ significant: null });
    expect(changeSignificance(derived, derived, AT_05).reason).toContain('derived');
    const sums: SavedValues = {
      value: 10,
      numerator: 5,
      denominator: 50,
      aggregates: [
        agg('sum', 'numerator', 'sum(p, clicked)', 5),
        agg('sum', 'denominator', 'sum(p, recipients)', 50),
      ],
    };
    expect(changeSignificance(sums, sums, AT_05).reason).toContain('not counts of rows');
    const none = { ...proportion(1, 2), value: null };
    expect(changeSignificance(none, proportion(1, 2), AT_05)).toMatchObject({
      significant: null,
      reason: 'no value to compare',
    });
    expect(changeSignificance(count(3), proportion(1, 2), AT_05).reason).toBe(
      'a count before and a proportion after',
    );
  });

  it("'off' judges nothing, and a confidence level given as the level is refused", () => {
    expect(changeSignificance(proportion(20, 200), proportion(60, 200), 'off')).toEqual({
      significant: null,
      method: 'off',
      reason: 'significance testing is off',
    });
    expect(() => changeSignificance(proportion(1, 2), proportion(1, 2), { level: 0.95 })).toThrow(
      /at most 0.5/,
    );
  });

  it('a count over periods of different lengths uses the exposures', () => {
    const equal = changeSignificance(count(10), count(30), AT_05);
    const threeTimesLonger = changeSignificance(count(10), count(30), { level: 0.05, exposures: [1, 3] });
    expect(equal.significant).toBe(true);
    expect(threeTimesLonger.significant).toBe(false);
  });
});

describe('measureOf', () => {
  it('a single count is a count only when it is the whole formula', () => {
    expect(measureOf(count(4))).toEqual({ kind: 'count', count: 4 });
    expect(measureOf({ ...count(4), formula: 'count(incidents) * 2', value: 8 }).kind).toBe('other');
  });

  it('a ratio of counts with the numerator above the denominator is not a proportion', () => {
    expect(measureOf({ ...proportion(3, 4), numerator: 5 }).kind).toBe('other');
  });

  it('a fraction (ratio()) keeps scale 1, a percentage scale 100, also for 0 of n', () => {
    expect(measureOf(proportion(3, 4))).toMatchObject({ scale: 100 });
    expect(measureOf({ ...proportion(3, 4), value: 0.75, unit: 'ratio' })).toMatchObject({ scale: 1 });
    expect(measureOf({ ...proportion(0, 4), unit: '%' })).toMatchObject({ scale: 100 });
  });
});

describe('valueInterval', () => {
  it("a proportion gets the Wilson interval in the KPI's unit", () => {
    const i = valueInterval(proportion(7, 8), 0.95)!;
    const w = wilsonInterval(7, 8, 0.95)!;
    expect(i).toEqual({ method: 'wilson', level: 0.95, low: 100 * w.low, high: 100 * w.high, n: 8 });
    expect(i.low).toBeCloseTo(52.91, 2);
    expect(i.high).toBeCloseTo(97.76, 2);
  });

  it('a count gets the exact Poisson interval; a statistic its n; others nothing', () => {
    expect(valueInterval(count(0), 0.95)).toMatchObject({ method: 'poisson-exact', low: 0 });
    expect(valueInterval(count(0), 0.95)!.high).toBeCloseTo(3.6889, 4);
    expect(
      valueInterval(
        {
          value: 3,
          aggregates: [{ fn: 'percentile', role: 'value', text: 'p', value: 3, rowsMatched: 7 }],
          formula: 'p',
        },
        0.95,
      ),
    ).toEqual({ method: 'none', n: 7 });
    expect(valueInterval({ value: 3, aggregates: [] }, 0.95)).toBeUndefined();
    expect(valueInterval({ ...count(3), value: null }, 0.95)).toBeUndefined();
  });
});
