import type { Preset } from './types.js';

const PERSON_COLUMNS = [
  'upn',
  'email',
  'user_principal_name',
  'userPrincipalName',
  'mail',
  'work_email',
  'login',
  'username',
];
const EMPLOYEE_ID_COLUMNS = [
  'employee_id',
  'employee_number',
  'employeeId',
  'employeeNumber',
  'personnel_number',
  'staff_id',
  'emp_id',
];
const EVENT_COLUMNS = ['event', 'event_type', 'jml', 'change_type', 'action', 'type'];
const EFFECTIVE_COLUMNS = [
  'effective_date',
  'effective',
  'event_date',
  'termination_date',
  'leaving_date',
  'last_working_day',
  'start_date',
  'hire_date',
  'date',
];
const REVOKED_COLUMNS = [
  'access_revoked_at',
  'access_revoked',
  'access_removed_at',
  'account_disabled_at',
  'disabled_at',
  'deprovisioned_at',
];
const DEPARTMENT_COLUMNS = ['department', 'dept', 'org_unit'];
const MANAGER_COLUMNS = ['manager', 'manager_upn', 'manager_email', 'line_manager'];
const NAME_COLUMNS = ['name', 'display_name', 'full_name', 'employee_name'];

/** ISO 8601 (2026-07-01, 2026-07-01 09:30) is always accepted as well. */
const HR_DATES = ['dd.MM.yyyy', 'dd.MM.yyyy HH:mm', 'dd.MM.yyyy HH:mm:ss', 'yyyy-MM-dd'];

export const hrJoinersLeavers: Preset = {
  name: 'hr-joiners-leavers',
  title: 'HR joiners / movers / leavers list (generic CSV)',
  notes: [
    'There is no vendor standard: each field accepts the usual column names (`upn` or `email`, `effective_date` or `termination_date`, `access_revoked_at` or `account_disabled_at`, ...), and the first one present is used. A leavers-only file (`employee_id,upn,termination_date`) works; its `event` is empty.',
    '`event` must be joiner, mover or leaver, in any letter case. Other words (Starter, Transfer, Termination) are reported as invalid rows: rename them in the file, or declare `event: { type: string }` and compare the words in the KPI.',
    'Dates may be `2026-07-01` or `01.07.2026`, with or without a time (`30.06.2026 17:45`), read in the catalogue time zone. A European Excel re-save with `;` between columns is detected automatically.',
    'A file with separate start and leaving date columns on the same row needs `effective` pointed at the right column. An old Excel "CSV (semicolon)" save in ANSI needs `csv: { encoding: windows-1252 }`.',
  ],
  formats: {
    csv: {
      kind: 'events',
      time_field: 'effective',
      key: ['person', 'effective'],
      record_type: 'jml_event',
      null_tokens: ['', '-', 'N/A', 'n/a', 'NA', 'null', 'NULL', 'none', 'None'],
      fields: {
        person: {
          column: PERSON_COLUMNS,
          required: true,
          description: 'The person’s login (UPN or work email)',
          personal: true,
        },
        employee_id: { column: EMPLOYEE_ID_COLUMNS, type: 'string', personal: true },
        name: { column: NAME_COLUMNS, type: 'string', personal: true },
        event: { column: EVENT_COLUMNS, type: 'enum', values: ['joiner', 'mover', 'leaver'] },
        effective: {
          column: EFFECTIVE_COLUMNS,
          type: 'datetime',
          required: true,
          format: HR_DATES,
          description: 'Start date for joiners and movers, last working day for leavers',
        },
        access_revoked: {
          column: REVOKED_COLUMNS,
          type: 'datetime',
          format: HR_DATES,
          description: 'When the accounts were disabled (leavers)',
        },
        department: { column: DEPARTMENT_COLUMNS, type: 'string' },
        manager: { column: MANAGER_COLUMNS, type: 'string', personal: true },
      },
      signature: {
        required: [EMPLOYEE_ID_COLUMNS, PERSON_COLUMNS, EVENT_COLUMNS, EFFECTIVE_COLUMNS],
        optional: [
          ...PERSON_COLUMNS,
          ...EMPLOYEE_ID_COLUMNS,
          ...EVENT_COLUMNS,
          ...EFFECTIVE_COLUMNS,
          ...REVOKED_COLUMNS,
          ...DEPARTMENT_COLUMNS,
          ...MANAGER_COLUMNS,
          ...NAME_COLUMNS,
        ],
      },
    },
  },
};
