/**
 * The metrics.yaml schema: the single source of truth for the catalogue. Every object is strict, so a
 * misspelt key is reported with its name and line instead of being ignored. Sources follow the intake's
 * schema (src/sources/schema.ts); presets are expanded by the loader (parse.ts) before validation.
 */
import { z } from 'zod';
import { SourceSchema } from '../sources/schema.js';
import { quote } from '../text.js';
import { CADENCES, parsePeriod } from '../time/period.js';
import { daysInMonth } from '../time/zone.js';

export const TIERS = ['key', 'supporting', 'informational'] as const;

const nonEmpty = z.string().trim().min(1, 'must not be empty');

export const THRESHOLD_PATTERN = /^\s*(>=|<=|>|<|==)\s*(-?\d+(?:\.\d+)?)\s*$/;
const thresholdText = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .refine((v) => THRESHOLD_PATTERN.test(v), {
    error: (issue) =>
      `${quote(String(issue.input))} is not a comparison with a number; write one like ">= 95" or "<= 4"`,
  });

export const ThresholdsSchema = z.strictObject({ green: thresholdText, amber: thresholdText.optional() });

/**
 * A period label. YAML reads `period: 2026` as a number: a whole number is taken as that year's label;
 * any other number is refused (`2026.10` is 2026.1 to YAML), asking for quotes.
 */
const periodLabel = z.preprocess(
  (value) => (typeof value === 'number' && Number.isInteger(value) ? String(value) : value),
  z
    .string({
      error: (issue) =>
        typeof issue.input === 'number'
          ? `expected a period like 2026 or "2026-Q3", got the number ${issue.input}; write periods other than a year in quotes`
          : undefined,
    })
    .trim()
    .min(1, 'must not be empty'),
);

export const BaselineSchema = z.strictObject({
  value: z.number(),
  period: periodLabel.optional(),
  note: z.string().optional(),
});

/**
 * Text of the document control block. YAML reads `version: 1.10` as the number 1.1, so a number is
 * refused (a whole number is taken as written), asking for quotes.
 */
const documentText = z.preprocess(
  (value) => (typeof value === 'number' && Number.isInteger(value) ? String(value) : value),
  z
    .string({
      error: (issue) =>
        typeof issue.input === 'number'
          ? `expected text, got the number ${issue.input}; YAML drops digits of numbers like 1.10: write it in quotes, like "1.10"`
          : undefined,
    })
    .trim()
    .min(1, 'must not be empty'),
);

/** A calendar day, yyyy-MM-dd. */
const calendarDay = z.string().refine(
  (text) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!m) return false;
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
  },
  { message: 'expected a date like 2027-01-15 (yyyy-MM-dd)' },
);

/**
 * Document control of the report (ISO/IEC 27001 7.5.2, 7.5.3): shown at the top of the HTML, Markdown
 * and PDF reports and in the running header of every printed page; carried in the JSON report.
 */
export const DocumentSchema = z.strictObject({
  title: documentText.optional(),
  classification: documentText.optional(),
  version: documentText.optional(),
  owner: documentText.optional(),
  approver: documentText.optional(),
  /** Who receives the report: one name or a list. */
  distribution: z
    .union([documentText, z.array(documentText).min(1, 'name at least one recipient')])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional(),
  next_review: calendarDay.optional(),
});

/** ISO/IEC 27004 measure types (Annex B's template: what the measure says about the ISMS). */
export const MEASURE_TYPES = ['implementation', 'effectiveness', 'efficiency', 'impact'] as const;
/** How a value is obtained: counted by a tool (objective) or judged by a person (subjective). */
export const METHODS = ['objective', 'subjective'] as const;
/** A measure's own life: draft (trialled), active, retired (kept for history, not reported). */
export const LIFECYCLES = ['draft', 'active', 'retired'] as const;
/** The statuses a `decision` may name an action for. */
export const DECISION_STATUSES = ['red', 'amber', 'green', 'no-data', 'stale'] as const;

/** A calendar day written yyyy-MM-dd (a date YAML keeps as text); the day must exist. */
export const calendarDate = z.string().refine(isCalendarDate, {
  error: (issue) => `${quote(String(issue.input))} is not a date written yyyy-MM-dd (like 2026-12-31)`,
});

export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** A date key: YAML 1.2 keeps `2026-12-31` as text; a number (`20261231`) is refused with the format. */
const dateKey = z.preprocess((v) => (typeof v === 'number' ? String(v) : v), calendarDate);

export const RolesSchema = z.strictObject({
  collector: nonEmpty.optional(),
  customer: nonEmpty.optional(),
  reviewer: nonEmpty.optional(),
});

export const DecisionSchema = z.partialRecord(z.enum(DECISION_STATUSES), nonEmpty);

/** `escalate_after`: a number of consecutive periods, 1 to 100. */
const escalateAfter = z
  .number({ error: 'expected a number of periods, like 2' })
  .int('expected a whole number of periods, like 2')
  .min(1, 'expected a number of periods from 1 to 100')
  .max(100, 'expected a number of periods from 1 to 100');

export const KpiSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9._-]*$/, 'ids start with a letter and use letters, digits, ".", "_" or "-"'),
  name: nonEmpty,
  description: z.string().optional(),
  owner: nonEmpty,
  cadence: z.enum(CADENCES),
  unit: nonEmpty,
  formula: nonEmpty,
  thresholds: ThresholdsSchema.optional(),
  controls: z.array(nonEmpty).default([]),
  area: nonEmpty.optional(),
  tags: z.array(nonEmpty).default([]),
  /** One field, or several (`[site, severity]`): segments are then the combinations of their values. */
  segment_by: z.union([nonEmpty, z.array(nonEmpty).min(1, 'name at least one field')]).optional(),
  caveat: nonEmpty.optional(),
  /**
   * Thresholds of some segments that differ from the KPI's (a plant with a lower target during a
   * migration), by segment as the report names it (several fields: their values joined with " / ").
   */
  segment_thresholds: z.record(z.string(), ThresholdsSchema).optional(),
  baseline: BaselineSchema.optional(),
  tier: z.enum(TIERS).default('supporting'),
  /** Digits shown by renderers; the saved JSON keeps full precision. */
  decimals: z.number().int().min(0).max(6).optional(),
  /**
   * How a change is judged in trends and diffs: `higher` or `lower` is better, or `none` (a change is only
   * "changed", e.g. detected incidents, where more can mean better detection). Default: the thresholds'.
   */
  direction: z.enum(['higher', 'lower', 'none']).optional(),
  // The measure itself (ISO/IEC 27004:2016 Annex B; docs/catalogue.md "The measurement programme").
  information_need: nonEmpty.optional(),
  /** The id of an entry of `objectives:` this KPI gives evidence for (one link, declared here). */
  objective: nonEmpty.optional(),
  measure_type: z.enum(MEASURE_TYPES).optional(),
  method: z.enum(METHODS).optional(),
  interpretation: nonEmpty.optional(),
  /** The action each status triggers, e.g. `red: corrective action within 10 days`. */
  decision: DecisionSchema.optional(),
  roles: RolesSchema.optional(),
  /** How often the measure itself is reviewed; `cadence` stays how often it is measured. */
  review_every: z.enum(CADENCES).optional(),
  last_reviewed: dateKey.optional(),
  lifecycle: z.enum(LIFECYCLES).optional(),
  /** Red or amber for this many consecutive periods (this one included): flagged persistent (issue 20). */
  escalate_after: escalateAfter.optional(),
});

export const ObjectiveSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9._-]*$/, 'ids start with a letter and use letters, digits, ".", "_" or "-"'),
  statement: nonEmpty,
  owner: nonEmpty,
  /** What each of its KPIs should reach, as a comparison (">= 98"); none: a statement only. */
  target: thresholdText.optional(),
  due: dateKey,
});

/**
 * An accepted deviation (a waiver): while it is valid, its KPI keeps its status and value but does not
 * fail --fail-on. `segment` names one segment of a segmented KPI (the values joined with " / " for
 * several fields). A number written for a segment (`segment: 12`) is read as its text.
 */
export const ExceptionSchema = z.strictObject({
  kpi: nonEmpty,
  segment: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), nonEmpty).optional(),
  reason: nonEmpty,
  approver: nonEmpty,
  /** A reference into the risk register (`RISK-042`). */
  risk: nonEmpty.optional(),
  /** The last day the exception is valid (inclusive). */
  expires: dateKey,
});

/**
 * `exceptions: { file: exceptions-register.csv }`: the block's entries are the rows of an exceptions
 * register (the `exceptions-register` preset's layout) that name a KPI, read when the catalogue is loaded
 * (src/app/exceptions-file.ts); the catalogue layer itself only ever sees the list.
 */
export const ExceptionsFileSchema = z.strictObject({ file: nonEmpty });

/**
 * A value collected by hand for one period (downtime minutes, incident cost), with who entered it and a
 * reference to its evidence. A formula reads it with manual("measure") (docs/catalogue.md "Manual
 * measures"). A whole-number value written for `period` (`2026`) is read as that year's label.
 */
export const ManualSchema = z.strictObject({
  measure: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'measure names are lower_snake_case, e.g. downtime_minutes'),
  period: periodLabel,
  value: z.number(),
  entered_by: nonEmpty,
  /** Where the evidence is (a ticket, a document reference). */
  evidence: nonEmpty,
  note: nonEmpty.optional(),
});

/**
 * `actions: { file: fixtures/acme/actions.yaml }`: the catalogue's actions are read from an actions file
 * (the layout of actions.yaml, or a CSV with the `corrective-actions` preset's columns), relative to the
 * catalogue's folder, when the catalogue is loaded; the catalogue layer itself only ever sees the list.
 */
export const ActionsFileSchema = z.strictObject({ file: nonEmpty });

/** The states of a corrective action (docs/management-review.md, "Corrective actions"). */
export const ACTION_STATUSES = ['open', 'done', 'cancelled'] as const;

/** A period label (`2026-Q2`, `2026-07`) or a day (`2026-07-15`): when an action was opened or is due. */
export function isPeriodOrDate(text: string): boolean {
  return isCalendarDate(text) || parsePeriod(text, { tz: 'UTC' }).ok;
}

const periodOrDate = z.preprocess(
  (value) => (typeof value === 'number' && Number.isInteger(value) ? String(value) : value),
  z
    .string()
    .trim()
    .refine(isPeriodOrDate, {
      error: (issue) =>
        `${quote(String(issue.input))} is neither a period (2026-Q2, 2026-07) nor a date written yyyy-MM-dd (2026-07-15)`,
    }),
);

/**
 * A corrective action (ISO/IEC 27001 10.2) taken on one KPI, or one segment of it: in an `actions:` block
 * of the catalogue, in actions.yaml beside it, or as the rows of a CSV with the same columns
 * (src/catalogue/actions.ts). `expected` is the effect it should have, as a threshold (`>= 95`).
 */
export const ActionSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9._-]*$/, 'ids start with a letter and use letters, digits, ".", "_" or "-"'),
  kpi: nonEmpty,
  segment: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), nonEmpty).optional(),
  opened: periodOrDate,
  owner: nonEmpty,
  description: nonEmpty,
  expected: thresholdText,
  due: periodOrDate,
  status: z.enum(ACTION_STATUSES),
  /** Ticket ids: one text, or a list. */
  links: z
    .union([nonEmpty, z.array(nonEmpty)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .default([]),
});
/** A significance level (alpha) above 0 and at most 0.5, or `off`. */
export const SignificanceSetting = z.union([
  z.literal('off'),
  z
    .number({ error: 'expected a significance level like 0.05, or off' })
    .gt(0, 'a significance level is above 0, like 0.05')
    .max(0.5, 'a significance level is at most 0.5 (0.05 gives 95 % intervals; 0.95 is a confidence level)'),
]);

export const CatalogueSchema = z.strictObject({
  organisation: nonEmpty,
  timezone: nonEmpty.default('UTC'),
  /** Month (1-12) the fiscal year starts in; FY periods and quarterly cadences follow it. */
  fiscal_year_start: z.number().int().min(1).max(12).default(1),
  /** Default reporting period when none is given on the command line. */
  period: periodLabel.optional(),
  /** Document control shown on the report (title, classification, version, owner, approver, ...). */
  document: DocumentSchema.optional(),
  sources: z.record(
    z.string().regex(/^[a-z_][a-z0-9_]*$/, 'source names are lower_snake_case'),
    SourceSchema,
  ),
  /** ISMS objectives (ISO/IEC 27001 clause 6.2) the KPIs measure progress towards. */
  objectives: z.array(ObjectiveSchema).default([]),
  /** Accepted deviations: a KPI (or one segment of it) that may miss its target until a date. */
  exceptions: z.union([z.array(ExceptionSchema), ExceptionsFileSchema]).default([]),
  /** Values collected by hand, per measure and period, read by formulas with manual("measure"). */
  manual: z.array(ManualSchema).default([]),
  /**
   * Corrective actions on KPIs (also in actions.yaml beside the catalogue); `{ file: FILE }` reads them
   * from an actions file (.yaml or .csv) when the catalogue is loaded (src/app/catalogue.ts).
   */
  actions: z.union([z.array(ActionSchema), ActionsFileSchema]).default([]),
  /**
   * The significance level (alpha) of diffs, trend verdicts and the reports' intervals (0.05: 95 %
   * intervals); `off`: no tests (docs/report-format.md "Significance"). --significance overrides it.
   */
  significance: SignificanceSetting.optional(),
  /** Red or amber for this many consecutive periods (this one included): a KPI is flagged persistent. */
  escalate_after: escalateAfter.optional(),
  kpis: z.array(KpiSchema).min(1, 'the catalogue declares no KPI'),
});

export type KpiConfig = z.infer<typeof KpiSchema>;
export type DocumentConfig = z.infer<typeof DocumentSchema>;
export type ObjectiveConfig = z.infer<typeof ObjectiveSchema>;
export type ExceptionConfig = z.infer<typeof ExceptionSchema>;
export type ManualConfig = z.infer<typeof ManualSchema>;
export type ActionConfig = z.infer<typeof ActionSchema>;
export type CatalogueConfig = z.infer<typeof CatalogueSchema>;
