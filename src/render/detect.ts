/**
 * The output of `isms-kpi detect FILE...`: which preset reads each export, how sure that is, missing and
 * extra columns, and a source snippet to paste into metrics.yaml.
 */
import path from 'node:path';
import { stringify } from 'yaml';
import { presetFormat } from '../presets/apply.js';
import type { DetectResult, PresetMatch } from '../presets/detect.js';
import { PRESETS } from '../presets/index.js';
import { jsonText, QUOTE_MAX, safeText, truncate } from '../text.js';
import { dateInFileName } from '../time/file-name-date.js';

/** Columns listed before "... and N more". */
const MAX_LISTED = 25;

export interface DetectOutcome extends DetectResult {
  /** A `sources:` entry for metrics.yaml, when a preset matched. */
  snippet?: string;
}

const percent = (confidence: number): string => `${Math.floor(confidence * 100)}%`;

/** Names as the table lists them: the first MAX_LISTED, each one line of inert text cut to QUOTE_MAX characters. */
function listed(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  const shown = names
    .slice(0, MAX_LISTED)
    .map((name) => safeText(truncate(name, QUOTE_MAX)))
    .join(', ');
  return names.length > MAX_LISTED ? `${shown}, ... and ${names.length - MAX_LISTED} more` : shown;
}

/** Source names must be lower_snake_case; two files of one preset get `name_2`, `name_3`, ... */
function sourceName(preset: string, taken: Set<string>): string {
  const base = preset.replace(/[^a-z0-9_]+/g, '_');
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  taken.add(name);
  return name;
}

export function catalogueSnippet(match: PresetMatch, file: string, name: string): string {
  const preset = PRESETS[match.preset];
  const source: Record<string, unknown> = { preset: match.preset, path: file.split(path.sep).join('/') };
  // Only when the extension would make the preset pick its other variant (or none).
  if (preset && presetFormat({ path: file }, preset) !== match.format) source.format = match.format;
  if (match.csv) source.csv = match.csv;
  const text = stringify({ sources: { [name]: source } }, { lineWidth: 0 });
  // A snapshot must say when it was taken, or its KPIs are stale; a date in the file name says it.
  const isSnapshot = preset?.formats[match.format]?.kind === 'snapshot';
  return isSnapshot && dateInFileName(file) === undefined ? `${text}${SNAPSHOT_AS_OF}\n` : text;
}

const SNAPSHOT_AS_OF =
  '    # as_of: YYYY-MM-DD   # the day the export was taken: a snapshot that does not say is stale';

export function withSnippets(results: readonly DetectResult[]): DetectOutcome[] {
  const taken = new Set<string>();
  return results.map((result) =>
    result.best
      ? {
          ...result,
          snippet: catalogueSnippet(result.best, result.file, sourceName(result.best.preset, taken)),
        }
      : result,
  );
}

const indent = (text: string, by: string): string =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => by + line)
    .join('\n');

function renderOne(result: DetectOutcome): string {
  const lines = [safeText(result.file)];
  const seen = result.format === 'csv' ? 'header' : 'keys';
  const best = result.best;
  if (!best) {
    lines.push('  no preset matches');
    lines.push(`  ${seen}: ${result.header.length > 0 ? listed(result.header) : '(none found)'}`);
    const closest = result.closest;
    if (!closest && result.header.length > 0)
      lines.push('  closest:    none (no column of the file is one a preset reads)');
    if (closest)
      lines.push(
        `  closest:    ${closest.preset} ${percent(closest.confidence)}, lacks ${closest.missing.length > 0 ? closest.missing.map((m) => safeText(m)).join('; ') : 'no required column'}`,
      );
    if (result.format === 'json' && result.header.length > 0)
      lines.push(
        '  (no array of records was found; presets read a top-level array or one under /value, /records, ...)',
      );
    return lines.join('\n');
  }
  const preset = PRESETS[best.preset];
  lines.push(`  preset:     ${best.preset}${preset ? ` (${preset.title})` : ''}`);
  lines.push(`  confidence: ${percent(best.confidence)}`);
  lines.push(`  missing:    ${listed(best.missing)}`);
  if (best.missing.length > 0)
    lines.push('              (the preset may still read the file; fields from missing columns stay empty)');
  lines.push(`  extra:      ${listed(best.extra)}`);
  if (best.csv)
    lines.push(`  header:     below ${best.csv.skip_lines} line(s) of preamble, skipped by csv.skip_lines`);
  const others = result.matches.slice(1).map((m) => `${m.preset} ${percent(m.confidence)}`);
  if (others.length > 0) lines.push(`  also:       ${others.join(', ')}`);
  if (result.format === 'jsonl')
    lines.push('  note:       this is JSON Lines; presets read a JSON array, so convert the file first');
  if (result.snippet)
    lines.push('  for metrics.yaml (path relative to its folder):', indent(result.snippet, '    '));
  return lines.join('\n');
}

/** Files that could not be read are left to the `error:` lines on stderr (and the summary). */
export function renderDetectTable(results: readonly DetectOutcome[]): string {
  const blocks = results.filter((r) => r.problem === undefined).map(renderOne);
  if (results.length > 1) {
    const matched = results.filter((r) => r.best).length;
    const unreadable = results.filter((r) => r.problem !== undefined).length;
    const none = results.length - matched - unreadable;
    const parts = [`${matched} matched a preset`];
    if (none > 0) parts.push(`${none} matched none`);
    if (unreadable > 0) parts.push(`${unreadable} could not be read`);
    blocks.push(`${results.length} files: ${parts.join(', ')}`);
  }
  return blocks.length > 0 ? `${blocks.join('\n\n')}\n` : '';
}

export function renderDetectJson(results: readonly DetectOutcome[]): string {
  return jsonText(results);
}

/** Detection results with their catalogue snippets, as a table or JSON. */
export const DETECT_RENDERERS = {
  table: (results: readonly DetectResult[]) => renderDetectTable(withSnippets(results)),
  json: (results: readonly DetectResult[]) => renderDetectJson(withSnippets(results)),
} satisfies Record<string, (results: readonly DetectResult[]) => string>;

export type DetectFormat = keyof typeof DETECT_RENDERERS;
export const DETECT_FORMATS = Object.keys(DETECT_RENDERERS) as DetectFormat[];
