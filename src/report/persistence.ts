/**
 * Persistence (issue 20): a KPI red or amber for N consecutive periods, this one included, is flagged
 * `persistent` in the report, so that a management review sees what has not been fixed for a while (the
 * seeds' "two consecutive months"). N is the KPI's `escalate_after`, else the catalogue's, else 2.
 *
 * Decisions:
 * - The earlier periods are the saved reports given with --history. Only a report whose KPI has the same
 *   definition hash counts (a changed formula or threshold measures something else), and periods must
 *   follow each other without a gap (one's end is the next one's start): a missing quarter ends the run,
 *   as nothing says what its status was.
 * - Red or amber means the status; a stale, no-data or info period ends the run.
 * - A period that has not ended is not judged (its status may still change).
 */
import type { KpiResult, Status } from './model.js';

/** Consecutive red or amber periods that flag a KPI when neither it nor the catalogue says. */
export const DEFAULT_ESCALATE_AFTER = 2;

/** A KPI's status in one period, from a saved report. */
export interface PeriodStatus {
  period: { label: string; start: string; end: string };
  kpi: Pick<KpiResult, 'id' | 'status' | 'definitionHash'>;
}

export type Persistent = NonNullable<KpiResult['persistent']>;

const FLAGGED = new Set<Status>(['red', 'amber']);

/**
 * The persistence of `current` over `earlier` (any order): the run of red or amber periods ending with
 * the current one, when it is at least `escalateAfter` long; undefined otherwise.
 */
export function persistenceOf(
  current: PeriodStatus,
  earlier: readonly PeriodStatus[],
  escalateAfter: number,
): Persistent | undefined {
  if (!FLAGGED.has(current.kpi.status)) return undefined;
  const byEnd = new Map<string, PeriodStatus>();
  for (const e of earlier)
    if (e.kpi.id === current.kpi.id && e.kpi.definitionHash === current.kpi.definitionHash)
      byEnd.set(e.period.end, e);
  let periods = 1;
  let since = current.period.label;
  let start = current.period.start;
  for (let before = byEnd.get(start); before && FLAGGED.has(before.kpi.status); before = byEnd.get(start)) {
    periods++;
    since = before.period.label;
    start = before.period.start;
  }
  return periods >= escalateAfter ? { periods, since, escalateAfter } : undefined;
}
