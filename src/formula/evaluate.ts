/**
 * Runs checked formulas over column tables. Row expressions are evaluated for all rows of a source at
 * once (vectors); aggregates then make one pass over the rows, adding each to its groups (the whole
 * period, its cadence window, its segment). exists() is a hash join on the equalities it contains.
 */
import { IsmsKpiError, problem } from '../problems.js';
import { BOOL_TRUE, type Column, type Table } from '../sources/table.js';
import { textValues } from '../sources/text-store.js';
import { coalesceImpl, type EvalContext, FUNCTIONS, ifImpl, matchesImpl, operator } from './functions.js';
import type { Expr } from './ir.js';
import { scalar, toNum, toStr, type Vec, valueAt } from './vector.js';
import { conjuncts, walk } from './walk.js';

/** A source's rows as seen by formulas: its table and which rows fall in the reporting period. */
export interface SourceRows {
  table: Table;
  /** Row indices in the period, or null when every row is in it. */
  rows: Int32Array | null;
  /** 1 for rows in the period; null when every row is. */
  mask: Uint8Array | null;
}

/** One bound row set: `idx` maps position -> table row; null means position i is row i. */
interface Binding {
  table: Table;
  idx: Int32Array | null;
}

/** Pairs compared by an exists() without any equality to join on; beyond this, the formula is refused. */
export const MAX_EXISTS_PAIRS = 10_000_000;

export class RowEvaluator {
  constructor(
    private readonly context: Omit<EvalContext, 'n'>,
    private readonly sources: ReadonlyMap<string, SourceRows>,
    private readonly cache = new Map<string, Vec>(),
  ) {}

  /** Evaluates a row expression for some rows of `source` only (one vector entry per listed row). */
  overRows(expr: Expr, source: string, rows: Int32Array): Vec {
    const { table } = this.rowsOf(source);
    return this.eval(expr, [{ table, idx: rows }], rows.length);
  }

  rowsOf(source: string): SourceRows {
    const rows = this.sources.get(source);
    if (!rows) throw new Error(`internal: source ${source} is not loaded`);
    return rows;
  }

  /** Evaluates a row expression over every row of `source` (one vector entry per table row). */
  overSource(expr: Expr, source: string): Vec {
    const { table } = this.rowsOf(source);
    // Results are shared across periods, except for expressions that read the period itself.
    const text = exprKey(expr);
    // exists() looks only at the other source's rows in the period, so it depends on the period too.
    const dependsOnPeriod = /\b(age|period_start|period_end)\(|\bexists\[/.test(text);
    const key = `${source}\u0000${text}${dependsOnPeriod ? `\u0000${this.context.periodStart}-${this.context.periodEnd}` : ''}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const vec = this.eval(expr, [{ table, idx: null }], table.length);
    this.cache.set(key, vec);
    return vec;
  }

  private eval(expr: Expr, frame: Binding[], n: number): Vec {
    switch (expr.k) {
      case 'const':
        return scalar(expr.value);
      case 'field': {
        const binding = frame[expr.depth]!;
        const column = binding.table.columns.get(expr.field);
        if (!column) throw new Error(`internal: field ${expr.field} missing from ${binding.table.name}`);
        return columnVec(column, binding.idx);
      }
      case 'regex':
        return scalar(null);
      case 'call':
        return this.call(expr, frame, n);
      case 'exists':
        return this.exists(expr, frame, n);
      case 'agg':
      case 'kpi':
      case 'manual':
        throw new Error('internal: aggregate inside a row expression');
    }
  }

  private call(expr: Extract<Expr, { k: 'call' }>, frame: Binding[], n: number): Vec {
    const ctx: EvalContext = { ...this.context, n };
    if (expr.fn === 'matches') {
      const regex = expr.args[1] as Extract<Expr, { k: 'regex' }>;
      return matchesImpl(regex.regex, this.eval(expr.args[0]!, frame, n), ctx);
    }
    const args = expr.args.map((a) => this.eval(a, frame, n));
    return applyCall(expr, args, ctx);
  }

  private exists(expr: Extract<Expr, { k: 'exists' }>, frame: Binding[], n: number): Vec {
    const inner = this.rowsOf(expr.source);
    const depth = expr.depth;
    const parts = conjuncts(expr.pred);
    const innerOnly: Expr[] = [];
    const outerOnly: Expr[] = [];
    const keys: { inner: Expr; outer: Expr }[] = [];
    const residual: Expr[] = [];
    for (const c of parts) {
      const refs = depthsOf(c);
      const usesInner = refs.has(depth);
      const usesOuter = [...refs].some((d) => d < depth);
      if (!usesInner) outerOnly.push(c);
      else if (!usesOuter) innerOnly.push(c);
      else if (c.k === 'call' && c.fn === '==' && isSide(c.args[0]!, depth) !== isSide(c.args[1]!, depth)) {
        const [a, b] = c.args as [Expr, Expr];
        const aInner = isSide(a, depth) === 'inner';
        if (isSide(a, depth) === 'mixed' || isSide(b, depth) === 'mixed') residual.push(c);
        else keys.push(aInner ? { inner: a, outer: b } : { inner: b, outer: a });
      } else residual.push(c);
    }

    // Inner rows in the period that pass the conditions on the inner row alone.
    let candidates = inner.rows ?? identity(inner.table.length);
    if (innerOnly.length > 0) {
      const innerFrame = frameAt(depth, { table: inner.table, idx: candidates });
      candidates = filterIdx(candidates, this.allTrue(innerOnly, innerFrame, candidates.length));
    }

    const result = new Uint8Array(n);
    const outerMask = this.allTrue(outerOnly, frame, n);

    // Candidate inner rows per outer row: a hash join on the equalities, else every candidate.
    let pairOuter: Int32Array;
    let pairInner: Int32Array;
    if (keys.length > 0) {
      const innerFrame = frameAt(depth, { table: inner.table, idx: candidates });
      const innerKeys = joinKeys(
        keys.map((k) => this.eval(k.inner, innerFrame, candidates.length)),
        candidates.length,
      );
      const outerKeys = joinKeys(
        keys.map((k) => this.eval(k.outer, frame, n)),
        n,
      );
      const index = new Map<string | number, number[]>();
      for (let j = 0; j < candidates.length; j++) {
        const key = innerKeys[j];
        if (key === null || key === undefined) continue;
        const list = index.get(key);
        if (list) list.push(candidates[j]!);
        else index.set(key, [candidates[j]!]);
      }
      if (residual.length === 0) {
        for (let i = 0; i < n; i++) {
          const key = outerKeys[i];
          result[i] = outerMask[i] && key !== null && key !== undefined && index.has(key) ? 1 : 0;
        }
        return { t: 'bool', v: result };
      }
      const outs: number[] = [];
      const ins: number[] = [];
      for (let i = 0; i < n; i++) {
        const key = outerKeys[i];
        if (!outerMask[i] || key === null || key === undefined) continue;
        for (const row of index.get(key) ?? []) {
          outs.push(i);
          ins.push(row);
        }
      }
      pairOuter = Int32Array.from(outs);
      pairInner = Int32Array.from(ins);
    } else {
      let outerCount = 0;
      for (let i = 0; i < n; i++) outerCount += outerMask[i]!;
      const pairs = outerCount * candidates.length;
      if (pairs > MAX_EXISTS_PAIRS) {
        throw new IsmsKpiError(
          problem(
            'formula-type',
            `exists(${expr.source}, ...) would compare ${outerCount} x ${candidates.length} rows; add an equality between the two sources, e.g. lower(${expr.source}.upn) == lower(upn), so rows can be matched directly`,
            {},
          ),
        );
      }
      pairOuter = new Int32Array(pairs);
      pairInner = new Int32Array(pairs);
      let k = 0;
      for (let i = 0; i < n; i++) {
        if (!outerMask[i]) continue;
        for (let j = 0; j < candidates.length; j++) {
          pairOuter[k] = i;
          pairInner[k++] = candidates[j]!;
        }
      }
    }
    if (residual.length === 0) {
      for (const i of pairOuter) result[i] = 1;
      return { t: 'bool', v: result };
    }
    // Evaluate the remaining conditions once per (outer row, inner row) pair.
    const pairFrame: Binding[] = frame.map((b) => ({ table: b.table, idx: compose(b.idx, pairOuter) }));
    pairFrame[depth] = { table: inner.table, idx: pairInner };
    const keep = this.allTrue(residual, pairFrame, pairOuter.length);
    for (let k = 0; k < keep.length; k++) if (keep[k]) result[pairOuter[k]!] = 1;
    return { t: 'bool', v: result };
  }

  /** 1 where every condition is true (a missing value counts as not true), else 0. */
  private allTrue(conditions: readonly Expr[], frame: Binding[], n: number): Uint8Array {
    const keep = new Uint8Array(n).fill(1);
    for (const c of conditions) {
      const v = toBoolVec(this.eval(c, frame, n), n);
      for (let i = 0; i < n; i++) if (v[i] !== BOOL_TRUE) keep[i] = 0;
    }
    return keep;
  }
}

/** Evaluates an operator or function call once its arguments are vectors (rows or groups alike). */
export function applyCall(expr: Extract<Expr, { k: 'call' }>, args: Vec[], ctx: EvalContext): Vec {
  if (expr.fn === 'coalesce') return coalesceImpl(args, ctx, expr.type);
  if (expr.fn === 'if') return ifImpl(args, ctx, expr.type);
  const def = FUNCTIONS.get(expr.fn);
  if (def) return def.impl(args, ctx);
  return operator(
    expr.fn,
    expr.args.map((a) => a.type),
  ).impl(args, ctx);
}

export function columnVec(column: Column, idx: Int32Array | null): Vec {
  switch (column.kind) {
    case 'num':
      return { t: 'num', v: idx ? gatherF64(column.values, idx) : column.values };
    case 'bool':
      return { t: 'bool', v: idx ? gatherU8(column.values, idx) : column.values };
    case 'str':
      return { t: 'str', codes: idx ? gatherI32(column.codes, idx) : column.codes, dict: column.dict };
    case 'text':
      return { t: 'text', text: column.text, idx };
    case 'list':
      return { t: 'lists', column, idx };
  }
}

function gatherF64(values: Float64Array, idx: Int32Array): Float64Array {
  const out = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = values[idx[i]!]!;
  return out;
}
function gatherU8(values: Uint8Array, idx: Int32Array): Uint8Array {
  const out = new Uint8Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = values[idx[i]!]!;
  return out;
}
function gatherI32(values: Int32Array, idx: Int32Array): Int32Array {
  const out = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = values[idx[i]!]!;
  return out;
}

function toBoolVec(vec: Vec, n: number): Uint8Array {
  if (vec.t === 'bool') return vec.v;
  if (vec.t === 'scalar') return new Uint8Array(n).fill(vec.value === true ? 1 : vec.value === null ? 2 : 0);
  throw new Error('internal: condition is not boolean');
}

/** The row depths an expression reads fields of (not looking into aggregates). */
function depthsOf(expr: Expr): Set<number> {
  const out = new Set<number>();
  walk(expr, (node) => {
    if (node.k === 'field') out.add(node.depth);
    else if (node.k === 'exists') {
      // Inside a nested exists, references to rows bound outside it still count.
      for (const d of depthsOf(node.pred)) if (d < node.depth) out.add(d);
      return false;
    } else if (node.k === 'agg') return false;
    return undefined;
  });
  return out;
}

function isSide(expr: Expr, depth: number): 'inner' | 'outer' | 'mixed' | 'none' {
  const refs = depthsOf(expr);
  const hasInner = refs.has(depth);
  const hasOuter = [...refs].some((d) => d < depth);
  return hasInner && hasOuter ? 'mixed' : hasInner ? 'inner' : hasOuter ? 'outer' : 'none';
}

function frameAt(depth: number, binding: Binding): Binding[] {
  const frame: Binding[] = new Array(depth + 1);
  frame[depth] = binding;
  return frame;
}

function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

function filterIdx(idx: Int32Array, keep: Uint8Array): Int32Array {
  let count = 0;
  for (let i = 0; i < keep.length; i++) count += keep[i]!;
  const out = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < keep.length; i++) if (keep[i]) out[k++] = idx[i]!;
  return out;
}

function compose(idx: Int32Array | null, positions: Int32Array): Int32Array {
  if (!idx) return positions;
  const out = new Int32Array(positions.length);
  for (let i = 0; i < positions.length; i++) out[i] = idx[positions[i]!]!;
  return out;
}

/** One hashable key per row; null when any part is missing (missing values never match). */
function joinKeys(vecs: Vec[], n: number): (string | number | null)[] {
  const out: (string | number | null)[] = new Array(n);
  if (vecs.length === 1) {
    const v = vecs[0]!;
    if (v.t === 'str') {
      for (let i = 0; i < n; i++) out[i] = v.codes[i]! < 0 ? null : v.dict[v.codes[i]!]!;
      return out;
    }
    if (v.t === 'text') return textValues(v.text, v.idx);
    if (v.t === 'num') {
      for (let i = 0; i < n; i++) out[i] = Number.isNaN(v.v[i]!) ? null : v.v[i]!;
      return out;
    }
  }
  for (let i = 0; i < n; i++) {
    let key = '';
    let isMissing = false;
    for (const v of vecs) {
      const x = valueAt(v, i);
      if (x === null) {
        isMissing = true;
        break;
      }
      key += `${typeof x}:${String(x)}\u0000`;
    }
    out[i] = isMissing ? null : key;
  }
  return out;
}

const keys = new WeakMap<Expr, string>();

/** A canonical text for an expression (no positions), used to share results between KPIs. */
export function exprKey(expr: Expr): string {
  const known = keys.get(expr);
  if (known) return known;
  let key: string;
  switch (expr.k) {
    case 'field':
      key = `${expr.depth}:${expr.source}.${expr.field}`;
      break;
    case 'const':
      key = JSON.stringify(expr.value);
      break;
    case 'regex':
      key = String(expr.regex);
      break;
    case 'call':
      key = `${expr.fn}(${expr.args.map(exprKey).join(',')})`;
      break;
    case 'exists':
      key = `exists[${expr.depth}](${expr.source},${exprKey(expr.pred)})`;
      break;
    case 'agg':
      key = `${expr.fn}(${expr.cumulative ? 'cumulative:' : ''}${expr.source},${expr.value ? exprKey(expr.value) : ''},${expr.pred ? exprKey(expr.pred) : ''},${expr.p ?? ''})`;
      break;
    case 'kpi':
      key = `kpi(${expr.id})`;
      break;
    case 'manual':
      key = `manual(${expr.measure})`;
      break;
  }
  keys.set(expr, key);
  return key;
}

export { toNum, toStr };
