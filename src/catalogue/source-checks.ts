/**
 * The checks of the catalogue's sources that need no data: time zones, datetime formats, enum values,
 * keys that only apply to some formats, the time and as-of fields, and record types.
 */
import { type Location, type Problem, problem } from '../problems.js';
import { parsePathTemplate, templateUnit } from '../sources/path-template.js';
import { checkRecordType } from '../sources/record-types.js';
import { periodTokensIn, type ResolvedSource, resolveSource } from '../sources/resolve.js';
import { quote } from '../text.js';
import { compileDateTimeParser, parseIsoDateTime } from '../time/parse-datetime.js';
import { isValidTimeZone } from '../time/zone.js';
import type { CatalogueConfig } from './schema.js';

type SourceConfig = CatalogueConfig['sources'][string];
type Report = (key: string, message: string, path?: (string | number)[]) => void;

/** Resolves every source of the catalogue; what is wrong with them goes to `problems`. */
export function resolveSources(
  config: CatalogueConfig,
  dir: string,
  at: (path: (string | number)[]) => Location,
  problems: Problem[],
): Map<string, ResolvedSource> {
  const sources = new Map<string, ResolvedSource>();
  for (const [name, sourceConfig] of Object.entries(config.sources)) {
    const source = resolveSource(name, sourceConfig, config, dir);
    sources.set(name, source);
    const here: Report = (key, message, path = [key]) =>
      problems.push(
        problem('catalogue-schema', `source ${name}: ${message}`, at(['sources', name, ...path])),
      );
    checkPath(sourceConfig, here);
    checkFields(source, sourceConfig, here);
    checkSourceKeys(source, sourceConfig, here);
  }
  return sources;
}

/**
 * The path's period tokens are known and well formed, and `one_file_per` names the unit they do: a path
 * with `{year}-Q{quarter}` keeps one file per quarter, so `one_file_per: month` cannot be right.
 */
function checkPath(sourceConfig: SourceConfig, here: Report): void {
  // A list of paths: each one is checked (globs and lists fill `{period}` only for now, run.ts).
  const paths = [sourceConfig.path].flat();
  for (const one of paths) {
    const parsed = parsePathTemplate(one);
    if ('error' in parsed) {
      here('path', parsed.error);
      return;
    }
  }
  const offset = sourceConfig.period_offset;
  if (offset !== undefined) {
    if (sourceConfig.kind !== 'snapshot')
      here(
        'period_offset',
        `period_offset is for snapshots (a register saved once per period); the events of earlier periods are already in an events export: compare them with date conditions or cumulative()`,
      );
    else if (paths.some((p) => periodTokensIn(p).length === 0))
      here(
        'period_offset',
        `period_offset: ${offset} reads the file of an earlier period, and ${paths.join(', ')} has no period token ({period}, {quarter}, ...) to name it`,
      );
  }
  const unit = sourceConfig.one_file_per;
  if (unit === undefined) return;
  const first = paths[0] ?? '';
  const tokens = periodTokensIn(first);
  const named = templateUnit(first);
  if (tokens.length === 0)
    here(
      'one_file_per',
      `one_file_per: ${unit} is for a path with period tokens ({period}, {quarter}, ...), and ${paths.join(', ')} has none`,
    );
  else if (named !== undefined && named !== unit)
    here(
      'one_file_per',
      `one_file_per: ${unit}, but the path names a ${named} ({${named}}): the path and one_file_per must name the same unit`,
    );
}

function checkFields(source: ResolvedSource, sourceConfig: SourceConfig, here: Report): void {
  if (sourceConfig.timezone && !isValidTimeZone(sourceConfig.timezone))
    here('timezone', `unknown time zone ${quote(sourceConfig.timezone)}`);
  for (const field of source.fields) {
    const fieldPath = ['fields', field.name];
    if (field.type === 'datetime' && isValidTimeZone(field.timezone)) {
      try {
        compileDateTimeParser(field.formats, field.timezone);
      } catch (error) {
        here('fields', `field ${field.name}: format: ${(error as Error).message}`, [...fieldPath, 'format']);
      }
    }
    if (field.type === 'enum' && field.values.length === 0)
      here('fields', `field ${field.name}: an enum needs values: [...]`, fieldPath);
    const mapProblem = checkMap(field);
    if (mapProblem) here('fields', `field ${field.name}: map: ${mapProblem}`, [...fieldPath, 'map']);
    if (
      field.type !== 'datetime' &&
      typeof sourceConfig.fields[field.name] === 'object' &&
      (sourceConfig.fields[field.name] as { format?: unknown }).format !== undefined
    ) {
      here('fields', `field ${field.name}: format is only for datetime fields`, [...fieldPath, 'format']);
    }
    const own = sourceConfig.fields[field.name];
    const ownZone = typeof own === 'object' ? own.timezone : undefined;
    if (ownZone !== undefined && !isValidTimeZone(ownZone))
      here('fields', `field ${field.name}: unknown time zone ${quote(ownZone)}`, [...fieldPath, 'timezone']);
    if (source.format !== 'csv' && field.occurrence !== 1 && field.occurrence !== 'all')
      here('fields', `field ${field.name}: occurrence is for CSV headers`, fieldPath);
  }
}

/**
 * A value map is read once per cell: its values must be values of the field (an enum's), and no value may
 * be a code of the map as well with another meaning (`{ High: Critical, Critical: High }`), since a value
 * already read is never mapped again (the intake looks values up as they are stored).
 */
function checkMap(field: ResolvedSource['fields'][number]): string | undefined {
  if (field.map.size === 0) return undefined;
  if (field.type === 'list') return 'a list field cannot have a map (a map reads a whole cell)';
  const codes = new Map<string, string>();
  for (const [code, value] of field.map)
    if (!codes.has(code.toLowerCase())) codes.set(code.toLowerCase(), value);
  for (const value of new Set(field.map.values())) {
    if (field.type === 'enum' && !field.values.some((v) => v.toLowerCase() === value.toLowerCase()))
      return `"${value}" is not one of the field's values (${field.values.map((v) => `"${v}"`).join(', ')})`;
    const again = field.map.get(value) ?? codes.get(value.toLowerCase());
    if (again !== undefined && again.toLowerCase() !== value.toLowerCase())
      return `"${value}" is a value of the map and also one of its codes (read as "${again}"); a cell is mapped once, so a value may not be a code with another meaning`;
  }
  return undefined;
}

/**
 * `as_of` is a date or date-time, `file_modified`, or `period_end`; `period_end` says "taken at the end of
 * the period the path names" and so needs a path with a period token: a fixed path is the same file for
 * every period, and reading it as taken at the end of whichever period is asked is how a September export
 * came to describe December.
 */
function checkAsOf(sourceConfig: SourceConfig, here: Report): void {
  const asOf = sourceConfig.as_of;
  if (asOf === undefined || asOf === 'file_modified') return;
  if (asOf === 'period_end') {
    if (periodTokensIn([sourceConfig.path].flat().join(' ')).length === 0)
      here(
        'as_of',
        `as_of: period_end is only for a path with a period token such as {period} (one file per period); ${[sourceConfig.path].flat().join(', ')} is the same file for every period, so write when it was taken: as_of: 2026-09-30, as_of_field, a date in the file name, or as_of: file_modified`,
      );
    return;
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(asOf) || Number.isNaN(parseIsoDateTime(asOf, 'UTC')))
    here('as_of', `as_of must be a date like 2026-09-30, period_end or file_modified, not ${quote(asOf)}`);
}

function checkSourceKeys(source: ResolvedSource, sourceConfig: SourceConfig, here: Report): void {
  const fieldNames = new Map(source.fields.map((f) => [f.name, f]));
  if (sourceConfig.time_field) {
    const timeField = fieldNames.get(sourceConfig.time_field);
    if (!timeField)
      here(
        'time_field',
        `time_field "${sourceConfig.time_field}" is not one of its fields (${[...fieldNames.keys()].join(', ')})`,
      );
    else if (timeField.type !== 'datetime')
      here(
        'time_field',
        `time_field "${sourceConfig.time_field}" must be a datetime field, not ${timeField.type}`,
      );
  }
  const keys = sourceConfig.key === undefined ? [] : [sourceConfig.key].flat();
  keys.forEach((name, i) => {
    const path = Array.isArray(sourceConfig.key) ? ['key', i] : ['key'];
    if (!fieldNames.has(name))
      here('key', `key "${name}" is not one of its fields (${[...fieldNames.keys()].join(', ')})`, path);
    else if (keys.indexOf(name) !== i) here('key', `key names "${name}" twice`, path);
  });
  if (sourceConfig.as_of_field) {
    const asOf = fieldNames.get(sourceConfig.as_of_field);
    if (asOf?.type !== 'datetime')
      here('as_of_field', `as_of_field "${sourceConfig.as_of_field}" must name a datetime field`);
  }
  checkAsOf(sourceConfig, here);
  if (sourceConfig.format === 'csv' && sourceConfig.json) here('json', 'json options are for JSON sources');
  if (sourceConfig.record_type) {
    for (const issue of checkRecordType(sourceConfig.record_type, source.fields)) {
      here('record_type', issue.message);
    }
  }
}
