/**
 * The column store every source is loaded into. Values are kept column by column in typed arrays so a
 * million-row export costs a few bytes per cell and formulas can run as tight loops over whole columns.
 *
 * - numbers, integers, datetimes (epoch ms, UTC) and durations (seconds): Float64Array, NaN = no value
 * - booleans: Uint8Array, 0 = false, 1 = true, 2 = no value
 * - strings and enums: dictionary codes (Int32Array, -1 = no value) into a de-duplicated string list;
 *   free text (values that rarely repeat, see checkPlain) as UTF-8 bytes in pages (text-store.ts)
 * - lists: the items of all rows in one item column (dictionary codes, or UTF-8 text when the items
 *   rarely repeat) and where each row's items end (Int32Array; ~end for no value)
 *
 * Decision (issue 16, docs/performance.md "Where the memory goes"): no column holds one JS object per
 * row. A million JS strings or arrays cost far more than their text, and a string cut out of a decoded
 * chunk keeps the whole chunk alive; dictionary entries are therefore copied flat (flatCopy) and free
 * text and list items are kept as bytes.
 */
import { concatTextStores, endOf, type TextStore, TextStoreBuilder } from './text-store.js';

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
  | { kind: 'text'; type: 'string' | 'enum'; text: TextStore }
  | { kind: 'list'; type: 'list'; ends: Int32Array; items: ItemColumn };

/** The items of a list column: dictionary codes, or free text. */
export type ItemColumn = Extract<Column, { kind: 'str' | 'text' }>;

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
  /** Free text: the values as UTF-8 bytes (after the switch, see checkPlain); null while a dictionary. */
  private text: TextStoreBuilder | null = null;
  /** Lists: where each row's items end in `items` (~end: no value). */
  private listEnds = new Int32Array(0);
  private items: ColumnBuilder | null = null;
  private size = 0;

  constructor(type: FieldType, capacity = 1024) {
    this.type = type;
    const kind = columnKind(type);
    this.nums = new Float64Array(kind === 'num' ? capacity : 0);
    this.bools = new Uint8Array(kind === 'bool' ? capacity : 0);
    this.codes = new Int32Array(kind === 'str' ? capacity : 0);
    if (kind === 'str') this.resetIndex(64);
    if (kind === 'list') {
      this.listEnds = new Int32Array(capacity);
      this.items = new ColumnBuilder('string', capacity);
    }
  }

  get length(): number {
    return this.size;
  }

  /** True once the column keeps its values as free text instead of a dictionary (see checkPlain). */
  get plain(): boolean {
    return this.text !== null;
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
    if (this.text !== null) {
      if (value === null) this.text.pushNull();
      else this.text.push(value);
      this.size++;
    } else this.pushCode(value === null ? -1 : this.code(value));
  }

  /**
   * Appends a dictionary code from `lookupSpan`/`code` (-1 = no value). A free-text column has no
   * dictionary: it takes only -1 here, its values come through pushString.
   */
  pushCode(code: number): void {
    if (this.text !== null) {
      if (code !== -1) throw new Error('internal: a dictionary code for a free-text column');
      this.text.pushNull();
      this.size++;
      return;
    }
    if (this.size === this.codes.length) this.codes = grow(this.codes);
    this.codes[this.size++] = code;
    if (this.size === PLAIN_CHECK_ROWS || this.size === PLAIN_RECHECK_ROWS) this.checkPlain();
  }

  /**
   * Free text (summaries, descriptions, ids) rarely repeats, and hashing every value into a dictionary
   * costs more than it saves: such columns keep their values as UTF-8 bytes, one after the other
   * (text-store.ts), instead. The same text may then be stored twice, so consumers compare texts, never
   * positions, for equality.
   * Nearly unique after PLAIN_CHECK_ROWS rows, or still more than half distinct after PLAIN_RECHECK_ROWS:
   * a column of a few thousand host names repeats often enough to stay a dictionary.
   */
  private checkPlain(): void {
    const distinct = this.dict.length;
    if (
      (this.size === PLAIN_CHECK_ROWS && distinct > PLAIN_CHECK_ROWS * 0.9) ||
      (this.size === PLAIN_RECHECK_ROWS && distinct > PLAIN_RECHECK_ROWS / 2)
    )
      this.goPlain();
  }

  /** Moves the rows so far from the dictionary into a text store; the dictionary is dropped. */
  private goPlain(): void {
    const text = new TextStoreBuilder(this.codes.length);
    const { codes, dict } = this;
    for (let i = 0; i < this.size; i++) {
      const c = codes[i]!;
      if (c < 0) text.pushNull();
      else text.push(dict[c]!);
    }
    this.text = text;
    this.codes = new Int32Array(0);
    this.dict.length = 0;
    this.resetIndex(0);
  }

  /** Makes room for `rows` values at once (from an estimate of the file's row count). */
  reserve(rows: number): void {
    if (this.nums.length > 0 && rows > this.nums.length) this.nums = resize(this.nums, rows);
    if (this.bools.length > 0 && rows > this.bools.length) this.bools = resize(this.bools, rows);
    if (this.codes.length > 0 && rows > this.codes.length) this.codes = resize(this.codes, rows);
    if (this.listEnds.length > 0 && rows > this.listEnds.length) this.listEnds = resize(this.listEnds, rows);
    this.text?.reserve(rows);
  }

  /** A list (null: no value; an empty list stays empty). Its items are stored like a string column's values. */
  pushList(value: string[] | null): void {
    const items = this.items!;
    if (value !== null) for (let k = 0; k < value.length; k++) items.pushString(value[k]!);
    if (this.size === this.listEnds.length) this.listEnds = grow(this.listEnds);
    this.listEnds[this.size++] = value === null ? ~items.length : items.length;
  }

  /** The dictionary code of `value`, added to the dictionary when new. Not for free-text columns. */
  code(value: string): number {
    if (this.text !== null) throw new Error('internal: a dictionary code for a free-text column');
    const found = this.lookupSpan(value, 0, value.length);
    return found >= 0 ? found : this.add(value);
  }

  /**
   * The code of the text text[start..end) when the dictionary has it, else -2 (nothing is added: the
   * caller adds the text with `code` once its row is accepted, or pushes it with pushString). Always -2
   * for free-text columns.
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
    this.dict.push(flatCopy(value));
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
        if (this.text !== null) return { kind: 'text', type: this.type, text: this.text.finish() };
        return { kind: 'str', type: this.type, codes: trimmed(this.codes, this.size), dict: this.dict };
      case 'list':
        return {
          kind: 'list',
          type: 'list',
          ends: trimmed(this.listEnds, this.size),
          items: this.items!.finish() as ItemColumn,
        };
    }
  }
}

/**
 * A copy of `value` that does not keep a larger string alive. V8 cuts a substring of 13 or more
 * characters as a view of its parent (a "sliced string"), so a dictionary entry cut out of a 64 KiB
 * decoded chunk would keep the whole chunk in memory (measured: the decoded file, twice its size for
 * non-Latin-1 text). Prepending a character makes a new (cons) string; slicing that flattens it into
 * a fresh string of the entry's length plus one.
 */
export function flatCopy(value: string): string {
  return value.length < 13 ? value : ` ${value}`.slice(1);
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
    case 'text':
      return column.text.get(row);
    case 'list':
      return listAt(column, row);
  }
}

/** Where row `row`'s items start in a list column's item column. */
export function listStart(ends: Int32Array, row: number): number {
  return row === 0 ? 0 : endOf(ends[row - 1]!);
}

/** The items of one row of a list column (null: no value). */
export function listAt(column: Extract<Column, { kind: 'list' }>, row: number): string[] | null {
  const end = column.ends[row]!;
  if (end < 0) return null;
  const out: string[] = [];
  for (let k = listStart(column.ends, row); k < end; k++) out.push(itemAt(column.items, k) ?? '');
  return out;
}

/** Item k of a list column's items. */
export function itemAt(items: ItemColumn, k: number): string | null {
  if (items.kind === 'text') return items.text.get(k);
  const code = items.codes[k]!;
  return code < 0 ? null : items.dict[code]!;
}

/**
 * One column with the rows of `parts` in order (tables read in several parts, e.g. byte ranges of one
 * file): numbers and booleans are copied, dictionaries merged (codes renumbered), free-text pages
 * shared. A part whose text went free while another kept a dictionary makes the whole column free text.
 */
export function concatColumns(parts: readonly Column[]): Column {
  const first = parts[0]!;
  if (parts.length === 1) return first;
  const rows = parts.reduce((sum, p) => sum + columnLength(p), 0);
  switch (first.kind) {
    case 'num': {
      const values = new Float64Array(rows);
      let at = 0;
      for (const p of parts as Extract<Column, { kind: 'num' }>[]) {
        values.set(p.values, at);
        at += p.values.length;
      }
      return { kind: 'num', type: first.type, values };
    }
    case 'bool': {
      const values = new Uint8Array(rows);
      let at = 0;
      for (const p of parts as Extract<Column, { kind: 'bool' }>[]) {
        values.set(p.values, at);
        at += p.values.length;
      }
      return { kind: 'bool', type: 'boolean', values };
    }
    case 'str':
    case 'text':
      return concatItems(parts as ItemColumn[], rows);
    case 'list': {
      const lists = parts as Extract<Column, { kind: 'list' }>[];
      const ends = new Int32Array(rows);
      let at = 0;
      let base = 0;
      for (const p of lists) {
        for (let i = 0; i < p.ends.length; i++) {
          const e = p.ends[i]!;
          ends[at++] = e < 0 ? ~(base + ~e) : base + e;
        }
        base += columnLength(p.items);
      }
      const items = concatItems(
        lists.map((p) => p.items),
        base,
      );
      return { kind: 'list', type: 'list', ends, items };
    }
  }
}

function concatItems(parts: ItemColumn[], rows: number): ItemColumn {
  const type = parts[0]!.type;
  if (parts.some((p) => p.kind === 'text')) {
    const stores = parts.map((p) => {
      if (p.kind === 'text') return p.text;
      const b = new TextStoreBuilder(p.codes.length);
      for (let i = 0; i < p.codes.length; i++) {
        const c = p.codes[i]!;
        if (c < 0) b.pushNull();
        else b.push(p.dict[c]!);
      }
      return b.finish();
    });
    return { kind: 'text', type, text: concatTextStores(stores) };
  }
  const dict: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(rows);
  let at = 0;
  for (const p of parts as Extract<Column, { kind: 'str' }>[]) {
    const remap = p.dict.map((s) => {
      let code = index.get(s);
      if (code === undefined) {
        code = dict.length;
        dict.push(s);
        index.set(s, code);
      }
      return code;
    });
    for (let i = 0; i < p.codes.length; i++) {
      const c = p.codes[i]!;
      codes[at++] = c < 0 ? -1 : remap[c]!;
    }
  }
  return { kind: 'str', type, codes, dict };
}

/** The table of the given rows (ascending, or any order), the dictionaries shared. */
export function selectRows(table: Table, rows: ArrayLike<number>): Table {
  const columns = new Map<string, Column>();
  for (const [name, column] of table.columns) columns.set(name, selectColumn(column, rows));
  return {
    ...table,
    length: rows.length,
    columns,
    line: Int32Array.from(rows, (row) => table.line[row]!),
    record: Int32Array.from(rows, (row) => table.record[row]!),
  };
}

/** The given rows of a column: typed arrays picked, dictionaries shared, free text and list items copied. */
export function selectColumn(column: Column, rows: ArrayLike<number>): Column {
  switch (column.kind) {
    case 'num':
      return { ...column, values: Float64Array.from(rows, (row) => column.values[row]!) };
    case 'bool':
      return { ...column, values: Uint8Array.from(rows, (row) => column.values[row]!) };
    case 'str':
      return { ...column, codes: Int32Array.from(rows, (row) => column.codes[row]!) };
    case 'text': {
      const text = new TextStoreBuilder(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const value = column.text.get(rows[i]!);
        if (value === null) text.pushNull();
        else text.push(value);
      }
      return { ...column, text: text.finish() };
    }
    case 'list': {
      // The items of the rows, in row order, and where each row's items now end.
      const items: number[] = [];
      const ends = new Int32Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        const end = column.ends[row]!;
        if (end < 0) {
          ends[i] = ~items.length;
          continue;
        }
        for (let k = listStart(column.ends, row); k < end; k++) items.push(k);
        ends[i] = items.length;
      }
      return { ...column, ends, items: selectColumn(column.items, items) as ItemColumn };
    }
  }
}

/** Number of rows of a column. */
export function columnLength(column: Column): number {
  switch (column.kind) {
    case 'num':
    case 'bool':
      return column.values.length;
    case 'str':
      return column.codes.length;
    case 'text':
      return column.text.length;
    case 'list':
      return column.ends.length;
  }
}
