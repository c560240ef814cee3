/**
 * The metrics.yaml schema: the single source of truth for the catalogue. Every object is strict, so a
 * misspelt key is reported with its name and line instead of being ignored.
 */
import { z } from 'zod';
import { applyPreset, presetVariant } from '../sources/presets/apply.js';
import { PRESET_NAMES, PRESETS } from '../sources/presets/index.js';
import { closest } from './suggest.js';

export const FIELD_TYPES = [
  'string',
  'integer',
  'number',
  'boolean',
  'datetime',
  'duration',
  'enum',
  'list',
] as const;
export const CADENCES = ['weekly', 'monthly', 'quarterly', 'semiannual', 'annual'] as const;
export const TIERS = ['key', 'supporting', 'informational'] as const;
export const RECORD_TYPES = [
  'incident',
  'change',
  'account',
  'access_review',
  'jml_event',
  'backup_session',
  'restore_test',
  'finding',
] as const;

export const DEFAULT_NULL_TOKENS = [
  '',
  'N/A',
  'n/a',
  'NA',
  'null',
  'NULL',
  '?',
  'no_information',
  'not_supported',
];
export const DEFAULT_TRUE_TOKENS = ['true', 'yes', 'y', '1'];
export const DEFAULT_FALSE_TOKENS = ['false', 'no', 'n', '0'];

const nonEmpty = z.string().trim().min(1, 'must not be empty');

export const FieldSchema = z.strictObject({
  /**
   * Header name in a CSV (matched case-insensitively, trimmed). Defaults to the field's own name. A list
   * gives names used by different versions of the export (`[id, objectId]`): the first one present wins.
   */
  column: z.union([nonEmpty, z.array(nonEmpty).min(1)]).optional(),
  /** Dotted path inside a JSON record (`security_advisory.severity`). Defaults to `column`, then the field name. */
  path: nonEmpty.optional(),
  type: z.enum(FIELD_TYPES).default('string'),
  required: z.boolean().default(false),
  /** Which of several columns with the same header: 1-based, or `all` to collect them into a list. */
  occurrence: z.union([z.number().int().min(1), z.literal('all')]).optional(),
  /** datetime: date-fns format strings tried in order (ISO 8601 is always accepted too). */
  format: z.union([nonEmpty, z.array(nonEmpty).min(1)]).optional(),
  /** datetime: zone of values written without an offset (default: the source's, then the catalogue's). */
  timezone: nonEmpty.optional(),
  /** enum: the allowed values (matched case-insensitively, stored with this spelling). */
  values: z.array(nonEmpty).min(1).optional(),
  /** list: separator inside one cell (default ","). */
  separator: z.string().min(1).optional(),
  /** duration: unit of bare numbers (default seconds). */
  unit: z.enum(['milliseconds', 'seconds', 'minutes', 'hours', 'days']).optional(),
  /** Tokens that mean "no value" for this field only (replaces the source's). */
  null_tokens: z.array(z.string()).optional(),
  /** boolean: tokens for this field only (replace the source's). */
  true_values: z.array(z.string()).min(1).optional(),
  false_values: z.array(z.string()).min(1).optional(),
  description: z.string().optional(),
});

export const FieldShorthandSchema = z.union([nonEmpty, FieldSchema]);

export const CsvOptionsSchema = z.strictObject({
  delimiter: z.union([z.literal('auto'), z.string().length(1), z.literal('\\t')]).default('auto'),
  quote: z.string().length(1).default('"'),
  skip_lines: z.number().int().min(0).default(0),
  header_starts_with: nonEmpty.optional(),
  encoding: z.enum(['auto', 'utf-8', 'utf-16le', 'utf-16be', 'latin1', 'windows-1252']).default('auto'),
});

export const JsonOptionsSchema = z.strictObject({
  /** JSON pointer (RFC 6901) to the array of records inside an API envelope, e.g. `/value`. */
  records: z.string().default(''),
});

const SourceObjectSchema = z
  .strictObject({
    path: nonEmpty,
    /** A vendor export's mapping (src/sources/presets/); every key and field below overrides it. */
    preset: nonEmpty.optional(),
    format: z.enum(['csv', 'json', 'jsonl']).optional(),
    kind: z.enum(['events', 'snapshot']).optional(),
    description: z.string().optional(),
    /** events: the datetime field that places each row in a period. */
    time_field: nonEmpty.optional(),
    /** snapshot: the date the export reflects: `period_end` (default), a date, or taken from a column. */
    as_of: z.union([z.literal('period_end'), nonEmpty]).optional(),
    as_of_field: nonEmpty.optional(),
    record_type: z.enum(RECORD_TYPES).optional(),
    optional: z.boolean().default(false),
    on_invalid: z.enum(['reject', 'fail']).default('reject'),
    duplicates: z.enum(['keep', 'drop-exact']).default('keep'),
    timezone: nonEmpty.optional(),
    csv: CsvOptionsSchema.optional(),
    json: JsonOptionsSchema.optional(),
    null_tokens: z.array(z.string()).optional(),
    true_values: z.array(z.string()).min(1).optional(),
    false_values: z.array(z.string()).min(1).optional(),
    fields: z
      .record(
        z.string().regex(/^[a-z_][a-z0-9_]*$/, 'field names are lower_snake_case'),
        FieldShorthandSchema,
      )
      .optional(),
  })
  .superRefine((source, ctx) => {
    if (source.preset !== undefined) {
      const message = presetProblem(source);
      if (message) ctx.addIssue({ code: 'custom', message, path: ['preset'] });
      // An unknown preset filled nothing in: the missing keys below are its consequence, not news.
      if (message) return;
    }
    if (source.kind === undefined)
      ctx.addIssue({
        code: 'custom',
        message:
          'missing required key "kind": events (rows happen at a time) or snapshot (a list as of a date)',
        path: [],
      });
    if (source.fields === undefined)
      ctx.addIssue({
        code: 'custom',
        message: 'missing required key "fields": the columns to read, or a preset that names them',
        path: [],
      });
    if (source.kind === 'events' && !source.time_field) {
      ctx.addIssue({
        code: 'custom',
        message: 'an events source needs time_field: the datetime field that places each row in a period',
        path: ['kind'],
      });
    }
    if (source.kind === 'snapshot' && source.time_field) {
      ctx.addIssue({
        code: 'custom',
        message: 'time_field is for events sources; a snapshot uses as_of',
        path: ['time_field'],
      });
    }
    if (source.as_of !== undefined && source.as_of_field !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'give either as_of or as_of_field, not both',
        path: ['as_of_field'],
      });
    }
  });

function presetProblem(source: {
  preset?: string | undefined;
  format?: string | undefined;
  path: string;
}): string | undefined {
  const name = source.preset!;
  const preset = Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
  if (!preset) {
    const lower = name.toLowerCase();
    const near = PRESET_NAMES.filter((p) => p.includes(lower) || lower.includes(p));
    const typo = closest(name, PRESET_NAMES);
    const hint = near.length > 0 ? near : typo ? [typo] : [];
    return `unknown preset "${name}"${hint.length > 0 ? ` (did you mean ${hint.map((h) => `"${h}"`).join(' or ')}?)` : ''}; \`isms-kpi presets\` lists them and \`isms-kpi detect FILE\` names the one an export matches`;
  }
  if (!presetVariant(source))
    return `${name} reads ${Object.keys(preset.formats).join(' or ')} exports only; set format: or give the file that extension`;
  return undefined;
}

/** A source; `preset: NAME` is expanded into the keys it stands for before anything is checked. */
export const SourceSchema = z.preprocess(
  applyPreset,
  // kind and fields are only optional while a bad preset is reported; the refinement above insists on them.
  SourceObjectSchema.transform((source) => ({ ...source, kind: source.kind!, fields: source.fields! })),
);

export const THRESHOLD_PATTERN = /^\s*(>=|<=|>|<|==)\s*(-?\d+(?:\.\d+)?)\s*$/;
const thresholdText = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .refine((v) => THRESHOLD_PATTERN.test(v), {
    message: 'expected a comparison with a number, like ">= 95" or "<= 4"',
  });

export const ThresholdsSchema = z.strictObject({ green: thresholdText, amber: thresholdText.optional() });

export const BaselineSchema = z.strictObject({
  value: z.number(),
  period: nonEmpty.optional(),
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
  segment_by: nonEmpty.optional(),
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
  period: nonEmpty.optional(),
  sources: z.record(
    z.string().regex(/^[a-z_][a-z0-9_]*$/, 'source names are lower_snake_case'),
    SourceSchema,
  ),
  kpis: z.array(KpiSchema).min(1, 'the catalogue declares no KPI'),
});

export type FieldConfig = z.infer<typeof FieldSchema>;
export type SourceConfig = z.infer<typeof SourceSchema>;
export type KpiConfig = z.infer<typeof KpiSchema>;
export type CatalogueConfig = z.infer<typeof CatalogueSchema>;
export type Cadence = (typeof CADENCES)[number];
export type RecordType = (typeof RECORD_TYPES)[number];
