/**
 * The rows behind one aggregate, for `explain`: the rows it counted, and the rows in its scope it did
 * not count, each with the reason. The reason is the part of the aggregate's condition that was not true
 * for that row (for a condition of parts joined by `and`, the first such part, so "severity ==
 * "Critical"" for a Medium incident and "hours(opened, contained) <= 4" for a late critical one), or, for
 * sum(), mean() and the like, the value that was missing.
 *
 * For a numerator, the rows not counted are those its denominator counted (the critical incidents not
 * contained in time), not every other row of the source: those are the rows that made the value what it
 * is. Only the rows listed are evaluated again, so explaining costs little on a large export.
 */
import type { Catalogue, CompiledKpi } from '../catalogue/compile.js';
import { RowEvaluator, type SourceRows } from '../formula/evaluate.js';
import type { Expr } from '../formula/ir.js';
import { valueAt } from '../formula/vector.js';
import { conjuncts } from '../formula/walk.js';
import type { LoadedSource } from '../sources/load-source.js';
import type { Period } from '../time/period.js';
import type { KpiTrace } from './evaluate.js';
import { selectFor, selectPeriod } from './windows.js';

export interface NotCountedReason {
  /** The part of the condition as written, or the aggregate's value expression. */
  part: string;
  /**
   * false: the part is false for the row; no-value: the part has no value (a field it reads is empty);
   * value-missing: the condition holds but the aggregate's value is missing (sum, mean, ...).
   */
  outcome: 'false' | 'no-value' | 'value-missing';
  /** For a condition of several parts joined by `and`: this part's number (1-based) and the number of parts. */
  partOf?: { index: number; count: number };
}

export interface AggregateRows {
  /** Rows in the aggregate's scope: those in the period (for cumulative(), those before its end). */
  inScope: number;
  /** The rows counted, in file order: how many, and the first `limit` of them. */
  counted: { total: number; rows: number[] };
  /**
   * The rows not counted, in file order, with the reason: rows in scope, or for a numerator the rows its
   * denominator counted (`against: 'denominator'`).
   */
  notCounted: {
    total: number;
    against: 'scope' | 'denominator';
    rows: { row: number; reason: NotCountedReason }[];
  };
}

export interface ExplainInput {
  catalogue: Catalogue;
  sources: ReadonlyMap<string, LoadedSource | { missing: string }>;
  period: Period;
}

/**
 * The rows of aggregate `index` of a KPI evaluated with traces; undefined when its source is missing.
 * `limit`: how many rows of each list to return (Infinity: all).
 */
export function aggregateRows(
  input: ExplainInput,
  kpi: CompiledKpi,
  trace: KpiTrace,
  index: number,
  limit: number,
): AggregateRows | undefined {
  const agg = kpi.formula.aggregates[index]!;
  const traced = trace.aggregates.find((a) => a.index === index);
  const loaded = input.sources.get(agg.source);
  if (!traced || !loaded || 'missing' in loaded) return undefined;
  const scope = selectFor(loaded, input.period, agg.cumulative === true);
  const inScope = scope.rows ? scope.rows.length : loaded.table.length;
  const denominator = denominatorOf(kpi, trace, index);
  const candidates = denominator ?? scope.rows;
  const candidateCount = candidates ? candidates.length : loaded.table.length;
  const matched = traced.matched;

  const listed: number[] = [];
  let notCounted = 0;
  let m = 0;
  for (let k = 0; k < candidateCount; k++) {
    const row = candidates ? candidates[k]! : k;
    while (m < matched.length && matched[m]! < row) m++;
    if (m < matched.length && matched[m] === row) continue;
    notCounted++;
    if (listed.length < limit) listed.push(row);
  }
  const reasons = reasonsFor(input, kpi, index, Int32Array.from(listed));
  return {
    inScope,
    counted: {
      total: matched.length,
      rows: Array.from(matched.subarray(0, Math.min(matched.length, limit))),
    },
    notCounted: {
      total: notCounted,
      against: denominator ? 'denominator' : 'scope',
      rows: listed.map((row, j) => ({ row, reason: reasons[j]! })),
    },
  };
}

/** For a numerator: the rows its denominator counted, when both read the same rows of the same source. */
function denominatorOf(kpi: CompiledKpi, trace: KpiTrace, index: number): Int32Array | undefined {
  if (kpi.formula.roles.get(index) !== 'numerator') return undefined;
  const numerator = kpi.formula.aggregates[index]!;
  const other = [...kpi.formula.roles].find(([, role]) => role === 'denominator')?.[0];
  const denominator = other === undefined ? undefined : kpi.formula.aggregates[other];
  if (
    !denominator ||
    denominator.source !== numerator.source ||
    denominator.cumulative !== numerator.cumulative
  )
    return undefined;
  return trace.aggregates.find((a) => a.index === other)?.matched;
}

/** Why each of `rows` was not counted: the first part of the condition not true, else the missing value. */
function reasonsFor(
  input: ExplainInput,
  kpi: CompiledKpi,
  index: number,
  rows: Int32Array,
): NotCountedReason[] {
  const agg = kpi.formula.aggregates[index]!;
  const reasons: (NotCountedReason | undefined)[] = new Array(rows.length);
  if (rows.length === 0) return [];
  const { period, catalogue } = input;
  const selected = new Map<string, SourceRows>();
  for (const [name, loaded] of input.sources)
    if (!('missing' in loaded)) selected.set(name, selectPeriod(loaded, period));
  const evaluator = new RowEvaluator(
    { periodStart: period.start, periodEnd: period.end, tz: catalogue.timezone },
    selected,
  );
  const text = (expr: Expr) => kpi.formula.text.slice(expr.span.start, expr.span.end).trim();
  const parts = agg.pred ? conjuncts(agg.pred) : [];
  parts.forEach((part, p) => {
    const values = evaluator.overRows(part, agg.source, rows);
    for (let j = 0; j < rows.length; j++) {
      if (reasons[j]) continue;
      const value = valueAt(values, j);
      if (value === true) continue;
      reasons[j] = {
        part: text(part),
        outcome: value === null ? 'no-value' : 'false',
        ...(parts.length > 1 ? { partOf: { index: p + 1, count: parts.length } } : {}),
      };
    }
  });
  if (agg.value) {
    const values = evaluator.overRows(agg.value, agg.source, rows);
    for (let j = 0; j < rows.length; j++)
      if (!reasons[j] && valueAt(values, j) === null)
        reasons[j] = { part: text(agg.value), outcome: 'value-missing' };
  }
  // Not reached for rows the aggregate could have counted; kept so every row listed has a reason.
  const whole = agg.pred ? text(agg.pred) : agg.text;
  return Array.from(reasons, (reason) => reason ?? { part: whole, outcome: 'false' });
}
