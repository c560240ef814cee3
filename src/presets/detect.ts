/**
 * Recognises a vendor export: which preset reads it, how sure that is, and which columns are missing or
 * unknown. Only the head of a file is read (the header of a CSV, the first record of a JSON array), so a
 * 500 MB export is recognised as fast as a sample. Bad files are a `problem` in the result, never thrown.
 *
 * Confidence, 0..1. A variant's signature names the columns that identify the export (`required`, plus
 * the columns of its required fields) and those it usually has (`optional`, plus every mapped column):
 * - all required columns present: 0.9 + 0.1 x (0.6 x coverage + 0.4 x recall), so 0.9..1.0, where
 *   coverage = share of the file's columns the preset knows and recall = share of its optional columns
 *   the file has. Between two presets that both find their required columns, the one that explains
 *   more of the file (fewer extra columns) and expects less that is absent ranks first;
 * - some missing: 0.85 x (share of required present) x (0.4 + 0.6 x coverage), so always below 0.9:
 *   a partial match never outranks a complete one.
 * Ties go to the variant with more required columns (the more specific signature), then to the name.
 */
import { IsmsKpiError, type ProblemCode } from '../problems.js';
import { readCsvText } from '../sources/csv-reader.js';
import { type Encoding, openText } from '../sources/decode.js';
import { pointerSegments, resolvePointer } from '../util/json-pointer.js';
import { fieldSourceNames } from './describe.js';
import { PRESETS } from './index.js';
import type { Preset, PresetVariant } from './types.js';

export interface PresetMatch {
  preset: string;
  format: 'csv' | 'json';
  /** 0..1; 0.9 and above when every required column is present. */
  confidence: number;
  /** Required columns the file lacks (alternatives joined with " or "). */
  missing: string[];
  /** Columns of the file the preset neither requires, expects nor maps. */
  extra: string[];
  /** CSV options the source needs besides the preset's: the header is below lines of preamble. */
  csv?: { skip_lines: number };
}

export interface DetectResult {
  /** As displayed (the path the user gave). */
  file: string;
  format: 'csv' | 'json' | 'jsonl' | 'unknown';
  /** The CSV header, or the keys of the first JSON record (nested ones as dotted paths). */
  header: string[];
  /** Best first; confidence >= 0.5 only. */
  matches: PresetMatch[];
  best?: PresetMatch;
  /** When no preset matches: the one that comes closest (some column of the file is one of its), and what it lacks. */
  closest?: PresetMatch;
  /** Why the file could not be inspected (unreadable, empty, not CSV or JSON). */
  problem?: string;
  /** The code of that problem (file-missing, file-empty, undecodable, json-syntax, ...). */
  problemCode?: ProblemCode;
}

/** Matches below this are not worth showing. */
export const MIN_CONFIDENCE = 0.5;
/** Characters of a CSV read to find its header (a Qualys preamble is a few lines; headers are short). */
const CSV_HEAD_CHARS = 256 * 1024;
/** JSON files up to this size are parsed whole; larger ones are recognised from their head. */
const JSON_FULL_BYTES = 64 * 1024 * 1024;
/** Characters of a large JSON file searched for its first record. */
const JSON_HEAD_CHARS = 4 * 1024 * 1024;
/** Envelopes tried besides the presets' own `json.records`, so the keys of an unknown API are shown. */
const COMMON_POINTERS = ['', '/value', '/records', '/data', '/items', '/results'];
const MAX_FLATTEN_DEPTH = 8;
/** Lines searched for a header below a preamble no preset expects. */
const PREAMBLE_LINES = 30;
/** Characters looked at to tell JSON Lines from one JSON document. */
const JSON_LINES_SAMPLE = 256 * 1024;

type Format = 'csv' | 'json';

const norm = (name: string): string => name.trim().toLowerCase();

// ---------------------------------------------------------------------------------------------------
// Scoring (pure)

interface Signature {
  preset: string;
  format: Format;
  /** Each entry is satisfied by any one of its names. */
  required: string[][];
  /** Every name the variant knows (required, optional and mapped), normalised. */
  known: Set<string>;
  /** Known names that are not required, normalised. */
  optional: string[];
}

function signatureOf(preset: Preset, format: Format, variant: PresetVariant): Signature {
  const required: string[][] = variant.signature.required.map((name) =>
    Array.isArray(name) ? name : [name],
  );
  const requiredNames = new Set(required.flat().map(norm));
  const known = new Set<string>(requiredNames);
  for (const name of variant.signature.optional ?? []) known.add(norm(name));
  for (const [name, field] of Object.entries(variant.fields)) {
    const names = fieldSourceNames(field, name, format);
    for (const n of names) known.add(norm(n));
    const isRequired = typeof field !== 'string' && field.required === true;
    // A required field the signature already pins down (by one of its names) adds nothing.
    if (isRequired && !names.some((n) => requiredNames.has(norm(n)))) required.push(names);
  }
  const requiredAll = new Set(required.flat().map(norm));
  const optional = [...known].filter((name) => !requiredAll.has(name));
  return { preset: preset.name, format, required, known, optional };
}

function variantsOf(format: Format): { preset: Preset; variant: PresetVariant }[] {
  const list: { preset: Preset; variant: PresetVariant }[] = [];
  for (const preset of Object.values(PRESETS)) {
    const variant = preset.formats[format];
    if (variant) list.push({ preset, variant });
  }
  return list;
}

/**
 * A name is present when the file has it; in JSON also when the file has a parent of it that holds no
 * keys (`security_advisory: null`) or keys below it (`fields` when the record has `fields.status`).
 */
function makePresence(columns: readonly string[], format: Format): (name: string) => boolean {
  const set = new Set(columns.map(norm));
  if (format === 'csv') return (name) => set.has(norm(name));
  return (name) => {
    const n = norm(name);
    if (set.has(n)) return true;
    for (const c of set) if (n.startsWith(`${c}.`) || c.startsWith(`${n}.`)) return true;
    return false;
  };
}

/**
 * The variant's fields none of whose column names (or JSON paths) the header has: an export of another
 * version or configuration leaves them out, so a KPI that reads one would read no values.
 */
export function absentFields(variant: PresetVariant, header: readonly string[], format: Format): string[] {
  const has = makePresence(header, format);
  return Object.entries(variant.fields)
    .filter(([name, field]) => !fieldSourceNames(field, name, format).some(has))
    .map(([name]) => name);
}

function isKnown(column: string, signature: Signature, format: Format): boolean {
  const c = norm(column);
  if (signature.known.has(c)) return true;
  if (format === 'csv') return false;
  for (const k of signature.known) if (c.startsWith(`${k}.`) || k.startsWith(`${c}.`)) return true;
  return false;
}

interface Scored extends PresetMatch {
  requiredCount: number;
}

function score(signature: Signature, columns: readonly string[]): Scored {
  const distinct: string[] = [];
  const seen = new Set<string>();
  for (const column of columns) {
    const n = norm(column);
    if (n === '' || seen.has(n)) continue;
    seen.add(n);
    distinct.push(column.trim());
  }
  const has = makePresence(distinct, signature.format);
  const missing: string[] = [];
  for (const names of signature.required) if (!names.some(has)) missing.push(names.join(' or '));
  const extra = distinct.filter((column) => !isKnown(column, signature, signature.format));
  const coverage = distinct.length === 0 ? 0 : (distinct.length - extra.length) / distinct.length;
  const recall =
    signature.optional.length === 0 ? 1 : signature.optional.filter(has).length / signature.optional.length;
  const total = signature.required.length;
  const present = total - missing.length;
  let confidence: number;
  if (distinct.length === 0) confidence = 0;
  else if (missing.length === 0)
    confidence = total === 0 && coverage === 0 ? 0 : 0.9 + 0.1 * (0.6 * coverage + 0.4 * recall);
  else confidence = 0.85 * (present / total) * (0.4 + 0.6 * coverage);
  return {
    preset: signature.preset,
    format: signature.format,
    confidence: Math.round(confidence * 1000) / 1000,
    missing,
    extra,
    requiredCount: present,
  };
}

function rank(scored: Scored[], min = MIN_CONFIDENCE): PresetMatch[] {
  return scored
    .filter((m) => m.confidence >= min)
    .sort(
      (a, b) =>
        b.confidence - a.confidence ||
        b.requiredCount - a.requiredCount ||
        (a.preset < b.preset ? -1 : a.preset > b.preset ? 1 : 0),
    )
    .map(({ preset, format, confidence, missing, extra }) => ({
      preset,
      format,
      confidence,
      missing,
      extra,
    }));
}

/** The best-scoring variant whatever its confidence (none when no column of the file is one it knows). */
export function closestMatch(columns: readonly string[], format: Format): PresetMatch | undefined {
  const scored = variantsOf(format)
    .map(({ preset, variant }) => score(signatureOf(preset, format, variant), columns))
    .filter((m) => m.confidence > 0 && m.extra.length < new Set(columns.map(norm)).size);
  return rank(scored, 0)[0];
}

/** Scores every preset variant of `format` against a header (CSV) or a record's keys (JSON); best first. */
export function matchColumns(columns: readonly string[], format: Format): PresetMatch[] {
  return rank(
    variantsOf(format).map(({ preset, variant }) => score(signatureOf(preset, format, variant), columns)),
  );
}

// ---------------------------------------------------------------------------------------------------
// Reading the head of a file

interface Head {
  text: string;
  /** The whole file was read. */
  complete: boolean;
  bytes: number;
}

async function readHead(
  absolutePath: string,
  displayPath: string,
  maxChars: number,
  encoding: Encoding | 'auto',
): Promise<Head> {
  const { info, chunks } = await openText(absolutePath, displayPath, { encoding });
  const parts: string[] = [];
  let length = 0;
  let complete = true;
  for await (const chunk of chunks) {
    parts.push(chunk);
    length += chunk.length;
    if (length >= maxChars) {
      // Leaving the loop closes the file.
      complete = false;
      break;
    }
  }
  return { text: parts.join(''), complete, bytes: info.bytes };
}

/** UTF-8 (or what a BOM says) first; bytes that are not UTF-8 are read as Windows-1252, as Excel writes. */
async function readHeadAnyEncoding(
  absolutePath: string,
  displayPath: string,
  maxChars: number,
): Promise<Head> {
  try {
    return await readHead(absolutePath, displayPath, maxChars, 'auto');
  } catch (error) {
    if (error instanceof IsmsKpiError && error.problems[0]?.code === 'undecodable')
      return readHead(absolutePath, displayPath, maxChars, 'windows-1252');
    throw error;
  }
}

function describeError(error: unknown): string {
  if (error instanceof IsmsKpiError) {
    const p = error.problems[0];
    if (p?.code === 'file-missing') return 'no such file';
    return p?.message ?? error.message;
  }
  return `cannot read file: ${error instanceof Error ? error.message : String(error)}`;
}

function binaryKind(text: string): string | undefined {
  if (text.startsWith('PK\u0003\u0004'))
    return 'a ZIP archive (an Excel workbook?), not CSV or JSON: save the sheet as CSV';
  if (text.startsWith('%PDF-')) return 'a PDF document, not CSV or JSON';
  const sample = text.slice(0, 8192);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return 'binary data (NUL bytes), not CSV or JSON';
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) control++;
  }
  return control > sample.length / 100 ? 'binary data, not CSV or JSON' : undefined;
}

// ---------------------------------------------------------------------------------------------------
// CSV

interface CsvPlan {
  delimiter?: string;
  quote?: string;
  skipLines?: number;
  headerStartsWith?: string;
}

function csvPlan(variant: PresetVariant | undefined): CsvPlan {
  const csv = variant?.csv ?? {};
  const plan: CsvPlan = {};
  if (csv.delimiter !== undefined && csv.delimiter !== 'auto')
    plan.delimiter = csv.delimiter === '\\t' ? '\t' : csv.delimiter;
  if (csv.quote !== undefined) plan.quote = csv.quote;
  if (csv.skip_lines) plan.skipLines = csv.skip_lines;
  if (csv.header_starts_with !== undefined) plan.headerStartsWith = csv.header_starts_with;
  return plan;
}

const HEADER_FOUND = Symbol('header found');

/** The header the tokenizer picks with these options, or undefined when it finds none. */
function csvHeader(text: string, displayPath: string, plan: CsvPlan): string[] | undefined {
  let header: string[] | undefined;
  try {
    readCsvText(text, displayPath, plan, {
      header(cells) {
        header = cells.map((cell) => cell.trim()).filter((cell) => cell !== '');
        // Stop at the header: the rest of the head is not needed.
        throw HEADER_FOUND;
      },
      record() {},
    });
  } catch (error) {
    if (error !== HEADER_FOUND) return undefined;
  }
  return header;
}

type ScoredHeader = Scored & { header: string[] };

/** Scores every CSV variant against the header its plan picks (variants without a plan are skipped). */
function scoreCsv(
  text: string,
  file: string,
  planFor: (variant: PresetVariant) => CsvPlan | undefined,
): ScoredHeader[] {
  const headers = new Map<string, string[] | undefined>();
  const scored: ScoredHeader[] = [];
  for (const { preset, variant } of variantsOf('csv')) {
    const plan = planFor(variant);
    if (!plan) continue;
    const key = JSON.stringify(plan);
    if (!headers.has(key)) headers.set(key, csvHeader(text, file, plan));
    const header = headers.get(key);
    if (header) scored.push({ ...score(signatureOf(preset, 'csv', variant), header), header });
  }
  return scored;
}

function headerOf(scored: readonly ScoredHeader[], match: PresetMatch | undefined): string[] | undefined {
  return match ? scored.find((s) => s.preset === match.preset)?.header : undefined;
}

function detectCsv(text: string, file: string): DetectResult {
  const plain = csvHeader(text, file, {}) ?? [];
  const scored = scoreCsv(text, file, csvPlan);
  const matches = rank(scored);
  if (matches.some((m) => m.missing.length === 0))
    return result(file, 'csv', headerOf(scored, matches[0]) ?? plain, matches);
  // A header further down, below lines no preset expects (a report title, an export date): the source
  // then needs csv.skip_lines. Only complete matches count, so a stray line is not taken for a header.
  for (let skip = 1; skip <= PREAMBLE_LINES; skip++) {
    if (!csvHeader(text, file, { skipLines: skip })) break;
    const below = scoreCsv(text, file, (variant) => {
      const plan = csvPlan(variant);
      return plan.skipLines || plan.headerStartsWith ? undefined : { ...plan, skipLines: skip };
    });
    const complete = rank(below).filter((m) => m.missing.length === 0);
    if (complete.length > 0) {
      const withSkip = complete.map((m) => ({ ...m, csv: { skip_lines: skip } }));
      return result(file, 'csv', headerOf(below, complete[0]) ?? plain, withSkip);
    }
  }
  return result(file, 'csv', headerOf(scored, matches[0]) ?? plain, matches);
}

// ---------------------------------------------------------------------------------------------------
// JSON

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keys of a record, nested objects as dotted paths; arrays and empty objects are leaves. */
export function flattenKeys(
  record: Record<string, unknown>,
  prefix = '',
  depth = 0,
  out: string[] = [],
): string[] {
  for (const [key, value] of Object.entries(record)) {
    const path = prefix + key;
    if (isRecord(value) && Object.keys(value).length > 0 && depth < MAX_FLATTEN_DEPTH)
      flattenKeys(value, `${path}.`, depth + 1, out);
    else out.push(path);
  }
  return out;
}

function jsonPointers(): string[] {
  const pointers = new Set<string>();
  for (const { variant } of variantsOf('json')) pointers.add(variant.json?.records ?? '');
  for (const pointer of COMMON_POINTERS) pointers.add(pointer);
  return [...pointers];
}

type RecordFinder = (pointer: string) => Record<string, unknown> | undefined;

function detectJsonRecords(
  file: string,
  format: 'json' | 'jsonl',
  firstRecord: RecordFinder,
  fallbackKeys: string[],
): DetectResult {
  const keysAt = new Map<string, string[] | undefined>();
  const keys = (pointer: string) => {
    if (!keysAt.has(pointer)) {
      const record = firstRecord(pointer);
      keysAt.set(pointer, record ? flattenKeys(record) : undefined);
    }
    return keysAt.get(pointer);
  };
  const scored: (Scored & { header: string[] })[] = [];
  for (const { preset, variant } of variantsOf('json')) {
    const header = keys(variant.json?.records ?? '');
    if (!header) continue;
    scored.push({ ...score(signatureOf(preset, 'json', variant), header), header });
  }
  const matches = rank(scored);
  const best = matches[0];
  let header = best ? scored.find((s) => s.preset === best.preset)?.header : undefined;
  for (const pointer of jsonPointers()) header ??= keys(pointer);
  return result(file, format, header ?? fallbackKeys, matches);
}

/** Position just after the JSON value starting at `i`, or -1 when the text ends first. */
function skipValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') {
    for (let k = i + 1; k < text.length; k++) {
      if (text[k] === '\\') k++;
      else if (text[k] === '"') return k + 1;
    }
    return -1;
  }
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let k = i; k < text.length; k++) {
      const ch = text[k];
      if (ch === '"') {
        k = skipValue(text, k) - 1;
        if (k < 0) return -1;
      } else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) return k + 1;
      }
    }
    return -1;
  }
  const end = text.slice(i).search(/[\s,\]}]/);
  return end === -1 ? -1 : i + end;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

/**
 * The first record of the array at `pointer`, found by scanning the head of a file too large to parse
 * whole: objects on the way are walked key by key, skipping the values before the wanted key.
 */
function firstRecordInHead(text: string, pointer: string): Record<string, unknown> | undefined {
  let i = skipSpace(text, 0);
  for (const segment of pointerSegments(pointer)) {
    if (text[i] !== '{') return undefined;
    i = skipSpace(text, i + 1);
    for (;;) {
      if (text[i] !== '"') return undefined;
      const keyEnd = skipValue(text, i);
      if (keyEnd < 0) return undefined;
      const key = JSON.parse(text.slice(i, keyEnd)) as string;
      i = skipSpace(text, keyEnd);
      if (text[i] !== ':') return undefined;
      i = skipSpace(text, i + 1);
      if (key === segment) break;
      const end = skipValue(text, i);
      if (end < 0) return undefined;
      i = skipSpace(text, end);
      if (text[i] !== ',') return undefined;
      i = skipSpace(text, i + 1);
    }
  }
  if (text[i] !== '[') return undefined;
  i = skipSpace(text, i + 1);
  if (text[i] !== '{') return undefined;
  const end = skipValue(text, i);
  if (end < 0) return undefined;
  try {
    const record: unknown = JSON.parse(text.slice(i, end));
    return isRecord(record) ? record : undefined;
  } catch {
    return undefined;
  }
}

/** JSON Lines: every non-blank line of the head (the last one may be cut off) is a JSON object. */
function jsonLinesRecord(text: string, complete: boolean): Record<string, unknown> | undefined {
  const sample = text.length > JSON_LINES_SAMPLE ? text.slice(0, JSON_LINES_SAMPLE) : text;
  const lines = sample.split(/\r?\n/).filter((line) => line.trim() !== '');
  if ((!complete || sample !== text) && lines.length > 1) lines.pop();
  if (lines.length < 2) return undefined;
  let first: Record<string, unknown> | undefined;
  for (const line of lines.slice(0, 20)) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return undefined;
    }
    if (!isRecord(value)) return undefined;
    first ??= value;
  }
  return first;
}

async function detectJson(absolutePath: string, file: string, head: Head): Promise<DetectResult> {
  const isLarge = head.bytes > JSON_FULL_BYTES;
  const full = head.complete
    ? head
    : await readHeadAnyEncoding(absolutePath, file, isLarge ? JSON_HEAD_CHARS : Number.POSITIVE_INFINITY);
  const jsonLines = jsonLinesRecord(full.text, full.complete);
  if (jsonLines) return detectJsonRecords(file, 'jsonl', () => jsonLines, flattenKeys(jsonLines));
  if (!full.complete) {
    const found = detectJsonRecords(file, 'json', (pointer) => firstRecordInHead(full.text, pointer), []);
    if (found.header.length > 0) return found;
    return failed(
      file,
      'json',
      `no record found in the first ${JSON_HEAD_CHARS / 1024 / 1024} MB of this ${Math.round(head.bytes / 1024 / 1024)} MB JSON file`,
      'json-not-array',
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(full.text);
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/^JSON\.parse: /, '') : String(error);
    // Pages one after another (`gh api --paginate`, an envelope per page): the source reads them all
    // (src/sources/json-stream.ts); the first page's first record tells what the export is.
    if (/non-whitespace character after JSON/i.test(message)) {
      const found = detectJsonRecords(file, 'json', (pointer) => firstRecordInHead(full.text, pointer), []);
      if (found.header.length > 0) return found;
    }
    return failed(file, 'unknown', `not valid JSON (nor CSV): ${message}`, 'json-syntax');
  }
  const firstRecord: RecordFinder = (pointer) => {
    const records = resolvePointer(document, pointer);
    const first: unknown = Array.isArray(records) ? records[0] : undefined;
    return isRecord(first) ? first : undefined;
  };
  // No array of records anywhere: show the top-level keys, so the user sees what the file holds.
  const fallback = isRecord(document) ? Object.keys(document) : [];
  return detectJsonRecords(file, 'json', firstRecord, fallback);
}

// ---------------------------------------------------------------------------------------------------

function result(
  file: string,
  format: DetectResult['format'],
  header: string[],
  matches: PresetMatch[],
): DetectResult {
  const best = matches[0];
  if (best) return { file, format, header, matches, best };
  // Nothing matches well enough: the closest preset and what it lacks still tell the user where to look.
  const closest =
    header.length > 0 && format !== 'unknown'
      ? closestMatch(header, format === 'csv' ? 'csv' : 'json')
      : undefined;
  return closest ? { file, format, header, matches, closest } : { file, format, header, matches };
}

function failed(
  file: string,
  format: DetectResult['format'],
  problem: string,
  problemCode: ProblemCode,
): DetectResult {
  return { file, format, header: [], matches: [], problem, problemCode };
}

/** The code of a read error: the intake's own, else "unreadable". */
function errorCode(error: unknown): ProblemCode {
  return error instanceof IsmsKpiError ? (error.problems[0]?.code ?? 'file-unreadable') : 'file-unreadable';
}

/** Reads the head of a file and matches it against every preset. Never throws for a bad file. */
export async function detectFile(absolutePath: string, displayPath: string): Promise<DetectResult> {
  let head: Head;
  try {
    head = await readHeadAnyEncoding(absolutePath, displayPath, CSV_HEAD_CHARS);
  } catch (error) {
    return failed(displayPath, 'unknown', describeError(error), errorCode(error));
  }
  const binary = binaryKind(head.text);
  if (binary) return failed(displayPath, 'unknown', `the file is ${binary}`, 'undecodable');
  const start = skipSpace(head.text, 0);
  if (start === head.text.length)
    return failed(displayPath, 'unknown', 'file is empty (only blank lines)', 'file-empty');
  const first = head.text[start];
  try {
    if (first === '[' || first === '{') return await detectJson(absolutePath, displayPath, head);
    return detectCsv(head.text, displayPath);
  } catch (error) {
    return failed(displayPath, 'unknown', describeError(error), errorCode(error));
  }
}
