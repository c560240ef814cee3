/**
 * One pass over a source's rows computes an aggregate for every group at once: the whole period
 * (group 0), each cadence window, and each segment.
 */
import type { Expr } from '../formula/ir.js';
import type { Vec } from '../formula/vector.js';
import { BOOL_TRUE } from '../sources/table.js';

export interface GroupIndex {
  /** Number of groups: 1 (period) + windows + segments. */
  count: number;
  /** Group of each table row for windows (-1: none), or null when the source has no windows. */
  windowOf: Int32Array | null;
  /** Group of each table row for segments (-1: none), or null when the source lacks the segment field. */
  segmentOf: Int32Array | null;
  /** 1 for rows in the period; null when every row is. */
  mask: Uint8Array | null;
  /** The rows in the period (the 1s of mask), when known. */
  rows?: Int32Array | null;
}

export interface AggregateOutcome {
  values: Float64Array;
  rowsInScope: Float64Array;
  rowsMatched: Float64Array;
  /** Table rows that met the condition in the whole period (group 0), when traced. */
  matched?: Int32Array;
}

type Agg = Extract<Expr, { k: 'agg' }>;

export function aggregate(
  agg: Agg,
  n: number,
  groups: GroupIndex,
  pred: Vec | null,
  /**
   * The aggregate's value for the given rows (null: every row). It is asked for only the rows in the
   * period that meet the condition, so costly values (text built per row) are not computed for the rest.
   */
  valueFor: ((rows: Int32Array | null) => Vec) | null,
  trace: boolean,
): AggregateOutcome {
  // Every pass over the rows is a small function of its own: each is then optimised for its own
  // argument types, and a loop that runs once over a million rows does not wait in a large function
  // that is deoptimised whenever it reaches code it has not run before.
  const G = groups.count;
  const rowsInScope = new Float64Array(G);
  const rowsMatched = new Float64Array(G);
  const { windowOf, segmentOf } = groups;
  // The rows in the period: the listed ones, else those of the mask, else all (null).
  const rows = groups.rows ?? (groups.mask ? rowsOfMask(groups.mask) : null);
  const inScope = rows ? rows.length : n;
  const isCount = agg.fn === 'count';

  rowsInScope[0] = inScope;
  if (windowOf) countGroups(windowOf, rows, inScope, rowsInScope);
  if (segmentOf) countGroups(segmentOf, rows, inScope, rowsInScope);
  // The rows that meet the condition (null: all n rows).
  const selected = pred ? selectTrue(boolArray(pred, n), rows, inScope) : rows;
  const m = selected ? selected.length : n;

  // The value of each selected row (position k of the value vector is row selected[k]); the rows with
  // a value are `valid` (table rows) at positions `positions` of the value vector (null: all).
  const value = valueFor && !isCount ? valueFor(m === n ? null : selected) : null;
  let positions: Int32Array | null = null;
  if (value && !isCount) {
    if (value.t === 'num') positions = positionsOfNumbers(value.v, m);
    else if (value.t === 'str') positions = positionsOfCodes(value.codes, m);
    else if (value.t === 'bool') positions = positionsOfBooleans(value.v, m);
    else if (value.t === 'text') positions = positionsOfText(value.text.ends, value.idx, m);
    else if (value.t === 'scalar' && value.value === null) positions = new Int32Array(0);
  }
  const valid = positions ? gather(selected, positions) : selected;
  const v = valid ? valid.length : n;

  rowsMatched[0] = v;
  const windowAt = windowOf ? groupsOf(windowOf, valid, v, rowsMatched) : null;
  const segmentAt = segmentOf ? groupsOf(segmentOf, valid, v, rowsMatched) : null;
  const matched = trace ? (valid ? Int32Array.from(valid) : identity(n)) : undefined;

  const values = new Float64Array(G);
  switch (agg.fn) {
    case 'count':
      values.set(rowsMatched);
      break;
    case 'count_distinct': {
      const distinct: Set<number | string>[] = Array.from({ length: G }, () => new Set());
      for (let j = 0; j < v; j++) {
        const key = keyAt(value, positions ? positions[j]! : j);
        distinct[0]!.add(key);
        if (windowAt && windowAt[j]! >= 0) distinct[windowAt[j]!]!.add(key);
        if (segmentAt && segmentAt[j]! >= 0) distinct[segmentAt[j]!]!.add(key);
      }
      for (let g = 0; g < G; g++) values[g] = distinct[g]!.size;
      break;
    }
    case 'sum':
    case 'mean':
    case 'min':
    case 'max': {
      const xs = numbersOf(value, v, positions);
      const sums = new Float64Array(G);
      const mins = new Float64Array(G).fill(Number.POSITIVE_INFINITY);
      const maxs = new Float64Array(G).fill(Number.NEGATIVE_INFINITY);
      accumulate(xs, null, 0, sums, mins, maxs);
      if (windowAt) accumulate(xs, windowAt, 0, sums, mins, maxs);
      if (segmentAt) accumulate(xs, segmentAt, 0, sums, mins, maxs);
      for (let g = 0; g < G; g++) {
        const count = rowsMatched[g]!;
        values[g] =
          count === 0
            ? Number.NaN
            : agg.fn === 'sum'
              ? sums[g]!
              : agg.fn === 'mean'
                ? sums[g]! / count
                : agg.fn === 'min'
                  ? mins[g]!
                  : maxs[g]!;
      }
      break;
    }
    case 'median':
    case 'percentile': {
      const q = agg.fn === 'median' ? 0.5 : (agg.p ?? 50) / 100;
      const xs = numbersOf(value, v, positions);
      // Each group's values in an array of its own (quantile reorders them).
      const buckets: Float64Array[] = Array.from(
        { length: G },
        (_, g) => new Float64Array(g === 0 ? 0 : rowsMatched[g]!),
      );
      if (windowAt) bucket(xs, windowAt, buckets);
      if (segmentAt) bucket(xs, segmentAt, buckets);
      buckets[0] = xs;
      for (let g = 0; g < G; g++) values[g] = quantile(buckets[g]!, q);
      break;
    }
  }
  return { values, rowsInScope, rowsMatched, ...(matched ? { matched } : {}) };
}

/** Adds 1 to counts[group of row] for each row in scope. */
function countGroups(groupOf: Int32Array, rows: Int32Array | null, m: number, counts: Float64Array): void {
  if (rows) {
    for (let k = 0; k < m; k++) {
      const g = groupOf[rows[k]!]!;
      if (g >= 0) counts[g]!++;
    }
  } else {
    for (let i = 0; i < m; i++) {
      const g = groupOf[i]!;
      if (g >= 0) counts[g]!++;
    }
  }
}

/** The group of each listed row (all rows when null), counted in counts. */
function groupsOf(groupOf: Int32Array, rows: Int32Array | null, m: number, counts: Float64Array): Int32Array {
  const out = new Int32Array(m);
  if (rows) {
    for (let k = 0; k < m; k++) {
      const g = groupOf[rows[k]!]!;
      out[k] = g;
      if (g >= 0) counts[g]!++;
    }
  } else {
    for (let i = 0; i < m; i++) {
      const g = groupOf[i]!;
      out[i] = g;
      if (g >= 0) counts[g]!++;
    }
  }
  return out;
}

/** The rows in scope (all n when rows is null) where the condition is true. */
function selectTrue(cond: Uint8Array, rows: Int32Array | null, m: number): Int32Array {
  const out = new Int32Array(m);
  let k = 0;
  if (rows) {
    for (let j = 0; j < m; j++) {
      const i = rows[j]!;
      if (cond[i] === BOOL_TRUE) out[k++] = i;
    }
  } else {
    for (let i = 0; i < m; i++) if (cond[i] === BOOL_TRUE) out[k++] = i;
  }
  return out.subarray(0, k);
}

function positionsOfNumbers(values: Float64Array, m: number): Int32Array {
  const out = new Int32Array(m);
  let k = 0;
  for (let j = 0; j < m; j++) if (!Number.isNaN(values[j]!)) out[k++] = j;
  return out.subarray(0, k);
}

function positionsOfCodes(codes: Int32Array, m: number): Int32Array {
  const out = new Int32Array(m);
  let k = 0;
  for (let j = 0; j < m; j++) if (codes[j]! >= 0) out[k++] = j;
  return out.subarray(0, k);
}

function positionsOfText(ends: Int32Array, idx: Int32Array | null, m: number): Int32Array {
  const out = new Int32Array(m);
  let k = 0;
  for (let j = 0; j < m; j++) if (ends[idx ? idx[j]! : j]! >= 0) out[k++] = j;
  return out.subarray(0, k);
}

function positionsOfBooleans(values: Uint8Array, m: number): Int32Array {
  const out = new Int32Array(m);
  let k = 0;
  for (let j = 0; j < m; j++) if (values[j] !== 2) out[k++] = j;
  return out.subarray(0, k);
}

/** rows[positions[j]] for each j (rows null: the positions themselves). */
function gather(rows: Int32Array | null, positions: Int32Array): Int32Array {
  if (!rows) return positions;
  const out = new Int32Array(positions.length);
  for (let j = 0; j < positions.length; j++) out[j] = rows[positions[j]!]!;
  return out;
}

/** Sums, minimums and maximums of xs per group (groupAt null: all in group `only`). */
function accumulate(
  xs: Float64Array,
  groupAt: Int32Array | null,
  only: number,
  sums: Float64Array,
  mins: Float64Array,
  maxs: Float64Array,
): void {
  if (!groupAt) {
    let sum = sums[only]!;
    let min = mins[only]!;
    let max = maxs[only]!;
    for (let j = 0; j < xs.length; j++) {
      const x = xs[j]!;
      sum += x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    sums[only] = sum;
    mins[only] = min;
    maxs[only] = max;
    return;
  }
  for (let j = 0; j < xs.length; j++) {
    const g = groupAt[j]!;
    if (g < 0) continue;
    const x = xs[j]!;
    sums[g]! += x;
    if (x < mins[g]!) mins[g] = x;
    if (x > maxs[g]!) maxs[g] = x;
  }
}

function bucket(xs: Float64Array, groupAt: Int32Array, buckets: Float64Array[]): void {
  const fill = new Int32Array(buckets.length);
  for (let j = 0; j < xs.length; j++) {
    const g = groupAt[j]!;
    if (g >= 0) buckets[g]![fill[g]!++] = xs[j]!;
  }
}

/** Values of the valid positions as numbers, in a fresh array (quantiles reorder it). */
function numbersOf(value: Vec | null, v: number, positions: Int32Array | null): Float64Array {
  if (value && value.t === 'num') {
    const numV = value.v;
    if (!positions) return numV.slice(0, v);
    const xs = new Float64Array(v);
    for (let j = 0; j < v; j++) xs[j] = numV[positions[j]!]!;
    return xs;
  }
  const xs = new Float64Array(v);
  if (value && value.t === 'scalar' && typeof value.value === 'number') xs.fill(value.value);
  return xs;
}

/** The key count_distinct compares for position k (text for strings: free-text codes are not unique). */
function keyAt(value: Vec | null, k: number): number | string {
  if (!value) return 0;
  switch (value.t) {
    case 'num':
      return value.v[k]!;
    case 'str':
      return value.dict[value.codes[k]!]!;
    case 'text':
      return value.text.get(value.idx ? value.idx[k]! : k) ?? '';
    case 'bool':
      return value.v[k]!;
    case 'scalar':
      return String(value.value);
    default:
      return 0;
  }
}

function rowsOfMask(mask: Uint8Array): Int32Array {
  let count = 0;
  for (let i = 0; i < mask.length; i++) count += mask[i]! ? 1 : 0;
  const rows = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) rows[k++] = i;
  return rows;
}

function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/**
 * Continuous quantile with linear interpolation between closest ranks (SQL quantile_cont). Reorders
 * `values` (a selection, not a full sort: the two ranks needed are found in linear time on average).
 */
export function quantile(values: Float64Array | number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const data = values instanceof Float64Array ? values : Float64Array.from(values);
  const position = (data.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  select(data, lower);
  const a = data[lower]!;
  if (lower === upper) return a;
  // After the selection every value above `lower` is >= a: the next rank is their minimum.
  let b = Number.POSITIVE_INFINITY;
  for (let i = lower + 1; i < data.length; i++) if (data[i]! < b) b = data[i]!;
  return a + (b - a) * (position - lower);
}

/**
 * Moves the k-th smallest value to data[k], smaller or equal ones before it and larger or equal ones
 * after (quickselect, median-of-three pivots; a range that does not shrink fast enough is sorted).
 */
function select(data: Float64Array, k: number): void {
  let lo = 0;
  let hi = data.length - 1;
  let rounds = 0;
  while (hi > lo) {
    if (hi - lo < 16 || ++rounds > 64) {
      const part = data.subarray(lo, hi + 1).sort();
      data.set(part, lo);
      return;
    }
    const mid = lo + ((hi - lo) >> 1);
    // Median of three as pivot.
    let a = data[lo]!;
    let b = data[mid]!;
    const c = data[hi]!;
    if (a > b) {
      const t = a;
      a = b;
      b = t;
    }
    const pivot = c < a ? a : Math.min(c, b);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (data[i]! < pivot) i++;
      while (data[j]! > pivot) j--;
      if (i <= j) {
        const t = data[i]!;
        data[i] = data[j]!;
        data[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function boolArray(vec: Vec, n: number): Uint8Array {
  if (vec.t === 'bool') return vec.v;
  if (vec.t === 'scalar') return new Uint8Array(n).fill(vec.value === true ? 1 : vec.value === null ? 2 : 0);
  throw new Error('internal: condition is not boolean');
}
