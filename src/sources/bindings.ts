/**
 * Bindings: how each field of a source is read from an export. A binding holds the field's compiled
 * converter, the header column(s) it is read from (CSV), the builder of its column, and the scratch
 * values of the row being read, committed only when the whole row is valid.
 */
import { type Problem, problem } from '../problems.js';
import { listOf, quote } from '../text.js';
import { closest } from '../util/closest.js';
import { type CompiledField, compileField, type Value } from './convert.js';
import type { ResolvedSource } from './resolve.js';
import { ColumnBuilder, columnKind } from './table.js';

/** Column positions of each field in the header, or the JSON path to follow. */
export interface Binding {
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
  /** KIND_NUM, KIND_BOOL, KIND_STR or KIND_LIST (how the span path stores `num`, or `value` for lists). */
  kind: number;
  /**
   * Scratch value of the span path: the number (NaN = none), the boolean (0, 1, BOOL_NULL), or the
   * dictionary code (-1 = none, -2 = new text, in `pending`).
   */
  num: number;
  pending: string;
}

export const KIND_NUM = 0;
export const KIND_BOOL = 1;
export const KIND_STR = 2;
export const KIND_LIST = 3;

/** The span path reads the cell's char codes: numbers, datetimes, booleans (parseSpan). */
export const SPAN_PARSE = 0;
/** Strings and enums: looked up in the column's dictionary straight from the chunk. */
export const SPAN_STRING = 1;
/** Any other single-column field: the cell text goes through fromText. */
export const SPAN_TEXT = 2;
/** The field has no column in this file: no value. */
export const SPAN_NONE = 3;
/** Not read by the span path at all (`record` reads every field; the span path only what it must). */
export const SPAN_SKIP = 4;
/** Lists, from one column or several (`occurrence: all`): items cut from the cells' spans. */
export const SPAN_LIST = 5;
/** A scalar field read from several columns: the first cell that is not a null token. */
export const SPAN_MULTI = 6;

// A free-text column ('text', table.ts) is built as a string column: its builder switches by itself.
const KINDS = { num: KIND_NUM, bool: KIND_BOOL, str: KIND_STR, text: KIND_STR, list: KIND_LIST } as const;

/**
 * One binding per field of the source. `keep` names the fields to store (the ones formulas read);
 * undefined stores all. The time field and the as-of field are always stored. An optional text field
 * that is not stored is not even looked at, unless `checkAll` (validate: a NUL byte in it rejects the row).
 */
export function createBindings(
  source: ResolvedSource,
  keep: ReadonlySet<string> | undefined,
  checkAll = false,
): Binding[] {
  return source.fields.map((spec) => {
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
      isSkipped: !checkAll && !isStored && spec.type === 'string' && !spec.required,
      spanMode: SPAN_SKIP,
      kind: KINDS[columnKind(spec.type)],
      num: 0,
      pending: '',
    };
  });
}

/**
 * CSV: matches each field to its header column(s), setting `indexes`. A missing optional column is a
 * warning (the field is empty for every row); a missing required column is an error. Both are
 * returned, in field order, for the intake to report, with the names of the optional fields left empty.
 */
export function bindColumns(
  bindings: readonly Binding[],
  cells: readonly string[],
  at: { file: string; line: number; source: string },
): { missing: Problem[]; warnings: Problem[]; emptyFields: string[] } {
  const normal = cells.map(normaliseHeader);
  const missing: Problem[] = [];
  const warnings: Problem[] = [];
  const emptyFields: string[] = [];
  for (const binding of bindings) {
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
      ? `; closest header: ${quote(suggestion)}`
      : `; the header has ${listOf(cells.map((c) => c.trim()))}`;
    if (spec.required) {
      missing.push(
        problem(
          'column-missing',
          `required column ${spec.columns.map((c) => quote(c)).join(' or ')} (field ${spec.name}) is not in the header${which}${hint}`,
          { ...at },
        ),
      );
    } else {
      emptyFields.push(spec.name);
      warnings.push(
        problem(
          'column-missing',
          `column ${quote(spec.column)} (field ${spec.name}) is not in the header${which}; the field is empty for every row${hint}`,
          { ...at },
          'warning',
        ),
      );
    }
  }
  return { missing, warnings, emptyFields };
}

export function normaliseHeader(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();
}
