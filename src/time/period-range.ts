/**
 * A range of periods of one kind, `2025-Q1..2026-Q3` (report --periods): both ends parsed like --period,
 * of the same kind (months, quarters, halves, years or ISO weeks; both calendar or both fiscal), the first
 * not after the last, and at most MAX_PERIODS periods. Enumerated backwards from the last end with
 * previousPeriod, so every period is labelled and bounded exactly as --period would give it.
 */
import { quote } from '../text.js';
import { type Period, type PeriodOptions, parsePeriod, previousPeriod } from './period.js';

/** Periods one --periods range may hold (ten years of months). */
export const MAX_PERIODS = 120;

const EXAMPLE = 'e.g. 2025-Q1..2026-Q3';

type RangeResult = { ok: true; periods: Period[] } | { ok: false; message: string };

export function periodRange(text: string, options: PeriodOptions): RangeResult {
  const parts = text.split('..');
  if (parts.length !== 2 || parts.some((p) => p.trim() === ''))
    return { ok: false, message: `${quote(text)} is not a range FIRST..LAST, ${EXAMPLE}` };
  const [firstText, lastText] = parts as [string, string];
  const first = parsePeriod(firstText, options);
  if (!first.ok) return { ok: false, message: `first period: ${first.message}` };
  const last = parsePeriod(lastText, options);
  if (!last.ok) return { ok: false, message: `last period: ${last.message}` };
  const isFiscal = (p: Period) => p.label.startsWith('FY');
  if (first.period.kind !== last.period.kind || isFiscal(first.period) !== isFiscal(last.period))
    return {
      ok: false,
      message: `${first.period.label} and ${last.period.label} are periods of different kinds; give both ends as the same unit, ${EXAMPLE}`,
    };
  if (first.period.start > last.period.start)
    return { ok: false, message: `${first.period.label} is after ${last.period.label}` };
  const periods: Period[] = [last.period];
  let current = last.period;
  while (current.start > first.period.start) {
    if (periods.length === MAX_PERIODS)
      return {
        ok: false,
        message: `${first.period.label}..${last.period.label} holds more than ${MAX_PERIODS} periods; split it into shorter ranges`,
      };
    current = previousPeriod(current, options);
    periods.push(current);
  }
  return { ok: true, periods: periods.reverse() };
}
