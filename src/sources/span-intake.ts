/**
 * CSV, the fast path: each data record arrives as spans of the decoded chunk (CsvSink.spans) and every
 * field is validated from char codes, exactly as the string path (row-intake.ts) does it; substrings
 * are cut only for new dictionary entries, free text and list items that are stored, and cells that fail
 * (for the message). Every field type takes it: lists (one column, or repeated columns with
 * `occurrence: all`), fields read from several columns, and `duplicates: drop-exact` (a record's key is
 * one slice of the chunk when it holds no quote, see record-key.ts). The string path stays the
 * reference: tests compare the two (`rowPath`).
 */
import {
  type Binding,
  KIND_BOOL,
  KIND_LIST,
  KIND_NUM,
  KIND_STR,
  SPAN_LIST,
  SPAN_MULTI,
  SPAN_NONE,
  SPAN_PARSE,
  SPAN_SKIP,
  SPAN_STRING,
  SPAN_TEXT,
} from './bindings.js';
import { INVALID, mayBeNull, trimSpanEnd, trimSpanStart, type Value } from './convert.js';
import type { CsvSink } from './csv-reader.js';
import type { IntakeOptions } from './intake.js';
import type { ResolvedSource } from './resolve.js';
import { RowIntake } from './row-intake.js';
import { BOOL_NULL } from './table.js';

export class CsvIntake extends RowIntake implements CsvSink {
  private storedBindings: Binding[] = [];
  private checkedBindings: Binding[] = [];
  /** Rows go through `record` (strings) instead of the span path (tests: the reference path). */
  private readonly isRowPath: boolean;
  private readonly rowCells: string[] = [];
  /** The chunk `chunkHasNul` describes. */
  private nulChunk = '';
  private chunkHasNul = false;

  constructor(source: ResolvedSource, file: string, options: IntakeOptions = {}) {
    super(source, file, options);
    this.isRowPath = options.rowPath === true;
  }

  /** CSV: match each field to its header column(s), then decide how the span path reads each. */
  override header(
    cells: readonly string[],
    line: number,
    delimiter = ',',
    quote = '"',
    isRepeat = false,
  ): void {
    super.header(cells, line, delimiter, quote, isRepeat);
    this.storedBindings = this.bindings.filter((b) => b.isStored);
    for (const binding of this.bindings) binding.spanMode = spanMode(binding);
    this.checkedBindings = this.bindings.filter((b) => b.spanMode !== SPAN_SKIP);
  }

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
    if (this.seen && this.isDuplicate(this.keys!.ofSpans(text, starts, ends, cells, count), record)) return;
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
      if (mode >= SPAN_LIST) {
        reasons =
          mode === SPAN_LIST
            ? this.listSpans(binding, text, starts, ends, cells, count, reasons, line, endLine, record)
            : this.multiSpans(binding, text, starts, ends, cells, count, reasons, line, endLine, record);
        continue;
      }
      if (mode === SPAN_NONE) {
        // No column in this file: no value (a required column that is missing stops the read earlier).
        setNull(binding);
        continue;
      }
      let t = '';
      let from = 0;
      let to = 0;
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
        setNull(binding);
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
      this.settled(reasons.length);
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
        case KIND_LIST:
          builder.pushList(binding.value as string[] | null);
          binding.value = null;
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
    this.settled(0);
  }

  /**
   * A list field: each of its columns' cells (one, or all occurrences) trimmed, null tokens left out,
   * split on the separator, items trimmed and empty ones dropped, exactly as fromText and the string
   * path's collectList do. One column: a NUL byte rejects the row, a cell that is not a null token is
   * a list (maybe empty). Several: the items of all cells, or no value when there are none.
   */
  private listSpans(
    binding: Binding,
    text: string,
    starts: Int32Array,
    ends: Int32Array,
    cells: readonly string[],
    count: number,
    reasons: string[] | undefined,
    line: number,
    endLine: number,
    record: number,
  ): string[] | undefined {
    const { field, indexes } = binding;
    const isSingle = indexes.length === 1;
    // Unstored lists only need the checks: a NUL byte (one column) and a required value.
    const needsItems = binding.isStored || field.spec.required;
    const separator = field.spec.separator;
    let items: string[] | null = null;
    for (let x = 0; x < indexes.length; x++) {
      const j = indexes[x]!;
      let t = '';
      let from = 0;
      let to = 0;
      if (j < count) {
        if (starts[j]! >= 0) {
          t = text;
          from = starts[j]!;
          to = ends[j]!;
        } else {
          t = cells[j]!;
          to = t.length;
        }
      }
      if (isSingle && to > from && (t !== text || this.chunkHasNul)) {
        const at = t.indexOf('\u0000', from);
        if (at >= 0 && at < to)
          return this.cellFailure(binding, 'nul-byte', t.slice(from, to), reasons, line, endLine, record);
      }
      const start = trimSpanStart(t, from, to);
      const end = trimSpanEnd(t, start, to);
      if (mayBeNull(field, t, start, end) && field.isNullSpan(t, start, end)) continue;
      if (items === null) {
        if (!needsItems) {
          binding.value = null;
          return reasons;
        }
        items = [];
      }
      if (end === start) continue;
      const cell = t.slice(start, end);
      if (cell.indexOf(separator) < 0) items.push(cell);
      else
        for (const part of cell.split(separator)) {
          const item = part.trim();
          if (item !== '') items.push(item);
        }
    }
    const value = isSingle || (items !== null && items.length > 0) ? items : null;
    if (value === null && field.spec.required) {
      const raw = isSingle ? cellText(text, starts, ends, cells, count, indexes[0]!) : '';
      return this.cellFailure(binding, 'required-missing', raw, reasons, line, endLine, record);
    }
    binding.value = value;
    return reasons;
  }

  /** A scalar field read from several columns: the first cell that is not a null token decides. */
  private multiSpans(
    binding: Binding,
    text: string,
    starts: Int32Array,
    ends: Int32Array,
    cells: readonly string[],
    count: number,
    reasons: string[] | undefined,
    line: number,
    endLine: number,
    record: number,
  ): string[] | undefined {
    const { field, indexes } = binding;
    let value: Value | typeof INVALID = null;
    for (let x = 0; x < indexes.length; x++) {
      const j = indexes[x]!;
      let t = '';
      let from = 0;
      let to = 0;
      if (j < count) {
        if (starts[j]! >= 0) {
          t = text;
          from = starts[j]!;
          to = ends[j]!;
        } else {
          t = cells[j]!;
          to = t.length;
        }
      }
      const start = trimSpanStart(t, from, to);
      const end = trimSpanEnd(t, start, to);
      if (mayBeNull(field, t, start, end) && field.isNullSpan(t, start, end)) continue;
      value = field.fromText(t.slice(start, end));
      break;
    }
    if (value === INVALID) return this.cellFailure(binding, 'bad-value', '', reasons, line, endLine, record);
    if (value === null) {
      if (field.spec.required)
        return this.cellFailure(binding, 'required-missing', '', reasons, line, endLine, record);
      setNull(binding);
    } else if (binding.kind === KIND_STR) {
      binding.num = -2;
      binding.pending = value as string;
    } else {
      binding.num = value as number;
    }
    return reasons;
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
}

/** How the span path reads a binding (SPAN_*), once the header has given it its columns. */
function spanMode(binding: Binding): number {
  const { field, indexes } = binding;
  if (binding.isSkipped) return SPAN_SKIP;
  if (indexes.length === 0) return SPAN_NONE;
  if (field.spec.type === 'list') {
    // Nothing to check in an optional list that is not stored, unless it has one column (a NUL byte).
    return !binding.isStored && !field.spec.required && indexes.length > 1 ? SPAN_SKIP : SPAN_LIST;
  }
  if (indexes.length > 1) return SPAN_MULTI;
  if (field.parseSpan) return SPAN_PARSE;
  return field.spec.type === 'string' || field.spec.type === 'enum' ? SPAN_STRING : SPAN_TEXT;
}

/** The scratch value of "no value" for the binding's kind. */
function setNull(binding: Binding): void {
  if (binding.kind === KIND_LIST) binding.value = null;
  else binding.num = binding.kind === KIND_STR ? -1 : binding.kind === KIND_BOOL ? BOOL_NULL : Number.NaN;
}

/** Cell j of a record given as spans, as a string ('' past the end of a short row). */
function cellText(
  text: string,
  starts: Int32Array,
  ends: Int32Array,
  cells: readonly string[],
  count: number,
  j: number,
): string {
  if (j >= count) return '';
  return starts[j]! >= 0 ? text.slice(starts[j]!, ends[j]!) : cells[j]!;
}
