/**
 * The column store every source is loaded into. Values are kept column by column in typed arrays so a
 * million-row export costs a few bytes per cell and formulas can run as tight loops over whole columns.
 *
 * - numbers, integers, datetimes (epoch ms, UTC) and durations (seconds): Float64Array, NaN = no value
 * - booleans: Uint8Array, 0 = false, 1 = true, 2 = no value
 * - strings and enums: dictionary codes (Int32Array, -1 = no value) into a de-duplicated string list
 * - lists: one string array (or null) per row
 */
export type FieldType =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'datetime'
  | 'duration'
  | 'enum'
  | 'list';

export const BOOL_FALSE = 0;
export const BOOL_TRUE = 1;
export const BOOL_NULL = 2;

export type Column =
  | { kind: 'num'; type: 'integer' | 'number' | 'datetime' | 'duration'; values: Float64Array }
  | { kind: 'bool'; type: 'boolean'; values: Uint8Array }
  | { kind: 'str'; type: 'string' | 'enum'; codes: Int32Array; dict: string[] }
  | { kind: 'list'; type: 'list'; values: (string[] | null)[] };

export interface Table {
  /** Source name in the catalogue. */
  name: string;
  /** File the rows came from, as shown to users. */
  file: string;
  length: number;
  columns: Map<string, Column>;
  /** Physical line (CSV, JSONL, JSON) where each accepted row starts. */
  line: Int32Array;
  /** 1-based data record number of each accepted row. */
  record: Int32Array;
}

/** Grows typed storage for one column while rows stream in. */
export class ColumnBuilder {
  readonly type: FieldType;
  private nums: Float64Array;
  private bools: Uint8Array;
  private codes: Int32Array;
  private readonly dict: string[] = [];
  private readonly dictIndex = new Map<string, number>();
  private readonly lists: (string[] | null)[] = [];
  private size = 0;

  constructor(type: FieldType, capacity = 1024) {
    this.type = type;
    const kind = columnKind(type);
    this.nums = new Float64Array(kind === 'num' ? capacity : 0);
    this.bools = new Uint8Array(kind === 'bool' ? capacity : 0);
    this.codes = new Int32Array(kind === 'str' ? capacity : 0);
  }

  get length(): number {
    return this.size;
  }

  pushNumber(value: number): void {
    if (this.size === this.nums.length) this.nums = grow(this.nums);
    this.nums[this.size++] = value;
  }

  pushBoolean(value: number): void {
    if (this.size === this.bools.length) this.bools = grow(this.bools);
    this.bools[this.size++] = value;
  }

  pushString(value: string | null): void {
    if (this.size === this.codes.length) this.codes = grow(this.codes);
    this.codes[this.size++] = value === null ? -1 : this.code(value);
  }

  pushList(value: string[] | null): void {
    this.lists.push(value);
    this.size++;
  }

  private code(value: string): number {
    let code = this.dictIndex.get(value);
    if (code === undefined) {
      code = this.dict.length;
      this.dict.push(value);
      this.dictIndex.set(value, code);
    }
    return code;
  }

  finish(): Column {
    switch (this.type) {
      case 'integer':
      case 'number':
      case 'datetime':
      case 'duration':
        return { kind: 'num', type: this.type, values: this.nums.slice(0, this.size) };
      case 'boolean':
        return { kind: 'bool', type: 'boolean', values: this.bools.slice(0, this.size) };
      case 'string':
      case 'enum':
        return { kind: 'str', type: this.type, codes: this.codes.slice(0, this.size), dict: this.dict };
      case 'list':
        return { kind: 'list', type: 'list', values: this.lists };
    }
  }
}

export function columnKind(type: FieldType): Column['kind'] {
  switch (type) {
    case 'integer':
    case 'number':
    case 'datetime':
    case 'duration':
      return 'num';
    case 'boolean':
      return 'bool';
    case 'string':
    case 'enum':
      return 'str';
    case 'list':
      return 'list';
  }
}

/** Growable Int32 storage for row bookkeeping (lines, record numbers). */
export class IntBuilder {
  private values = new Int32Array(1024);
  private size = 0;
  push(value: number): void {
    if (this.size === this.values.length) this.values = grow(this.values);
    this.values[this.size++] = value;
  }
  finish(): Int32Array {
    return this.values.slice(0, this.size);
  }
}

function grow<T extends Float64Array | Uint8Array | Int32Array>(array: T): T {
  const next = new (array.constructor as new (n: number) => T)(Math.max(16, array.length * 2));
  next.set(array);
  return next;
}

/** A cell value as plain JS, for evidence files, explain output and tests. */
export type CellValue = string | number | boolean | string[] | null;

export function cellValue(column: Column, row: number): CellValue {
  switch (column.kind) {
    case 'num': {
      const v = column.values[row]!;
      return Number.isNaN(v) ? null : v;
    }
    case 'bool': {
      const v = column.values[row]!;
      return v === BOOL_NULL ? null : v === BOOL_TRUE;
    }
    case 'str': {
      const code = column.codes[row]!;
      return code < 0 ? null : column.dict[code]!;
    }
    case 'list':
      return column.values[row] ?? null;
  }
}
