/**
 * A preset in words: one summary line per preset and one row per field, as data. `isms-kpi presets` and
 * docs/presets.md both render these, so the two never disagree.
 */
import type { Preset, PresetField, PresetVariant } from './types.js';

export type PresetFormat = 'csv' | 'json';

export interface PresetSummary {
  name: string;
  title: string;
  formats: PresetFormat[];
  /** Of the first variant (all variants of the registered presets agree). */
  kind: 'events' | 'snapshot';
  record_type?: string;
  time_field?: string;
}

export interface PresetFieldRow {
  field: string;
  /** Vendor column names (alternatives, first present wins) or the JSON path. */
  source: string[];
  type: string;
  isRequired: boolean;
  /** datetime formats tried in order (ISO 8601 is always accepted too). */
  format: string[];
  /** Everything else a reader needs: description, allowed values, time zone, unit, list handling. */
  notes: string[];
}

export function variantsOf(preset: Preset): { format: PresetFormat; variant: PresetVariant }[] {
  const list: { format: PresetFormat; variant: PresetVariant }[] = [];
  for (const format of ['csv', 'json'] as const) {
    const variant = preset.formats[format];
    if (variant) list.push({ format, variant });
  }
  return list;
}

export function presetSummary(preset: Preset): PresetSummary {
  const variants = variantsOf(preset);
  const first = variants[0]?.variant;
  const summary: PresetSummary = {
    name: preset.name,
    title: preset.title,
    formats: variants.map((v) => v.format),
    kind: first?.kind ?? 'snapshot',
  };
  if (first?.record_type) summary.record_type = first.record_type;
  if (first?.time_field) summary.time_field = first.time_field;
  return summary;
}

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Shows a separator or token a reader could not see otherwise (`\u001f`, a tab). */
function visible(text: string): string {
  if (text === '') return '(empty)';
  return /[\u0000-\u001f]/.test(text) ? JSON.stringify(text).slice(1, -1) : text;
}

/**
 * Where a preset field reads from, as the loader reads it: the JSON path, else the column names
 * (alternatives, first present wins), else the field's own name.
 */
export function fieldSourceNames(field: PresetField, name: string, format: PresetFormat): string[] {
  if (typeof field === 'string') return [field];
  if (format === 'json' && field.path !== undefined) return [field.path];
  const columns = list(field.column);
  return columns.length > 0 ? columns : [name];
}

export function presetFieldRows(variant: PresetVariant, format: PresetFormat): PresetFieldRow[] {
  return Object.entries(variant.fields).map(([field, raw]) => {
    const spec: Exclude<PresetField, string> = typeof raw === 'string' ? { column: raw } : raw;
    const source = fieldSourceNames(raw, field, format);
    const type = spec.type ?? 'string';
    const notes: string[] = [];
    if (spec.description) notes.push(spec.description);
    if (spec.values) notes.push(`one of ${spec.values.join(', ')}`);
    if (spec.map)
      notes.push(
        `codes read as values: ${Object.entries(spec.map)
          .map(([code, value]) => `${code} ${String(value)}`)
          .join(', ')}`,
      );
    if (spec.timezone) notes.push(`read in ${spec.timezone}`);
    if (spec.unit) notes.push(`bare numbers are ${spec.unit}`);
    if (spec.occurrence === 'all') notes.push('every column of this name, collected into one list');
    else if (spec.occurrence !== undefined) notes.push(`column number ${spec.occurrence} of this name`);
    // A control character as separator never occurs in a cell: each cell is one whole item.
    if (spec.separator !== undefined)
      notes.push(
        /^[\u0000-\u001f]$/.test(spec.separator) && spec.separator !== '\t'
          ? 'each cell is one item, never split'
          : `items separated by ${visible(spec.separator)}`,
      );
    if (spec.null_tokens) notes.push(`no value: ${spec.null_tokens.map(visible).join(', ')}`);
    if (spec.true_values) notes.push(`true: ${spec.true_values.join(', ')}`);
    if (spec.false_values) notes.push(`false: ${spec.false_values.join(', ')}`);
    if (spec.personal) notes.push('personal: pseudonymised by `report --pseudonymise`');
    return {
      field,
      source,
      type,
      isRequired: spec.required === true,
      format: list(spec.format),
      notes,
    };
  });
}
