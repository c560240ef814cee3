/**
 * CSV, the string path: one record as an array of cell strings. Used for the header, for sources that
 * drop exact duplicates, for lists and fields read from several columns, and for rows the span path
 * hands over; every field is converted by its fromText converter.
 */
import { IsmsKpiError, type ProblemCode, problem } from '../problems.js';
import { quote } from '../text.js';
import { type Binding, bindColumns } from './bindings.js';
import { type CompiledField, INVALID, type Value } from './convert.js';
import { Intake } from './intake.js';
import { CsvRecordKeys } from './record-key.js';

const NUL_IN_CELL = Symbol('nul');

type CellFailure = Extract<ProblemCode, 'nul-byte' | 'bad-value' | 'required-missing'>;

export class RowIntake extends Intake {
  protected headerLength = 0;
  /** Keys of records for `duplicates: drop-exact` (set with the header, which knows the delimiter). */
  protected keys: CsvRecordKeys | undefined;

  /**
   * CSV: match each field to its header column(s). `isRepeat`: the header was read already by the range
   * before this one (load-ranges.ts), which reported its problems; only the columns are matched.
   */
  header(cells: readonly string[], line: number, delimiter = ',', quote = '"', isRepeat = false): void {
    this.headerCells = [...cells];
    this.headerLength = cells.length;
    if (this.seen) this.keys = new CsvRecordKeys(delimiter, quote);
    const { missing, warnings, emptyFields } = bindColumns(this.bindings, cells, {
      file: this.file,
      line,
      source: this.source.name,
    });
    if (missing.length > 0) throw new IsmsKpiError(missing);
    if (isRepeat) return;
    this.emptyFields = emptyFields;
    // One warning per empty field, in the same order; a field no KPI reads is only listed.
    warnings.forEach((warning, i) => {
      const field = emptyFields[i]!;
      if (this.used && !this.used.has(field)) this.unusedAbsentFields.push(field);
      else this.addProblem(warning);
    });
  }

  /** CSV: one data record. `cells` is reused by the reader after this returns. */
  record(cells: readonly string[], line: number, endLine: number, record: number): void {
    this.rowsRead++;
    if (cells.length !== this.headerLength && this.raggedRow(cells, line, endLine, record)) return;
    if (this.seen && this.isDuplicate(this.keys!.ofCells(cells), record)) return;
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
      this.settled(reasons.length);
      return;
    }
    this.commit(line, record);
    this.settled(0);
  }

  /**
   * A row whose cell count differs from the header's. Fewer cells, or extra cells that are all empty
   * (Excel's `a,b,c,`), are a warning and the row is read; an extra cell with a value means the values
   * may sit under the wrong columns, so the row is rejected. Returns true when it was rejected.
   */
  protected raggedRow(cells: readonly string[], line: number, endLine: number, record: number): boolean {
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
      // A short row leaves fields without values; empty trailing cells (Excel's `a,b,c,`) lose nothing.
      if (count < this.headerLength) this.dataWarnings++;
      return false;
    }
    const reason = `row has ${count} cells but the header has ${this.headerLength}, and extra cell ${extra + 1} is not empty (${quote(cells[extra]!.trim(), 40)}): values may be under the wrong columns (a delimiter inside an unquoted value?)`;
    this.addProblem(problem('ragged-row', reason, at));
    this.reject(line, endLine, record, [reason], [...cells]);
    return true;
  }

  /** Reports a cell that makes its row rejected; returns the row's reasons with this one added. */
  protected cellFailure(
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
          ? `expected ${field.expected}, got ${quote(raw)}`
          : `required value is missing${raw.trim() === '' ? '' : ` (${quote(raw.trim())} means no value)`}`;
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
    return [...(reasons ?? []), `column ${quote(column)}: ${reason}`];
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
