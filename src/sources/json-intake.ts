/**
 * JSON and JSON Lines intake: each record is an object whose fields are found by their JSON paths and
 * converted by the fields' fromJson converters. Reads text that load-source.ts opened; touches no file.
 */
import { IsmsKpiError, problem } from '../problems.js';
import { resolvePointer } from '../util/json-pointer.js';
import { truncate } from '../util/text.js';
import { INVALID } from './convert.js';
import { Intake } from './intake.js';
import { jsonErrorText, jsonSyntaxProblem, locateJsonRecords } from './json-location.js';

export class JsonIntake extends Intake {
  /** JSON: one record object. */
  jsonRecord(value: unknown, line: number, record: number): void {
    this.rowsRead++;
    if (this.seen) {
      const key = safeJson(value);
      if (this.seen.has(key)) {
        this.duplicates++;
        return;
      }
      this.seen.add(key);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const reason = `expected an object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`;
      this.addProblem(
        problem('bad-value', reason, { file: this.file, line, record, source: this.source.name }),
      );
      this.reject(line, line, record, [reason], [truncate(safeJson(value), 10_000)]);
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
            ? `expected ${field.expected}, got ${truncate(safeJson(raw))}`
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
      return;
    }
    this.commit(line, record);
  }

  setJsonHeader(keys: string[]): void {
    this.headerCells = keys;
  }
}

/** JSON Lines: one record per line; a line that is not valid JSON is a lost (rejected) record. */
export async function readJsonLines(
  chunks: AsyncIterable<string>,
  intake: JsonIntake,
  file: string,
): Promise<void> {
  let lineNo = 0;
  let record = 0;
  let carry = '';
  const handle = (lineText: string) => {
    lineNo++;
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
  for await (const chunk of chunks) {
    const parts = (carry + chunk).split('\n');
    carry = parts.pop() ?? '';
    for (const part of parts) handle(part.replace(/\r$/, ''));
  }
  if (carry !== '') handle(carry.replace(/\r$/, ''));
}

/** A JSON document: the array of records at the source's json.records pointer (default: the top). */
export async function readJsonDocument(
  chunks: AsyncIterable<string>,
  pointer: string,
  intake: JsonIntake,
  file: string,
): Promise<void> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
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
    const hint =
      pointer === '' && records && typeof records === 'object'
        ? `; set json.records to the pointer of the array, e.g. ${suggestPointer(records)}`
        : '';
    throw new IsmsKpiError(
      problem(
        'json-not-array',
        `expected an array of records at ${pointer === '' ? 'the top level' : `"${pointer}"`}, found ${found}${hint}`,
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

function suggestPointer(value: object): string {
  const key = Object.entries(value).find(([, v]) => Array.isArray(v))?.[0];
  return key ? `"/${key}"` : '"/value"';
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
