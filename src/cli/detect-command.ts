/**
 * `isms-kpi detect FILE...`: which preset reads each export, how sure that is, and a source snippet to
 * paste into metrics.yaml. Exit 0 when every file matched a preset, 1 when one matched none, 2 when one
 * could not be read.
 */
import path from 'node:path';
import { stringify } from 'yaml';
import { presetFormat } from '../presets/apply.js';
import { type DetectResult, detectFile, type PresetMatch } from '../presets/detect.js';
import { PRESETS } from '../presets/index.js';
import { EXIT_ERROR, EXIT_FAIL_LEVEL, EXIT_OK } from './exit-code.js';
import { err, out } from './output.js';

export const DETECT_FORMATS = ['table', 'json'] as const;
export type DetectFormat = (typeof DETECT_FORMATS)[number];

export interface DetectOptions {
  format: DetectFormat;
}

/** Columns listed before "... and N more". */
const MAX_LISTED = 25;

export interface DetectOutcome extends DetectResult {
  /** A `sources:` entry for metrics.yaml, when a preset matched. */
  snippet?: string;
}

const percent = (confidence: number): string => `${Math.floor(confidence * 100)}%`;

function listed(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, MAX_LISTED).join(', ');
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
  return stringify({ sources: { [name]: source } }, { lineWidth: 0 });
}

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

export function detectExitCode(results: readonly DetectResult[]): number {
  if (results.some((r) => r.problem !== undefined)) return EXIT_ERROR;
  if (results.some((r) => r.best === undefined)) return EXIT_FAIL_LEVEL;
  return EXIT_OK;
}

const indent = (text: string, by: string): string =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => by + line)
    .join('\n');

function renderOne(result: DetectOutcome): string {
  const lines = [result.file];
  const seen = result.format === 'csv' ? 'header' : 'keys';
  const best = result.best;
  if (!best) {
    lines.push('  no preset matches');
    lines.push(`  ${seen}: ${result.header.length > 0 ? listed(result.header) : '(none found)'}`);
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
  return `${JSON.stringify(results, null, 2)}\n`;
}

export async function detectCommand(files: readonly string[], options: DetectOptions): Promise<number> {
  const results: DetectResult[] = [];
  for (const file of files) results.push(await detectFile(path.resolve(file), file));
  const outcomes = withSnippets(results);
  out(options.format === 'json' ? renderDetectJson(outcomes) : renderDetectTable(outcomes));
  for (const r of results) if (r.problem !== undefined) err(`error: ${r.file}: ${r.problem}`);
  return detectExitCode(results);
}
