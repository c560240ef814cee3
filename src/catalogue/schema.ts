/**
 * The metrics.yaml schema: the single source of truth for the catalogue. Every object is strict, so a
 * misspelt key is reported with its name and line instead of being ignored. Sources follow the intake's
 * schema (src/sources/schema.ts); presets are expanded by the loader (parse.ts) before validation.
 */
import { z } from 'zod';
import { SourceSchema } from '../sources/schema.js';
import { quote } from '../text.js';
import { CADENCES } from '../time/period.js';
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
  baseline: BaselineSchema.optional(),
  tier: z.enum(TIERS).default('supporting'),
  /** Digits shown by renderers; the saved JSON keeps full precision. */
  decimals: z.number().int().min(0).max(6).optional(),
  /**
   * How a change is judged in trends and diffs: `higher` or `lower` is better, or `none` (a change is only
   * "changed", e.g. detected incidents, where more can mean better detection). Default: the thresholds'.
   */
  direction: z.enum(['higher', 'lower', 'none']).optional(),
});

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
  kpis: z.array(KpiSchema).min(1, 'the catalogue declares no KPI'),
});

export type KpiConfig = z.infer<typeof KpiSchema>;
export type DocumentConfig = z.infer<typeof DocumentSchema>;
export type CatalogueConfig = z.infer<typeof CatalogueSchema>;
