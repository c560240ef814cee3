/**
 * The report as the CSV that CISO Assistant's data import reads into a compliance assessment (audit) of
 * its ISO/IEC 27001:2022 framework: one row per Annex A requirement that the report's KPIs name, with
 * the requirement's URN and ref_id from CISO Assistant's own library, the result of the control and an
 * observation that lists its KPIs. docs/report-format.md ("CISO Assistant import") has the mapping.
 *
 * Checked against intuitem/ciso-assistant-community at commit f990d7b1 (v3.20.8 + 21 commits, August
 * 2026), library `iso27001-2022.yaml` version 18:
 * - backend/data_wizard/views.py reads a CSV with pandas (comma separated, UTF-8, a byte order mark is
 *   skipped), lower-cases the headers, and for each row: skips it unless `assessable` is true, finds the
 *   requirement by `ref_id` (else `urn`) in the audit's framework, and writes only the cells that are not
 *   empty: `compliance_result` (the requirement's result), `requirement_progress`, `observations`,
 *   `score`. The columns are those of the framework's Excel template (`excel_template` in
 *   backend/core/views.py), less the ones the import does not read.
 * - The requirement URNs of Annex A are `urn:intuitem:risk:req_node:iso27001-2022:` + the ref_id in lower
 *   case (`a.5.15`); tests/fixtures/ciso-assistant/ holds the excerpt of the library they are checked
 *   against.
 *
 * Decisions:
 * - Result of a control: the worst status of its KPIs (annex-a-results.ts): green: compliant; amber:
 *   partially_compliant; red: non_compliant; stale, no data, or informational KPIs only: not_assessed
 *   (nothing shows whether the control meets its target). A control named only by draft or retired KPIs,
 *   and a control no KPI names, get no row: the import then leaves the requirement as it is (a row would
 *   overwrite a result an auditor set by hand).
 * - requirement_progress and score are not written: they are the auditor's.
 */
import type { Report, Status } from '../report/model.js';
import { type CsvValue, csvDocument } from '../util/csv-writer.js';
import { annexAResults, type ControlResult, controlStatusOf, judgesControls } from './annex-a-results.js';
import { formatValue, STATUS_LABEL } from './format.js';

export const CISO_ASSISTANT_COLUMNS = [
  'urn',
  'assessable',
  'ref_id',
  'name',
  'compliance_result',
  'observations',
] as const;

/** The URN prefix of the requirement nodes of CISO Assistant's ISO/IEC 27001:2022 library. */
export const CISO_ASSISTANT_REQUIREMENT_URN = 'urn:intuitem:risk:req_node:iso27001-2022:';

export type CisoAssistantResult = 'compliant' | 'partially_compliant' | 'non_compliant' | 'not_assessed';

const RESULT: Record<Status, CisoAssistantResult> = {
  green: 'compliant',
  amber: 'partially_compliant',
  red: 'non_compliant',
  stale: 'not_assessed',
  'no-data': 'not_assessed',
  info: 'not_assessed',
};

/** CISO Assistant's result for a control whose KPIs' worst status is `status`. */
export function cisoAssistantResult(status: Status): CisoAssistantResult {
  return RESULT[status];
}

/** The requirement URN of an Annex A control: `A.5.15` -> `urn:intuitem:risk:req_node:iso27001-2022:a.5.15`. */
export function cisoAssistantUrn(id: string): string {
  return `${CISO_ASSISTANT_REQUIREMENT_URN}${id.toLowerCase()}`;
}

function observations(report: Report, control: ControlResult & { status: Status }): string {
  const lines = [
    `isms-kpi ${report.period.label}: ${STATUS_LABEL[control.status]}, the worst status of the KPIs that measure ${control.id} (catalogue sha256 ${report.catalogue.sha256.slice(0, 12)})`,
  ];
  for (const kpi of control.kpis) {
    const status =
      controlStatusOf(kpi) === kpi.status
        ? STATUS_LABEL[kpi.status]
        : `${STATUS_LABEL[kpi.status]}, judged ${STATUS_LABEL[controlStatusOf(kpi)]}`;
    const notes = [
      ...(judgesControls(kpi) ? [] : [`${kpi.lifecycle}, not counted`]),
      ...(kpi.exceptions ?? [])
        .filter((e) => e.state === 'accepted' && e.segment === undefined)
        .map((e) => `exception accepted by ${e.approver} until ${e.expires}${e.risk ? `, ${e.risk}` : ''}`),
    ];
    const noted = notes.length > 0 ? ` [${notes.join('; ')}]` : '';
    lines.push(`- ${kpi.id} ${kpi.name}: ${formatValue(kpi, kpi.value)} (${status}; ${kpi.reason})${noted}`);
  }
  return lines.join('\n');
}

export function renderCisoAssistant(report: Report): string {
  const rows: CsvValue[][] = [[...CISO_ASSISTANT_COLUMNS]];
  for (const control of annexAResults(report)) {
    if (control.status === undefined) continue;
    const judged = { ...control, status: control.status };
    rows.push([
      cisoAssistantUrn(control.id),
      true,
      control.id,
      control.title,
      RESULT[control.status],
      observations(report, judged),
    ]);
  }
  return csvDocument(rows);
}
