/**
 * Risk registers: the generic CSV an ISMS team keeps by hand (`risk-register`, the layout of
 * docs/presets.md and fixtures/acme), and CISO Assistant's risk scenario export
 * (`ciso-assistant-risk-scenarios`).
 *
 * Both are snapshots: the register as it stood at a review, one file per review
 * (`risk-register-{period}.csv`); a second source with `period_offset: -1` reads the previous review's file,
 * so KPIs can compare the two (high risks reduced, high risks persisting; docs/catalogue.md 2.7).
 *
 * CISO Assistant columns: taken from intuitem/ciso-assistant-community at commit
 * f990d7b1b9a9f56e391acbc247c9076262a11412 (2026-08-08), backend/core/views.py: RiskScenarioViewSet
 * `export_config` (the "Export as CSV" action of the risk scenario list, ExportMixin.export_csv: `;`
 * delimiter, UTF-8 with a byte-order mark, many-to-many fields joined with `|`, every text cell passed
 * through escape_excel_formula, which puts a `'` before a value starting with = + - @), and the older
 * per-assessment `risk_assessment_csv` action (columns `current_risk`, `residual_risk`, lists joined with
 * `,`). Levels are the names of the assessment's risk matrix (`_get_risk_data`: the `name` of the matrix's
 * probability, impact or risk entry; `--` when not rated, exported as `'--`), so they depend on the matrix:
 * Low/Medium/High/Very High in the "critical 5x5" matrix, `1 - very low` ... `5 - very high` in the
 * ISO 27005 5x5 one. The export holds no numeric score.
 */
import { csvColumnsOf } from './columns.js';
import type { Preset, PresetField } from './types.js';

/** The documented generic layout (docs/presets.md), with common alternative spellings. */
const ID = ['id', 'risk_id', 'risk id', 'ref'];
const LEVEL = ['level', 'residual_level', 'risk_level', 'residual risk level'];
const TREATMENT = ['treatment', 'treatment_option', 'risk_treatment'];
const TREATMENT_STATUS = ['treatment_status', 'treatment status'];
const ISO_DATES = ['yyyy-MM-dd', 'dd.MM.yyyy'];

const GENERIC_OPTIONAL = [
  'id',
  'title',
  'owner',
  'category',
  'inherent_likelihood',
  'inherent_impact',
  'inherent_score',
  'residual_likelihood',
  'residual_impact',
  'residual_score',
  'level',
  'treatment',
  'treatment_owner',
  'treatment_status',
  'treatment_due',
  'last_review',
  'status',
];

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export const RISK_TREATMENTS = ['mitigate', 'accept', 'transfer', 'avoid'] as const;
export const TREATMENT_STATUSES = ['not started', 'planned', 'in progress', 'implemented'] as const;

const GENERIC_FIELDS: Record<string, PresetField> = {
  id: { column: ID, required: true, description: 'The risk’s identifier (RISK-017)' },
  title: { column: ['title', 'name', 'risk', 'description'], type: 'string' },
  owner: { column: ['owner', 'risk_owner'], type: 'string', personal: true },
  category: { column: ['category', 'risk_category'], type: 'string' },
  inherent_likelihood: { column: ['inherent_likelihood'], type: 'number' },
  inherent_impact: { column: ['inherent_impact'], type: 'number' },
  inherent_score: {
    column: ['inherent_score', 'inherent_risk'],
    type: 'number',
    description: 'Before treatment (often likelihood x impact)',
  },
  residual_likelihood: { column: ['residual_likelihood'], type: 'number' },
  residual_impact: { column: ['residual_impact'], type: 'number' },
  residual_score: { column: ['residual_score', 'residual_risk'], type: 'number' },
  level: {
    column: LEVEL,
    type: 'enum',
    values: [...RISK_LEVELS],
    description: 'The residual risk level',
  },
  treatment: { column: TREATMENT, type: 'enum', values: [...RISK_TREATMENTS] },
  treatment_owner: { column: ['treatment_owner'], type: 'string', personal: true },
  treatment_status: { column: TREATMENT_STATUS, type: 'enum', values: [...TREATMENT_STATUSES] },
  treatment_due: {
    column: ['treatment_due', 'due', 'due_date'],
    type: 'datetime',
    format: ISO_DATES,
  },
  last_review: {
    column: ['last_review', 'last_reviewed', 'reviewed'],
    type: 'datetime',
    format: ISO_DATES,
  },
  status: { column: ['status', 'risk_status'], type: 'string', description: 'open or closed' },
};

export const riskRegister: Preset = {
  name: 'risk-register',
  title: 'Risk register (generic CSV)',
  notes: [
    'The layout an ISMS team keeps without a GRC tool: `id, title, owner, category, inherent_likelihood, inherent_impact, inherent_score, residual_likelihood, residual_impact, residual_score, level, treatment, treatment_owner, treatment_status, treatment_due, last_review, status`. Only `id` is required; a register without inherent scores or treatment dates still reads.',
    '`level` is the residual risk level: low, medium, high or critical. `treatment` is mitigate, accept, transfer or avoid; `treatment_status` not started, planned, in progress or implemented (any letter case). Other words reject the row: map them with `map:` on the field (`map: { Reduce: mitigate }`).',
    'A snapshot: keep one file per review (`risk-register-{period}.csv`). A second source over the same path with `period_offset: -1` reads the previous review’s file, for KPIs on how risks moved (docs/catalogue.md, 2.7).',
    'Dates are `yyyy-MM-dd` (also `dd.MM.yyyy`). Likelihood, impact and score are numbers on your own scale (1-5 and 1-25 are common).',
  ],
  formats: {
    csv: {
      kind: 'snapshot',
      key: 'id',
      null_tokens: ['', '-', 'n/a', 'N/A'],
      fields: GENERIC_FIELDS,
      signature: {
        required: [ID, LEVEL, TREATMENT, TREATMENT_STATUS],
        optional: [...GENERIC_OPTIONAL, ...csvColumnsOf(GENERIC_FIELDS)],
      },
    },
  },
};

/** Names of the risk scenario export (ExportMixin) and of the older per-assessment CSV. */
const CISO_OPTIONAL = [
  'internal_id',
  'ref_id',
  'name',
  'description',
  'risk_assessment',
  'treatment',
  'justification',
  'inherent_proba',
  'inherent_impact',
  'inherent_level',
  'current_proba',
  'current_impact',
  'current_level',
  'residual_proba',
  'residual_impact',
  'residual_level',
  'owners',
  'threats',
  'assets',
  'vulnerabilities',
  'applied_controls',
  'existing_applied_controls',
  'qualifications',
  'filtering_labels',
];

const pipeList = (column: string[]) => ({ column, type: 'list' as const, separator: '|' });

export const cisoAssistantRiskScenarios: Preset = {
  name: 'ciso-assistant-risk-scenarios',
  title: 'CISO Assistant risk scenarios (CSV export)',
  notes: [
    'The "Export as CSV" of the risk scenario list (columns as in CISO Assistant community, backend/core/views.py, RiskScenarioViewSet, commit f990d7b, August 2026): `;` between columns, a byte-order mark, lists (owners, assets, threats, applied controls) joined with `|`. The older export of one risk assessment (`current_risk`, `residual_risk` instead of `current_level`, `residual_level`, no `internal_id`) reads too.',
    'Levels are the names in the assessment’s risk matrix, so they are text, not numbers: `Low`, `Medium`, `High`, `Very High` in the critical 5x5 matrix, `1 - very low` ... `5 - very high` in the ISO 27005 5x5 matrix. Compare them as the matrix names them (`residual_level in ["High", "Very High"]`), or across matrices with `matches(residual_level, "high", "i")` (high and very high). A scenario not yet rated exports `--` (written `\'--`), read as no value.',
    '`treatment` is CISO Assistant’s treatment status: open, mitigate, accept, avoid, transfer or cancelled. The export has no due dates, review dates or numeric scores: a KPI on overdue treatment reads the applied controls’ own export, or the generic `risk-register` layout.',
    "CISO Assistant writes a `'` before any text starting with = + - or @ (protection against spreadsheet formulas); such values keep the `'` here.",
    'A snapshot: save one export per review (`ciso-risk-scenarios-{period}.csv`) and add a second source with `period_offset: -1` to compare two reviews.',
  ],
  formats: {
    csv: {
      kind: 'snapshot',
      key: 'id',
      csv: { delimiter: ';' },
      null_tokens: ['', '--', "'--"],
      fields: {
        id: {
          column: ['internal_id', 'ref_id'],
          required: true,
          description: 'The scenario’s UUID (the reference id in the per-assessment export)',
        },
        ref_id: { column: ['ref_id'], type: 'string', description: 'The reference shown in the tool (R.1)' },
        title: { column: ['name'], type: 'string' },
        description: { column: ['description'], type: 'string' },
        risk_assessment: { column: ['risk_assessment'], type: 'string' },
        treatment: {
          column: ['treatment'],
          type: 'enum',
          values: ['open', 'mitigate', 'accept', 'avoid', 'transfer', 'cancelled'],
        },
        justification: { column: ['justification'], type: 'string' },
        inherent_likelihood: { column: ['inherent_proba'], type: 'string' },
        inherent_impact: { column: ['inherent_impact'], type: 'string' },
        inherent_level: { column: ['inherent_level'], type: 'string' },
        current_likelihood: { column: ['current_proba'], type: 'string' },
        current_impact: { column: ['current_impact'], type: 'string' },
        current_level: { column: ['current_level', 'current_risk'], type: 'string' },
        residual_likelihood: { column: ['residual_proba'], type: 'string' },
        residual_impact: { column: ['residual_impact'], type: 'string' },
        residual_level: {
          column: ['residual_level', 'residual_risk'],
          type: 'string',
          description: 'The name of the level in the risk matrix',
        },
        owners: { ...pipeList(['owners']), personal: true },
        threats: pipeList(['threats']),
        assets: pipeList(['assets']),
        vulnerabilities: pipeList(['vulnerabilities']),
        applied_controls: pipeList(['applied_controls', 'additional_controls']),
        existing_applied_controls: pipeList(['existing_applied_controls']),
        qualifications: pipeList(['qualifications']),
        labels: pipeList(['filtering_labels']),
      },
      signature: {
        required: ['ref_id', ['residual_level', 'residual_risk'], 'residual_proba', 'treatment'],
        optional: [...CISO_OPTIONAL, 'current_risk', 'residual_risk', 'additional_controls'],
      },
    },
  },
};
