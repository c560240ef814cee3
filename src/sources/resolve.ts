/**
 * Turns a catalogue source entry into a fully resolved reading plan: absolute path, format, CSV or JSON
 * options and one FieldSpec per canonical field with every default filled in.
 */
import path from 'node:path';
import type { FieldSpec } from './convert.js';
import {
  DEFAULT_FALSE_TOKENS,
  DEFAULT_NULL_TOKENS,
  DEFAULT_TRUE_TOKENS,
  type FieldConfig,
  type SourceConfig,
} from './schema.js';

export interface ResolvedSource {
  name: string;
  config: SourceConfig;
  /** Path template from the catalogue, relative to it; `{period}` is replaced at load time. */
  pathTemplate: string;
  baseDir: string;
  format: 'csv' | 'json' | 'jsonl';
  kind: 'events' | 'snapshot';
  timeField: string | undefined;
  /** The fields that identify a row (`key:`), in the order written; empty when the source has none. */
  key: string[];
  fields: FieldSpec[];
  timezone: string;
}

export function resolveSource(
  name: string,
  config: SourceConfig,
  catalogue: { timezone: string },
  baseDir: string,
): ResolvedSource {
  const timezone = config.timezone ?? catalogue.timezone;
  const fields = Object.entries(config.fields).map(([fieldName, raw]) =>
    resolveField(
      fieldName,
      typeof raw === 'string' ? { column: raw, type: 'string', required: false } : raw,
      config,
      timezone,
    ),
  );
  // The time field of an events source places each row in a period, so it cannot be empty.
  for (const field of fields) if (field.name === config.time_field) field.required = true;
  return {
    name,
    config,
    pathTemplate: config.path,
    baseDir,
    format: config.format ?? inferFormat(config.path),
    kind: config.kind,
    timeField: config.time_field,
    key: config.key === undefined ? [] : Array.isArray(config.key) ? config.key : [config.key],
    fields,
    timezone,
  };
}

export function inferFormat(file: string): 'csv' | 'json' | 'jsonl' {
  const ext = path.extname(file.replace(/\{period\}/g, '')).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  return 'csv';
}

function resolveField(name: string, field: FieldConfig, source: SourceConfig, timezone: string): FieldSpec {
  const columns =
    field.column === undefined
      ? [field.path ?? name]
      : Array.isArray(field.column)
        ? field.column
        : [field.column];
  const column = columns[0]!;
  const formats =
    field.format === undefined ? [] : Array.isArray(field.format) ? field.format : [field.format];
  return {
    name,
    type: field.type,
    required: field.required,
    column,
    columns,
    jsonPath: (field.path ?? column).split('.'),
    jsonPaths: (field.path ? [field.path] : columns).map((c) => c.split('.')),
    occurrence: field.occurrence ?? (field.type === 'list' ? 'all' : 1),
    formats,
    timezone: field.timezone ?? timezone,
    values: field.values ?? [],
    separator: field.separator ?? ',',
    unit: field.unit ?? 'seconds',
    nullTokens: new Set(field.null_tokens ?? source.null_tokens ?? DEFAULT_NULL_TOKENS),
    trueTokens: new Set(field.true_values ?? source.true_values ?? DEFAULT_TRUE_TOKENS),
    falseTokens: new Set(field.false_values ?? source.false_values ?? DEFAULT_FALSE_TOKENS),
  };
}

/**
 * The tokens of a path that name a period: a path with one is a different file for each period (one
 * snapshot saved per quarter, say), so a snapshot read through it is taken to be as of the end of the
 * period the path names. Tokens that name a part of the period (`{year}`, `{quarter}`, ...) are to be
 * added here, so that every check of "does this path name the period" sees them.
 */
export const PERIOD_PATH_TOKENS: readonly string[] = ['period'];

/** The period tokens a path template holds (`['period']` for `nessus-{period}.csv`), in token order. */
export function periodTokensIn(pathTemplate: string): string[] {
  return PERIOD_PATH_TOKENS.filter((token) => pathTemplate.includes(`{${token}}`));
}

/** `{period}` in a path is replaced with the period label, so each quarter can keep its own snapshot file. */
export function sourcePath(source: ResolvedSource, periodLabel: string): string {
  return path.resolve(source.baseDir, source.pathTemplate.replace(/\{period\}/g, periodLabel));
}
