/**
 * Evidence intake: reads one source file, maps its columns to canonical fields, converts and validates
 * every cell, and stores accepted rows in a column Table. Rejected rows are kept with their reasons so
 * reports can count them and the evidence pack can list them.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { IsmsKpiError, type Problem, type ProblemCode, problem } from '../problems.js';
import { closest } from '../util/closest.js';
import { resolvePointer } from '../util/json-pointer.js';
import {
  type CompiledField,
  compileField,
  INVALID,
  mayBeNull,
  trimSpanEnd,
  trimSpanStart,
  type Value,
} from './convert.js';
import { readCsvFile } from './csv-reader.js';
import { openText } from './decode.js';
import { locateJsonRecords } from './json-lines.js';
import type { ResolvedSource } from './resolve.js';
import { BOOL_NULL, ColumnBuilder, columnKind, IntBuilder, type Table } from './table.js';

/** How many problems and rejected rows are kept in memory per source (all are counted). */
export const MAX_KEPT_PROBLEMS = 1000;
export const MAX_KEPT_REJECTED = 100_000;
/** JSON documents are parsed whole; larger files should be exported as JSON Lines or CSV. */
export const MAX_JSON_BYTES = 512 * 1024 * 1024;

export interface SourceStats {
  source: string;
  file: string;
  format: 'csv' | 'json' | 'jsonl';
  bytes: number;
  sha256: string;
  encoding?: string;
  delimiter?: string;
  rowsRead: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  warnings: number;
  timeField?: string;
  /** Earliest and latest value of the time field among accepted rows (epoch ms). */
  minTime: number | null;
  maxTime: number | null;
}

export interface RejectedRow {
  line: number;
  endLine: number;
  record: number;
  reasons: string[];
  cells: string[];
}

export interface LoadedSource {
  name: string;
  /** For snapshots: the instant the export reflects, when known (as_of, as_of_field or --as-of). */
  asOf: number | null;
  source: ResolvedSource;
  table: Table;
  stats: SourceStats;
  /** The first MAX_KEPT_PROBLEMS problems, in file order. */
  problems: Problem[];
  problemCount: number;
  rejectedRows: RejectedRow[];
  /** Header names as seen in the file (CSV) or the keys of the first record (JSON). */
  header: string[];
}

export interface LoadOptions {
  /** Absolute path of the file to read. */
  path: string;
  /** The same path as users should see it in messages. */
  displayPath: string;
  /**
   * Fields to store in the table (the ones formulas read); undefined stores all. Every mapped field is
   * still validated on every row; plain optional text fields that are not stored need no check at all.
   */
  keep?: ReadonlySet<string>;
  /** Called now and then while the file is read (for a progress display). */
  onProgress?: (progress: LoadProgress) => void;
}

export async function loadSource(source: ResolvedSource, options: LoadOptions): Promise<LoadedSource> {
  const file = options.displayPath;
  // The file is hashed as it is read (one pass), and progress is reported about once per 4 MB.
  const hash = createHash('sha256');
  let bytesSeen = 0;
  let nextReport = PROGRESS_STEP;
  const fileSize = (await stat(options.path).catch(() => undefined))?.size ?? 0;
  let hasReserved = false;
  const onBytes = (bytes: Uint8Array) => {
    hash.update(bytes);
    // The rows read so far came from the bytes before this block.
    const bytesBefore = bytesSeen;
    bytesSeen += bytes.length;
    // Once the row length is known, size the columns for the whole file instead of doubling them.
    if (!hasReserved && intake.rows >= RESERVE_AFTER_ROWS && fileSize > 0) {
      hasReserved = true;
      intake.reserve(Math.ceil((fileSize / bytesBefore) * intake.rows * 1.1));
    }
    if (options.onProgress && bytesSeen >= nextReport) {
      nextReport = bytesSeen + PROGRESS_STEP;
      options.onProgress({ source: source.name, bytes: bytesSeen, rows: intake.rows });
    }
  };
  const intake = new Intake(source, file, options.keep);
  let extra: Partial<SourceStats> = {};
  if (source.format === 'csv') {
    const csv = source.config.csv;
    const result = await readCsvFile(
      options.path,
      file,
      {
        delimiter: csv?.delimiter === '\\t' ? '\t' : csv?.delimiter,
        quote: csv?.quote,
        skipLines: csv?.skip_lines,
        headerStartsWith: csv?.header_starts_with,
        encoding: csv?.encoding,
      },
      intake,
      { onBytes },
    );
    for (const p of result.problems) intake.addProblem(p);
    extra = { encoding: result.encoding, delimiter: result.delimiter, bytes: result.bytes };
  } else {
    extra = await readJsonSource(source, options, intake, onBytes);
  }
  options.onProgress?.({ source: source.name, bytes: bytesSeen, rows: intake.rows, isDone: true });
  return intake.finish({ ...extra, sha256: hash.digest('hex') });
}

const PROGRESS_STEP = 4 * 1024 * 1024;
const NUL_IN_CELL = Symbol('nul');
const RESERVE_AFTER_ROWS = 65_536;

export interface LoadProgress {
  source: string;
  bytes: number;
  rows: number;
  isDone?: boolean;
}

type CellFailure = Extract<ProblemCode, 'nul-byte' | 'bad-value' | 'required-missing'>;

/** Column positions of each field in the header, or the JSON path to follow. */
interface Binding {
  field: CompiledField;
  indexes: number[];
  builder: ColumnBuilder;
  /** Scratch value for the current row, committed only when the whole row is valid. */
  value: Value;
  /** Stored in the table (read by a formula, the time field, or everything when no projection is given). */
  isStored: boolean;
  /** Neither stored nor checkable (optional free text): skipped on every row. */
  isSkipped: boolean;
  /** How `spans` reads the cell (SPAN_*). */
  spanMode: number;
  /** KIND_NUM, KIND_BOOL or KIND_STR (how the span path stores `num`). */
  kind: number;
  /**
   * Scratch value of the span path: the number (NaN = none), the boolean (0, 1, BOOL_NULL), or the
   * dictionary code (-1 = none, -2 = new text, in `pending`).
   */
  num: number;
  pending: string;
}

const KIND_NUM = 0;
const KIND_BOOL = 1;
const KIND_STR = 2;

/** The span path reads the cell's char codes: numbers, datetimes, booleans (parseSpan). */
const SPAN_PARSE = 0;
/** Strings and enums: looked up in the column's dictionary straight from the chunk. */
const SPAN_STRING = 1;
/** Any other single-column field: the cell text goes through fromText. */
const SPAN_TEXT = 2;
/** The field has no column in this file: no value. */
const SPAN_NONE = 3;
/** Lists and fields read from several columns: the row takes the string path (`record`). */
const SPAN_ROW = 4;

class Intake {
  private readonly bindings: Binding[];
  private readonly lines = new IntBuilder();
  private readonly records = new IntBuilder();
  private readonly problems: Problem[] = [];
  private problemCount = 0;
  private readonly rejectedRows: RejectedRow[] = [];
  private rowsRead = 0;
  get rows(): number {
    return this.rowsRead;
  }

  reserve(rows: number): void {
    for (const binding of this.bindings) if (binding.isStored) binding.builder.reserve(rows);
    this.lines.reserve(rows);
    this.records.reserve(rows);
  }
  private rejected = 0;
  private duplicates = 0;
  private warnings = 0;
  private headerCells: string[] = [];
  private headerLength = 0;
  private readonly seen: Set<string> | undefined;
  private readonly timeBinding: Binding | undefined;
  private minTime = Number.POSITIVE_INFINITY;
  private maxTime = Number.NEGATIVE_INFINITY;
  private readonly isFailFast: boolean;

  constructor(
    private readonly source: ResolvedSource,
    private readonly file: string,
    keep?: ReadonlySet<string>,
  ) {
    this.bindings = source.fields.map((spec) => {
      const isStored =
        !keep ||
        keep.has(spec.name) ||
        spec.name === source.timeField ||
        spec.name === source.config.as_of_field;
      return {
        field: compileField(spec),
        indexes: [],
        builder: new ColumnBuilder(spec.type, isStored ? 1024 : 0),
        value: null,
        isStored,
        isSkipped: !isStored && spec.type === 'string' && !spec.required,
        spanMode: SPAN_ROW,
        kind:
          columnKind(spec.type) === 'num'
            ? KIND_NUM
            : columnKind(spec.type) === 'bool'
              ? KIND_BOOL
              : KIND_STR,
        num: 0,
        pending: '',
      };
    });
    this.timeBinding = this.bindings.find((b) => b.field.spec.name === source.timeField);
    this.seen = source.config.duplicates === 'drop-exact' ? new Set() : undefined;
    this.isFailFast = source.config.on_invalid === 'fail';
  }

  addProblem(p: Problem): void {
    this.problemCount++;
    if (p.severity === 'warning') this.warnings++;
    if (this.problems.length < MAX_KEPT_PROBLEMS) this.problems.push(p);
    if (this.isFailFast && p.severity === 'error') {
      throw new IsmsKpiError({
        ...p,
        message: `${p.message} (source ${this.source.name} has on_invalid: fail)`,
      });
    }
  }

  /** CSV: match each field to its header column(s). */
  header(cells: readonly string[], line: number): void {
    this.headerCells = [...cells];
    this.headerLength = cells.length;
    const normal = cells.map(normaliseHeader);
    const missing: Problem[] = [];
    for (const binding of this.bindings) {
      const { spec } = binding.field;
      let all: number[] = [];
      for (const candidate of spec.columns) {
        const wanted = normaliseHeader(candidate);
        all = [];
        normal.forEach((name, index) => {
          if (name === wanted) all.push(index);
        });
        if (all.length > 0) break;
      }
      if (spec.occurrence === 'all') binding.indexes = all;
      else binding.indexes = all[spec.occurrence - 1] === undefined ? [] : [all[spec.occurrence - 1]!];
      if (binding.indexes.length > 0) continue;
      const which =
        all.length > 0 && spec.occurrence !== 'all'
          ? ` (occurrence ${spec.occurrence}; the header has ${all.length})`
          : '';
      const suggestion = closest(
        spec.column,
        cells.map((c) => c.trim()),
        6,
      );
      const hint = suggestion
        ? `; closest header: "${suggestion}"`
        : `; the header has ${previewHeader(cells)}`;
      if (spec.required) {
        missing.push(
          problem(
            'column-missing',
            `required column ${spec.columns.map((c) => `"${c}"`).join(' or ')} (field ${spec.name}) is not in the header${which}${hint}`,
            {
              file: this.file,
              line,
              source: this.source.name,
            },
          ),
        );
      } else {
        this.addProblem(
          problem(
            'column-missing',
            `column "${spec.column}" (field ${spec.name}) is not in the header${which}; the field is empty for every row${hint}`,
            {
              file: this.file,
              line,
              source: this.source.name,
            },
            'warning',
          ),
        );
      }
    }
    if (missing.length > 0) throw new IsmsKpiError(missing);
    this.storedBindings = this.bindings.filter((b) => b.isStored);
    this.checkedBindings = this.bindings.filter((b) => !b.isSkipped);
    this.isRowPath = this.seen !== undefined;
    for (const binding of this.bindings) {
      const { field } = binding;
      binding.spanMode =
        binding.indexes.length > 1 || field.spec.type === 'list'
          ? SPAN_ROW
          : binding.indexes.length === 0
            ? SPAN_NONE
            : field.parseSpan
              ? SPAN_PARSE
              : field.spec.type === 'string' || field.spec.type === 'enum'
                ? SPAN_STRING
                : SPAN_TEXT;
      if (binding.spanMode === SPAN_ROW && !binding.isSkipped) this.isRowPath = true;
    }
  }

  private storedBindings: Binding[] = [];
  private checkedBindings: Binding[] = [];
  /** Rows go through `record` (strings) instead of the span path: duplicate detection, lists. */
  private isRowPath = true;
  private readonly rowCells: string[] = [];
  /** The chunk `chunkHasNul` describes. */
  private nulChunk = '';
  private chunkHasNul = false;

  /**
   * CSV, the fast path: one data record as spans of the decoded chunk (see CsvSink.spans). Every field
   * is validated exactly as `record` does it, from char codes; substrings are cut only for new
   * dictionary entries, free text that is stored, and cells that fail (for the message).
   */
  spans(
    text: string,
    starts: Int32Array,
    ends: Int32Array,
    cells: readonly string[],
    count: number,
    line: number,
    endLine: number,
    record: number,
  ): void {
    if (this.isRowPath) {
      this.record(this.materialize(text, starts, ends, cells, count), line, endLine, record);
      return;
    }
    this.rowsRead++;
    if (
      count !== this.headerLength &&
      this.raggedRow(this.materialize(text, starts, ends, cells, count), line, endLine, record)
    )
      return;
    if (text !== this.nulChunk) {
      this.nulChunk = text;
      this.chunkHasNul = text.indexOf('\u0000') >= 0;
    }
    let reasons: string[] | undefined;
    const bindings = this.checkedBindings;
    for (let b = 0; b < bindings.length; b++) {
      const binding = bindings[b]!;
      const mode = binding.spanMode;
      const { field } = binding;
      let t = '';
      let from = 0;
      let to = 0;
      if (mode !== SPAN_NONE) {
        const j = binding.indexes[0]!;
        if (j < count) {
          if (starts[j]! >= 0) {
            t = text;
            from = starts[j]!;
            to = ends[j]!;
            if (this.chunkHasNul) {
              const at = text.indexOf('\u0000', from);
              if (at >= 0 && at < to) {
                reasons = this.cellFailure(
                  binding,
                  'nul-byte',
                  text.slice(from, to),
                  reasons,
                  line,
                  endLine,
                  record,
                );
                continue;
              }
            }
          } else {
            t = cells[j]!;
            to = t.length;
            if (t.indexOf('\u0000') >= 0) {
              reasons = this.cellFailure(binding, 'nul-byte', t, reasons, line, endLine, record);
              continue;
            }
          }
        }
      }
      const start = trimSpanStart(t, from, to);
      const end = trimSpanEnd(t, start, to);
      if (mayBeNull(field, t, start, end) && field.isNullSpan(t, start, end)) {
        if (field.spec.required) {
          reasons = this.cellFailure(
            binding,
            'required-missing',
            t.slice(from, to),
            reasons,
            line,
            endLine,
            record,
          );
          continue;
        }
        binding.num = binding.kind === KIND_STR ? -1 : binding.kind === KIND_BOOL ? BOOL_NULL : Number.NaN;
        continue;
      }
      if (mode === SPAN_PARSE) {
        const v = field.parseSpan!(t, start, end);
        if (v === INVALID) {
          reasons = this.cellFailure(binding, 'bad-value', t.slice(from, to), reasons, line, endLine, record);
          continue;
        }
        binding.num = v;
      } else if (mode === SPAN_STRING) {
        if (!binding.isStored && field.spec.type === 'string') continue;
        const code = binding.builder.lookupSpan(t, start, end);
        if (code >= 0) {
          // The dictionary holds only values this field accepted (enums: the declared spelling).
          binding.num = code;
          continue;
        }
        const v = field.fromText(t.slice(start, end));
        if (v === INVALID) {
          reasons = this.cellFailure(binding, 'bad-value', t.slice(from, to), reasons, line, endLine, record);
          continue;
        }
        binding.num = -2;
        binding.pending = v as string;
      } else {
        const v = field.fromText(t.slice(start, end));
        if (v === INVALID) {
          reasons = this.cellFailure(binding, 'bad-value', t.slice(from, to), reasons, line, endLine, record);
          continue;
        }
        binding.num = v as number;
      }
    }
    if (reasons) {
      this.reject(line, endLine, record, reasons, [...this.materialize(text, starts, ends, cells, count)]);
      return;
    }
    const stored = this.storedBindings;
    for (let b = 0; b < stored.length; b++) {
      const binding = stored[b]!;
      const { builder } = binding;
      switch (binding.kind) {
        case KIND_NUM:
          builder.pushNumber(binding.num);
          break;
        case KIND_BOOL:
          builder.pushBoolean(binding.num);
          break;
        default:
          if (binding.num === -2) builder.pushString(binding.pending);
          else builder.pushCode(binding.num);
          binding.pending = '';
      }
    }
    if (this.timeBinding) {
      const t = this.timeBinding.num;
      if (t < this.minTime) this.minTime = t;
      if (t > this.maxTime) this.maxTime = t;
    }
    this.lines.push(line);
    this.records.push(record);
  }

  /** The record's cells as strings, in a reused array. */
  private materialize(
    text: string,
    starts: Int32Array,
    ends: Int32Array,
    cells: readonly string[],
    count: number,
  ): string[] {
    const out = this.rowCells;
    out.length = count;
    for (let k = 0; k < count; k++) out[k] = starts[k]! >= 0 ? text.slice(starts[k]!, ends[k]!) : cells[k]!;
    return out;
  }

  /** CSV: one data record. `cells` is reused by the reader after this returns. */
  record(cells: readonly string[], line: number, endLine: number, record: number): void {
    this.rowsRead++;
    if (cells.length !== this.headerLength && this.raggedRow(cells, line, endLine, record)) return;
    if (this.seen) {
      const key = cells.join('\u0000');
      if (this.seen.has(key)) {
        this.duplicates++;
        return;
      }
      this.seen.add(key);
    }
    let reasons: string[] | undefined;
    for (const binding of this.bindings) {
      if (binding.isSkipped) continue;
      const { field } = binding;
      let value: Value | typeof INVALID | typeof NUL_IN_CELL;
      if (binding.indexes.length === 1) {
        const cell = cells[binding.indexes[0]!] ?? '';
        // A NUL byte never belongs in a text export: the file is binary, or UTF-16 read as something else.
        value = cell.indexOf('\u0000') >= 0 ? NUL_IN_CELL : field.fromText(cell);
      } else if (binding.indexes.length === 0) {
        value = null;
      } else {
        value = collectList(field, binding.indexes, cells);
      }
      const raw = binding.indexes.length === 1 ? (cells[binding.indexes[0]!] ?? '') : '';
      const failure: CellFailure | undefined =
        value === NUL_IN_CELL
          ? 'nul-byte'
          : value === INVALID
            ? 'bad-value'
            : value === null && field.spec.required
              ? 'required-missing'
              : undefined;
      if (failure) {
        reasons = this.cellFailure(binding, failure, raw, reasons, line, endLine, record);
        continue;
      }
      binding.value = value as Value;
    }
    if (reasons) {
      this.reject(line, endLine, record, reasons, [...cells]);
      return;
    }
    this.commit(line, record);
  }

  /**
   * A record whose cell count differs from the header's; true when the row is rejected (issue 14.3).
   * Fewer cells, or extra cells that are all empty (Excel's `a,b,c,`): a warning, the row is read.
   * An extra cell with a value: rejected, since a row that shifted (a delimiter inside an unquoted
   * value) has values under the wrong columns. Both CSV paths call this with the record's cells.
   */
  private raggedRow(cells: readonly string[], line: number, endLine: number, record: number): boolean {
    const count = cells.length;
    const at = { file: this.file, line, endLine, record, source: this.source.name };
    let extra = this.headerLength;
    while (extra < count && cells[extra]!.trim() === '') extra++;
    if (extra >= count) {
      const what =
        count > this.headerLength ? 'the extra cells are empty and ignored' : 'missing cells are empty';
      this.addProblem(
        problem(
          'ragged-row',
          `row has ${count} cells but the header has ${this.headerLength}; ${what}`,
          at,
          'warning',
        ),
      );
      return false;
    }
    const reason = `row has ${count} cells but the header has ${this.headerLength}, and extra cell ${extra + 1} is not empty (${JSON.stringify(truncate(cells[extra]!.trim(), 40))}): values may be under the wrong columns (a delimiter inside an unquoted value?)`;
    this.addProblem(problem('ragged-row', reason, at));
    this.reject(line, endLine, record, [reason], [...cells]);
    return true;
  }

  /** Reports a cell that makes its row rejected; returns the row's reasons with this one added. */
  private cellFailure(
    binding: Binding,
    failure: CellFailure,
    raw: string,
    reasons: string[] | undefined,
    line: number,
    endLine: number,
    record: number,
  ): string[] {
    const { field } = binding;
    const reason =
      failure === 'nul-byte'
        ? 'contains a NUL byte (\\0); the file looks binary, or UTF-16 without a byte order mark'
        : failure === 'bad-value'
          ? `expected ${field.expected}, got ${JSON.stringify(raw)}`
          : `required value is missing${raw.trim() === '' ? '' : ` (${JSON.stringify(raw.trim())} means no value)`}`;
    const column =
      binding.indexes.length > 0 ? this.headerCells[binding.indexes[0]!]!.trim() : field.spec.column;
    this.addProblem(
      problem(failure, reason, {
        file: this.file,
        line,
        endLine,
        record,
        column,
        source: this.source.name,
      }),
    );
    return [...(reasons ?? []), `column "${column}": ${reason}`];
  }

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

  lostRecord(p: Problem): void {
    this.rowsRead++;
    const line = p.location.line ?? 0;
    this.reject(line, line, p.location.record ?? 0, [p.message], []);
  }

  private reject(line: number, endLine: number, record: number, reasons: string[], cells: string[]): void {
    this.rejected++;
    if (this.rejectedRows.length < MAX_KEPT_REJECTED)
      this.rejectedRows.push({ line, endLine, record, reasons, cells });
  }

  private commit(line: number, record: number): void {
    for (const binding of this.bindings) {
      if (!binding.isStored) continue;
      const { builder, value } = binding;
      switch (builder.type) {
        case 'integer':
        case 'number':
        case 'datetime':
        case 'duration':
          builder.pushNumber(value === null ? Number.NaN : (value as number));
          break;
        case 'boolean':
          builder.pushBoolean(value === null ? BOOL_NULL : (value as number));
          break;
        case 'string':
        case 'enum':
          builder.pushString(value as string | null);
          break;
        case 'list':
          builder.pushList(value as string[] | null);
          break;
      }
    }
    if (this.timeBinding) {
      const t = this.timeBinding.value as number;
      if (t < this.minTime) this.minTime = t;
      if (t > this.maxTime) this.maxTime = t;
    }
    this.lines.push(line);
    this.records.push(record);
  }

  setJsonHeader(keys: string[]): void {
    this.headerCells = keys;
  }

  finish(extra: Partial<SourceStats> & { sha256: string }): LoadedSource {
    const columns = new Map(
      this.bindings.filter((b) => b.isStored).map((b) => [b.field.spec.name, b.builder.finish()]),
    );
    const line = this.lines.finish();
    const table: Table = {
      name: this.source.name,
      file: this.file,
      length: line.length,
      columns,
      line,
      record: this.records.finish(),
    };
    const hasTimes = this.timeBinding !== undefined && table.length > 0;
    return {
      name: this.source.name,
      asOf: null,
      source: this.source,
      table,
      problems: this.problems,
      problemCount: this.problemCount,
      rejectedRows: this.rejectedRows,
      header: this.headerCells,
      stats: {
        source: this.source.name,
        file: this.file,
        format: this.source.format,
        bytes: 0,
        ...extra,
        rowsRead: this.rowsRead,
        accepted: table.length,
        rejected: this.rejected,
        duplicates: this.duplicates,
        warnings: this.warnings,
        ...(this.source.timeField ? { timeField: this.source.timeField } : {}),
        minTime: hasTimes ? this.minTime : null,
        maxTime: hasTimes ? this.maxTime : null,
      },
    };
  }
}

function collectList(
  field: CompiledField,
  indexes: number[],
  cells: readonly string[],
): Value | typeof INVALID {
  if (field.spec.type !== 'list') {
    // Several columns into a scalar field: the first non-empty one wins.
    for (const i of indexes) {
      const v = field.fromText(cells[i] ?? '');
      if (v !== null) return v;
    }
    return null;
  }
  const items: string[] = [];
  for (const i of indexes) {
    const v = field.fromText(cells[i] ?? '');
    if (v === INVALID) return INVALID;
    if (Array.isArray(v)) items.push(...v);
  }
  return items.length > 0 ? items : null;
}

export function normaliseHeader(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();
}

function previewHeader(cells: readonly string[]): string {
  const names = cells
    .slice(0, 8)
    .map((c) => `"${c.trim()}"`)
    .join(', ');
  return cells.length > 8 ? `${names}, ... (${cells.length} columns)` : names;
}

/** JSON text of a parsed value, even one nested too deeply for JSON.stringify's recursion. */
function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    return '(a value nested too deeply to show)';
  }
}

function truncate(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

function getPath(record: object, path: readonly string[]): unknown {
  let value: unknown = record;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

async function readJsonSource(
  source: ResolvedSource,
  options: LoadOptions,
  intake: Intake,
  onBytes?: (bytes: Uint8Array) => void,
): Promise<Partial<SourceStats>> {
  const file = options.displayPath;
  const info = await stat(options.path).catch(() => undefined);
  if (info && info.size > MAX_JSON_BYTES) {
    throw new IsmsKpiError(
      problem(
        'file-too-large',
        `JSON file is larger than ${MAX_JSON_BYTES / 1024 / 1024} MB; export it as JSON Lines (.jsonl) or CSV`,
        { file },
      ),
    );
  }
  const opened = await openText(options.path, file, { encoding: 'auto', ...(onBytes ? { onBytes } : {}) });
  let text = '';
  if (source.format === 'jsonl') {
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
    for await (const chunk of opened.chunks) {
      const parts = (carry + chunk).split('\n');
      carry = parts.pop() ?? '';
      for (const part of parts) handle(part.replace(/\r$/, ''));
    }
    if (carry !== '') handle(carry.replace(/\r$/, ''));
    return { encoding: opened.info.encoding, bytes: opened.info.bytes };
  }
  for await (const chunk of opened.chunks) text += chunk;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new IsmsKpiError(jsonSyntaxProblem(error, text, file));
  }
  const pointer = source.config.json?.records ?? '';
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
  return { encoding: opened.info.encoding, bytes: opened.info.bytes };
}

function suggestPointer(value: object): string {
  const key = Object.entries(value).find(([, v]) => Array.isArray(v))?.[0];
  return key ? `"/${key}"` : '"/value"';
}

function jsonErrorText(error: unknown): string {
  return error instanceof Error ? error.message.replace(/^JSON\.parse: /, '') : String(error);
}

function jsonSyntaxProblem(error: unknown, text: string, file: string): Problem {
  const message = jsonErrorText(error);
  const position = /position (\d+)/.exec(message);
  if (position) {
    const offset = Number(position[1]);
    let line = 1;
    for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
    return problem(
      'json-syntax',
      `not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/ at position \d+.*$/, '')}`,
      { file, line },
    );
  }
  if (/Maximum call stack/i.test(message)) {
    return problem('json-too-deep', 'JSON is nested too deeply to read', { file });
  }
  return problem('json-syntax', `not valid JSON: ${message}`, { file });
}
