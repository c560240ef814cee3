/**
 * The metrics.yaml schema: the single source of truth for the catalogue. Every object is strict, so a
 * misspelt key is reported with its name and line instead of being ignored. Sources follow the intake's
 * schema (src/sources/schema.ts); presets are expanded by the loader (parse.ts) before validation.
 */
import { z } from 'zod';
import { SourceSchema } from '../sources/schema.js';
import { quote } from '../text.js';
import { CADENCES } from '../time/period.js';

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
});

export const CatalogueSchema = z.strictObject({
  organisation: nonEmpty,
  timezone: nonEmpty.default('UTC'),
  /** Month (1-12) the fiscal year starts in; FY periods and quarterly cadences follow it. */
  fiscal_year_start: z.number().int().min(1).max(12).default(1),
  /** Default reporting period when none is given on the command line. */
  period: periodLabel.optional(),
  sources: z.record(
    z.string().regex(/^[a-z_][a-z0-9_]*$/, 'source names are lower_snake_case'),
    SourceSchema,
  ),
  kpis: z.array(KpiSchema).min(1, 'the catalogue declares no KPI'),
});

export type KpiConfig = z.infer<typeof KpiSchema>;
export type CatalogueConfig = z.infer<typeof CatalogueSchema>;
