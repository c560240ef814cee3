/**
 * Expands `preset: NAME` in a raw catalogue source into the keys the preset stands for, before the
 * source is validated: the preset's keys come first and everything the user wrote wins, field by field
 * and key by key inside a field. A field set to null (`summary: ~`) is left out.
 */

import { innerName } from '../sources/inflate.js';
import { quote } from '../text.js';
import { closest } from '../util/closest.js';
import { PRESET_NAMES, PRESETS } from './index.js';
import type { Preset, PresetVariant } from './types.js';

type Raw = Record<string, unknown>;

const isObject = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The file format a source reads with a preset; JSON Lines uses the preset's JSON variant, one record per line. */
export function presetFormat(raw: Raw, preset: Preset): 'csv' | 'json' | 'jsonl' | undefined {
  if (raw.format === 'csv' || raw.format === 'json')
    return preset.formats[raw.format] ? raw.format : undefined;
  if (raw.format === 'jsonl') return preset.formats.json ? 'jsonl' : undefined;
  if (raw.format !== undefined) return undefined;
  // The first path of a list; `a.json.gz` and `a.zip#b.json` by the file inside them.
  const first: unknown = Array.isArray(raw.path) ? raw.path[0] : raw.path;
  const file =
    typeof first === 'string'
      ? innerName(first)
          .replace(/[*?]+$/, '')
          .toLowerCase()
      : '';
  if (file.endsWith('.json')) return preset.formats.json ? 'json' : undefined;
  if (file.endsWith('.jsonl') || file.endsWith('.ndjson')) return preset.formats.json ? 'jsonl' : undefined;
  if (file.endsWith('.csv') || file.endsWith('.txt')) return preset.formats.csv ? 'csv' : undefined;
  return Object.keys(preset.formats)[0] as 'csv' | 'json';
}

/** The preset variant a raw source gets, or undefined when it names no known preset or format. */
export function presetVariant(
  raw: Raw,
): { preset: Preset; variant: PresetVariant; format: 'csv' | 'json' | 'jsonl' } | undefined {
  const preset =
    typeof raw.preset === 'string' && Object.hasOwn(PRESETS, raw.preset) ? PRESETS[raw.preset] : undefined;
  if (!preset) return undefined;
  const format = presetFormat(raw, preset);
  const variant = format ? preset.formats[format === 'jsonl' ? 'json' : format] : undefined;
  return variant && format ? { preset, variant, format } : undefined;
}

/** Why a raw source's `preset:` cannot be expanded (unknown name, or a format the preset lacks), if it cannot. */
export function presetProblem(raw: Raw): string | undefined {
  const name = String(raw.preset);
  const preset = Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
  if (!preset) {
    const lower = name.toLowerCase();
    const near = PRESET_NAMES.filter((p) => p.includes(lower) || lower.includes(p));
    const typo = closest(name, PRESET_NAMES);
    const hint = near.length > 0 ? near : typo ? [typo] : [];
    return `unknown preset ${quote(name)}${hint.length > 0 ? ` (did you mean ${hint.map((h) => `"${h}"`).join(' or ')}?)` : ''}; \`isms-kpi presets\` lists them and \`isms-kpi detect FILE\` names the one an export matches`;
  }
  if (!presetVariant(raw))
    return `${name} reads ${Object.keys(preset.formats).join(' or ')} exports only; set format: or give the file that extension`;
  return undefined;
}

export function applyPreset(raw: unknown): unknown {
  if (!isObject(raw)) return raw;
  const found = presetVariant(raw);
  if (!found) return raw;
  const { variant, format } = found;
  const { fields: userFields, csv: userCsv, json: userJson, ...userRest } = raw;
  const out: Raw = { format };
  for (const key of [
    'kind',
    'time_field',
    'key',
    'record_type',
    'duplicates',
    'null_tokens',
    'true_values',
    'false_values',
  ] as const) {
    if (variant[key] !== undefined) out[key] = structuredClone(variant[key]);
  }
  // A snapshot preset used as events (or the reverse) must not keep the other kind's keys.
  if (userRest.kind === 'snapshot') delete out.time_field;
  Object.assign(out, userRest);
  if (format === 'csv' && (variant.csv || userCsv !== undefined))
    out.csv = isObject(userCsv) ? { ...variant.csv, ...userCsv } : (userCsv ?? { ...variant.csv });
  if (format === 'json' && (variant.json || userJson !== undefined))
    out.json = isObject(userJson) ? { ...variant.json, ...userJson } : (userJson ?? { ...variant.json });
  out.fields = mergeFields(variant.fields, userFields);
  // The preset's key names its own fields: when the user dropped one of them, the source has no key
  // (rather than a key that names a field it does not have). A key the user wrote is checked as written.
  if (userRest.key === undefined && variant.key !== undefined) {
    const fields = isObject(out.fields) ? out.fields : {};
    if (![variant.key].flat().every((name) => Object.hasOwn(fields, name))) delete out.key;
  }
  return out;
}

function mergeFields(presetFields: PresetVariant['fields'], userFields: unknown): unknown {
  if (userFields !== undefined && !isObject(userFields)) return userFields;
  const merged: Raw = structuredClone(presetFields) as Raw;
  for (const [name, user] of Object.entries(userFields ?? {})) {
    const base = merged[name];
    if (user === null) delete merged[name];
    else if (!isObject(base)) merged[name] = user;
    // A bare name is the column in a CSV and the key path in a JSON record, as for a field without a preset.
    else if (typeof user === 'string')
      merged[name] =
        base.path !== undefined ? { ...base, path: user, column: undefined } : { ...base, column: user };
    else if (isObject(user)) merged[name] = { ...base, ...user };
    else merged[name] = user;
  }
  return merged;
}
