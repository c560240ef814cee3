/**
 * The Statement of Applicability as a source: the same file `isms-kpi audit-catalogue --soa` reads
 * (src/app/soa.ts), one row per ISO/IEC 27001:2022 Annex A control. One model of the SoA: the columns,
 * the yes/no words and the implementation statuses are defined here once, and both readers use them
 * (the audit's reader adds its checks: Annex A ids, each control once).
 *
 * Layout (docs/presets.md): `control, applicable, justification` required by the audit, then the optional
 * `status, owner, last_verified` (status: implemented | partially implemented | planned | not implemented,
 * empty for a control that is not applicable; last_verified a date yyyy-MM-dd).
 */
import type { Preset } from './types.js';

/** The columns every SoA has (the audit needs them). */
export const SOA_COLUMNS = ['control', 'applicable', 'justification'] as const;
/** The implementation columns (issue 22); optional for both readers. */
export const SOA_STATUS_COLUMNS = ['status', 'owner', 'last_verified'] as const;
/** `applicable` as written (compared ignoring case). */
export const SOA_YES = ['yes', 'y', 'true'] as const;
export const SOA_NO = ['no', 'n', 'false'] as const;
/** The implementation statuses, as stored (a cell matches ignoring case). */
export const SOA_STATUSES = ['implemented', 'partially implemented', 'planned', 'not implemented'] as const;
/** The date format of `last_verified`. */
export const SOA_DATE = 'yyyy-MM-dd';

export const soa: Preset = {
  name: 'soa',
  title: 'Statement of Applicability with implementation status (CSV)',
  notes: [
    'The file `isms-kpi audit-catalogue --soa` reads: `control, applicable, justification`, and optionally `status, owner, last_verified`. One row per Annex A control (A.5.1 ... A.8.34).',
    '`applicable` is yes or no (also y/n, true/false). `status` is implemented, partially implemented, planned or not implemented, in any letter case, and empty for a control that is not applicable; `last_verified` is the date the control was last checked (yyyy-MM-dd).',
    'A snapshot of the programme: say when it was last updated with `as_of:` (or keep one copy per period, `soa-{period}.csv`). `audit-catalogue --soa` checks the control ids and that each control is listed once; as a source, a row with a bad `applicable`, `status` or date is rejected with its line.',
  ],
  formats: {
    csv: {
      kind: 'snapshot',
      key: 'control',
      true_values: [...SOA_YES],
      false_values: [...SOA_NO],
      fields: {
        control: { column: 'control', required: true, description: 'Annex A control id (A.5.15)' },
        applicable: { column: 'applicable', type: 'boolean', required: true },
        justification: { column: 'justification', type: 'string' },
        status: {
          column: 'status',
          type: 'enum',
          values: [...SOA_STATUSES],
          description: 'Implementation status; empty when not applicable',
        },
        owner: { column: 'owner', type: 'string', personal: true },
        last_verified: { column: 'last_verified', type: 'datetime', format: SOA_DATE },
      },
      signature: {
        required: ['control', 'applicable'],
        optional: [...SOA_COLUMNS, ...SOA_STATUS_COLUMNS],
      },
    },
  },
};
