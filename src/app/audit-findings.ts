/**
 * The audit findings register as `isms-kpi review --audits FILE` reads it: the CSV layout of the
 * `audit-findings` preset (docs/presets.md), a header naming the columns (any order, names ignoring case,
 * other columns ignored; `clause` or `control` may stand for `reference`, `finding_id` for `id`). Each
 * bad row is a problem at its file and line: a missing id or finding, an unknown severity or status, a
 * date that is not yyyy-MM-dd, an id used twice.
 */
import { isCalendarDate } from '../catalogue/schema.js';
import type { AuditFindingRow } from '../diff/review.js';
import { IsmsKpiError, type Problem, problem } from '../problems.js';
import { type RegisterLayout, readRegisterCsv } from '../sources/register-csv.js';
import { listOf, quote } from '../text.js';

const SEVERITIES = ['major', 'minor', 'observation', 'opportunity'] as const;
const STATUSES = ['open', 'in progress', 'closed'] as const;
const COLUMNS: Record<keyof Omit<AuditFindingRow, 'line'>, readonly string[]> = {
  id: ['id', 'finding_id'],
  audit: ['audit'],
  reference: ['reference', 'clause', 'control'],
  finding: ['finding'],
  severity: ['severity'],
  status: ['status'],
  opened: ['opened'],
  due: ['due'],
  closed: ['closed'],
  root_cause: ['root_cause'],
  action: ['action'],
};
const REQUIRED = ['id', 'finding', 'severity', 'status'] as const;
const DATES = ['opened', 'due', 'closed'] as const;

const LAYOUT: RegisterLayout<keyof typeof COLUMNS> = {
  columns: COLUMNS,
  required: REQUIRED,
  missing: (fields) =>
    `audit findings: no column ${listOf(fields)} in the header (the layout: id, audit, reference, finding, severity, status, opened, due, closed, root_cause, action)`,
};

/** The findings of a register's text; throws an IsmsKpiError with every located problem. */
export function parseAuditFindings(text: string, file: string): AuditFindingRow[] {
  const problems: Problem[] = [];
  const rows: AuditFindingRow[] = [];
  const seen = new Map<string, number>();
  problems.push(
    ...readRegisterCsv(text, file, LAYOUT, ({ cell, line }) => {
      const bad = (column: string, message: string) =>
        problems.push(problem('bad-value', message, { file, line, column }));
      const id = cell('id');
      const row = { line } as AuditFindingRow;
      for (const field of Object.keys(COLUMNS) as (keyof typeof COLUMNS)[])
        (row as unknown as Record<string, string>)[field] = cell(field);
      row.severity = row.severity.toLowerCase() as AuditFindingRow['severity'];
      row.status = row.status.toLowerCase() as AuditFindingRow['status'];
      const before = problems.length;
      for (const field of REQUIRED) if (cell(field) === '') bad(field, `${field} is empty`);
      if (row.severity && !(SEVERITIES as readonly string[]).includes(row.severity))
        bad('severity', `severity ${quote(cell('severity'))}: write one of ${SEVERITIES.join(', ')}`);
      if (row.status && !(STATUSES as readonly string[]).includes(row.status))
        bad('status', `status ${quote(cell('status'))}: write one of ${STATUSES.join(', ')}`);
      for (const field of DATES) {
        const value = cell(field);
        if (value !== '' && !isCalendarDate(value))
          bad(field, `${field} ${quote(value)} is not a date written yyyy-MM-dd (like 2026-09-30)`);
      }
      const earlier = id === '' ? undefined : seen.get(id);
      if (earlier !== undefined) bad('id', `${id} is listed twice (first on line ${earlier})`);
      if (problems.length > before) return;
      seen.set(id, line);
      rows.push(row);
    }),
  );
  if (problems.length > 0) throw new IsmsKpiError(problems);
  return rows;
}
