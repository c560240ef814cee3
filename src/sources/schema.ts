/**
 * What a source is: the schema of one catalogue `sources:` entry (where the export is, how to read it,
 * which columns become which typed fields). The intake reads files by this plan; the catalogue embeds it.
 * Presets are not known here: the catalogue loader expands `preset: NAME` into these keys first.
 */
import { z } from 'zod';
import { FILE_UNITS } from '../time/period.js';

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

/**
 * How a snapshot's as-of instant was determined (src/engine/as-of.ts), first rule first; `unknown` when no
 * rule applies. The report records it per source (`asOfSource`).
 */
export const AS_OF_SOURCES = [
  'field',
  'catalogue',
  'command-line',
  'path',
  'file-name',
  'file-modified',
  'unknown',
] as const;
export type AsOfSource = (typeof AS_OF_SOURCES)[number];

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
  /**
   * Codes to values (`{ "5": Urgent, "4": Critical }`): a cell equal to a code (after trimming; exactly, else
   * ignoring letter case) is read as its value, before the field's type and enum values are checked. Cells
   * that are no code are read as they are. src/sources/convert.ts applies it; source-checks.ts checks it.
   */
  map: z
    .record(
      z.string(),
      z.union([nonEmpty, z.number(), z.boolean()]).transform((value) => String(value)),
    )
    .optional(),
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
  /**
   * The field identifies a person (a user name, an e-mail address, a display name, an assignee): a
   * pseudonymised evidence pack (`report --evidence DIR --pseudonymise`) replaces its values with keyed
   * pseudonyms (src/evidence/pseudonymise.ts). Presets mark their person fields; a catalogue can mark its own.
   */
  personal: z.boolean().optional(),
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

const OFFSET_RANGE = 'must be a whole number from -1 (the file of the period before the reported one) to -12';

export const SourceObjectSchema = z
  .strictObject({
    /**
     * The file, relative to the catalogue; or a glob (`exports/changes-*.csv`: `*`, `?`, `**`) or a list
     * of paths, read as one table (src/sources/inputs.ts).
     */
    path: z.union([nonEmpty, z.array(nonEmpty).min(1)]),
    /** A vendor export's mapping (src/presets/), expanded by the catalogue loader before this schema runs. */
    preset: nonEmpty.optional(),
    format: z.enum(['csv', 'json', 'jsonl']).optional(),
    kind: z.enum(['events', 'snapshot']).optional(),
    description: z.string().optional(),
    /**
     * The field, or fields, that identify a row: an incident id, a user principal, plugin and host. The
     * one definition of a row's identity: explain shows it first on each row (later: de-duplication
     * across files, audit samples). Each name must be a field of the source (source-checks.ts).
     */
    key: z.union([nonEmpty, z.array(nonEmpty).min(1)]).optional(),
    /** events: the datetime field that places each row in a period. */
    time_field: nonEmpty.optional(),
    /**
     * snapshot: when the export was taken: a date or date-time, `period_end` (only for a path with a period
     * token), or `file_modified` (the file's modification time). Without it: src/engine/as-of.ts.
     */
    as_of: z.union([z.literal('period_end'), nonEmpty]).optional(),
    /**
     * The path keeps one file per month, quarter, half or year (its period tokens name that unit): a report
     * for a shorter period reads the file of the unit it falls in (src/sources/path-template.ts).
     */
    one_file_per: z.enum(FILE_UNITS).optional(),
    /**
     * snapshot with period tokens: read the file of an earlier period instead of the reported one (-1: the
     * period before), so a KPI can compare two snapshots of one register (src/sources/path-template.ts).
     */
    period_offset: z.number().int(OFFSET_RANGE).min(-12, OFFSET_RANGE).max(-1, OFFSET_RANGE).optional(),
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

/** A validated source entry: kind and fields are present (the refinement above insists on them). */
export const SourceSchema = SourceObjectSchema.transform((source) => ({
  ...source,
  kind: source.kind!,
  fields: source.fields!,
}));

export type FieldConfig = z.infer<typeof FieldSchema>;
export type SourceConfig = z.infer<typeof SourceSchema>;
export type RecordType = (typeof RECORD_TYPES)[number];
