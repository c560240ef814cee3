/**
 * What a preset is: the reading plan of one vendor export (format options, null and boolean tokens, and
 * the mapping from vendor columns to canonical field names), written as the catalogue keys a user would
 * otherwise write by hand. A source that names the preset gets all of it, and overrides any part.
 */
import type { z } from 'zod';
import type { CsvOptionsSchema, FieldSchema, RecordType } from '../sources/schema.js';

/** A field as a catalogue author writes it (defaults not yet filled in). */
export type PresetField = z.input<typeof FieldSchema>;

/** The part of a preset for one file format (some tools export both CSV and JSON). */
export interface PresetVariant {
  kind: 'events' | 'snapshot';
  /** events: the datetime field that places each row in a period. */
  time_field?: string;
  /** The field(s) that identify a row, where the export has such an id (the source's `key:`). */
  key?: string | string[];
  record_type?: RecordType;
  duplicates?: 'keep' | 'drop-exact';
  csv?: z.input<typeof CsvOptionsSchema>;
  json?: { records?: string };
  null_tokens?: string[];
  true_values?: string[];
  false_values?: string[];
  fields: Record<string, PresetField>;
  /**
   * How `isms-kpi detect` recognises the export. CSV: header names (case-insensitive). JSON: keys of the
   * first record, nested ones as dotted paths (`security_advisory.severity`).
   */
  signature: {
    /** Columns every export of this kind has; together they identify it. A list means "any one of these". */
    required: (string | string[])[];
    /** Columns it usually has; they raise the confidence and are not reported as extra. */
    optional?: string[];
  };
}

export interface Preset {
  /** The name a catalogue writes after `preset:` (kebab-case). */
  name: string;
  /** The export in words, e.g. "AWS IAM credential report (CSV)". */
  title: string;
  /** The variants by format; the first is used when the source's path does not say. */
  formats: Partial<Record<'csv' | 'json', PresetVariant>>;
  /** The export's quirks and how the preset handles them (shown in docs/presets.md). */
  notes: string[];
}
