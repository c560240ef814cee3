/**
 * The one rule for "is this change more than noise?", used by `diff`, the report's trend verdict and the
 * effectiveness verdicts of corrective actions, so that they never disagree about the same two values.
 * Also the confidence interval a report shows next to a value. The maths is in src/util/stats.ts.
 *
 * Decisions (issue 20):
 * - What can be judged is decided from what a saved report keeps (src/report/model.ts), not from the
 *   catalogue: a KPI is
 *   - a PROPORTION when its value is the ratio of two counts of rows (numerator and denominator present,
 *     both aggregates `count` or `count_distinct`, whole numbers, 0 <= numerator <= denominator); the
 *     numerator is taken as "successes of n" (a binomial sample of the process);
 *   - a COUNT when the formula is a single `count(...)` (or `count_distinct`) and nothing else; the count
 *     is taken as a Poisson number of events;
 *   - a STATISTIC (mean, median, percentile, min, max): no test here; its n (the rows it was taken over)
 *     is given instead;
 *   - anything else (a sum, a derived KPI such as `kpi("A") + kpi("B")`, a ratio of sums): cannot be judged.
 *   When a change cannot be judged, `significant` is null with a reason and callers fall back to their
 *   behaviour without significance, and say so.
 * - Proportions: twoProportionTest (pooled z, Fisher's exact test when an expected cell is below 5).
 *   Counts: the exact conditional test for two Poisson counts, over equal exposures unless told otherwise
 *   (periods of different lengths: pass `exposures`).
 * - The significance LEVEL is alpha (0.05): a change is significant when p < level. A level above 0.5 is
 *   refused (it is almost certainly a confidence level such as 0.95 given by mistake). Intervals use the
 *   confidence 1 - level (95 % for 0.05).
 * - Comparability (same definition) is the caller's business: compare definitionHash first.
 */
import { poissonInterval, twoCountTest, twoProportionTest, wilsonInterval } from '../util/stats.js';
import type { AggregateResult, KpiResult } from './model.js';

/** The default significance level (alpha) of diff, trend verdicts and intervals (95 % intervals). */
export const DEFAULT_SIGNIFICANCE_LEVEL = 0.05;

/** `{ level }` (alpha, e.g. 0.05) or 'off' (no test: today's behaviour). */
export type SignificanceOption = { level: number; exposures?: readonly [number, number] } | 'off';

/** The saved values of a KPI (or of one of its segments, with the KPI's aggregates and formula). */
export interface SavedValues {
  value: number | null;
  numerator?: number | undefined;
  denominator?: number | undefined;
  unit?: string | undefined;
  formula?: string | undefined;
  /** The KPI's aggregates; `rowsMatched` (a statistic's n) may be left out, e.g. for a segment. */
  aggregates?:
    | readonly (Pick<AggregateResult, 'fn' | 'role' | 'text' | 'value'> & { rowsMatched?: number })[]
    | undefined;
}

/** What a value is, for statistics (see the header). */
export type Measure =
  | { kind: 'proportion'; successes: number; n: number; scale: number }
  | { kind: 'count'; count: number }
  | { kind: 'statistic'; fn: string; n?: number }
  | { kind: 'other'; reason: string };

export interface ChangeSignificance {
  /** true / false; null: cannot be judged (see `reason`), the caller keeps its behaviour without it. */
  significant: boolean | null;
  /** 'two-proportion z-test', 'Fisher exact test', 'exact Poisson test', 'none' or 'off'. */
  method: string;
  pValue?: number;
  reason?: string;
}

const COUNTS = new Set(['count', 'count_distinct']);
const STATISTICS = new Set(['mean', 'median', 'percentile', 'min', 'max']);

function isWhole(x: number | undefined): x is number {
  return x !== undefined && Number.isInteger(x) && x >= 0;
}

/** What `v` is: a proportion, a count, a statistic or other (see the header). */
export function measureOf(v: SavedValues): Measure {
  const aggs = v.aggregates;
  if (v.numerator !== undefined && v.denominator !== undefined) {
    const parts = aggs?.filter((a) => a.role === 'numerator' || a.role === 'denominator') ?? [];
    if (aggs && parts.some((a) => !COUNTS.has(a.fn)))
      return { kind: 'other', reason: 'a ratio of values that are not counts of rows' };
    if (!isWhole(v.numerator) || !isWhole(v.denominator) || v.numerator > v.denominator)
      return { kind: 'other', reason: 'a ratio that is not a part of a whole' };
    if (v.denominator === 0) return { kind: 'other', reason: 'a proportion of nothing (denominator 0)' };
    return { kind: 'proportion', successes: v.numerator, n: v.denominator, scale: scaleOf(v) };
  }
  if (aggs?.length === 1) {
    const agg = aggs[0]!;
    const isWholeFormula = v.formula === undefined || v.formula.trim() === agg.text.trim();
    if (COUNTS.has(agg.fn) && agg.role === 'value' && isWholeFormula) {
      if (v.value === null || !isWhole(v.value))
        return { kind: 'other', reason: 'a count that is not a whole number' };
      return { kind: 'count', count: v.value };
    }
    if (STATISTICS.has(agg.fn) && isWholeFormula)
      return {
        kind: 'statistic',
        fn: agg.fn,
        ...(agg.rowsMatched !== undefined ? { n: agg.rowsMatched } : {}),
      };
  }
  if (!aggs) return { kind: 'other', reason: 'no formula to tell what the value is' };
  return { kind: 'other', reason: 'a value derived from several aggregates or KPIs' };
}

/** 100 for a percentage, 1 for a fraction: from the value where it tells, else from the unit. */
function scaleOf(v: SavedValues): number {
  if (v.value !== null && v.numerator! > 0) {
    const ratio = (v.value * v.denominator!) / v.numerator!;
    return Math.abs(ratio - 100) < Math.abs(ratio - 1) ? 100 : 1;
  }
  return v.unit === '%' ? 100 : 1;
}

/** Checks a significance level (alpha): 0 < level <= 0.5. */
export function checkSignificanceLevel(level: number): void {
  if (!(level > 0 && level <= 0.5))
    throw new RangeError(
      `significance level must be above 0 and at most 0.5 (e.g. 0.05 for 95 %), got ${level}`,
    );
}

const NAMES: Record<Measure['kind'], string> = {
  proportion: 'a proportion',
  count: 'a count',
  statistic: 'a statistic',
  other: 'other',
};

/**
 * Whether the change from `before` to `after` is significant at `option.level` (see the header); null
 * when it cannot be judged, with the reason.
 */
export function changeSignificance(
  before: SavedValues,
  after: SavedValues,
  option: SignificanceOption,
): ChangeSignificance {
  if (option === 'off') return { significant: null, method: 'off', reason: 'significance testing is off' };
  checkSignificanceLevel(option.level);
  if (before.value === null || after.value === null)
    return { significant: null, method: 'none', reason: 'no value to compare' };
  const a = measureOf(before);
  const b = measureOf(after);
  if (a.kind === 'proportion' && b.kind === 'proportion') {
    const test = twoProportionTest(a.successes, a.n, b.successes, b.n);
    return {
      significant: test.pValue < option.level,
      method: test.method === 'fisher-exact' ? 'Fisher exact test' : 'two-proportion z-test',
      pValue: test.pValue,
    };
  }
  if (a.kind === 'count' && b.kind === 'count') {
    const [t1, t2] = option.exposures ?? [1, 1];
    const test = twoCountTest(a.count, b.count, t1, t2);
    return { significant: test.pValue < option.level, method: 'exact Poisson test', pValue: test.pValue };
  }
  const why = (m: Measure) =>
    m.kind === 'statistic'
      ? `a ${m.fn}${m.n !== undefined ? ` (n = ${m.n})` : ''} is not tested`
      : m.kind === 'other'
        ? m.reason
        : '';
  const reason =
    a.kind !== b.kind && a.kind !== 'other' && b.kind !== 'other'
      ? `${NAMES[a.kind]} before and ${NAMES[b.kind]} after`
      : why(b.kind === 'proportion' || b.kind === 'count' ? a : b);
  return { significant: null, method: 'none', reason };
}

/** A value's confidence interval as the report saves it, in the KPI's unit. */
export type ValueInterval = NonNullable<KpiResult['interval']>;

/**
 * The confidence interval of a KPI's value at `confidence` (0.95): Wilson for a proportion, Garwood for a
 * count; for a statistic only its n; undefined when nothing can be said (other values, no value).
 */
export function valueInterval(v: SavedValues, confidence: number): ValueInterval | undefined {
  if (v.value === null) return undefined;
  const m = measureOf(v);
  if (m.kind === 'proportion') {
    const i = wilsonInterval(m.successes, m.n, confidence)!;
    return { method: 'wilson', level: confidence, low: i.low * m.scale, high: i.high * m.scale, n: m.n };
  }
  if (m.kind === 'count') {
    const i = poissonInterval(m.count, confidence);
    return { method: 'poisson-exact', level: confidence, low: i.low, high: i.high };
  }
  if (m.kind === 'statistic') return m.n !== undefined ? { method: 'none', n: m.n } : undefined;
  return undefined;
}
