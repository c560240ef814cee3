/**
 * Does an events export cover an interval of time? The one rule behind staleness (does the export cover
 * the period?) and trends (does it cover the earlier window or period a value is compared with?).
 *
 * An export covers [start, end) when its first row is no later than start + tolerance and its last row no
 * earlier than end - tolerance. The tolerance is 7 times the average gap between the file's rows,
 * (maxTime - minTime) / (rows - 1), at least one week and at most one cadence of the KPI. Why 7: if rows
 * arrive at random at the file's average rate (a Poisson process), a stretch of 7 average gaps without a
 * row has a probability of e^-7, under 0.1 %: the export almost surely did not cover it. Why at least a
 * week: business records are not a Poisson process over days; weekends, holidays and quarter-end change
 * freezes leave quiet stretches of several days in complete exports, so a gap shorter than a week proves
 * nothing. With two incidents every three days the tolerance is 10.5 days; a source with one row a month
 * keeps the one-cadence tolerance (a lone monthly restore test does not make its quarter partial). A
 * file with one row has no gap to average: one cadence.
 */
import { type Cadence, cadenceLengthMs } from '../time/period.js';

const WEEK = 7 * 86_400_000;
/** Average gaps a covered stretch may go without a row. */
const GAPS = 7;

/** The time range of an events export's accepted rows. */
export interface EventsRange {
  /** Earliest and latest time (epoch ms), null when the file has no rows. */
  minTime: number | null;
  maxTime: number | null;
  rows: number;
}

export interface Tolerance {
  ms: number;
  /** What set it: 7 average gaps (`rows`), the one-week floor, or the one-cadence ceiling. */
  basis: 'rows' | 'week' | 'cadence';
}

/** Why an export does not cover an interval: the edge it misses, and by how much. */
export interface CoverageGap {
  edge: 'start' | 'end';
  /** The first row (edge start) or the last row (edge end). */
  at: number;
  /** How far that row lies inside the interval. */
  shortBy: number;
  tolerance: Tolerance;
}

export function coverageTolerance(range: EventsRange, cadence: Cadence): Tolerance {
  const ceiling = cadenceLengthMs(cadence);
  if (range.minTime === null || range.maxTime === null || range.rows < 2)
    return { ms: ceiling, basis: 'cadence' };
  const gaps = (GAPS * (range.maxTime - range.minTime)) / (range.rows - 1);
  if (gaps >= ceiling || WEEK >= ceiling) return { ms: ceiling, basis: 'cadence' };
  if (gaps <= WEEK) return { ms: WEEK, basis: 'week' };
  return { ms: gaps, basis: 'rows' };
}

/**
 * The edge of [start, end) the export does not cover (the end first), or undefined when it covers the
 * interval or has no rows (no rows is judged elsewhere: the KPI has no data).
 */
export function coverageGap(
  range: EventsRange,
  interval: { start: number; end: number },
  cadence: Cadence,
): CoverageGap | undefined {
  const { minTime, maxTime } = range;
  if (minTime === null || maxTime === null) return undefined;
  const tolerance = coverageTolerance(range, cadence);
  if (interval.end - maxTime > tolerance.ms)
    return { edge: 'end', at: maxTime, shortBy: interval.end - maxTime, tolerance };
  if (minTime - interval.start > tolerance.ms)
    return { edge: 'start', at: minTime, shortBy: minTime - interval.start, tolerance };
  return undefined;
}
