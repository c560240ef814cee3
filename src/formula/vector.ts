/**
 * Column vectors the evaluator works on. A formula is evaluated for all rows at once: each operator is a
 * tight loop over typed arrays, and string functions run once per distinct value (dictionary), not per row.
 *
 * Three-valued logic as in SQL: booleans are 0 (false), 1 (true) or 2 (no value); numbers use NaN for
 * no value; strings use code -1.
 *
 * Free-text and list columns are read where they are (`text`, `lists`: the column and the rows, not a
 * copy): the functions that matter on them (equality with a constant, contains, starts_with,
 * ends_with, len, in, null tests) work on the stored bytes and item codes; anything else makes strings
 * of just the rows it is given (toStr, toList).
 */
import { BOOL_FALSE, BOOL_NULL, BOOL_TRUE, type Column, listAt } from '../sources/table.js';
import { type TextStore, TextStoreBuilder, textTest, textValues } from '../sources/text-store.js';

export type Scalar = number | string | boolean | null | string[];

export type Vec =
  | { t: 'num'; v: Float64Array }
  | { t: 'bool'; v: Uint8Array }
  | { t: 'str'; codes: Int32Array; dict: string[] }
  | { t: 'list'; v: (string[] | null)[] }
  /** A free-text column's rows `idx` (null: every row), as stored (see text-store.ts). */
  | { t: 'text'; text: TextStore; idx: Int32Array | null }
  /** A list column's rows `idx` (null: every row), as stored. */
  | { t: 'lists'; column: ListColumn; idx: Int32Array | null }
  | { t: 'scalar'; value: Scalar };

export type ListColumn = Extract<Column, { kind: 'list' }>;

export const scalar = (value: Scalar): Vec => ({ t: 'scalar', value });

export function toNum(vec: Vec, n: number): Float64Array {
  if (vec.t === 'num') return vec.v;
  const out = new Float64Array(n);
  if (vec.t === 'scalar') {
    out.fill(
      typeof vec.value === 'number'
        ? vec.value
        : vec.value === true
          ? 1
          : vec.value === false
            ? 0
            : Number.NaN,
    );
    return out;
  }
  if (vec.t === 'bool') {
    for (let i = 0; i < n; i++) out[i] = vec.v[i] === BOOL_NULL ? Number.NaN : vec.v[i]!;
    return out;
  }
  throw new Error(`internal: cannot read a ${vec.t} vector as numbers`);
}

export function toBool(vec: Vec, n: number): Uint8Array {
  if (vec.t === 'bool') return vec.v;
  const out = new Uint8Array(n);
  if (vec.t === 'scalar') {
    out.fill(vec.value === null ? BOOL_NULL : vec.value ? BOOL_TRUE : BOOL_FALSE);
    return out;
  }
  throw new Error(`internal: cannot read a ${vec.t} vector as booleans`);
}

export function toStr(vec: Vec, n: number): { codes: Int32Array; dict: string[] } {
  if (vec.t === 'str') return vec;
  if (vec.t === 'text') {
    // One dictionary entry per row (free text rarely repeats), made only for these rows.
    const values = textValues(vec.text, vec.idx);
    const codes = new Int32Array(n);
    const dict: string[] = [];
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === null || v === undefined) codes[i] = -1;
      else {
        codes[i] = dict.length;
        dict.push(v);
      }
    }
    return { codes, dict };
  }
  if (vec.t === 'scalar') {
    const codes = new Int32Array(n);
    if (vec.value === null) return { codes: codes.fill(-1), dict: [] };
    return { codes, dict: [String(vec.value)] };
  }
  if (vec.t === 'num') {
    const values = vec.v;
    const interned = internStrings(n, (i) => (Number.isNaN(values[i]!) ? null : String(values[i])));
    return { codes: interned.codes, dict: interned.dict };
  }
  throw new Error(`internal: cannot read a ${vec.t} vector as strings`);
}

export function toList(vec: Vec, n: number): (string[] | null)[] {
  if (vec.t === 'list') return vec.v;
  if (vec.t === 'lists') {
    const out: (string[] | null)[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = listAt(vec.column, vec.idx ? vec.idx[i]! : i);
    return out;
  }
  if (vec.t === 'scalar')
    return new Array(n).fill(
      Array.isArray(vec.value) ? vec.value : vec.value === null ? null : [String(vec.value)],
    );
  const s = toStr(vec, n);
  const out: (string[] | null)[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = s.codes[i]! < 0 ? null : [s.dict[s.codes[i]!]!];
  return out;
}

/** Applies a string function once per distinct value, then re-codes so equal results share a code. */
export function mapStrings(vec: Vec, n: number, fn: (s: string) => string): Vec {
  if (vec.t === 'scalar') return scalar(vec.value === null ? null : fn(String(vec.value)));
  if (vec.t === 'text') {
    // Free text in, free text out: row by row into a new store, no string kept per row.
    const out = new TextStoreBuilder(n);
    const { text, idx } = vec;
    for (let i = 0; i < n; i++) {
      const s = text.get(idx ? idx[i]! : i);
      if (s === null) out.pushNull();
      else out.push(fn(s));
    }
    return { t: 'text', text: out.finish(), idx: null };
  }
  const { codes, dict } = toStr(vec, n);
  const index = new Map<string, number>();
  const outDict: string[] = [];
  const remap = new Int32Array(dict.length);
  for (let c = 0; c < dict.length; c++) {
    const mapped = fn(dict[c]!);
    let code = index.get(mapped);
    if (code === undefined) {
      code = outDict.length;
      outDict.push(mapped);
      index.set(mapped, code);
    }
    remap[c] = code;
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    out[i] = c < 0 ? -1 : remap[c]!;
  }
  return { t: 'str', codes: out, dict: outDict };
}

/** A predicate over strings, run once per distinct value. */
export function testStrings(vec: Vec, n: number, fn: (s: string) => boolean): Vec {
  if (vec.t === 'scalar') return scalar(vec.value === null ? null : fn(String(vec.value)));
  // Free text: each row's value made and tested in turn (values rarely repeat).
  if (vec.t === 'text') return { t: 'bool', v: textTest(vec.text, vec.idx, fn) };
  const { codes, dict } = toStr(vec, n);
  const results = new Uint8Array(dict.length);
  for (let c = 0; c < dict.length; c++) results[c] = fn(dict[c]!) ? BOOL_TRUE : BOOL_FALSE;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = codes[i]!;
    out[i] = c < 0 ? BOOL_NULL : results[c]!;
  }
  return { t: 'bool', v: out };
}

/** Element-wise numeric function with NaN propagating as "no value". */
export function mapNum(args: Vec[], n: number, fn: (...xs: number[]) => number): Vec {
  if (args.every((a) => a.t === 'scalar')) {
    const xs = args.map((a) => toNum(a, 1)[0]!);
    return scalar(numOrNull(fn(...xs)));
  }
  const cols = args.map((a) => toNum(a, n));
  const out = new Float64Array(n);
  if (cols.length === 1) {
    const a = cols[0]!;
    for (let i = 0; i < n; i++) out[i] = fn(a[i]!);
  } else if (cols.length === 2) {
    const a = cols[0]!;
    const b = cols[1]!;
    for (let i = 0; i < n; i++) out[i] = fn(a[i]!, b[i]!);
  } else {
    const xs = new Array<number>(cols.length);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < cols.length; j++) xs[j] = cols[j]![i]!;
      out[i] = fn(...xs);
    }
  }
  return { t: 'num', v: out };
}

function numOrNull(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}

/** Reads element i of any vector as a plain value (for pair-wise fallbacks, traces and tests). */
export function valueAt(vec: Vec, i: number): Scalar {
  switch (vec.t) {
    case 'scalar':
      return vec.value;
    case 'num':
      return Number.isNaN(vec.v[i]!) ? null : vec.v[i]!;
    case 'bool':
      return vec.v[i] === BOOL_NULL ? null : vec.v[i] === BOOL_TRUE;
    case 'str':
      return vec.codes[i]! < 0 ? null : vec.dict[vec.codes[i]!]!;
    case 'list':
      return vec.v[i] ?? null;
    case 'text':
      return vec.text.get(vec.idx ? vec.idx[i]! : i);
    case 'lists':
      return listAt(vec.column, vec.idx ? vec.idx[i]! : i);
  }
}

/** Builds a string vector row by row; equal strings share one dictionary code. */
export function internStrings(
  n: number,
  valueAt: (i: number) => string | null,
): { t: 'str'; codes: Int32Array; dict: string[] } {
  const index = new Map<string, number>();
  const dict: string[] = [];
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const value = valueAt(i);
    if (value === null) {
      codes[i] = -1;
      continue;
    }
    let code = index.get(value);
    if (code === undefined) {
      code = dict.length;
      dict.push(value);
      index.set(value, code);
    }
    codes[i] = code;
  }
  return { t: 'str', codes, dict };
}
