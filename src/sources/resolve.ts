/**
 * Turns a catalogue source entry into a fully resolved reading plan: absolute path, format, CSV or JSON
 * options and one FieldSpec per canonical field with every default filled in.
 */
import path from 'node:path';
import type { FileUnit, Period } from '../time/period.js';
import type { FieldSpec } from './convert.js';
import { innerName } from './inflate.js';
import { fillPathTemplate, type PathChoice } from './path-template.js';
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
  /**
   * Path template from the catalogue, relative to it; its period tokens are filled at load time
   * (path-template.ts). For a source read from several files (a glob, or a list in `pathTemplates`), the
   * first entry.
   */
  pathTemplate: string;
  /** Every path template of the source: one, or the entries of a list (src/sources/inputs.ts). */
  pathTemplates: string[];
  baseDir: string;
  /** `one_file_per:` the unit the path keeps one file per, when it is not the reported period's. */
  oneFilePer: FileUnit | undefined;
  /** `period_offset:` (-1 to -12): the file of an earlier period is read (path-template.ts). */
  periodOffset?: number | undefined;
  /** The catalogue's fiscal year start (1-12): the quarters and years `one_file_per` counts in. */
  fiscalYearStart: number;
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
  catalogue: { timezone: string; fiscal_year_start?: number },
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
    pathTemplate: [config.path].flat()[0]!,
    pathTemplates: [config.path].flat(),
    baseDir,
    oneFilePer: config.one_file_per,
    periodOffset: config.period_offset,
    fiscalYearStart: catalogue.fiscal_year_start ?? 1,
    format: config.format ?? inferFormat([config.path].flat()[0]!),
    kind: config.kind,
    timeField: config.time_field,
    key: config.key === undefined ? [] : Array.isArray(config.key) ? config.key : [config.key],
    fields,
    timezone,
  };
}

export function inferFormat(file: string): 'csv' | 'json' | 'jsonl' {
  // Period tokens are no part of the extension; `a.csv.gz` and `a.zip#b.json` are read as the file
  // inside them; a glob's `*.json*` as `.json`.
  const ext = path.extname(innerName(file.replace(/\{[^{}]*\}/g, '')).replace(/[*?]+$/, '')).toLowerCase();
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
    map: new Map(Object.entries(field.map ?? {}).map(([code, value]) => [code.trim(), value])),
    separator: field.separator ?? ',',
    unit: field.unit ?? 'seconds',
    nullTokens: new Set(field.null_tokens ?? source.null_tokens ?? DEFAULT_NULL_TOKENS),
    trueTokens: new Set(field.true_values ?? source.true_values ?? DEFAULT_TRUE_TOKENS),
    falseTokens: new Set(field.false_values ?? source.false_values ?? DEFAULT_FALSE_TOKENS),
  };
}

export { PERIOD_PATH_TOKENS, periodTokensIn } from './path-template.js';

/**
 * The file a source reads for a period (absolute), and the period the file stands for; or why the path
 * cannot name a file for it (src/sources/path-template.ts).
 */
export function sourceFile(source: ResolvedSource, period: Period): PathChoice {
  const choice = fillPathTemplate(source, period);
  return choice.ok ? { ...choice, file: path.resolve(source.baseDir, choice.file) } : choice;
}

/** The absolute path a source reads for a period; the template itself when no file fits (for messages). */
export function sourcePath(source: ResolvedSource, period: Period): string {
  const choice = sourceFile(source, period);
  return choice.ok ? choice.file : path.resolve(source.baseDir, source.pathTemplate);
}

/**
 * Every path of a source for a period (absolute; globs not yet expanded, src/sources/inputs.ts), each
 * template filled as a single path is (path-template.ts); one that cannot name a file for the period
 * fills `{period}` only, and then matches nothing (a missing file, listing what the folder holds).
 */
export function sourcePaths(source: ResolvedSource, period: Period): string[] {
  return source.pathTemplates.map((template) => {
    const choice = fillPathTemplate({ ...source, pathTemplate: template }, period);
    return path.resolve(
      source.baseDir,
      choice.ok ? choice.file : template.replace(/\{period\}/g, period.label),
    );
  });
}
