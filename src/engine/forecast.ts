/**
 * When will a KPI reach its objective's target? A robust straight line through its values over the
 * periods (Theil-Sen: the median of the slopes between every two points, then the median intercept), so
 * one odd period does not swing the forecast the way a least-squares line would.
 *
 * Decisions (docs/management-review.md "Objectives"):
 * - A point is a period's value at the period's end (when it is known). The saved reports given with
 *   --history and the current report are the points; periods without a value are left out.
 * - No forecast from fewer than MIN_FORECAST_POINTS points: three quarters and the current one is the
 *   least that says more than "it went up once".
 * - A KPI whose current value meets the target is `met`; otherwise the date the line reaches the target
 *   (never before the last point) is the expected date, and the KPI is `off-track` when that date is
 *   after the objective's due date or when the line does not move towards the target at all.
 */
import type { Band } from '../catalogue/thresholds.js';
import { satisfies } from '../catalogue/thresholds.js';
import { localDate } from '../time/zone.js';

export const MIN_FORECAST_POINTS = 4;

export interface ForecastPoint {
  /** The end of the period (epoch ms). */
  at: number;
  value: number;
}

export interface Forecast {
  state: 'met' | 'on-track' | 'off-track' | 'too-few-points';
  /** The points the fit used. */
  points: number;
  /** The day (yyyy-MM-dd) the line reaches the target; absent when met, too few points, or never. */
  expected?: string;
  /** The fitted change per day (in the KPI's unit); absent with too few points. */
  slopePerDay?: number;
}

const DAY = 86_400_000;
/** 9999-12-31: the last day written with four digits. */
const MAX_DATE_MS = Date.UTC(9999, 11, 31);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The Theil-Sen line through the points: slope per ms and the value at `at` = 0. */
export function theilSen(points: readonly ForecastPoint[]): { slope: number; intercept: number } {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++)
    for (let j = i + 1; j < points.length; j++) {
      const dx = points[j]!.at - points[i]!.at;
      if (dx !== 0) slopes.push((points[j]!.value - points[i]!.value) / dx);
    }
  const slope = slopes.length === 0 ? 0 : median(slopes);
  const intercept = median(points.map((p) => p.value - slope * p.at));
  return { slope, intercept };
}

/**
 * The forecast for one KPI: `points` in time order (the last is the current period), the objective's
 * target band and due day (yyyy-MM-dd), dates written in `tz`.
 */
export function forecast(points: readonly ForecastPoint[], target: Band, due: string, tz: string): Forecast {
  const last = points[points.length - 1];
  if (last && satisfies(target, last.value)) return { state: 'met', points: points.length };
  if (points.length < MIN_FORECAST_POINTS || !last) return { state: 'too-few-points', points: points.length };
  const { slope, intercept } = theilSen(points);
  const slopePerDay = slope * DAY;
  const fitted = intercept + slope * last.at;
  // Towards the target: up for a target above the fitted value, down for one below it.
  const gap = target.value - fitted;
  const isApproaching = slope !== 0 && Math.sign(slope) === Math.sign(gap);
  if (!isApproaching && gap !== 0) return { state: 'off-track', points: points.length, slopePerDay };
  const reach = slope === 0 ? last.at : Math.max(last.at, (target.value - intercept) / slope);
  // Beyond what a date can say (a nearly flat line): it is not reached in any useful time.
  if (!Number.isFinite(reach) || reach > MAX_DATE_MS)
    return { state: 'off-track', points: points.length, slopePerDay };
  const expected = localDate(tz, reach);
  return {
    state: expected > due ? 'off-track' : 'on-track',
    points: points.length,
    expected,
    slopePerDay,
  };
}
