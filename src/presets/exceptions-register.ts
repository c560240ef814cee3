/**
 * An exceptions (waiver) register as a CSV file: the fields of the catalogue's `exceptions:` block
 * (kpi, segment, reason, approver, risk, expires; src/catalogue/schema.ts ExceptionSchema) plus what a
 * register keeps about every exception, whether or not a KPI is concerned: id, control, system, approved.
 * One model: a row of this file and an entry of the block mean the same thing with the same names
 * (tests/presets/exceptions-register.test.ts checks that every key of the block is a field here).
 *
 * The same file can be the catalogue's exceptions: `exceptions: { file: exceptions-register.csv }` reads
 * the rows that name a KPI as the block's entries, with these fields (src/app/exceptions-file.ts).
 */
import { csvColumnsOf } from './columns.js';
import type { Preset, PresetField } from './types.js';

const ISO_DATES = ['yyyy-MM-dd', 'dd.MM.yyyy'];
const ID = ['id', 'exception_id', 'exception id', 'waiver_id'];
const APPROVER = ['approver', 'approved_by'];
const EXPIRES = ['expires', 'expiry', 'expiry_date', 'valid_until'];

/** The register's fields (also read by `exceptions: { file }` in a catalogue, src/app/exceptions-file.ts). */
export const EXCEPTION_FIELDS: Record<string, PresetField> = {
  id: { column: ID, required: true, description: 'The exception’s identifier (EXC-012)' },
  kpi: {
    column: ['kpi', 'kpi_id'],
    type: 'string',
    description: 'The KPI it accepts a deviation of, if any',
  },
  segment: { column: ['segment'], type: 'string' },
  control: {
    column: ['control', 'annex_a_control'],
    type: 'string',
    description: 'Annex A control id',
  },
  system: { column: ['system', 'asset', 'scope'], type: 'string' },
  reason: { column: ['reason', 'justification'], type: 'string' },
  approver: { column: APPROVER, type: 'string', personal: true },
  risk: {
    column: ['risk', 'risk_id'],
    type: 'string',
    description: 'Reference into the risk register',
  },
  approved: {
    column: ['approved', 'approved_on', 'approval_date'],
    type: 'datetime',
    format: ISO_DATES,
  },
  expires: {
    column: EXPIRES,
    type: 'datetime',
    format: ISO_DATES,
    description: 'Last day the exception is valid (inclusive)',
  },
};

export const exceptionsRegister: Preset = {
  name: 'exceptions-register',
  title: 'Exceptions register (generic CSV)',
  notes: [
    'Columns: `id, kpi, control, system, reason, approver, risk, approved, expires` (and `segment`): the fields of the catalogue’s `exceptions:` block (docs/catalogue.md, "Exceptions") plus the register’s own id, the Annex A control and the system the exception is for, and the day it was approved.',
    '`expires` is the last day the exception is valid (inclusive, yyyy-MM-dd, as in the block): at the end of a period an exception has expired when `expires` is before the period’s last day, `age(expires) > 1`. An exception without `expires` has no value there: count those with `expires == null`.',
    'The same file can be the catalogue’s exceptions: `exceptions: { file: exceptions-register.csv }` reads its rows that name a KPI as the entries of the `exceptions:` list (docs/catalogue.md, "Exceptions").',
    'A snapshot: the register as it stands. Say when it was taken with `as_of:`, or keep one file per period (`exceptions-register-{period}.csv`).',
  ],
  formats: {
    csv: {
      kind: 'snapshot',
      key: 'id',
      null_tokens: ['', '-', 'n/a', 'N/A', 'none'],
      fields: EXCEPTION_FIELDS,
      signature: {
        required: [ID, APPROVER, EXPIRES],
        optional: csvColumnsOf(EXCEPTION_FIELDS),
      },
    },
  },
};
