/**
 * "Path to green" for `explain` (issue 20): for a red or amber KPI that is a proportion or a count
 * (src/report/significance.ts, measureOf), the smallest change that reaches the next band, and where the
 * shortfall sits by segment.
 *
 * Decisions:
 * - A proportion moves by its numerator with the denominator fixed (the leavers of the period are what
 *   they are; the question is how many more had to be revoked in time). When no numerator reaches the
 *   band (a band of >= 95 % over 8 rows needs 8 of 8, fine; "> 100" never), the step says it cannot be
 *   reached this way.
 * - A count moves by whole events, never below 0.
 * - Steps: from red the amber band (when there is one) and then green; from amber, green.
 * - The segments' share: how the rows that keep the KPI from green are spread: for a higher-is-better
 *   proportion the rows its numerator did not count (denominator - numerator), for a lower-is-better
 *   one the rows it did count, for a lower-is-better count the count itself. Nothing for a higher-is-
 *   better count (what is missing is not in any segment).
 */
import { type Band, compileThresholds } from '../catalogue/thresholds.js';
import type { KpiResult } from './model.js';
import { measureOf } from './significance.js';

export interface PathStep {
  band: 'amber' | 'green';
  /** The band as written, e.g. ">= 90". */
  bandText: string;
  /** The signed change of the numerator or the count; undefined when the band cannot be reached. */
  change?: number;
  /** The numerator or count after the change, and the KPI's value then. */
  to?: number;
  value?: number;
}

export interface SegmentShare {
  key: string;
  /** The segment's rows that keep the KPI from green (see the header). */
  misses: number;
  /** misses / all misses (0..1). */
  share: number;
}

export interface PathToGreen {
  kind: 'proportion' | 'count';
  /** Numerator (proportion) or count now, and the denominator of a proportion. */
  from: number;
  of?: number;
  steps: PathStep[];
  /** What the segments' misses are: rows not counted by the numerator, counted by it, or counted. */
  misses?: 'not counted' | 'counted';
  segments: SegmentShare[];
}

function satisfies(band: Band, value: number): boolean {
  const v = band.value;
  const eps = 1e-9 * Math.max(1, Math.abs(v));
  switch (band.op) {
    case '>=':
      return value >= v - eps;
    case '>':
      return value > v + eps;
    case '<=':
      return value <= v + eps;
    case '<':
      return value < v - eps;
    case '==':
      return Math.abs(value - v) <= eps;
  }
}

/**
 * The smallest move of x from `from` within [0, max] (`max` undefined: no upper limit short of what the
 * band needs) in `direction` whose value reaches `band`; undefined when none does.
 */
function smallestMove(
  from: number,
  max: number | undefined,
  band: Band,
  direction: 'higher' | 'lower',
  kpiValueAt: (x: number) => number,
): number | undefined {
  if (direction === 'lower') {
    for (let x = from; x >= 0; x--) if (satisfies(band, kpiValueAt(x))) return x;
    return undefined;
  }
  const limit = max ?? Math.max(from, Math.ceil(band.value) + 1);
  for (let x = from; x <= limit; x++) if (satisfies(band, kpiValueAt(x))) return x;
  return undefined;
}

/** The path to green of a red or amber proportion or count KPI; undefined for any other. */
export function pathToGreen(kpi: KpiResult): PathToGreen | undefined {
  if ((kpi.status !== 'red' && kpi.status !== 'amber') || !kpi.thresholds || kpi.value === null)
    return undefined;
  const thresholds = compileThresholds(kpi.thresholds);
  if (typeof thresholds === 'string') return undefined;
  // "== 0" with "<= 2": lower is better; a bare "== 5" target: towards it from either side.
  const m = measureOf(kpi);
  if (m.kind !== 'proportion' && m.kind !== 'count') return undefined;
  const from = m.kind === 'proportion' ? m.successes : m.count;
  const kpiValueAt = m.kind === 'proportion' ? (x: number) => (m.scale * x) / m.n : (x: number) => x;
  const bands: ['amber' | 'green', Band][] = [];
  if (kpi.status === 'red' && thresholds.amber) bands.push(['amber', thresholds.amber]);
  bands.push(['green', thresholds.green]);
  const steps = bands.map(([name, band]): PathStep => {
    const direction =
      thresholds.direction === 'target'
        ? band.value >= kpiValueAt(from)
          ? 'higher'
          : 'lower'
        : thresholds.direction;
    const to = smallestMove(from, m.kind === 'proportion' ? m.n : undefined, band, direction, kpiValueAt);
    const step: PathStep = { band: name, bandText: band.text };
    return to === undefined ? step : { ...step, change: to - from, to, value: kpiValueAt(to) };
  });
  const path: PathToGreen = {
    kind: m.kind,
    from,
    ...(m.kind === 'proportion' ? { of: m.n } : {}),
    steps,
    segments: [],
  };
  const direction = thresholds.direction;
  if (kpi.segments.length === 0 || direction === 'target') return path;
  if (m.kind === 'count' && direction === 'higher') return path;
  const missesOf = (s: KpiResult['segments'][number]): number | undefined => {
    if (m.kind === 'count') return s.value ?? undefined;
    if (s.numerator === undefined || s.denominator === undefined) return undefined;
    return direction === 'higher' ? s.denominator - s.numerator : s.numerator;
  };
  const counted = kpi.segments.map((s) => ({ key: s.key, misses: missesOf(s) }));
  const total = counted.reduce((sum, s) => sum + (s.misses ?? 0), 0);
  if (total === 0) return path;
  return {
    ...path,
    misses: m.kind === 'proportion' && direction === 'higher' ? 'not counted' : 'counted',
    segments: counted
      .filter((s): s is SegmentShare & { misses: number } => s.misses !== undefined && s.misses > 0)
      .map((s) => ({ key: s.key, misses: s.misses, share: s.misses / total }))
      .sort((a, b) => b.misses - a.misses),
  };
}
