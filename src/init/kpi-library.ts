/**
 * The built-in KPI library `isms-kpi init --from DIR` draws on: ISO 27001 KPIs written against the
 * canonical field names of the presets (docs/presets.md), so they work on any export a preset reads.
 *
 * A template has variants, tried in order; a variant fits a source when the source's preset maps every
 * field the variant reads with a compatible type (and, for enum fields, the values the formula compares
 * with). A formula is built for one source by a function of a {@link FormulaContext}, which writes
 * comparisons in the spelling of the preset's enum (`severity == "Critical"`) or case-insensitively for
 * a text field (`lower(type) == "emergency"`), so the same template serves a CSV export with display
 * values and a JSON export with raw ones.
 */

import type { PresetField, PresetVariant } from '../presets/types.js';
import type { RecordType } from '../sources/schema.js';
import type { Cadence } from '../time/period.js';
import { PEOPLE_KPIS } from './kpi-library-people.js';

/** What a formula needs of a field: a kind of type, and for text the values it compares with. */
export type FieldNeed =
  | 'text'
  | 'number'
  | 'datetime'
  | 'boolean'
  | 'duration'
  | 'list'
  | { text: readonly string[] };

export interface FormulaContext {
  /** The source's name in the catalogue. */
  s: string;
  /** `field == "Value"` with the enum's spelling, or `lower(field) == "value"` for a text field. */
  is(field: string, value: string): string;
  /** `field in ["A", "B"]` in the same way. */
  isAny(field: string, values: readonly string[]): string;
  /** Whether the source has the field with a compatible type (for optional parts of a formula). */
  has(field: string, need?: FieldNeed): boolean;
  /**
   * The condition argument of an aggregate: `, a and b` with the source's scope (Jira: issues of type
   * Incident) added, or nothing when there is no condition at all.
   */
  where(...conditions: (string | undefined)[]): string;
}

export interface KpiVariant {
  /** Only for these presets: the formula relies on one vendor's conventions (AWS `<root_account>`). */
  presets?: readonly string[];
  recordType?: RecordType;
  kind?: 'events' | 'snapshot';
  fields: Readonly<Record<string, FieldNeed>>;
  formula: (c: FormulaContext) => string;
}

export interface KpiTemplate {
  id: string;
  name: string;
  description?: string;
  area: string;
  /** Suggested owner role; the catalogue writes it as a "TODO:" placeholder. */
  owner: string;
  cadence: Cadence;
  unit: string;
  tier: 'key' | 'supporting' | 'informational';
  /** ISO/IEC 27001:2022 Annex A controls the KPI gives evidence for. */
  controls: readonly string[];
  thresholds?: { green: string; amber?: string };
  decimals?: number;
  segment_by?: string;
  variants: readonly KpiVariant[];
}

const oneOf = (...values: string[]): FieldNeed => ({ text: values });

const q = (text: string) => JSON.stringify(text);

// --- findings: shared building blocks ------------------------------------------------------------

interface Severity {
  critical: string;
  criticalOrHigh: string;
}

/**
 * Findings formulas in two severity scales: Critical, High, ... and Qualys's five levels, read as their
 * names (5 Urgent, 4 Critical, ...), where Urgent is the top level and Critical the one below it.
 */
function bySeverity(
  fields: Readonly<Record<string, FieldNeed>>,
  build: (c: FormulaContext, severity: Severity) => string,
): KpiVariant[] {
  return [
    {
      recordType: 'finding',
      fields: { ...fields, severity: oneOf('Critical', 'High') },
      formula: (c) =>
        build(c, {
          critical: c.is('severity', 'Critical'),
          criticalOrHigh: c.isAny('severity', ['Critical', 'High']),
        }),
    },
    {
      recordType: 'finding',
      fields: { ...fields, severity: oneOf('Urgent', 'Critical') },
      formula: (c) =>
        build(c, {
          critical: c.is('severity', 'Urgent'),
          criticalOrHigh: c.isAny('severity', ['Urgent', 'Critical']),
        }),
    },
  ];
}

/**
 * A finding that was open at the end of the period. Dependabot: opened before the period's end and not
 * fixed or dismissed by then (its `state` is the state at the export instant, which may be later: a fix
 * after the period's end must not hide a finding that was open at it); Defender: a status that is not Fixed.
 */
function open(c: FormulaContext): string | undefined {
  if (c.has('state', oneOf('open'))) {
    const closed = ['fixed', 'dismissed', 'auto_dismissed'].filter((f) => c.has(f, 'datetime'));
    if (!c.has('created', 'datetime') || closed.length === 0) return c.is('state', 'open');
    const at = closed.length === 1 ? closed[0]! : `least(${closed.join(', ')})`;
    return `created < period_end() and (${at} == null or ${at} >= period_end())`;
  }
  if (c.has('status', 'text')) return '(status == null or lower(status) != "fixed")';
  return undefined;
}

/** Qualys also lists potential vulnerabilities and information gathered; only confirmed ones count. */
function confirmed(c: FormulaContext): string | undefined {
  return c.has('type', oneOf('Vuln')) ? c.is('type', 'Vuln') : undefined;
}

/** The conditions that are there, joined with `and`. */
const all = (...conditions: (string | undefined)[]) =>
  conditions.filter((x): x is string => x !== undefined).join(' and ');

/** What one finding is: scanners that write a row per CVE or port count a plugin on a host once. */
function findingKey(c: FormulaContext): string | undefined {
  if (c.has('plugin_id', 'text')) return 'plugin_id + "@" + asset';
  if (c.has('qid', 'text')) return 'qid + "@" + asset';
  return undefined;
}

function countFindings(c: FormulaContext, condition: string): string {
  const key = findingKey(c);
  return key ? `count_distinct(${c.s}, ${key}, ${condition})` : `count(${c.s}, ${condition})`;
}

function meanScore(c: FormulaContext, score: string): string {
  const condition = open(c);
  return condition ? `mean(${c.s}, ${score}, ${condition})` : `mean(${c.s}, ${score})`;
}

const jmlFields = { event: oneOf('leaver'), effective: 'datetime', access_revoked: 'datetime' } as const;

/**
 * The leaver KPIs, for a joiners/movers/leavers list (rows of leavers: `event == "leaver"`) and for a
 * leavers-only list without an event column (every row is a leaver: docs/presets.md, hr-joiners-leavers),
 * which init takes as it is (issue 17). `leaver` is the condition, or undefined for the leavers-only list.
 */
function leaverVariants(build: (c: FormulaContext, leaver: string | undefined) => string): KpiVariant[] {
  return [
    { recordType: 'jml_event', fields: jmlFields, formula: (c) => build(c, c.is('event', 'leaver')) },
    {
      presets: ['hr-joiners-leavers'],
      recordType: 'jml_event',
      fields: { effective: 'datetime', access_revoked: 'datetime' },
      formula: (c) => build(c, undefined),
    },
  ];
}

/** `, condition` for an aggregate, or nothing. */
const cond = (...conditions: (string | undefined)[]) => {
  const text = all(...conditions);
  return text === '' ? '' : `, ${text}`;
};

// --- suppliers and assets (issue 22): registers, not IT tools ------------------------------------

/** Critical or high: the register's scale, which the ServiceNow preset maps `busines_criticality` onto. */
const keyAsset = (c: FormulaContext) => c.isAny('criticality', ['critical', 'high']);

type RegisterKpi = Omit<KpiTemplate, 'cadence' | 'unit' | 'variants'> & {
  fields: Readonly<Record<string, FieldNeed>>;
  /** The rows the share is of, and the condition of the good ones (both within the source's scope). */
  base: (c: FormulaContext) => string;
  good: string;
};

/** A quarterly share of a register snapshot's rows: `pct(count(good and base), count(base))`. */
const registerShare = ({ fields, base, good, ...template }: RegisterKpi): KpiTemplate => ({
  ...template,
  cadence: 'quarterly',
  unit: '%',
  variants: [
    {
      kind: 'snapshot',
      fields,
      formula: (c) => `pct(count(${c.s}${c.where(base(c), good)}), count(${c.s}${c.where(base(c))}))`,
    },
  ],
});

const SUPPLIER_AND_ASSET_TEMPLATES: readonly KpiTemplate[] = [
  registerShare({
    id: 'SU-01',
    name: 'Critical suppliers assessed within 12 months',
    description:
      'Critical suppliers whose last security assessment is at most 365 days before the period end.',
    area: 'Supplier relationships',
    owner: 'Supplier security manager',
    tier: 'key',
    controls: ['A.5.19', 'A.5.22'],
    thresholds: { green: '>= 95', amber: '>= 80' },
    fields: { criticality: oneOf('critical'), last_assessment: 'datetime' },
    base: (c) => c.is('criticality', 'critical'),
    good: 'age(last_assessment) <= 365',
  }),
  registerShare({
    id: 'SU-02',
    name: 'Critical and high suppliers with security clauses in the contract',
    area: 'Supplier relationships',
    owner: 'Supplier security manager',
    tier: 'supporting',
    controls: ['A.5.20'],
    thresholds: { green: '>= 95', amber: '>= 85' },
    fields: { criticality: oneOf('critical', 'high'), security_clauses: 'boolean' },
    base: keyAsset,
    good: 'security_clauses',
  }),
  {
    id: 'SU-03',
    name: 'Vendor remote-access sessions approved, time-limited and recorded',
    description:
      'Sessions started in the period with a recorded approval (and ticket), ended within 8 hours, and recorded.',
    area: 'Supplier relationships',
    owner: 'Supplier security manager',
    cadence: 'quarterly',
    unit: '%',
    tier: 'key',
    controls: ['A.5.19', 'A.8.2', 'A.8.15'],
    thresholds: { green: '>= 95', amber: '>= 85' },
    variants: [
      {
        kind: 'events',
        fields: { approved_by: 'text', started: 'datetime', ended: 'datetime', recorded: 'boolean' },
        formula: (c) =>
          `pct(count(${c.s}${c.where(
            all('approved_by != null', c.has('ticket') ? 'ticket != null' : undefined, 'recorded'),
            'hours(started, ended) >= 0 and hours(started, ended) <= 8',
          )}), count(${c.s}${c.where()}))`,
      },
    ],
  },
  registerShare({
    id: 'DP-01',
    name: 'Classification coverage of key systems',
    description: 'Critical and high assets with a data classification.',
    area: 'Data protection',
    owner: 'Information security officer',
    tier: 'key',
    controls: ['A.5.9', 'A.5.12'],
    thresholds: { green: '>= 95', amber: '>= 85' },
    fields: { criticality: oneOf('critical', 'high'), classification: 'text' },
    base: keyAsset,
    good: 'classification != null',
  }),
  registerShare({
    id: 'DP-02',
    name: 'Encryption coverage of confidential assets',
    description: 'Assets holding confidential or restricted data that are encrypted at rest.',
    area: 'Data protection',
    owner: 'Information security officer',
    tier: 'key',
    controls: ['A.8.24', 'A.5.12'],
    thresholds: { green: '>= 95', amber: '>= 85' },
    fields: { classification: oneOf('confidential', 'restricted'), encrypted: 'boolean' },
    base: (c) => c.isAny('classification', ['confidential', 'restricted']),
    good: 'encrypted',
  }),
  registerShare({
    id: 'LG-01',
    name: 'Critical legacy assets with documented compensating controls',
    area: 'Legacy systems',
    owner: 'OT security lead',
    tier: 'key',
    controls: ['A.8.8', 'A.8.22'],
    thresholds: { green: '>= 95', amber: '>= 80' },
    fields: { legacy: 'boolean', criticality: oneOf('critical', 'high'), compensating_controls: 'text' },
    base: (c) => `legacy and ${keyAsset(c)}`,
    good: 'compensating_controls != null',
  }),
  {
    id: 'LG-02',
    name: 'Assets on an unsupported OS without compensating controls',
    area: 'Legacy systems',
    owner: 'OT security lead',
    cadence: 'quarterly',
    unit: 'count',
    tier: 'key',
    controls: ['A.8.8', 'A.8.19'],
    thresholds: { green: '== 0', amber: '<= 2' },
    variants: [
      {
        kind: 'snapshot',
        fields: { os_supported: 'boolean', compensating_controls: 'text' },
        formula: (c) => `count(${c.s}${c.where('os_supported == false', 'compensating_controls == null')})`,
      },
    ],
  },
];

// -------------------------------------------------------------------------------------------------

/** A register row that is not closed (an empty status counts as open). */
const notClosed = (c: FormulaContext) => `(status == null or not (${c.is('status', 'closed')}))`;

export const KPI_LIBRARY: readonly KpiTemplate[] = [
  // --- Incident management -----------------------------------------------------------------------
  {
    id: 'IR-01',
    name: 'Incidents',
    description: 'Incidents opened in the period, by priority.',
    area: 'Incident management',
    owner: 'SOC lead',
    cadence: 'monthly',
    unit: 'count',
    tier: 'informational',
    controls: ['A.5.24', 'A.5.25'],
    segment_by: 'priority',
    variants: [
      { recordType: 'incident', fields: { priority: 'text' }, formula: (c) => `count(${c.s}${c.where()})` },
    ],
  },
  {
    id: 'IR-02',
    name: 'Mean time to resolve incidents',
    description: 'Hours from opening to resolution, for incidents opened in the period and resolved.',
    area: 'Incident management',
    owner: 'Incident manager',
    cadence: 'monthly',
    unit: 'h',
    tier: 'key',
    controls: ['A.5.26'],
    thresholds: { green: '<= 72', amber: '<= 120' },
    decimals: 1,
    variants: [
      {
        recordType: 'incident',
        fields: { opened: 'datetime', resolved: 'datetime' },
        formula: (c) => `mean(${c.s}, hours(opened, resolved)${c.where()})`,
      },
    ],
  },
  {
    id: 'IR-03',
    name: 'Median time to resolve incidents',
    area: 'Incident management',
    owner: 'Incident manager',
    cadence: 'quarterly',
    unit: 'h',
    tier: 'supporting',
    controls: ['A.5.26'],
    thresholds: { green: '<= 24', amber: '<= 72' },
    decimals: 1,
    variants: [
      {
        recordType: 'incident',
        fields: { opened: 'datetime', resolved: 'datetime' },
        formula: (c) => `median(${c.s}, hours(opened, resolved)${c.where()})`,
      },
    ],
  },
  {
    id: 'IR-04',
    name: 'Incidents resolved within 5 days',
    description: 'Incidents opened in the period that were resolved no more than 120 hours after opening.',
    area: 'Incident management',
    owner: 'Incident manager',
    cadence: 'monthly',
    unit: '%',
    tier: 'key',
    controls: ['A.5.26'],
    thresholds: { green: '>= 90', amber: '>= 75' },
    decimals: 1,
    variants: [
      {
        recordType: 'incident',
        fields: { opened: 'datetime', resolved: 'datetime' },
        formula: (c) =>
          `pct(count(${c.s}${c.where('hours(opened, resolved) <= 120')}), count(${c.s}${c.where()}))`,
      },
    ],
  },
  {
    id: 'IR-05',
    name: 'Incidents still open at the end of the period',
    description: 'Incidents opened in the period and not resolved before it ended.',
    area: 'Incident management',
    owner: 'Incident manager',
    cadence: 'monthly',
    unit: 'count',
    tier: 'supporting',
    controls: ['A.5.24', 'A.5.26'],
    thresholds: { green: '<= 5', amber: '<= 10' },
    variants: [
      {
        recordType: 'incident',
        kind: 'events',
        fields: { resolved: 'datetime' },
        formula: (c) => `count(${c.s}${c.where('resolved == null or resolved >= period_end()')})`,
      },
    ],
  },
  {
    id: 'IR-06',
    name: 'Mean time to resolve high-priority incidents',
    description: 'Hours from opening to resolution of the incidents of the two highest priorities.',
    area: 'Incident management',
    owner: 'Incident manager',
    cadence: 'monthly',
    unit: 'h',
    tier: 'key',
    controls: ['A.5.26'],
    thresholds: { green: '<= 24', amber: '<= 48' },
    decimals: 1,
    variants: [
      {
        // ServiceNow writes "1 - Critical" in list exports and "1" in JSON.
        presets: ['servicenow-incident'],
        fields: { priority: 'text', opened: 'datetime', resolved: 'datetime' },
        formula: (c) =>
          `mean(${c.s}, hours(opened, resolved)${c.where('starts_with(priority, "1") or starts_with(priority, "2")')})`,
      },
      {
        presets: ['jira-issues'],
        fields: { priority: 'text', opened: 'datetime', resolved: 'datetime' },
        formula: (c) =>
          `mean(${c.s}, hours(opened, resolved)${c.where(c.isAny('priority', ['highest', 'high']))})`,
      },
    ],
  },

  // --- Change management -------------------------------------------------------------------------
  {
    id: 'CH-01',
    name: 'Changes',
    description: 'Change requests opened in the period, by type.',
    area: 'Change management',
    owner: 'Change manager',
    cadence: 'monthly',
    unit: 'count',
    tier: 'informational',
    controls: ['A.8.32'],
    segment_by: 'type',
    variants: [{ recordType: 'change', fields: { type: 'text' }, formula: (c) => `count(${c.s})` }],
  },
  {
    id: 'CH-02',
    name: 'Emergency changes',
    area: 'Change management',
    owner: 'Change manager',
    cadence: 'monthly',
    unit: '%',
    tier: 'supporting',
    controls: ['A.8.32'],
    thresholds: { green: '<= 5', amber: '<= 10' },
    decimals: 1,
    variants: [
      {
        recordType: 'change',
        fields: { type: oneOf('emergency') },
        formula: (c) => `pct(count(${c.s}, ${c.is('type', 'emergency')}), count(${c.s}))`,
      },
    ],
  },
  {
    id: 'CH-03',
    name: 'Unsuccessful changes',
    description: 'Closed changes (with a close code) whose close code says unsuccessful.',
    area: 'Change management',
    owner: 'Change manager',
    cadence: 'quarterly',
    unit: '%',
    tier: 'supporting',
    controls: ['A.8.32'],
    thresholds: { green: '<= 5', amber: '<= 10' },
    decimals: 1,
    variants: [
      {
        recordType: 'change',
        fields: { close_code: oneOf('unsuccessful') },
        formula: (c) =>
          `pct(count(${c.s}, ${c.is('close_code', 'unsuccessful')}), count(${c.s}, close_code != null))`,
      },
    ],
  },
  {
    id: 'CH-04',
    name: 'Changes that overran their planned window',
    description: 'Changes whose work ended after the planned end, among those with both times recorded.',
    area: 'Change management',
    owner: 'Change manager',
    cadence: 'quarterly',
    unit: '%',
    tier: 'supporting',
    controls: ['A.8.32'],
    thresholds: { green: '<= 10', amber: '<= 20' },
    decimals: 1,
    variants: [
      {
        recordType: 'change',
        fields: { planned_end: 'datetime', actual_end: 'datetime' },
        formula: (c) =>
          `pct(count(${c.s}, actual_end > planned_end), count(${c.s}, actual_end != null and planned_end != null))`,
      },
    ],
  },

  // --- Access control ----------------------------------------------------------------------------
  {
    id: 'AC-01',
    name: 'AWS console users with MFA',
    area: 'Access control',
    owner: 'Cloud platform lead',
    cadence: 'quarterly',
    unit: '%',
    tier: 'key',
    controls: ['A.8.5', 'A.5.17'],
    thresholds: { green: '>= 98', amber: '>= 90' },
    decimals: 1,
    variants: [
      {
        presets: ['aws-iam-credential-report'],
        fields: { password_enabled: 'boolean', mfa: 'boolean' },
        formula: (c) => `pct(count(${c.s}, password_enabled and mfa), count(${c.s}, password_enabled))`,
      },
    ],
  },
  {
    id: 'AC-02',
    name: 'AWS root account used in the period',
    description: 'Console sign-ins of the root user during the period (1 when it signed in, else 0).',
    area: 'Access control',
    owner: 'Cloud platform lead',
    cadence: 'quarterly',
    unit: 'count',
    tier: 'key',
    controls: ['A.8.2', 'A.8.5'],
    thresholds: { green: '== 0' },
    variants: [
      {
        presets: ['aws-iam-credential-report'],
        fields: { id: 'text', password_last_used: 'datetime' },
        formula: (c) =>
          `count(${c.s}, id == "<root_account>" and password_last_used >= period_start() and password_last_used < period_end())`,
      },
    ],
  },
  {
    id: 'AC-03',
    name: 'AWS root account with active access keys',
    area: 'Access control',
    owner: 'Cloud platform lead',
    cadence: 'quarterly',
    unit: 'count',
    tier: 'key',
    controls: ['A.8.2', 'A.5.17'],
    thresholds: { green: '== 0' },
    variants: [
      {
        presets: ['aws-iam-credential-report'],
        fields: { id: 'text', key1_active: 'boolean', key2_active: 'boolean' },
        formula: (c) => `count(${c.s}, id == "<root_account>" and (key1_active or key2_active))`,
      },
    ],
  },
  {
    id: 'AC-04',
    name: 'Active AWS access keys not rotated in 90 days',
    area: 'Access control',
    owner: 'Cloud platform lead',
    cadence: 'quarterly',
    unit: 'count',
    tier: 'supporting',
    controls: ['A.5.17', 'A.8.5'],
    thresholds: { green: '== 0', amber: '<= 3' },
    variants: [
      {
        presets: ['aws-iam-credential-report'],
        fields: {
          key1_active: 'boolean',
          key1_rotated: 'datetime',
          key2_active: 'boolean',
          key2_rotated: 'datetime',
        },
        formula: (c) =>
          `count(${c.s}, key1_active and age(key1_rotated) > 90) + count(${c.s}, key2_active and age(key2_rotated) > 90)`,
      },
    ],
  },
  {
    id: 'AC-05',
    name: 'Dormant AWS console users (no sign-in for 90 days)',
    area: 'Access control',
    owner: 'Cloud platform lead',
    cadence: 'quarterly',
    unit: 'count',
    tier: 'supporting',
    controls: ['A.5.18', 'A.8.2'],
    thresholds: { green: '<= 1', amber: '<= 4' },
    variants: [
      {
        presets: ['aws-iam-credential-report'],
        fields: { password_enabled: 'boolean', password_last_used: 'datetime' },
        formula: (c) =>
          `count(${c.s}, password_enabled and (password_last_used == null or age(password_last_used) > 90))`,
      },
    ],
  },
  {
    id: 'AC-06',
    name: 'Enabled accounts',
    area: 'Access control',
    owner: 'IAM lead',
    cadence: 'quarterly',
    unit: 'count',
    tier: 'informational',
    controls: ['A.5.16'],
    variants: [
      { recordType: 'account', fields: { enabled: 'boolean' }, formula: (c) => `count(${c.s}, enabled)` },
      {
        recordType: 'account',
        fields: { status: oneOf('ACTIVE') },
        formula: (c) => `count(${c.s}, ${c.is('status', 'ACTIVE')})`,
      },
    ],
  },
  {
    id: 'AC-07',
    name: 'Disabled or suspended accounts',
    description: 'Accounts kept in the directory but not usable: candidates for deletion.',
    area: 'Access control',
    owner: 'IAM lead',
    cadence: 'quarterly',
    unit: 'count',
    tier: 'informational',
    controls: ['A.5.18'],
    variants: [
      {
        recordType: 'account',
        fields: { enabled: 'boolean' },
        formula: (c) => `count(${c.s}, enabled == false)`,
      },
      {
        recordType: 'account',
        fields: { status: oneOf('SUSPENDED', 'DEPROVISIONED') },
        formula: (c) => `count(${c.s}, ${c.isAny('status', ['SUSPENDED', 'DEPROVISIONED'])})`,
      },
    ],
  },
  {
    id: 'AC-08',
    name: 'Enabled guest accounts',
    description: 'Entra ID B2B guests (#EXT# in the user principal name) whose account is enabled.',
    area: 'Access control',
    owner: 'IAM lead',
    cadence: 'quarterly',
    unit: 'count',
    tier: 'supporting',
    controls: ['A.5.19', 'A.8.2'],
    thresholds: { green: '<= 10', amber: '<= 25' },
    variants: [
      {
        presets: ['entra-users'],
        fields: { upn: 'text', enabled: 'boolean' },
        formula: (c) => `count(${c.s}, contains(upper(upn), "#EXT#") and enabled)`,
      },
    ],
  },
  {
    id: 'AC-09',
    name: 'Stale active accounts (no sign-in for 90 days)',
    description: 'Active accounts whose last sign-in is more than 90 days before the period end, or never.',
    area: 'Access control',
    owner: 'IAM lead',
    cadence: 'quarterly',
    unit: 'count',
    tier: 'key',
    controls: ['A.5.18', 'A.8.2'],
    thresholds: { green: '<= 2', amber: '<= 5' },
    variants: [
      {
        recordType: 'account',
        fields: { status: oneOf('ACTIVE'), last_login: 'datetime' },
        formula: (c) =>
          `count(${c.s}, ${c.is('status', 'ACTIVE')} and (last_login == null or age(last_login) > 90))`,
      },
      {
        recordType: 'account',
        fields: { enabled: 'boolean', last_login: 'datetime' },
        formula: (c) => `count(${c.s}, enabled and (last_login == null or age(last_login) > 90))`,
      },
    ],
  },

  // --- Joiners, movers, leavers ------------------------------------------------------------------
  {
    id: 'JML-01',
    name: 'Leavers whose access was revoked within 24 h',
    description: 'Leavers whose access was revoked no later than 24 h after the start of their leaving date.',
    area: 'Joiners, movers and leavers',
    owner: 'IAM lead',
    cadence: 'monthly',
    unit: '%',
    tier: 'key',
    controls: ['A.5.18', 'A.6.5'],
    thresholds: { green: '>= 95', amber: '>= 90' },
    decimals: 1,
    variants: leaverVariants(
      (c, leaver) =>
        `pct(count(${c.s}${cond(leaver, 'hours(effective, access_revoked) <= 24')}), count(${c.s}${cond(leaver)}))`,
    ),
  },
  {
    id: 'JML-02',
    name: 'Median time to revoke the access of leavers',
    description: 'Hours from the start of the leaving date to access being revoked.',
    area: 'Joiners, movers and leavers',
    owner: 'IAM lead',
    cadence: 'quarterly',
    unit: 'h',
    tier: 'supporting',
    controls: ['A.5.18', 'A.6.5'],
    thresholds: { green: '<= 24', amber: '<= 48' },
    decimals: 1,
    variants: leaverVariants(
      (c, leaver) => `median(${c.s}, hours(effective, access_revoked)${cond(leaver)})`,
    ),
  },
  {
    id: 'JML-03',
    name: 'Leavers without a recorded access revocation',
    area: 'Joiners, movers and leavers',
    owner: 'IAM lead',
    cadence: 'monthly',
    unit: 'count',
    tier: 'key',
    controls: ['A.5.18', 'A.6.5'],
    thresholds: { green: '== 0', amber: '<= 1' },
    variants: leaverVariants((c, leaver) => `count(${c.s}${cond(leaver, 'access_revoked == null')})`),
  },
  {
    id: 'JML-04',
    name: 'Joiners, movers and leavers',
    area: 'Joiners, movers and leavers',
    owner: 'HR lead',
    cadence: 'monthly',
    unit: 'count',
    tier: 'informational',
    controls: ['A.5.16', 'A.6.5'],
    segment_by: 'event',
    variants: [{ recordType: 'jml_event', fields: { event: 'text' }, formula: (c) => `count(${c.s})` }],
  },

  // --- Backup ------------------------------------------------------------------------------------
  {
    id: 'BK-01',
    name: 'Backup success rate',
    description:
      'Finished backup sessions that ended in Success or Warning (sessions still running are left out).',
    area: 'Backup',
    owner: 'Infrastructure lead',
    cadence: 'monthly',
    unit: '%',
    tier: 'key',
    controls: ['A.8.13'],
    thresholds: { green: '>= 98', amber: '>= 95' },
    decimals: 1,
    variants: [
      {
        kind: 'events',
        fields: { status: oneOf('Success', 'Warning'), job: 'text' },
        formula: (c) =>
          `pct(count(${c.s}, ${c.isAny('status', ['Success', 'Warning'])}), count(${c.s}, status != null))`,
      },
    ],
  },
  {
    id: 'BK-02',
    name: 'Failed backup sessions',
    area: 'Backup',
    owner: 'Infrastructure lead',
    cadence: 'monthly',
    unit: 'count',
    tier: 'informational',
    controls: ['A.8.13'],
    segment_by: 'job',
    variants: [
      {
        kind: 'events',
        fields: { status: oneOf('Failed'), job: 'text' },
        formula: (c) => `count(${c.s}, ${c.is('status', 'Failed')})`,
      },
    ],
  },
  {
    id: 'BK-03',
    name: 'Backup jobs without a good session in the last 7 days of the period',
    description: 'Jobs seen in the period with no Success or Warning session in its last 7 days.',
    area: 'Backup',
    owner: 'Infrastructure lead',
    cadence: 'monthly',
    unit: 'count',
    tier: 'key',
    controls: ['A.8.13'],
    thresholds: { green: '== 0', amber: '<= 1' },
    variants: [
      {
        kind: 'events',
        fields: { status: oneOf('Success', 'Warning'), job: 'text', started: 'datetime' },
        formula: (c) =>
          `count_distinct(${c.s}, job) - count_distinct(${c.s}, job, ${c.isAny('status', ['Success', 'Warning'])} and days(started, period_end()) <= 7)`,
      },
    ],
  },
  {
    id: 'BK-04',
    name: 'Hosts with a backup snapshot in the period',
    area: 'Backup',
    owner: 'Infrastructure lead',
    cadence: 'monthly',
    unit: 'count',
    tier: 'informational',
    controls: ['A.8.13'],
    variants: [
      {
        // restic writes a snapshot only when a backup completes, and `job` is the host name.
        presets: ['restic-snapshots'],
        fields: { job: 'text' },
        formula: (c) => `count_distinct(${c.s}, job)`,
      },
    ],
  },
  {
    id: 'BK-05',
    name: 'Hosts without a snapshot in the last 7 days of the period',
    description: 'Hosts backed up in the period whose last snapshot is more than 7 days before its end.',
    area: 'Backup',
    owner: 'Infrastructure lead',
    cadence: 'monthly',
    unit: 'count',
    tier: 'key',
    controls: ['A.8.13'],
    thresholds: { green: '== 0', amber: '<= 1' },
    variants: [
      {
        presets: ['restic-snapshots'],
        fields: { job: 'text', started: 'datetime' },
        formula: (c) =>
          `count_distinct(${c.s}, job) - count_distinct(${c.s}, job, days(started, period_end()) <= 7)`,
      },
    ],
  },

  // --- Vulnerability management ------------------------------------------------------------------
  {
    id: 'VM-01',
    name: 'Open critical vulnerabilities',
    description:
      'Critical findings in the export; a plugin (or QID) on a host counts once when the scanner writes a row per CVE or port.',
    area: 'Vulnerability management',
    owner: 'Vulnerability manager',
    cadence: 'quarterly',
    unit: 'count',
    tier: 'key',
    controls: ['A.8.8'],
    thresholds: { green: '== 0', amber: '<= 5' },
    variants: bySeverity({ asset: 'text' }, (c, sev) =>
      countFindings(c, all(sev.critical, open(c), confirmed(c))),
    ),
  },
  {
    id: 'VM-02',
    name: 'Open critical and high vulnerabilities',
    area: 'Vulnerability management',
    owner: 'Vulnerability manager',
    cadence: 'quarterly',
    unit: 'count',
    tier: 'supporting',
    controls: ['A.8.8'],
    thresholds: { green: '<= 10', amber: '<= 25' },
    variants: bySeverity({ asset: 'text' }, (c, sev) =>
      countFindings(c, all(sev.criticalOrHigh, open(c), confirmed(c))),
    ),
  },
  {
    id: 'VM-03',
    name: 'Assets with open critical or high vulnerabilities',
    description: 'Share of the assets (hosts, devices, repositories) in the export with such a finding.',
    area: 'Vulnerability management',
    owner: 'Vulnerability manager',
    cadence: 'quarterly',
    unit: '%',
    tier: 'supporting',
    controls: ['A.8.8'],
    thresholds: { green: '<= 20', amber: '<= 40' },
    decimals: 1,
    variants: bySeverity(
      { asset: 'text' },
      (c, sev) =>
        `pct(count_distinct(${c.s}, asset, ${all(sev.criticalOrHigh, open(c), confirmed(c))}), count_distinct(${c.s}, asset))`,
    ),
  },
  {
    id: 'VM-04',
    name: 'Mean CVSS score of open findings',
    area: 'Vulnerability management',
    owner: 'Vulnerability manager',
    cadence: 'quarterly',
    unit: 'score',
    tier: 'informational',
    controls: ['A.8.8'],
    decimals: 1,
    variants: [
      {
        recordType: 'finding',
        fields: { cvss3: 'number' },
        // Nessus fills CVSS v3 for newer plugins only; the v2 score stands in where it is missing.
        formula: (c) => meanScore(c, c.has('cvss', 'number') ? 'coalesce(cvss3, cvss)' : 'cvss3'),
      },
      { recordType: 'finding', fields: { cvss: 'number' }, formula: (c) => meanScore(c, 'cvss') },
    ],
  },
  {
    id: 'VM-05',
    name: 'Critical and high vulnerabilities with a known exploit',
    area: 'Vulnerability management',
    owner: 'Vulnerability manager',
    cadence: 'quarterly',
    unit: 'count',
    tier: 'key',
    controls: ['A.8.8', 'A.5.7'],
    thresholds: { green: '== 0', amber: '<= 3' },
    variants: [
      ...bySeverity({ asset: 'text', exploit_available: 'boolean' }, (c, sev) =>
        countFindings(c, all('exploit_available', sev.criticalOrHigh, open(c))),
      ),
      ...bySeverity({ asset: 'text', exploitability: 'text' }, (c, sev) =>
        // Defender: NoExploit, ExploitIsPublic, ExploitIsVerified, ExploitIsInKit.
        countFindings(c, all(sev.criticalOrHigh, 'lower(exploitability) != "noexploit"', open(c))),
      ),
    ],
  },
  {
    id: 'VM-06',
    name: 'Critical and high vulnerabilities open for more than 30 days',
    description: 'Open findings first seen (or alerts created) more than 30 days before the period end.',
    area: 'Vulnerability management',
    owner: 'Vulnerability manager',
    cadence: 'quarterly',
    unit: 'count',
    tier: 'key',
    controls: ['A.8.8'],
    thresholds: { green: '== 0', amber: '<= 5' },
    variants: [
      ...bySeverity({ asset: 'text', first_seen: 'datetime' }, (c, sev) =>
        countFindings(c, all(sev.criticalOrHigh, 'age(first_seen) > 30', open(c))),
      ),
      ...bySeverity({ asset: 'text', created: 'datetime' }, (c, sev) =>
        countFindings(c, all(sev.criticalOrHigh, 'age(created) > 30', open(c))),
      ),
    ],
  },
  {
    id: 'VM-07',
    name: 'Mean days to fix critical and high alerts',
    description: 'Days from alert to fix, for critical and high alerts fixed in the period.',
    area: 'Vulnerability management',
    owner: 'Head of software engineering',
    cadence: 'quarterly',
    unit: 'days',
    tier: 'key',
    controls: ['A.8.8', 'A.8.28'],
    thresholds: { green: '<= 14', amber: '<= 30' },
    decimals: 1,
    variants: bySeverity(
      { created: 'datetime', fixed: 'datetime' },
      (c, sev) =>
        `mean(${c.s}, days(created, fixed), ${sev.criticalOrHigh} and fixed >= period_start() and fixed < period_end())`,
    ),
  },
  ...SUPPLIER_AND_ASSET_TEMPLATES,

  // --- Training and awareness (kpi-library-people.ts) ---------------------------------------------
  ...PEOPLE_KPIS,
  // --- governance registers (issue 22): risk register, Statement of Applicability, exceptions ----------
  {
    id: 'GV-11',
    name: 'Risk treatment coverage',
    description:
      'Open risks above the appetite (inherent score 12 or more) whose treatment is in progress or implemented; for CISO Assistant, scenarios (not cancelled) with a treatment decided.',
    area: 'Governance and ISMS effectiveness',
    owner: 'ISMS coordinator',
    cadence: 'quarterly',
    unit: '%',
    tier: 'key',
    // Risk treatment is a requirement of the standard (clauses 6.1.3, 8.3), not an Annex A control.
    controls: ['iso27001:6.1.3', 'iso27001:8.3'],
    thresholds: { green: '>= 90', amber: '>= 75' },
    variants: [
      {
        kind: 'snapshot',
        fields: {
          status: 'text',
          inherent_score: 'number',
          treatment_status: oneOf('in progress', 'implemented'),
        },
        formula: (c) => {
          const above = `${notClosed(c)} and inherent_score >= 12`;
          return `pct(count(${c.s}${c.where(above, c.isAny('treatment_status', ['in progress', 'implemented']))}), count(${c.s}${c.where(above)}))`;
        },
      },
      {
        presets: ['ciso-assistant-risk-scenarios'],
        fields: { treatment: oneOf('open', 'cancelled') },
        formula: (c) =>
          `pct(count(${c.s}${c.where(`not (${c.isAny('treatment', ['open', 'cancelled'])})`)}), count(${c.s}${c.where(`not (${c.is('treatment', 'cancelled')})`)}))`,
      },
    ],
  },
  {
    id: 'GV-12',
    name: 'Overdue risk treatment actions',
    description: 'Open risks whose treatment was due before the end of the period and is not implemented.',
    area: 'Governance and ISMS effectiveness',
    owner: 'ISMS coordinator',
    cadence: 'quarterly',
    unit: 'count',
    tier: 'key',
    controls: ['iso27001:8.3', 'iso27001:10.2'],
    thresholds: { green: '== 0', amber: '<= 2' },
    variants: [
      {
        kind: 'snapshot',
        fields: { status: 'text', treatment_due: 'datetime', treatment_status: oneOf('implemented') },
        formula: (c) =>
          `count(${c.s}${c.where(notClosed(c), `not (${c.is('treatment_status', 'implemented')})`, 'treatment_due < period_end()')})`,
      },
    ],
  },
  {
    id: 'GV-13',
    name: 'Applicable Annex A controls implemented',
    description:
      'Share of the controls the Statement of Applicability marks applicable whose status is implemented.',
    area: 'Governance and ISMS effectiveness',
    owner: 'CISO',
    cadence: 'quarterly',
    unit: '%',
    tier: 'key',
    controls: ['A.5.36'],
    thresholds: { green: '>= 90', amber: '>= 75' },
    variants: [
      {
        kind: 'snapshot',
        fields: { applicable: 'boolean', status: oneOf('implemented') },
        formula: (c) =>
          `pct(count(${c.s}${c.where('applicable', c.is('status', 'implemented'))}), count(${c.s}${c.where('applicable')}))`,
      },
    ],
  },
  {
    id: 'GV-14',
    name: 'Exceptions with an expiry date',
    description: 'Exceptions approved by the end of the period that say until when they are accepted.',
    area: 'Governance and ISMS effectiveness',
    owner: 'CISO',
    cadence: 'quarterly',
    unit: '%',
    tier: 'supporting',
    controls: ['A.5.1', 'A.5.36'],
    thresholds: { green: '>= 100', amber: '>= 90' },
    variants: [
      {
        kind: 'snapshot',
        fields: { approver: 'text', approved: 'datetime', expires: 'datetime' },
        formula: (c) =>
          `pct(count(${c.s}${c.where('approved < period_end()', 'expires != null')}), count(${c.s}${c.where('approved < period_end()')}))`,
      },
    ],
  },
];

// --- what a source holds ------------------------------------------------------------------------

/**
 * Rows of an export that a KPI of the library counts: a Jira project export holds every issue type, and
 * only incidents are incidents. Applied to every aggregate over a source of that preset.
 */
const SCOPES: Readonly<
  Record<string, { fields: Readonly<Record<string, FieldNeed>>; condition: (c: FormulaContext) => string }>
> = {
  'jira-issues': { fields: { type: 'text' }, condition: (c) => c.is('type', 'Incident') },
  // A CMDB keeps retired CIs: the KPIs count the live ones.
  'servicenow-cmdb-ci': {
    fields: { install_status: 'text' },
    condition: () => 'install_status == null or lower(install_status) != "retired"',
  },
};

/** What a reviewer must know about a source before trusting the KPIs over it; shown in the catalogue. */
export const SOURCE_NOTES: Readonly<Record<string, string>> = {
  'jira-issues':
    'A Jira export holds every issue type of the project: the KPIs count issues of type Incident (lower(type) == "incident"); change that condition if your incidents have another type.',
  'servicenow-cmdb-ci':
    'Classification, encryption, OS support, legacy and compensating controls are custom columns in ServiceNow (u_data_classification, u_encrypted, u_os_supported, u_legacy, u_compensating_controls): the KPIs over them are proposed only when the export has them; retired CIs are left out (install_status).',
  'servicenow-incident':
    'The ServiceNow incident table holds every IT incident: to count security incidents only, add a condition such as lower(category) == "security" to the KPIs over this source.',
};

// --- matching ------------------------------------------------------------------------------------

type FieldShape = { type: string; values?: readonly string[] };

function fieldShape(field: PresetField): FieldShape {
  if (typeof field === 'string') return { type: 'string' };
  return field.values
    ? { type: field.type ?? 'string', values: field.values }
    : { type: field.type ?? 'string' };
}

function fits(shape: FieldShape | undefined, need: FieldNeed): boolean {
  if (!shape) return false;
  if (typeof need === 'object') {
    if (shape.type === 'string') return true;
    if (shape.type !== 'enum') return false;
    const values = new Set((shape.values ?? []).map((v) => v.toLowerCase()));
    return need.text.every((v) => values.has(v.toLowerCase()));
  }
  switch (need) {
    case 'text':
      return shape.type === 'string' || shape.type === 'enum';
    case 'number':
      return shape.type === 'number' || shape.type === 'integer';
    default:
      return shape.type === need;
  }
}

/** The preset's fields with their types, as a formula sees them. */
function presetShapes(variant: PresetVariant): Map<string, FieldShape> {
  return new Map(Object.entries(variant.fields).map(([name, field]) => [name, fieldShape(field)]));
}

function contextFor(
  source: string,
  shapes: Map<string, FieldShape>,
  scope?: (c: FormulaContext) => string,
): FormulaContext {
  const spelling = (field: string, value: string): { enum: boolean; text: string } => {
    const shape = shapes.get(field);
    if (shape?.type === 'enum') {
      const own = shape.values?.find((v) => v.toLowerCase() === value.toLowerCase());
      if (own === undefined) throw new Error(`enum ${field} has no value "${value}"`);
      return { enum: true, text: own };
    }
    return { enum: false, text: value.toLowerCase() };
  };
  const isEnum = (field: string) => shapes.get(field)?.type === 'enum';
  const context: FormulaContext = {
    s: source,
    is(field, value) {
      const { enum: isEnumValue, text } = spelling(field, value);
      return isEnumValue ? `${field} == ${q(text)}` : `lower(${field}) == ${q(text)}`;
    },
    isAny(field, values) {
      const list = `[${values.map((v) => q(spelling(field, v).text)).join(', ')}]`;
      return isEnum(field) ? `${field} in ${list}` : `lower(${field}) in ${list}`;
    },
    has(field, need = 'text') {
      return fits(shapes.get(field), need);
    },
    where(...conditions) {
      const all = [...conditions, scope?.(context)].filter((x): x is string => x !== undefined);
      // `or` binds looser than `and`: a condition with a top-level `or` keeps its own brackets.
      const joined = all.map((x) => (all.length > 1 && / or /.test(x) ? `(${x})` : x)).join(' and ');
      return joined === '' ? '' : `, ${joined}`;
    },
  };
  return context;
}

export interface KpiFit {
  template: KpiTemplate;
  formula: string;
}

/** The variant of a template that fits a preset's variant, with its formula for `source`. */
export function fitTemplate(
  template: KpiTemplate,
  presetName: string,
  variant: PresetVariant,
  source: string,
  /** Fields the export at hand does not have (its columns are absent): read as if the preset had none. */
  absent: readonly string[] = [],
): KpiFit | undefined {
  const shapes = presetShapes(variant);
  for (const name of absent) shapes.delete(name);
  for (const candidate of template.variants) {
    if (candidate.presets && !candidate.presets.includes(presetName)) continue;
    if (candidate.recordType && variant.record_type !== candidate.recordType) continue;
    if (candidate.kind && variant.kind !== candidate.kind) continue;
    if (!Object.entries(candidate.fields).every(([name, need]) => fits(shapes.get(name), need))) continue;
    if (template.segment_by && !shapes.has(template.segment_by)) continue;
    const scope = Object.hasOwn(SCOPES, presetName) ? SCOPES[presetName] : undefined;
    const isScoped =
      scope !== undefined &&
      Object.entries(scope.fields).every(([name, need]) => fits(shapes.get(name), need));
    const context = contextFor(source, shapes, isScoped ? scope.condition : undefined);
    return { template, formula: candidate.formula(context) };
  }
  return undefined;
}
