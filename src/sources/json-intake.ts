/**
 * JSON and JSON Lines intake: each record is an object whose fields are found by their JSON paths and
 * converted by the fields' fromJson converters. Reads text that load-source.ts opened; touches no file.
 */
import { IsmsKpiError, problem } from '../problems.js';
import { QUOTE_MAX, quote, safeText, truncate } from '../text.js';
import { resolvePointer } from '../util/json-pointer.js';
import { INVALID } from './convert.js';
import { Intake } from './intake.js';
import { jsonErrorText, jsonSyntaxProblem, locateJsonRecords } from './json-location.js';

export class JsonIntake extends Intake {
  /** JSON: one record object. */
  jsonRecord(value: unknown, line: number, record: number): void {
    this.rowsRead++;
    if (this.seen && this.isDuplicate(safeJson(value), record)) return;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const reason = `expected an object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`;
      this.addProblem(
        problem('bad-value', reason, { file: this.file, line, record, source: this.source.name }),
      );
      this.reject(line, line, record, [reason], [truncate(safeJson(value), 10_000)]);
      this.settled(1);
      return;
    }
    let reasons: string[] | undefined;
    for (const binding of this.bindings) {
      if (binding.isSkipped) continue;
      const { field } = binding;
      let raw: unknown;
      for (const path of field.spec.jsonPaths) {
        raw = getPath(value, path);
        if (raw !== undefined) break;
      }
      const converted = field.fromJson(raw);
      if (converted === INVALID || (converted === null && field.spec.required)) {
        const column = field.spec.jsonPath.join('.');
        const reason =
          converted === INVALID
            ? `expected ${field.expected}, got ${safeText(truncate(safeJson(raw), QUOTE_MAX))}`
            : raw === undefined
              ? 'required value is missing (no such key)'
              : 'required value is missing';
        reasons = [...(reasons ?? []), `${column}: ${reason}`];
        this.addProblem(
          problem(converted === INVALID ? 'bad-value' : 'required-missing', reason, {
            file: this.file,
            line,
            record,
            column,
            source: this.source.name,
          }),
        );
        continue;
      }
      binding.value = converted;
    }
    if (reasons) {
      this.reject(line, line, record, reasons, [truncate(safeJson(value), 10_000)]);
      this.settled(reasons.length);
      return;
    }
    this.commit(line, record);
    this.settled(0);
  }

  setJsonHeader(keys: string[]): void {
    this.headerCells = keys;
  }
}

/**
 * The longest JSON Lines record, in characters (as CSV fields): a file without line breaks, or a runaway
 * line, is refused at this length instead of being held in memory up to V8's largest string.
 */
export const MAX_JSON_LINE_CHARS = 256 * 1024 * 1024;

/**
 * Splits decoded chunks into lines, scanning each character once: only the new chunk is searched for a
 * line break, and the pieces of a line that spans chunks are joined once, when it ends (re-splitting the
 * carried-over text for every chunk made long lines quadratic: 20 MB took 4 s, 200 MB minutes). A line
 * longer than `maxLineChars` calls `tooLong` with its 1-based number, which must throw.
 */
export class LineSplitter {
  private pieces: string[] = [];
  private pendingChars = 0;
  /** Lines completed so far. */
  lines = 0;
  /** Characters searched for line breaks: each character of the input once. */
  scanned = 0;

  constructor(
    private readonly maxLineChars: number,
    private readonly tooLong: (line: number) => never,
  ) {}

  push(chunk: string, onLine: (text: string) => void): void {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf('\n', start);
      if (end < 0) break;
      if (this.pendingChars + (end - start) > this.maxLineChars) this.tooLong(this.lines + 1);
      let text = chunk.slice(start, end);
      if (this.pieces.length > 0) {
        this.pieces.push(text);
        text = this.pieces.join('');
        this.pieces = [];
        this.pendingChars = 0;
      }
      this.lines++;
      onLine(text);
      start = end + 1;
    }
    this.scanned += chunk.length;
    if (start < chunk.length) {
      this.pendingChars += chunk.length - start;
      if (this.pendingChars > this.maxLineChars) this.tooLong(this.lines + 1);
      this.pieces.push(start === 0 ? chunk : chunk.slice(start));
    }
  }

  /** The last line, when the text does not end with a line break. */
  end(onLine: (text: string) => void): void {
    if (this.pieces.length === 0) return;
    const text = this.pieces.join('');
    this.pieces = [];
    this.pendingChars = 0;
    this.lines++;
    onLine(text);
  }
}

/**
 * JSON Lines: one record per line; a line that is not valid JSON is a lost (rejected) record. Returns the
 * lines and records (non-blank lines) read.
 */
export async function readJsonLines(
  chunks: AsyncIterable<string>,
  intake: JsonIntake,
  file: string,
  maxLineChars = MAX_JSON_LINE_CHARS,
): Promise<{ lines: number; records: number }> {
  let record = 0;
  const splitter = new LineSplitter(maxLineChars, (line) => {
    throw new IsmsKpiError(
      problem(
        'file-too-large',
        `line ${line} is longer than ${charsInWords(maxLineChars)}; a JSON Lines file holds one record per line`,
        { file, line },
      ),
    );
  });
  const handle = (raw: string) => {
    const lineNo = splitter.lines;
    const lineText = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (lineText.trim() === '') return;
    record++;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (error) {
      const bad = problem('json-syntax', `not valid JSON: ${jsonErrorText(error)}`, {
        file,
        line: lineNo,
        record,
      });
      intake.addProblem(bad);
      intake.lostRecord(bad);
      return;
    }
    if (record === 1 && value && typeof value === 'object') intake.setJsonHeader(Object.keys(value));
    intake.jsonRecord(value, lineNo, record);
  };
  for await (const chunk of chunks) splitter.push(chunk, handle);
  splitter.end(handle);
  return { lines: splitter.lines, records: record };
}

/** "256M characters", "1000 characters". */
function charsInWords(chars: number): string {
  return chars >= 1024 * 1024 && chars % (1024 * 1024) === 0
    ? `${chars / 1024 / 1024}M characters`
    : `${chars} characters`;
}

/** A JSON document: the array of records at the source's json.records pointer (default: the top). */
export async function readJsonDocument(
  chunks: AsyncIterable<string>,
  pointer: string,
  intake: JsonIntake,
  file: string,
): Promise<void> {
  let text = '';
  try {
    for await (const chunk of chunks) text += chunk;
  } catch (error) {
    // Beyond V8's largest string (about 512 M characters): the size limit normally stops this earlier.
    if (!(error instanceof RangeError)) throw error;
    throw new IsmsKpiError(
      problem(
        'file-too-large',
        'JSON file is too large to read whole; export it as JSON Lines (.jsonl) or CSV',
        {
          file,
        },
      ),
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new IsmsKpiError(jsonSyntaxProblem(error, text, file));
  }
  const records = resolvePointer(document, pointer);
  if (!Array.isArray(records)) {
    const found =
      records === undefined
        ? 'nothing'
        : Array.isArray(records)
          ? 'an array'
          : records === null
            ? 'null'
            : `a${typeof records === 'object' ? 'n object' : ` ${typeof records}`}`;
    const arrayKey =
      records && typeof records === 'object'
        ? Object.entries(records).find(([, v]) => Array.isArray(v))?.[0]
        : undefined;
    const hint =
      pointer !== '' || !records || typeof records !== 'object'
        ? ''
        : arrayKey !== undefined
          ? `; set json.records to the pointer of the array, e.g. ${JSON.stringify(`/${arrayKey.replace(/~/g, '~0').replace(/\//g, '~1')}`)}`
          : '; no key holds an array of records: is this the export, or an error the tool returned instead?';
    const keys = records && typeof records === 'object' ? objectSummary(records) : '';
    throw new IsmsKpiError(
      problem(
        'json-not-array',
        `expected an array of records at ${pointer === '' ? 'the top level' : `"${pointer}"`}, found ${found}${keys}${hint}`,
        { file },
      ),
    );
  }
  const lines = locateJsonRecords(text, pointer, records.length);
  records.forEach((value, index) => {
    if (index === 0 && value && typeof value === 'object') intake.setJsonHeader(Object.keys(value));
    intake.jsonRecord(value, lines[index] ?? 0, index + 1);
  });
}

const SHOWN_KEYS = 5;
const SHOWN_KEY_CHARS = 40;
const SHOWN_MESSAGE_CHARS = 120;

/**
 * ` with keys "message", "documentation_url"; message: "Bad credentials"`: what the object holds, so an
 * API error saved instead of an export is recognised. Keys and the message are quoted as JSON (control
 * characters escaped) and cut short.
 */
function objectSummary(value: object): string {
  const keys = Object.keys(value);
  if (keys.length === 0) return ' with no keys';
  const shown = keys.slice(0, SHOWN_KEYS).map((k) => quote(k, SHOWN_KEY_CHARS));
  const more = keys.length > SHOWN_KEYS ? ` and ${keys.length - SHOWN_KEYS} more` : '';
  const message = (value as Record<string, unknown>).message;
  const said = typeof message === 'string' ? `; message: ${quote(message, SHOWN_MESSAGE_CHARS)}` : '';
  return ` with keys ${shown.join(', ')}${more}${said}`;
}

/** JSON text of a parsed value, even one nested too deeply for JSON.stringify's recursion. */
function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    return '(a value nested too deeply to show)';
  }
}

function getPath(record: object, path: readonly string[]): unknown {
  let value: unknown = record;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
