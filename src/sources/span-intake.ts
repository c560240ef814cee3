/**
 * CSV, the fast path: each data record arrives as spans of the decoded chunk (CsvSink.spans) and every
 * field is validated from char codes, exactly as the string path (row-intake.ts) does it; substrings
 * are cut only for new dictionary entries, free text that is stored, and cells that fail (for the
 * message). Rows the span path cannot take (duplicate detection, lists, fields over several columns)
 * go through the string path.
 */
import {
  type Binding,
  KIND_BOOL,
  KIND_NUM,
  KIND_STR,
  SPAN_NONE,
  SPAN_PARSE,
  SPAN_ROW,
  SPAN_STRING,
  SPAN_TEXT,
} from './bindings.js';
import { INVALID, mayBeNull, trimSpanEnd, trimSpanStart } from './convert.js';
import type { CsvSink } from './csv-reader.js';
import { RowIntake } from './row-intake.js';
import { BOOL_NULL } from './table.js';

export class CsvIntake extends RowIntake implements CsvSink {
  private storedBindings: Binding[] = [];
  private checkedBindings: Binding[] = [];
  /** Rows go through `record` (strings) instead of the span path: duplicate detection, lists. */
  private isRowPath = true;
  private readonly rowCells: string[] = [];
  /** The chunk `chunkHasNul` describes. */
  private nulChunk = '';
  private chunkHasNul = false;

  /** CSV: match each field to its header column(s), then decide how the span path reads each. */
  override header(cells: readonly string[], line: number): void {
    super.header(cells, line);
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
}
