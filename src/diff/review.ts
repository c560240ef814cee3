/**
 * The management review input document (ISO/IEC 27001:2022 clause 9.3.2) as data: built from the current
 * report (with the actions' verdicts in it), the saved reports of earlier periods and, optionally, the
 * audit findings register. Rendered by src/render/review.ts (Markdown, HTML). Pure: data in, data out.
 *
 * Decisions (issue 20, docs/management-review.md):
 * - The sections follow 9.3.2: a) actions from previous reviews, b) changes in issues (as the KPIs show
 *   them: new red KPIs, KPIs no longer red), d) performance: 1) nonconformities and corrective actions,
 *   2) monitoring and measurement results, 3) audit results, 4) objectives; g) opportunities for
 *   improvement; then two findings of the tool's own (red KPIs without an open corrective action;
 *   persistent KPIs) and a blank "Decisions" section (9.3.3). Inputs c), e) and f) are not measured by
 *   the tool: the document names them so the meeting brings them.
 * - "Previous" is the saved report of the period just before (same length, ended when this one starts);
 *   a KPI whose definition changed since is "not comparable", never compared.
 * - Significance of a change: changeSignificance at the level given (src/report/significance.ts).
 * - Persistent: the report's `persistent` flag (escalate_after, src/report/persistence.ts).
 */
import { earlierReports } from '../report/effectiveness.js';
import type { ActionVerdict, KpiResult, Report, Status } from '../report/model.js';
import {
  type ChangeSignificance,
  changeSignificance,
  type SignificanceOption,
} from '../report/significance.js';
import { DEFAULT_TOLERANCE, judge, kpiDirection } from '../report/verdict.js';

/** A row of the audit findings register (the `audit-findings` layout; src/app/audit-findings.ts). */
export interface AuditFindingRow {
  id: string;
  audit: string;
  reference: string;
  finding: string;
  severity: 'major' | 'minor' | 'observation' | 'opportunity';
  status: 'open' | 'in progress' | 'closed';
  opened: string;
  due: string;
  closed: string;
  root_cause: string;
  action: string;
  line: number;
}

/** The audit findings register of a review: its file, where it was named, its rows. */
export interface AuditRegister {
  /** The file, as shown to users. */
  file: string;
  /** Where the file was named: `--audits`, or `source audits of metrics.yaml`. */
  via: string;
  rows: AuditFindingRow[];
  /** Rows of the file the source rejected (not listed). */
  rejected?: number;
}

export interface ReviewKpi {
  kpi: KpiResult;
  /** The value of the previous period, when the definition is the same. */
  previous?: { period: string; value: number | null; status: Status };
  /** The previous period's report has the KPI with another definition. */
  notComparable?: boolean;
  /** Of the change from `previous` to now, when both have a value. */
  significance?: ChangeSignificance;
  /** improved / worsened / unchanged by the KPI's direction and diff's tolerance (changed without one). */
  change?: 'improved' | 'worsened' | 'unchanged' | 'changed';
}

export interface ReviewDocument {
  report: Report;
  /** The label of the previous period's saved report, if one was given. */
  previousPeriod?: string;
  /** Absent: no actions file (the document says so). */
  actions?: ActionVerdict[];
  kpis: ReviewKpi[];
  newRed: ReviewKpi[];
  noLongerRed: ReviewKpi[];
  /** Measured before, now without data or stale: not an improvement, and not left out either. */
  nowUnjudged: ReviewKpi[];
  redWithoutAction: ReviewKpi[];
  /** The KPIs the report flags persistent (red or amber for escalate_after periods in a row). */
  persistent: KpiResult[];
  audits?: AuditRegister;
  opportunities: string[];
  significance: SignificanceOption;
}

function reviewKpi(
  kpi: KpiResult,
  previous: Report | undefined,
  significance: SignificanceOption,
): ReviewKpi {
  const old = previous?.kpis.find((k) => k.id === kpi.id);
  if (!old || !previous) return { kpi };
  if (old.definitionHash !== kpi.definitionHash) return { kpi, notComparable: true };
  const line: ReviewKpi = {
    kpi,
    previous: { period: previous.period.label, value: old.value, status: old.status },
  };
  if (old.value === null || kpi.value === null) return line;
  line.significance = changeSignificance(old, kpi, significance);
  const verdict = judge(old.value, kpi.value, kpiDirection(kpi), DEFAULT_TOLERANCE);
  if (verdict !== 'not-comparable') line.change = verdict;
  return line;
}

export function buildReview(input: {
  report: Report;
  history: readonly Report[];
  actions?: readonly ActionVerdict[] | undefined;
  audits?: AuditRegister | undefined;
  significance: SignificanceOption;
}): ReviewDocument {
  const { report, significance } = input;
  const earlier = earlierReports(report, input.history);
  const previous = earlier.at(-1);
  const kpis = report.kpis
    .filter((k) => k.status !== 'info' || k.value !== null)
    .map((k) => reviewKpi(k, previous, significance));
  const newRed = kpis.filter((k) => k.kpi.status === 'red' && k.previous && k.previous.status !== 'red');
  const unjudged = (status: string) => status === 'no-data' || status === 'stale';
  const noLongerRed = kpis.filter(
    (k) => k.previous?.status === 'red' && k.kpi.status !== 'red' && !unjudged(k.kpi.status),
  );
  const nowUnjudged = kpis.filter(
    (k) => unjudged(k.kpi.status) && k.previous !== undefined && !unjudged(k.previous.status),
  );
  // An open action on one segment of a KPI is an action on it.
  const open = new Set((input.actions ?? []).filter((a) => a.status === 'open').map((a) => a.kpi));
  const redWithoutAction = kpis.filter((k) => k.kpi.status === 'red' && !open.has(k.kpi.id));
  // The report's own flag (escalate_after over the --history reports, src/report/persistence.ts).
  const persistent = report.kpis.filter((k) => k.persistent !== undefined);
  const opportunities = [
    ...(input.audits?.rows ?? [])
      .filter((r) => (r.severity === 'opportunity' || r.severity === 'observation') && r.status !== 'closed')
      .map((r) => `${r.id} (${r.severity}, ${r.reference}): ${r.finding}`),
    ...kpis
      .filter(
        (k) => k.change === 'worsened' && k.significance?.significant === true && k.kpi.status !== 'red',
      )
      .map(
        (k) =>
          `${k.kpi.id} ${k.kpi.name}: worsened significantly since ${k.previous!.period}, still ${k.kpi.status}`,
      ),
  ];
  return {
    report,
    ...(previous ? { previousPeriod: previous.period.label } : {}),
    ...(input.actions ? { actions: [...input.actions] } : {}),
    kpis,
    newRed,
    noLongerRed,
    nowUnjudged,
    redWithoutAction,
    persistent,
    ...(input.audits ? { audits: input.audits } : {}),
    opportunities,
    significance,
  };
}
