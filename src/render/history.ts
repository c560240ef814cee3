/**
 * Trend points from earlier saved JSON reports (`report --history FILE`), for the HTML sparklines. A point
 * is taken only from a report whose KPI has the same definition hash: a changed formula or threshold
 * measures something else, so its old values would mislead.
 */
import type { Report } from '../report/model.js';
import type { TrendPoint } from './sparkline.js';

export type History = ReadonlyMap<string, readonly TrendPoint[]>;

interface SavedKpi {
  id: string;
  value: number | null;
  definitionHash: string;
}

export interface SavedReport {
  period: { label: string; start: string };
  kpis: SavedKpi[];
}

/** Checks the parts of a saved report the history needs; returns a message when it is not one. */
export function asSavedReport(data: unknown, schemaVersion: number): SavedReport | string {
  const d = data as Partial<Report> | null;
  if (typeof d !== 'object' || d === null || !Array.isArray(d.kpis) || typeof d.period !== 'object')
    return 'not a JSON report written by isms-kpi report --format json';
  if (d.schemaVersion !== schemaVersion)
    return `report schemaVersion ${String(d.schemaVersion)} is not ${schemaVersion}`;
  if (typeof d.period?.label !== 'string' || typeof d.period.start !== 'string')
    return 'the report has no period label and start';
  for (const k of d.kpis as unknown[]) {
    const kpi = k as Partial<SavedKpi> | null;
    if (
      typeof kpi !== 'object' ||
      kpi === null ||
      typeof kpi.id !== 'string' ||
      typeof kpi.definitionHash !== 'string' ||
      !(kpi.value === null || typeof kpi.value === 'number')
    )
      return 'a KPI of the report lacks id, value or definitionHash';
  }
  return { period: { label: d.period.label, start: d.period.start }, kpis: d.kpis as SavedKpi[] };
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
