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
  const G = groups.count;
  const rowsInScope = new Float64Array(G);
  const rowsMatched = new Float64Array(G);
  const predV = pred ? boolArray(pred, n) : null;
  const { mask, windowOf, segmentOf } = groups;
  const matched: number[] | undefined = trace ? [] : undefined;

  const sums = new Float64Array(G);
  const mins = new Float64Array(G).fill(Number.POSITIVE_INFINITY);
  const maxs = new Float64Array(G).fill(Number.NEGATIVE_INFINITY);
  const collect: number[][] | null =
    agg.fn === 'median' || agg.fn === 'percentile' ? Array.from({ length: G }, () => []) : null;
  const distinct: Set<number | string>[] | null =
    agg.fn === 'count_distinct' ? Array.from({ length: G }, () => new Set()) : null;
  const isCount = agg.fn === 'count';

  const add = (g: number, x: number, key: number | string) => {
    rowsMatched[g]!++;
    if (isCount) return;
    sums[g]! += x;
    if (x < mins[g]!) mins[g] = x;
    if (x > maxs[g]!) maxs[g] = x;
    if (collect) collect[g]!.push(x);
    if (distinct) distinct[g]!.add(key);
  };

  if (isCount && !matched) {
    // The most common aggregate gets a loop of its own: no value to read, nothing to collect.
    for (let i = 0; i < n; i++) {
      if (mask && !mask[i]) continue;
      const w = windowOf ? windowOf[i]! : -1;
      const s = segmentOf ? segmentOf[i]! : -1;
      rowsInScope[0]!++;
      if (w >= 0) rowsInScope[w]!++;
      if (s >= 0) rowsInScope[s]!++;
      if (predV && predV[i] !== BOOL_TRUE) continue;
      rowsMatched[0]!++;
      if (w >= 0) rowsMatched[w]!++;
      if (s >= 0) rowsMatched[s]!++;
    }
    return { values: Float64Array.from(rowsMatched), rowsInScope, rowsMatched };
  }

  // Pass 1: rows in scope per group, and the rows that meet the condition.
  const selected = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    rowsInScope[0]!++;
    if (windowOf && windowOf[i]! >= 0) rowsInScope[windowOf[i]!]!++;
    if (segmentOf && segmentOf[i]! >= 0) rowsInScope[segmentOf[i]!]!++;
    if (predV && predV[i] !== BOOL_TRUE) continue;
    selected[m++] = i;
  }
  // Pass 2: the value of each selected row (position k of the value vector is row selected[k]).
  const value = valueFor ? valueFor(m === n ? null : selected.subarray(0, m)) : null;
  const numV = value && value.t === 'num' ? value.v : null;
  const strV = value && value.t === 'str' ? value.codes : null;
  const strDict = value && value.t === 'str' ? value.dict : null;
  const boolV = value && value.t === 'bool' ? value.v : null;
  const constant = value && value.t === 'scalar' ? value.value : undefined;
  for (let k = 0; k < m; k++) {
    const i = selected[k]!;
    const w = windowOf ? windowOf[i]! : -1;
    const s = segmentOf ? segmentOf[i]! : -1;
    let x = 0;
    let key: number | string = 0;
    if (!isCount) {
      if (numV) {
        x = numV[k]!;
        if (Number.isNaN(x)) continue;
        key = x;
      } else if (strV) {
        const c = strV[k]!;
        if (c < 0) continue;
        // By text, not code: free-text columns may hold the same text under two codes.
        key = strDict![c]!;
      } else if (boolV) {
        if (boolV[k] === 2) continue;
        key = boolV[k]!;
      } else if (constant !== undefined) {
        if (constant === null) continue;
        x = typeof constant === 'number' ? constant : 0;
        key = String(constant);
      }
    }
    if (matched) matched.push(i);
    add(0, x, key);
    if (w >= 0) add(w, x, key);
    if (s >= 0) add(s, x, key);
  }

  const values = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    const m = rowsMatched[g]!;
    switch (agg.fn) {
      case 'count':
        values[g] = m;
        break;
      case 'count_distinct':
        values[g] = distinct![g]!.size;
        break;
      case 'sum':
        values[g] = m === 0 ? Number.NaN : sums[g]!;
        break;
      case 'mean':
        values[g] = m === 0 ? Number.NaN : sums[g]! / m;
        break;
      case 'min':
        values[g] = m === 0 ? Number.NaN : mins[g]!;
        break;
      case 'max':
        values[g] = m === 0 ? Number.NaN : maxs[g]!;
        break;
      case 'median':
        values[g] = quantile(collect![g]!, 0.5);
        break;
      case 'percentile':
        values[g] = quantile(collect![g]!, (agg.p ?? 50) / 100);
        break;
    }
  }
  return { values, rowsInScope, rowsMatched, ...(matched ? { matched: Int32Array.from(matched) } : {}) };
}

/** Continuous quantile with linear interpolation between closest ranks (SQL quantile_cont). */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const a = sorted[lower]!;
  const b = sorted[upper]!;
  return lower === upper ? a : a + (b - a) * (position - lower);
}

function boolArray(vec: Vec, n: number): Uint8Array {
  if (vec.t === 'bool') return vec.v;
  if (vec.t === 'scalar') return new Uint8Array(n).fill(vec.value === true ? 1 : vec.value === null ? 2 : 0);
  throw new Error('internal: condition is not boolean');
}
