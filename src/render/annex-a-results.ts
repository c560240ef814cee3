/**
 * The ISO/IEC 27001:2022 Annex A controls that a report's KPIs name, each with the worst status of its
 * KPIs: what the OSCAL findings (oscal.ts) and the CISO Assistant import (ciso-assistant.ts) say per
 * control. Both exports use this one judgement, so they can never disagree about a control.
 *
 * Decisions (docs/report-format.md, "OSCAL assessment results" and "CISO Assistant import"):
 * - Only references without a namespace that are Annex A 2022 controls (`A.5.15`) count; `nist-csf:...`
 *   and other frameworks' references are left out of both exports.
 * - A draft KPI (being trialled, its thresholds not agreed) and a retired one do not judge a control, as
 *   they do not fail --fail-on; they are still listed with the control. A control named only by such KPIs
 *   has no status (`undefined`).
 * - A stale KPI counts with its judgement when that is red or amber (staleness never hides a red, as in
 *   failsRun); a stale green is not current evidence and counts as `stale`.
 * - The worst status is the first in STATUS_ORDER (red, amber, stale, no-data, green, info): a control
 *   with a green KPI and a KPI without data is `no-data`, never green; an informational KPI (no
 *   thresholds) judges nothing, so green + info is green and info alone is `info`.
 */
import { ANNEX_A_2022, controlRef } from '../catalogue/annex-a.js';
import { type KpiResult, type Report, STATUS_ORDER, type Status } from '../report/model.js';

export interface ControlResult {
  /** As in the catalogue and the standard: `A.5.15`. */
  id: string;
  title: string;
  /** Every reported KPI that names the control, in report order. */
  kpis: KpiResult[];
  /** The worst status of the KPIs that judge it; undefined when only draft or retired KPIs name it. */
  status: Status | undefined;
}

/** Whether a KPI judges the controls it names (not a draft or retired one). */
export function judgesControls(kpi: KpiResult): boolean {
  return kpi.lifecycle !== 'draft' && kpi.lifecycle !== 'retired';
}

/** The status a KPI gives its controls. */
export function controlStatusOf(kpi: KpiResult): Status {
  if (kpi.status === 'stale' && (kpi.judgement === 'red' || kpi.judgement === 'amber')) return kpi.judgement;
  return kpi.status;
}

/** The Annex A 2022 ids a KPI names (without namespace), in the catalogue's order, once each. */
export function annexAIds(kpi: KpiResult): string[] {
  const known = new Set(ANNEX_A_2022.map((c) => c.id));
  const ids = kpi.controls.map((text) => controlRef(text)).filter((r) => r.namespace === undefined);
  return [...new Set(ids.map((r) => r.id).filter((id) => known.has(id)))];
}

/** The Annex A controls the report's KPIs name, in the standard's order. */
export function annexAResults(report: Report): ControlResult[] {
  const byControl = new Map<string, KpiResult[]>();
  for (const kpi of report.kpis)
    for (const id of annexAIds(kpi)) byControl.set(id, [...(byControl.get(id) ?? []), kpi]);
  const out: ControlResult[] = [];
  for (const control of ANNEX_A_2022) {
    const kpis = byControl.get(control.id);
    if (!kpis) continue;
    const statuses = kpis.filter(judgesControls).map(controlStatusOf);
    const worst = STATUS_ORDER.find((s) => statuses.includes(s));
    out.push({ id: control.id, title: control.title, kpis, status: worst });
  }
  return out;
}
