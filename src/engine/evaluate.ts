/**
 * Evaluates every KPI of a compiled catalogue over loaded sources for one period: aggregates per group
 * (period, cadence windows, segments), then the KPI formula per group, then a status per group.
 *
 * The steps live in their own modules: the rows of the period and its windows (windows.ts), segments
 * (segments.ts), the aggregates of a KPI for all its groups (kpi-aggregates.ts), the status policy
 * (status.ts) and the assembly of the result (assemble.ts). This module runs them in evaluation order.
 */
import type { Catalogue, CompiledKpi } from '../catalogue/compile.js';
import { applyCall, RowEvaluator, type SourceRows } from '../formula/evaluate.js';
import type { EvalContext } from '../formula/functions.js';
import type { Expr } from '../formula/ir.js';
import { scalar, toNum, type Vec } from '../formula/vector.js';
import { IsmsKpiError } from '../problems.js';
import type { AggregateResult, KpiResult } from '../report/model.js';
import type { LoadedSource } from '../sources/load-source.js';
import type { Period } from '../time/period.js';
import { checkMemory } from '../util/memory.js';
import type { AggregateOutcome } from './aggregate.js';
import { assembleResult, coverageOf, type KpiOutcome, noDataResult, rejectedIn } from './assemble.js';
import { type AggregateEnv, aggregateKpi, groupLayout } from './kpi-aggregates.js';
import { selectPeriod, selectUpTo } from './windows.js';

/** Where run.ts and the commands have always found it. */
export { compareValues } from './assemble.js';

export interface EvaluationInput {
  catalogue: Catalogue;
  /** Loaded sources by name; a missing optional source maps to the reason it is missing. */
  sources: ReadonlyMap<string, LoadedSource | { missing: string }>;
  period: Period;
  /** Record which rows entered each aggregate (for explain and the evidence pack). */
  trace?: boolean;
  /** Only these KPIs (and the KPIs they use). */
  only?: ReadonlySet<string>;
  /** Row-expression results to share with another evaluation of the same sources (another period). */
  cache?: Map<string, Vec>;
}

export interface KpiTrace {
  aggregates: {
    index: number;
    source: string;
    text: string;
    role: AggregateResult['role'];
    matched: Int32Array;
    inScope: number;
  }[];
}

export interface Evaluation {
  kpis: KpiResult[];
  traces: Map<string, KpiTrace>;
  rowsInPeriod: Map<string, number>;
}

/** A KPI evaluated: its result and its value per group key (for the KPIs that use it). */
interface Evaluated {
  result: KpiResult;
  groups: Map<string, number>;
  /** Absent when a source was missing. */
  outcome?: KpiOutcome;
}

export function evaluateCatalogue(input: EvaluationInput): Evaluation {
  const { catalogue, period } = input;
  const rows = new Map<string, SourceRows>();
  const rowsInPeriod = new Map<string, number>();
  const loadedByName = new Map<string, LoadedSource>();
  for (const [name, loaded] of input.sources) {
    if ('missing' in loaded) continue;
    const selection = selectPeriod(loaded, period);
    rows.set(name, selection);
    loadedByName.set(name, loaded);
    rowsInPeriod.set(name, selection.rows ? selection.rows.length : loaded.table.length);
  }
  const env: AggregateEnv = {
    catalogue,
    rows,
    evaluator: new RowEvaluator(
      { periodStart: period.start, periodEnd: period.end, tz: catalogue.timezone },
      rows,
      input.cache,
    ),
    windowCache: new Map(),
    trace: input.trace === true,
    selectUpTo: (name, end) => selectUpTo(loadedByName.get(name)!, end),
    periodEnd: period.end,
  };
  const manualValues = manualByMeasure(catalogue);
  const results = new Map<string, Evaluated>();
  const traces = new Map<string, KpiTrace>();
  const byId = new Map(catalogue.kpis.map((k) => [k.config.id, k]));
  const wanted = input.only ? withDependencies(input.only, byId) : undefined;

  for (const id of catalogue.evaluationOrder) {
    if (wanted && !wanted.has(id)) continue;
    const kpi = byId.get(id)!;
    checkMemory(`evaluating KPI ${id}`);
    const evaluated = locateProblems(kpi, () => evaluateKpi(kpi, input, env, results, manualValues));
    results.set(id, evaluated);
    if (input.trace && evaluated.outcome) traces.set(id, traceOf(kpi, evaluated.outcome.outcomes));
  }

  const kpis = catalogue.kpis
    .filter((k) => results.has(k.config.id) && (!input.only || input.only.has(k.config.id)))
    .map((k) => results.get(k.config.id)!.result);
  return { kpis, traces, rowsInPeriod };
}

/**
 * A problem found while evaluating a formula (a limit reached on this data, e.g. exists() without an
 * equality join) names the KPI and where its formula is in the catalogue.
 */
function locateProblems<T>(kpi: CompiledKpi, evaluate: () => T): T {
  try {
    return evaluate();
  } catch (error) {
    if (!(error instanceof IsmsKpiError)) throw error;
    throw new IsmsKpiError(
      error.problems.map((p) =>
        p.location.file === undefined
          ? { ...p, location: { ...kpi.formulaAt, ...p.location, kpi: p.location.kpi ?? kpi.config.id } }
          : p,
      ),
    );
  }
}

function evaluateKpi(
  kpi: CompiledKpi,
  input: EvaluationInput,
  env: AggregateEnv,
  results: Map<string, Evaluated>,
  manualValues: ManualValues,
): Evaluated {
  const { catalogue, period } = input;
  const missing = kpi.formula.sources
    .map((s) => input.sources.get(s))
    .find((s): s is { missing: string } => s !== undefined && 'missing' in s);
  if (missing) {
    return { result: noDataResult(kpi, missing.missing, rejectedIn(kpi, input.sources)), groups: new Map() };
  }
  const manual = kpi.formula.manual.flatMap((m) => {
    const entry = manualValues.get(m)?.get(period.label);
    return entry ? [manualResult(entry)] : [];
  });
  const absent = kpi.formula.manual.find((m) => !manualValues.get(m)?.has(period.label));
  if (absent !== undefined) {
    // Decision (issue 19): a manual value that was not entered is no data, never 0.
    const result = noDataResult(kpi, '', rejectedIn(kpi, input.sources));
    result.reason = `no manual value of ${absent} for ${period.label}`;
    if (manual.length > 0) result.manual = manual;
    return { result, groups: new Map() };
  }
  const layout = groupLayout(kpi, catalogue, period, segmentRows(kpi, env));
  const outcomes = aggregateKpi(kpi, layout, env);
  const G = layout.count;
  const ctx: EvalContext = { n: G, periodStart: period.start, periodEnd: period.end, tz: catalogue.timezone };
  const lookupKpi = (ref: string): Float64Array => {
    const other = results.get(ref);
    const out = new Float64Array(G);
    const total = other?.result.value ?? Number.NaN;
    layout.keys.forEach((key, g) => {
      out[g] = other?.groups.get(key) ?? total;
    });
    return out;
  };
  // A manual value is entered per period: the reported period's, a cadence window's own entry, none for
  // a segment (values are not entered per segment).
  const lookupManual = (measure: string): Float64Array => {
    const entries = manualValues.get(measure);
    return Float64Array.from(layout.keys, (key) => {
      const label = key === 'total' ? period.label : key.startsWith('window:') ? key.slice(7) : undefined;
      return (label !== undefined ? entries?.get(label)?.value : undefined) ?? Number.NaN;
    });
  };
  const values = toNum(evaluateGroups(kpi.formula.expr, outcomes, { lookupKpi, lookupManual }, ctx), G);
  const outcome: KpiOutcome = { layout, values, outcomes };
  const coverage = coverageOf(
    kpi,
    input.sources,
    period,
    catalogue.timezone,
    (id) => results.get(id)?.result.status,
  );
  const result = assembleResult(kpi, outcome, coverage, rejectedIn(kpi, input.sources));
  if (manual.length > 0) result.manual = manual;
  const groups = new Map<string, number>();
  layout.keys.forEach((key, g) => {
    groups.set(key, values[g]!);
  });
  return { result, groups, outcome };
}

/** The rows segments are found in: the period's, or up to its end for a source read with cumulative(). */
function segmentRows(kpi: CompiledKpi, env: AggregateEnv): Map<string, SourceRows> {
  const cumulative = kpi.formula.aggregates.filter((a) => a.cumulative).map((a) => a.source);
  if (cumulative.length === 0) return env.rows;
  const rows = new Map(env.rows);
  for (const name of cumulative) rows.set(name, env.selectUpTo(name, env.periodEnd));
  return rows;
}

function traceOf(kpi: CompiledKpi, outcomes: Map<number, AggregateOutcome>): KpiTrace {
  return {
    aggregates: kpi.formula.aggregates.map((agg) => ({
      index: agg.index,
      source: agg.source,
      text: agg.text,
      role: kpi.formula.roles.get(agg.index) ?? 'value',
      matched: outcomes.get(agg.index)!.matched ?? new Int32Array(0),
      inScope: outcomes.get(agg.index)!.rowsInScope[0]!,
    })),
  };
}

type ManualEntry = Catalogue['manual'][number];
type ManualValues = Map<string, Map<string, ManualEntry>>;

/** The catalogue's manual values by measure, then by period label. */
function manualByMeasure(catalogue: Catalogue): ManualValues {
  const out = new Map<string, Map<string, ManualEntry>>();
  for (const entry of catalogue.manual) {
    const byPeriod = out.get(entry.measure) ?? new Map<string, ManualEntry>();
    byPeriod.set(entry.period, entry);
    out.set(entry.measure, byPeriod);
  }
  return out;
}

function manualResult(entry: ManualEntry): NonNullable<KpiResult['manual']>[number] {
  return {
    measure: entry.measure,
    period: entry.period,
    value: entry.value,
    enteredBy: entry.entered_by,
    evidence: entry.evidence,
    ...(entry.note !== undefined ? { note: entry.note } : {}),
  };
}

function withDependencies(ids: ReadonlySet<string>, byId: Map<string, CompiledKpi>): Set<string> {
  const out = new Set<string>();
  const visit = (id: string) => {
    if (out.has(id)) return;
    out.add(id);
    for (const dep of byId.get(id)?.formula.kpis ?? []) visit(dep);
  };
  for (const id of ids) visit(id);
  return out;
}

/** The KPI-level part of a formula, evaluated with one vector entry per group. */
function evaluateGroups(
  expr: Expr,
  outcomes: Map<number, AggregateOutcome>,
  lookup: {
    lookupKpi: (id: string) => Float64Array;
    lookupManual: (measure: string) => Float64Array;
  },
  ctx: EvalContext,
): Vec {
  switch (expr.k) {
    case 'agg':
      return { t: 'num', v: outcomes.get(expr.index)!.values };
    case 'kpi':
      return { t: 'num', v: lookup.lookupKpi(expr.id) };
    case 'manual':
      return { t: 'num', v: lookup.lookupManual(expr.measure) };
    case 'const':
      return scalar(expr.value);
    case 'call':
      return applyCall(
        expr,
        expr.args.map((a) => evaluateGroups(a, outcomes, lookup, ctx)),
        ctx,
      );
    default:
      throw new Error(`internal: ${expr.k} outside an aggregate`);
  }
}
