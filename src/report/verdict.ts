/**
 * The one rule for "better or worse": whether a KPI improved, worsened or is unchanged between two values,
 * by the KPI's direction and a tolerance. `diff` (src/diff/compare.ts) judges two saved reports with it and
 * the report's trend verdict (`trendVerdict`) judges a period against the previous one with it, so the
 * two never disagree about the same pair of values.
 *
 * Decisions (issue 18):
 * - It lives here, in the report layer, because both the engine (trend verdicts from the exports) and
 *   diff (two saved reports) use it; diff re-exports it.
 * - A KPI's direction: its catalogue `direction:` when declared (`none` for a KPI where more is not
 *   simply better or worse, e.g. detected incidents), else the direction of its thresholds, else none.
 *   With direction none (or a `==` target) a change is "changed", never improved or worsened.
 * - A trend verdict needs enough rows behind both values: MIN_TREND_ROWS (5). What counts is the
 *   denominator of a ratio KPI (leavers, changes, hosts), or the rows a statistic was taken over (a
 *   mean, median, percentile, min or max); counts and sums are exact numbers, not samples, and have no
 *   minimum. A 90th percentile over one incident in each quarter says nothing about a trend.
 * - Significance (issue 20): a change beyond the tolerance is also tested (src/report/significance.ts,
 *   the rule `diff` uses) when the earlier period's values are known. A change that is not significant
 *   is `unchanged` ("no significant change"), with the test in `significance`; where the test cannot be
 *   judged (a median, a derived KPI) the verdict stays by the tolerance and `significance` says why.
 */
import type { KpiResult } from './model.js';
import { changeSignificance, type SavedValues, type SignificanceOption } from './significance.js';

export type Verdict = 'improved' | 'worsened' | 'unchanged' | 'changed' | 'not-comparable';
export type Direction = 'higher' | 'lower' | 'target' | 'none';

/** Percent: a change within it is "unchanged" (relative; absolute where |old| < 1). */
export const DEFAULT_TOLERANCE = 0.5;

/** Fewest rows behind each of the two values for a trend verdict (see the header). */
export const MIN_TREND_ROWS = 5;

/** Whether |new - old| is beyond the tolerance: relative to |old|, or absolute when |old| < 1. */
export function isBeyondTolerance(oldValue: number, newValue: number, tolerance: number): boolean {
  const allowed = (tolerance / 100) * Math.max(Math.abs(oldValue), 1);
  // A hair of slack so that a change of exactly the tolerance counts as within it despite rounding.
  return Math.abs(newValue - oldValue) > allowed + 1e-12;
}

/** improved / worsened / unchanged by `direction`; `changed` when there is no direction (or a value is missing). */
export function judge(
  oldValue: number | null,
  newValue: number | null,
  direction: Direction,
  tolerance: number,
): Verdict {
  if (oldValue === null || newValue === null) return oldValue === newValue ? 'unchanged' : 'changed';
  if (!isBeyondTolerance(oldValue, newValue, tolerance)) return 'unchanged';
  if (direction === 'higher') return newValue > oldValue ? 'improved' : 'worsened';
  if (direction === 'lower') return newValue < oldValue ? 'improved' : 'worsened';
  return 'changed';
}

/** The direction a KPI's change is judged by: its `direction:`, else its thresholds', else none. */
export function kpiDirection(kpi: Pick<KpiResult, 'direction' | 'thresholds'>): Direction {
  return kpi.direction ?? kpi.thresholds?.direction ?? 'none';
}

const STATISTICS = new Set(['mean', 'median', 'percentile', 'min', 'max']);

/**
 * The number of rows a value rests on, for MIN_TREND_ROWS: the denominator of a ratio, else the fewest
 * rows any statistic (mean, median, ...) was taken over; undefined when no minimum applies (counts, sums).
 */
export function trendSample(kpi: Partial<Pick<KpiResult, 'denominator' | 'aggregates'>>): number | undefined {
  if (kpi.denominator !== undefined) return kpi.denominator;
  let fewest: number | undefined;
  for (const agg of kpi.aggregates ?? [])
    if (STATISTICS.has(agg.fn)) fewest = Math.min(fewest ?? Number.POSITIVE_INFINITY, agg.rowsMatched);
  return fewest;
}

/** Rows a sample is counted in, for messages: "3 rows". */
function rows(n: number): string {
  return `${n} row${n === 1 ? '' : 's'}`;
}

export type TrendVerdict = NonNullable<KpiResult['trendVerdict']>;

/** What the current value is compared with: the previous period's value and where it came from. */
export interface Earlier {
  period: string;
  value: number;
  from: 'exports' | 'report';
  /** trendSample of the earlier value; undefined when no minimum applies. */
  sample: number | undefined;
  /** The earlier KPI's saved values, for the significance test; without them none is made. */
  values?: SavedValues;
}

/** The KPI fields trendVerdict reads. */
type Judged = Pick<KpiResult, 'value' | 'direction' | 'thresholds' | 'denominator' | 'aggregates'> &
  Partial<Pick<KpiResult, 'numerator' | 'formula' | 'unit'>>;

/** The trend verdict of `kpi` against `earlier` (judge, with the default tolerance and the sample minimum). */
export function trendVerdict(
  kpi: Judged,
  currentPeriod: string,
  earlier: Earlier,
  significance: SignificanceOption = 'off',
): TrendVerdict {
  const against = { period: earlier.period, value: earlier.value, from: earlier.from };
  if (kpi.value === null) return { verdict: 'none', against, reason: 'no value in this period' };
  const samples: [string, number | undefined][] = [
    [earlier.period, earlier.sample],
    [currentPeriod, trendSample(kpi)],
  ];
  for (const [label, n] of samples)
    if (n !== undefined && n < MIN_TREND_ROWS)
      return {
        verdict: 'none',
        against,
        reason: `too few rows: ${rows(n)} in ${label} (a trend needs ${MIN_TREND_ROWS})`,
      };
  const judged = judge(earlier.value, kpi.value, kpiDirection(kpi), DEFAULT_TOLERANCE);
  const verdict = judged === 'not-comparable' ? 'changed' : judged;
  if (verdict === 'unchanged' || significance === 'off' || !earlier.values) return { verdict, against };
  const test = changeSignificance(earlier.values, kpi, significance);
  const saved = savedSignificance(test, significance.level);
  return { verdict: test.significant === false ? 'unchanged' : verdict, against, significance: saved };
}

/** A significance test as the report saves it (`trendVerdict.significance`, diff's JSON). */
export function savedSignificance(
  test: ReturnType<typeof changeSignificance>,
  level: number,
): NonNullable<TrendVerdict['significance']> {
  return {
    significant: test.significant,
    method: test.method,
    ...(test.significant !== null ? { level } : {}),
    ...(test.pValue !== undefined ? { pValue: test.pValue } : {}),
    ...(test.reason !== undefined ? { reason: test.reason } : {}),
  };
}
