/**
 * The audit findings / CAPA register: a generic CSV layout (the lead's shared decisions for issues 20
 * and 22), also what `isms-kpi review --audits FILE` reads.
 */
import type { Preset } from './types.js';

const DATES = ['yyyy-MM-dd'];

export const auditFindings: Preset = {
  name: 'audit-findings',
  title: 'Audit findings and corrective actions register (generic CSV)',
  notes: [
    'One row per finding of an internal or external audit: `id, audit, reference, finding, severity, status, opened, due, closed, root_cause, action`. `reference` is a clause (`9.2`) or an Annex A control (`A.5.15`); `action` is the id of the corrective action in the actions file, if there is one.',
    '`severity` must be major, minor, observation or opportunity; `status` open, in progress or closed (any letter case). Dates are written `yyyy-MM-dd`.',
    'Rows are placed in a period by `due`, so "closed on time" is counted over the findings due in the period; a finding without a due date is a rejected row. Write `time_field: opened` next to the preset to count the findings raised in the period instead.',
    'The same file is what `isms-kpi review --audits FILE` lists in the management review document.',
  ],
  formats: {
    csv: {
      kind: 'events',
      time_field: 'due',
      key: 'id',
      fields: {
        id: { column: ['id', 'finding_id'], required: true, description: 'Finding id' },
        audit: { column: 'audit', description: 'The audit that raised it (e.g. "Internal audit 2026-Q2")' },
        reference: {
          column: ['reference', 'clause', 'control'],
          description: 'Clause (9.2) or control (A.5.15)',
        },
        finding: { column: 'finding', required: true, description: 'The finding in words' },
        severity: {
          column: 'severity',
          type: 'enum',
          values: ['major', 'minor', 'observation', 'opportunity'],
          required: true,
        },
        status: { column: 'status', type: 'enum', values: ['open', 'in progress', 'closed'], required: true },
        opened: { column: 'opened', type: 'datetime', format: DATES },
        due: { column: 'due', type: 'datetime', format: DATES, description: 'When it must be closed' },
        closed: { column: 'closed', type: 'datetime', format: DATES, description: 'When it was closed' },
        root_cause: { column: 'root_cause' },
        action: { column: 'action', description: 'Id of the corrective action in the actions file' },
      },
      signature: {
        required: [['id', 'finding_id'], 'finding', 'severity', ['reference', 'clause', 'control'], 'due'],
        optional: ['audit', 'status', 'opened', 'closed', 'root_cause', 'action', 'finding_id'],
      },
    },
  },
};
