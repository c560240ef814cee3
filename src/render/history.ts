/**
 * Trend points from earlier saved JSON reports (read by src/app/saved-reports.ts), for the HTML
 * sparklines. A point is taken only from a report whose KPI has the same definition hash: a changed
 * formula or threshold measures something else, so its old values would mislead.
 */
import type { Report } from '../report/model.js';
import type { TrendPoint } from './sparkline.js';

export type History = ReadonlyMap<string, readonly TrendPoint[]>;

/** The parts of a saved report the history reads. */
export interface SavedReport {
  period: { label: string; start: string };
  kpis: readonly { id: string; value: number | null; definitionHash: string }[];
}

/** Earlier periods in time order, then the current one; periods at or after the current one are ignored. */
export function buildHistory(saved: readonly SavedReport[], current: Report): History {
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
