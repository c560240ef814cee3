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
  /**
   * The dictionary's hash index: open addressing, linear probing; slot = code + 1 (0 = empty), with the
   * hash of each entry kept beside it. Keyed on char codes, so a cell can be looked up straight from
   * the decoded chunk (`lookupSpan`) without cutting a substring out of it first.
   */
  private slots = new Int32Array(0);
  private hashes = new Int32Array(0);
  private slotMask = -1;
  private readonly lists: (string[] | null)[] = [];
  private size = 0;
  private isPlain = false;

  constructor(type: FieldType, capacity = 1024) {
    this.type = type;
    const kind = columnKind(type);
    this.nums = new Float64Array(kind === 'num' ? capacity : 0);
    this.bools = new Uint8Array(kind === 'bool' ? capacity : 0);
    this.codes = new Int32Array(kind === 'str' ? capacity : 0);
    if (kind === 'str') this.resetIndex(64);
  }

  get length(): number {
    return this.size;
  }

  /** True once the column keeps one dictionary entry per row (free text, see goPlain). */
  get plain(): boolean {
    return this.isPlain;
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
    if (value === null) this.pushCode(-1);
    else if (this.isPlain) this.pushPlain(value);
    else this.pushCode(this.code(value));
  }

  /** Appends a dictionary code from `lookupSpan`/`code` (-1 = no value). Not for plain columns. */
  pushCode(code: number): void {
    if (this.size === this.codes.length) this.codes = grow(this.codes);
    this.codes[this.size++] = code;
    if (this.size === PLAIN_CHECK_ROWS || this.size === PLAIN_RECHECK_ROWS) this.checkPlain();
  }

  private pushPlain(value: string): void {
    if (this.size === this.codes.length) this.codes = grow(this.codes);
    this.codes[this.size++] = this.dict.length;
    this.dict.push(value);
  }

  /**
   * Free text (summaries, descriptions, ids) rarely repeats, and hashing every value into a dictionary
   * costs more than it saves: such columns keep one entry per row instead. Their dictionary may then hold
   * the same text twice, so consumers compare dictionary strings, never codes, for equality.
   * Nearly unique after PLAIN_CHECK_ROWS rows, or still more than half distinct after PLAIN_RECHECK_ROWS:
   * a column of a few thousand host names repeats often enough to stay a dictionary.
   */
  private checkPlain(): void {
    const distinct = this.dict.length;
    if (
      (this.size === PLAIN_CHECK_ROWS && distinct > PLAIN_CHECK_ROWS * 0.9) ||
      (this.size === PLAIN_RECHECK_ROWS && distinct > PLAIN_RECHECK_ROWS / 2)
    ) {
      this.isPlain = true;
      this.resetIndex(0);
    }
  }

  /** Makes room for `rows` values at once (from an estimate of the file's row count). */
  reserve(rows: number): void {
    if (this.nums.length > 0 && rows > this.nums.length) this.nums = resize(this.nums, rows);
    if (this.bools.length > 0 && rows > this.bools.length) this.bools = resize(this.bools, rows);
    if (this.codes.length > 0 && rows > this.codes.length) this.codes = resize(this.codes, rows);
  }

  pushList(value: string[] | null): void {
    this.lists.push(value);
    this.size++;
  }

  /** The dictionary code of `value`, added to the dictionary when new. */
  code(value: string): number {
    const found = this.lookupSpan(value, 0, value.length);
    return found >= 0 ? found : this.add(value);
  }

  /**
   * The code of the text text[start..end) when the dictionary has it, else -2 (nothing is added: the
   * caller adds the text with `code` once its row is accepted). Always -2 for plain columns.
   */
  lookupSpan(text: string, start: number, end: number): number {
    const slots = this.slots;
    if (slots.length === 0) return -2;
    const h = hashSpan(text, start, end);
    const mask = this.slotMask;
    const len = end - start;
    const dict = this.dict;
    let at = h & mask;
    for (;;) {
      const slot = slots[at]!;
      if (slot === 0) return -2;
      if (this.hashes[at] === h) {
        const entry = dict[slot - 1]!;
        // Cutting the span and comparing is faster than a loop of charCodeAt (V8 compares natively).
        if (entry.length === len && text.slice(start, end) === entry) return slot - 1;
      }
      at = (at + 1) & mask;
    }
  }

  private add(value: string): number {
    const code = this.dict.length;
    this.dict.push(value);
    if (this.isPlain) return code;
    if ((code + 1) * 2 > this.slots.length) this.resetIndex(this.slots.length * 2);
    else this.insert(hashSpan(value, 0, value.length), code);
    return code;
  }

  private insert(h: number, code: number): void {
    const mask = this.slotMask;
    let at = h & mask;
    while (this.slots[at] !== 0) at = (at + 1) & mask;
    this.slots[at] = code + 1;
    this.hashes[at] = h;
  }

  /** Rebuilds the index with `capacity` slots (a power of two; 0 drops it). */
  private resetIndex(capacity: number): void {
    this.slots = new Int32Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.slotMask = capacity - 1;
    if (capacity === 0) return;
    const dict = this.dict;
    for (let code = 0; code < dict.length; code++)
      this.insert(hashSpan(dict[code]!, 0, dict[code]!.length), code);
  }

  finish(): Column {
    switch (this.type) {
      case 'integer':
      case 'number':
      case 'datetime':
      case 'duration':
        return { kind: 'num', type: this.type, values: trimmed(this.nums, this.size) };
      case 'boolean':
        return { kind: 'bool', type: 'boolean', values: trimmed(this.bools, this.size) };
      case 'string':
      case 'enum':
        return { kind: 'str', type: this.type, codes: trimmed(this.codes, this.size), dict: this.dict };
      case 'list':
        return { kind: 'list', type: 'list', values: this.lists };
    }
  }
}

/** FNV-1a over the char codes of text[start..end). */
function hashSpan(text: string, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
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
  get length(): number {
    return this.size;
  }
  push(value: number): void {
    if (this.size === this.values.length) this.values = grow(this.values);
    this.values[this.size++] = value;
  }
  reserve(rows: number): void {
    if (rows > this.values.length) this.values = resize(this.values, rows);
  }
  finish(): Int32Array {
    return trimmed(this.values, this.size);
  }
}

/** Rows after which a string column checks whether it is free text (see checkPlain). */
const PLAIN_CHECK_ROWS = 4096;
const PLAIN_RECHECK_ROWS = 65_536;

function grow<T extends Float64Array | Uint8Array | Int32Array>(array: T): T {
  return resize(array, Math.max(16, array.length * 2));
}

function resize<T extends Float64Array | Uint8Array | Int32Array>(array: T, length: number): T {
  const next = new (array.constructor as new (n: number) => T)(length);
  next.set(array);
  return next;
}

/** The first `size` values; without a copy when little capacity is left unused. */
function trimmed<T extends Float64Array | Uint8Array | Int32Array>(array: T, size: number): T {
  return (array.length - size <= size / 8 ? array.subarray(0, size) : array.slice(0, size)) as T;
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
