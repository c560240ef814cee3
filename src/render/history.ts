/**
 * Trend points from earlier saved JSON reports (`report --history FILE`), for the HTML sparklines. A point
 * is taken only from a report whose KPI has the same definition hash: a changed formula or threshold
 * measures something else, so its old values would mislead.
 */
import type { Report } from '../report/model.js';
import { schemaVersionOf, validateReport } from '../report/read.js';
import type { TrendPoint } from './sparkline.js';

export type History = ReadonlyMap<string, readonly TrendPoint[]>;

/** @deprecated A saved report is a Report (readReport, src/report/read.ts); remove with asSavedReport. */
export type SavedReport = Report;

/**
 * @deprecated Use readReport (src/report/read.ts). Kept only while src/cli/commands.ts (readHistory)
 * calls it; remove with that call. The report, or why the data is not one; the version argument is
 * ignored (readReport refuses other schema versions).
 */
export function asSavedReport(data: unknown, _schemaVersion?: number): Report | string {
  // The old wording for data that is no report at all, which that caller's messages still show.
  if (typeof schemaVersionOf(data) === 'string')
    return 'not a JSON report written by isms-kpi report --format json';
  const result = validateReport(data);
  return result.ok ? result.report : result.problem.message;
}

/** Earlier periods in time order, then the current one; periods at or after the current one are ignored. */
export function buildHistory(saved: readonly Report[], current: Report): History {
  const earlier = saved
    .filter((s) => s.period.start < current.period.start)
    .sort((a, b) => (a.period.start < b.period.start ? -1 : a.period.start > b.period.start ? 1 : 0))
    .filter((s, i, all) => i === 0 || all[i - 1]!.period.start !== s.period.start);
  const history = new Map<string, TrendPoint[]>();
  for (const kpi of current.kpis) {
    const points: TrendPoint[] = [];
    for (const s of earlier) {
      const old = s.kpis.find((k) => k.id === kpi.id && k.definitionHash === kpi.definitionHash);
      if (old) points.push({ label: s.period.label, value: old.value });
    }
    if (points.length > 0)
      history.set(kpi.id, [...points, { label: current.period.label, value: kpi.value }]);
  }
  return history;
}
