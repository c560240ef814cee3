/**
 * The supplier register and the log of vendor remote-access sessions: generic CSV layouts (there is no
 * vendor standard), documented in docs/presets.md and in the registers note of issue 22.
 *
 * Decision: the remote-access KPI of the seed catalogue ("% of vendor remote access sessions with
 * pre-approval, time limits and session logging") is about sessions, which a register row cannot tell
 * (a supplier with an approved access process may still open an unapproved session). So the sessions
 * have their own small layout, `remote-access-sessions` (session, supplier, user, started, ended,
 * approved_by, ticket, recorded), as a jump host or PAM tool's session list reduced to these columns
 * gives it; the register keeps the supplier-level flags (`remote_access`, `remote_access_approval`).
 */
import {
  columnsOf,
  criticality,
  day,
  flag,
  REGISTER_DATETIMES,
  REGISTER_FALSE,
  REGISTER_NULLS,
  REGISTER_TRUE,
} from './register-reading.js';
import type { Preset, PresetField } from './types.js';

const SUPPLIER_FIELDS: Record<string, PresetField> = {
  supplier: {
    column: ['supplier', 'supplier_name', 'vendor'],
    required: true,
    description: 'The supplier’s name, as contracts name it',
  },
  criticality: criticality(['criticality', 'supplier_criticality', 'tier']),
  services: { column: ['services', 'service', 'scope'], description: 'What the supplier provides' },
  owner: {
    column: ['owner', 'relationship_owner', 'supplier_owner'],
    personal: true,
    description: 'Who manages the relationship',
  },
  last_assessment: day(
    ['last_assessment', 'last_assessed', 'assessment_date'],
    'Date of the last security assessment',
  ),
  next_assessment: day(
    ['next_assessment', 'next_assessment_due', 'reassessment_due'],
    'When the next one is due',
  ),
  security_clauses: flag(
    ['security_clauses', 'contract_security_clauses'],
    'The contract has information security clauses (A.5.20)',
  ),
  dpa: flag(['dpa', 'data_processing_agreement'], 'A data processing agreement is signed (GDPR art. 28)'),
  remote_access: flag(
    ['remote_access', 'has_remote_access'],
    'The supplier has remote access to ACME systems',
  ),
  remote_access_approval: flag(
    ['remote_access_approval', 'remote_access_approved'],
    'Its remote access runs through the approved process (per-session approval, time limit, recording)',
  ),
};

export const supplierRegister: Preset = {
  name: 'supplier-register',
  title: 'Supplier register (generic CSV)',
  notes: [
    'A register the ISMS or purchasing team keeps: one row per supplier, one file per review (e.g. `supplier-register-{quarter}.csv`, `kind: snapshot`, `as_of: period_end`), so each quarter reads the register as it stood then.',
    'Flags are `yes`/`no` (also `y`/`n`, `true`/`false`, `1`/`0`, `x`, `ja`/`nein`); `n/a`, `-` and an empty cell are no value, so a flag that does not apply is neither yes nor no.',
    'Dates are `2026-09-30` or `30.09.2026`. `criticality` must be critical, high, medium or low (any letter case): another scale (A/B/C) needs `criticality: { type: enum, values: [A, B, C] }` in the source.',
    '`age(last_assessment) <= 365` is "assessed within a year of the period end"; an empty `last_assessment` (never assessed) is no value, which such a condition does not count.',
  ],
  formats: {
    csv: {
      kind: 'snapshot',
      key: 'supplier',
      null_tokens: REGISTER_NULLS,
      true_values: REGISTER_TRUE,
      false_values: REGISTER_FALSE,
      fields: SUPPLIER_FIELDS,
      signature: {
        required: [
          ['supplier', 'supplier_name', 'vendor'],
          ['criticality', 'supplier_criticality', 'tier'],
          ['last_assessment', 'last_assessed', 'assessment_date'],
          ['security_clauses', 'contract_security_clauses'],
        ],
        optional: columnsOf(SUPPLIER_FIELDS),
      },
    },
  },
};

const SESSION_FIELDS: Record<string, PresetField> = {
  session: {
    column: ['session', 'session_id'],
    required: true,
    description: 'Session id of the jump host or PAM tool',
  },
  supplier: {
    column: ['supplier', 'vendor'],
    required: true,
    description: 'The supplier, as the supplier register names it',
  },
  user: { column: ['user', 'account'], personal: true, description: 'The supplier’s account that connected' },
  target: { column: ['target', 'system', 'asset'], description: 'The system reached (optional column)' },
  started: {
    column: ['started', 'start', 'started_at'],
    type: 'datetime',
    format: REGISTER_DATETIMES,
    required: true,
    description: 'Start of the session',
  },
  ended: {
    column: ['ended', 'end', 'ended_at'],
    type: 'datetime',
    format: REGISTER_DATETIMES,
    description: 'End of the session; empty while it is open (or was never closed)',
  },
  approved_by: {
    column: ['approved_by', 'approver'],
    personal: true,
    description: 'Who approved the session beforehand; empty: not approved',
  },
  ticket: {
    column: ['ticket', 'change', 'request'],
    description: 'The ticket or change the session was approved for',
  },
  recorded: flag(['recorded', 'session_recorded', 'logged'], 'The session was recorded or logged'),
};

export const remoteAccessSessions: Preset = {
  name: 'remote-access-sessions',
  title: 'Vendor remote-access sessions (generic CSV)',
  notes: [
    'One row per session of a supplier on a jump host, VPN or PAM tool, reduced to `session, supplier, user, started, ended, approved_by, ticket, recorded` (an optional `target` names the system). An event source: each session belongs to the period it started in.',
    "Times are `2026-07-14 09:30` (or with seconds, or `14.07.2026 09:30`) in the source's or catalogue's time zone, or ISO 8601 with an offset. A session that was never closed has an empty `ended`: `hours(started, ended)` is then no value, and a KPI that asks for a time limit does not count it as within.",
    '`approved_by` empty means no approval was recorded; `recorded` is yes/no like the register flags.',
  ],
  formats: {
    csv: {
      kind: 'events',
      time_field: 'started',
      key: 'session',
      null_tokens: REGISTER_NULLS,
      true_values: REGISTER_TRUE,
      false_values: REGISTER_FALSE,
      fields: SESSION_FIELDS,
      signature: {
        required: [
          ['session', 'session_id'],
          ['supplier', 'vendor'],
          ['started', 'start', 'started_at'],
          ['approved_by', 'approver'],
          ['recorded', 'session_recorded', 'logged'],
        ],
        optional: columnsOf(SESSION_FIELDS),
      },
    },
  },
};
