/**
 * The saved reports of earlier periods (--history) in the current report, for `report`, `actions` and
 * `review` alike.
 */
import type { Catalogue } from '../catalogue/compile.js';
import { compareValues } from '../engine/evaluate.js';
import { forecastPoints, objectiveResults } from '../engine/objectives.js';
import { buildHistory, type History } from '../render/history.js';
import type { Report } from '../report/model.js';
import { DEFAULT_ESCALATE_AFTER, persistenceOf } from '../report/persistence.js';

/**
 * The saved reports of earlier periods (--history) in a report: each KPI's earlier values (`history`),
 * trend arrows from them, and each objective's forecast. The history of the HTML's trend lines, if any.
 */
export function withHistory(
  report: Report,
  saved: readonly Report[],
  catalogue: Catalogue,
): History | undefined {
  const history = saved.length > 0 ? buildHistory(saved, report) : undefined;
  if (history) addHistory(report, history);
  addPersistence(report, saved, catalogue);
  // With --history, each objective's KPIs get a forecast (src/engine/forecast.ts).
  if (saved.length > 0 && report.objectives)
    report.objectives = objectiveResults(
      catalogue.objectives,
      report.kpis,
      report.period.timezone,
      forecastPoints(saved, report),
    );
  return history;
}

/**
 * Puts the earlier periods' values into the report (`history` in the JSON) and, where a KPI has no trend
 * from its own period, takes the arrow from the last earlier value: a saved report of an earlier period is
 * a complete period (incomplete ones are not read as history), so it replaces a previous period the
 * exports do not cover (`partial`). A period that has not ended gets no arrow at all.
 */
function addHistory(report: Report, history: History): void {
  for (const kpi of report.kpis) {
    const points = history.get(kpi.id);
    if (!points) continue;
    const earlier = points.slice(0, -1);
    kpi.history = earlier.map((p) => ({ period: p.label, value: p.value }));
    const last = [...earlier].reverse().find((p) => p.value !== null);
    if (report.period.complete === false || kpi.trend !== null || !last || kpi.value === null) continue;
    kpi.trend = compareValues(last.value!, kpi.value);
    delete kpi.trendNote;
  }
}

/**
 * Flags the KPIs red or amber for `escalate_after` consecutive periods of the --history reports and this
 * one (src/report/persistence.ts); nothing for a period that has not ended.
 */
export function addPersistence(report: Report, saved: readonly Report[], catalogue: Catalogue): void {
  if (report.period.complete === false) return;
  const byId = new Map(catalogue.kpis.map((k) => [k.config.id, k.config]));
  const earlier = saved.flatMap((r) => r.kpis.map((kpi) => ({ period: r.period, kpi })));
  for (const kpi of report.kpis) {
    const after = byId.get(kpi.id)?.escalate_after ?? catalogue.escalateAfter ?? DEFAULT_ESCALATE_AFTER;
    const persistent = persistenceOf({ period: report.period, kpi }, earlier, after);
    if (persistent) kpi.persistent = persistent;
  }
}
