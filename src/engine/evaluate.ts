/**
 * Evaluates every KPI of a compiled catalogue over loaded sources for one period: aggregates per group
 * (period, cadence windows, segments), then the KPI formula per group, then a status per group.
 */
import type { Catalogue, CompiledKpi, Thresholds } from '../catalogue/compile.js';
import { satisfies } from '../catalogue/compile.js';
import { applyCall, RowEvaluator, type SourceRows } from '../formula/evaluate.js';
import type { EvalContext } from '../formula/functions.js';
import type { Expr } from '../formula/ir.js';
import { scalar, toNum, type Vec } from '../formula/vector.js';
import type { AggregateResult, KpiResult, SegmentResult, Status, WindowResult } from '../report/model.js';
import type { LoadedSource } from '../sources/load-source.js';
import { cellValue, type Table } from '../sources/table.js';
import { type Cadence, cadenceLengthMs, cadenceWindows, type Period } from '../time/period.js';
import { localDate } from '../time/zone.js';
import { type AggregateOutcome, aggregate, type GroupIndex } from './aggregate.js';

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

export function evaluateCatalogue(input: EvaluationInput): Evaluation {
  const { catalogue, period } = input;
  const periodOptions = { tz: catalogue.timezone, fiscalYearStartMonth: catalogue.fiscalYearStart };
  const rows = new Map<string, SourceRows>();
  const rowsInPeriod = new Map<string, number>();
  for (const [name, loaded] of input.sources) {
    if ('missing' in loaded) continue;
    const selection = selectPeriod(loaded, period);
    rows.set(name, selection);
    rowsInPeriod.set(name, selection.rows ? selection.rows.length : loaded.table.length);
  }
  const evaluator = new RowEvaluator(
    { periodStart: period.start, periodEnd: period.end, tz: catalogue.timezone },
    rows,
    input.cache,
  );
  const results = new Map<string, { result: KpiResult; groups: Map<string, number> }>();
  const traces = new Map<string, KpiTrace>();
  const windowCache = new Map<string, Int32Array>();
  const byId = new Map(catalogue.kpis.map((k) => [k.config.id, k]));
  const wanted = input.only ? withDependencies(input.only, byId) : undefined;

  for (const id of catalogue.evaluationOrder) {
    if (wanted && !wanted.has(id)) continue;
    const kpi = byId.get(id)!;
    const missing = kpi.formula.sources
      .map((s) => input.sources.get(s))
      .find((s): s is { missing: string } => s !== undefined && 'missing' in s);
    if (missing) {
      results.set(id, {
        result: noDataResult(kpi, input, `source data is missing: ${missing.missing}`),
        groups: new Map(),
      });
      continue;
    }
    const windows = kpi.formula.sources.some((s) => catalogue.sources.get(s)?.kind === 'events')
      ? cadenceWindows(period, kpi.config.cadence, periodOptions)
      : [period];
    const hasWindows = windows.length > 1;
    const segmentKeys = kpi.config.segment_by ? segmentValues(kpi, kpi.config.segment_by, rows) : [];
    const W = hasWindows ? windows.length : 0;
    const G = 1 + W + segmentKeys.length;
    const groupKeys = [
      'total',
      ...(hasWindows ? windows.map((w) => `window:${w.label}`) : []),
      ...segmentKeys.map((k) => `segment:${k}`),
    ];

    const outcomes = new Map<number, AggregateOutcome>();
    for (const agg of kpi.formula.aggregates) {
      const source = rows.get(agg.source)!;
      const table = source.table;
      const resolved = catalogue.sources.get(agg.source)!;
      let windowOf: Int32Array | null = null;
      if (hasWindows && resolved.kind === 'events' && resolved.timeField) {
        const cacheKey = `${agg.source}\u0000${kpi.config.cadence}`;
        windowOf = windowCache.get(cacheKey) ?? null;
        if (!windowOf) {
          windowOf = windowIndex(table.columns.get(resolved.timeField)!, windows);
          windowCache.set(cacheKey, windowOf);
        }
      }
      const segmentColumn = kpi.config.segment_by ? table.columns.get(kpi.config.segment_by) : undefined;
      const segmentOf = segmentColumn ? segmentIndex(segmentColumn, table.length, segmentKeys, 1 + W) : null;
      const groups: GroupIndex = { count: G, windowOf, segmentOf, mask: source.mask, rows: source.rows };
      const pred = agg.pred ? evaluator.overSource(agg.pred, agg.source) : null;
      const valueExpr = agg.value;
      const valueFor = valueExpr
        ? (rows: Int32Array | null) =>
            rows === null
              ? evaluator.overSource(valueExpr, agg.source)
              : evaluator.overRows(valueExpr, agg.source, rows)
        : null;
      const outcome = aggregate(agg, table.length, groups, pred, valueFor, input.trace === true);
      // A source without windows (or without the segment field) gives its period value to every group.
      if (!windowOf) for (let g = 1; g <= W; g++) copyGroup(outcome, g);
      if (!segmentOf) for (let g = 1 + W; g < G; g++) copyGroup(outcome, g);
      outcomes.set(agg.index, outcome);
    }

    const ctx: EvalContext = {
      n: G,
      periodStart: period.start,
      periodEnd: period.end,
      tz: catalogue.timezone,
    };
    const lookupKpi = (ref: string): Float64Array => {
      const other = results.get(ref);
      const out = new Float64Array(G);
      const total = other?.result.value ?? Number.NaN;
      groupKeys.forEach((key, g) => {
        out[g] = other?.groups.get(key) ?? total;
      });
      return out;
    };
    const values = toNum(evaluateGroups(kpi.formula.expr, outcomes, lookupKpi, ctx), G);

    const roles = kpi.formula.roles;
    const countFor = (role: 'numerator' | 'denominator', g: number) => {
      const indexes = [...roles].filter(([, r]) => r === role).map(([i]) => i);
      if (indexes.length !== 1) return undefined;
      const v = outcomes.get(indexes[0]!)!.values[g]!;
      return Number.isNaN(v) ? undefined : v;
    };
    const staleness = staleReason(kpi, input, period, catalogue.timezone) ?? staleKpiReason(kpi, results);
    const judge = (g: number): { value: number | null; status: Status; reason: string } => {
      const v = values[g]!;
      // A count over no rows is 0, but no rows means the data is missing: never judge it.
      const empty = kpi.formula.aggregates.find((a) => outcomes.get(a.index)!.rowsInScope[g] === 0);
      if (empty)
        return {
          value: null,
          status: 'no-data',
          reason: `no rows of ${empty.source} in the ${g === 0 ? 'period' : 'window'}`,
        };
      if (Number.isNaN(v)) return { value: null, status: 'no-data', reason: noDataReason(kpi, outcomes, g) };
      if (!Number.isFinite(v))
        return { value: null, status: 'no-data', reason: 'the formula divides by zero' };
      return { value: v, ...judgeValue(kpi.thresholds, v) };
    };

    const total = judge(0);
    let status = total.status;
    let reason = total.reason;
    let judgement: KpiResult['judgement'];
    if (staleness && status !== 'no-data') {
      // The value is shown but not trusted; what the thresholds say is kept for --fail-on.
      if (status === 'green' || status === 'amber' || status === 'red') judgement = status;
      status = 'stale';
      reason = `${staleness}; the value ${judgement ? `would be ${judgement}` : 'is informational'}`;
    }
    const windowResults: WindowResult[] = hasWindows
      ? windows.map((w, i) => ({
          label: w.label,
          start: new Date(w.start).toISOString(),
          end: new Date(w.end).toISOString(),
          ...withCounts(judge(1 + i), countFor, 1 + i),
        }))
      : [];
    const segmentResults: SegmentResult[] = segmentKeys.map((key, i) => ({
      key,
      ...withCounts(judge(1 + W + i), countFor, 1 + W + i),
    }));
    const aggregates: AggregateResult[] = kpi.formula.aggregates.map((agg) => {
      const o = outcomes.get(agg.index)!;
      const v = o.values[0]!;
      return {
        index: agg.index,
        text: agg.text,
        fn: agg.fn,
        source: agg.source,
        role: roles.get(agg.index) ?? 'value',
        value: Number.isNaN(v) ? null : v,
        rowsInScope: o.rowsInScope[0]!,
        rowsMatched: o.rowsMatched[0]!,
      };
    });
    const numerator = countFor('numerator', 0);
    const denominator = countFor('denominator', 0);
    const result: KpiResult = {
      ...describeKpi(kpi),
      value: total.value,
      status,
      ...(judgement ? { judgement } : {}),
      reason,
      aggregates,
      ...(numerator !== undefined ? { numerator } : {}),
      ...(denominator !== undefined ? { denominator } : {}),
      rejectedRows: rejectedIn(kpi, input),
      segments: segmentResults,
      windows: windowResults,
      trend: trendOf(windowResults),
    };
    const groupValues = new Map<string, number>();
    groupKeys.forEach((key, g) => {
      groupValues.set(key, values[g]!);
    });
    results.set(id, { result, groups: groupValues });
    if (input.trace) {
      traces.set(id, {
        aggregates: kpi.formula.aggregates.map((agg) => ({
          index: agg.index,
          source: agg.source,
          text: agg.text,
          role: roles.get(agg.index) ?? 'value',
          matched: outcomes.get(agg.index)!.matched ?? new Int32Array(0),
          inScope: outcomes.get(agg.index)!.rowsInScope[0]!,
        })),
      });
    }
  }

  const kpis = catalogue.kpis
    .filter((k) => results.has(k.config.id) && (!input.only || input.only.has(k.config.id)))
    .map((k) => results.get(k.config.id)!.result);
  return { kpis, traces, rowsInPeriod };
}

function withCounts(
  judged: { value: number | null; status: Status },
  countFor: (role: 'numerator' | 'denominator', g: number) => number | undefined,
  g: number,
): { value: number | null; status: Status; numerator?: number; denominator?: number } {
  const numerator = countFor('numerator', g);
  const denominator = countFor('denominator', g);
  return {
    value: judged.value,
    status: judged.status,
    ...(numerator !== undefined ? { numerator } : {}),
    ...(denominator !== undefined ? { denominator } : {}),
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

/** selectPeriod results by table, then by period: a run evaluates the same period more than once. */
const selections = new WeakMap<Table, Map<string, SourceRows>>();

/** Rows of an events source whose time field falls in [start, end); snapshots keep every row. */
export function selectPeriod(loaded: LoadedSource, period: Period): SourceRows {
  const key = `${loaded.source.timeField ?? ''}\u0000${period.start}\u0000${period.end}`;
  let byPeriod = selections.get(loaded.table);
  const known = byPeriod?.get(key);
  if (known) return known;
  const selection = computeSelection(loaded, period);
  if (!byPeriod) {
    byPeriod = new Map();
    selections.set(loaded.table, byPeriod);
  }
  byPeriod.set(key, selection);
  return selection;
}

function computeSelection(loaded: LoadedSource, period: Period): SourceRows {
  const { table, source } = loaded;
  if (source.kind !== 'events' || !source.timeField) return { table, rows: null, mask: null };
  const column = table.columns.get(source.timeField);
  if (column?.kind !== 'num') return { table, rows: null, mask: null };
  const times = column.values;
  const mask = new Uint8Array(table.length);
  let count = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (t >= period.start && t < period.end) {
      mask[i] = 1;
      count++;
    }
  }
  if (count === table.length) return { table, rows: null, mask: null };
  const rows = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) rows[k++] = i;
  return { table, rows, mask };
}

function windowIndex(column: import('../sources/table.js').Column, windows: Period[]): Int32Array {
  const out = new Int32Array(column.kind === 'num' ? column.values.length : 0).fill(-1);
  if (column.kind !== 'num') return out;
  const values = column.values;
  for (let i = 0; i < values.length; i++) {
    const t = values[i]!;
    for (let w = 0; w < windows.length; w++) {
      if (t >= windows[w]!.start && t < windows[w]!.end) {
        out[i] = 1 + w;
        break;
      }
    }
  }
  return out;
}

function segmentValues(kpi: CompiledKpi, field: string, rows: Map<string, SourceRows>): string[] {
  const keys = new Set<string>();
  for (const sourceName of kpi.formula.sources) {
    const source = rows.get(sourceName);
    const column = source?.table.columns.get(field);
    if (!source || !column) continue;
    if (column.kind === 'str') {
      // The codes in use, then their texts (free-text columns may hold a text under several codes).
      const used = new Uint8Array(column.dict.length);
      const codes = column.codes;
      if (source.rows) {
        for (const i of source.rows) if (codes[i]! >= 0) used[codes[i]!] = 1;
      } else {
        for (let i = 0; i < source.table.length; i++) if (codes[i]! >= 0) used[codes[i]!] = 1;
      }
      for (let c = 0; c < used.length; c++) if (used[c]) keys.add(column.dict[c]!);
      continue;
    }
    const visit = (i: number) => {
      const v = cellValue(column, i);
      if (v !== null) keys.add(Array.isArray(v) ? v.join(', ') : String(v));
    };
    if (source.rows) for (const i of source.rows) visit(i);
    else for (let i = 0; i < source.table.length; i++) visit(i);
  }
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function segmentIndex(
  column: import('../sources/table.js').Column,
  n: number,
  keys: string[],
  offset: number,
): Int32Array {
  const position = new Map(keys.map((k, i) => [k, offset + i]));
  const out = new Int32Array(n).fill(-1);
  if (column.kind === 'str') {
    const byCode = column.dict.map((s) => position.get(s) ?? -1);
    for (let i = 0; i < n; i++) {
      const c = column.codes[i]!;
      out[i] = c < 0 ? -1 : byCode[c]!;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const v = cellValue(column, i);
    out[i] = v === null ? -1 : (position.get(Array.isArray(v) ? v.join(', ') : String(v)) ?? -1);
  }
  return out;
}

function copyGroup(outcome: AggregateOutcome, g: number): void {
  outcome.values[g] = outcome.values[0]!;
  outcome.rowsInScope[g] = outcome.rowsInScope[0]!;
  outcome.rowsMatched[g] = outcome.rowsMatched[0]!;
}

/** The KPI-level part of a formula, evaluated with one vector entry per group. */
function evaluateGroups(
  expr: Expr,
  outcomes: Map<number, AggregateOutcome>,
  lookupKpi: (id: string) => Float64Array,
  ctx: EvalContext,
): Vec {
  switch (expr.k) {
    case 'agg':
      return { t: 'num', v: outcomes.get(expr.index)!.values };
    case 'kpi':
      return { t: 'num', v: lookupKpi(expr.id) };
    case 'const':
      return scalar(expr.value);
    case 'call':
      return applyCall(
        expr,
        expr.args.map((a) => evaluateGroups(a, outcomes, lookupKpi, ctx)),
        ctx,
      );
    default:
      throw new Error(`internal: ${expr.k} outside an aggregate`);
  }
}

export function judgeValue(thresholds: Thresholds | null, value: number): { status: Status; reason: string } {
  if (!thresholds) return { status: 'info', reason: 'informational: no thresholds' };
  if (satisfies(thresholds.green, value))
    return { status: 'green', reason: `meets green ${thresholds.green.text}` };
  if (thresholds.amber && satisfies(thresholds.amber, value))
    return {
      status: 'amber',
      reason: `meets amber ${thresholds.amber.text}, misses green ${thresholds.green.text}`,
    };
  return {
    status: 'red',
    reason: `misses ${thresholds.amber ? `amber ${thresholds.amber.text}` : `green ${thresholds.green.text}`}`,
  };
}

function noDataReason(kpi: CompiledKpi, outcomes: Map<number, AggregateOutcome>, g: number): string {
  for (const agg of kpi.formula.aggregates) {
    const o = outcomes.get(agg.index)!;
    if (o.rowsInScope[g] === 0) return `no rows of ${agg.source} in the period`;
  }
  for (const [index, role] of kpi.formula.roles) {
    if (role === 'denominator' && outcomes.get(index)!.values[g] === 0) return 'the denominator is zero';
  }
  for (const agg of kpi.formula.aggregates) {
    const o = outcomes.get(agg.index)!;
    if (o.rowsMatched[g] === 0 && agg.fn !== 'count' && agg.fn !== 'count_distinct')
      return `no ${agg.source} rows with a value for ${agg.fn}()`;
  }
  return 'the formula has no value for this period';
}

/**
 * An events export that ends (or starts) more than one cadence inside the period cannot support a value
 * for the whole period; neither can a snapshot taken more than one cadence before the period ends.
 */
function staleReason(
  kpi: CompiledKpi,
  input: EvaluationInput,
  period: Period,
  tz: string,
): string | undefined {
  const allowance = cadenceLengthMs(kpi.config.cadence as Cadence);
  const cadence = CADENCE_NOUN[kpi.config.cadence as Cadence];
  for (const name of kpi.formula.sources) {
    const loaded = input.sources.get(name);
    if (!loaded || 'missing' in loaded) continue;
    if (loaded.source.kind === 'snapshot') {
      const asOf = loaded.asOf;
      if (asOf !== null && period.end - asOf > allowance) {
        const days = Math.floor((period.end - asOf) / DAY);
        return `the ${name} snapshot is from ${localDate(tz, asOf - 1)}, ${days} days before the period ends (more than one ${cadence})`;
      }
      continue;
    }
    const { minTime, maxTime } = loaded.stats;
    if (maxTime === null || minTime === null) continue;
    if (period.end - maxTime > allowance) {
      const days = Math.floor((period.end - maxTime) / DAY);
      return `${name} data ends ${localDate(tz, maxTime)}, ${days} days before the period ends (more than one ${cadence})`;
    }
    if (minTime - period.start > allowance) {
      const days = Math.floor((minTime - period.start) / DAY);
      return `${name} data starts ${localDate(tz, minTime)}, ${days} days after the period starts (more than one ${cadence})`;
    }
  }
  return undefined;
}

const DAY = 86_400_000;
const CADENCE_NOUN: Record<Cadence, string> = {
  weekly: 'week',
  monthly: 'month',
  quarterly: 'quarter',
  semiannual: 'half-year',
  annual: 'year',
};

/** A KPI derived from a stale KPI is stale too. */
function staleKpiReason(kpi: CompiledKpi, results: Map<string, { result: KpiResult }>): string | undefined {
  for (const id of kpi.formula.kpis) {
    if (results.get(id)?.result.status === 'stale') return `it uses ${id}, which is stale`;
  }
  return undefined;
}

function rejectedIn(kpi: CompiledKpi, input: EvaluationInput): number {
  let total = 0;
  for (const name of kpi.formula.sources) {
    const loaded = input.sources.get(name);
    if (loaded && !('missing' in loaded)) total += loaded.stats.rejected;
  }
  return total;
}

function trendOf(windows: WindowResult[]): KpiResult['trend'] {
  const known = windows.filter((w) => w.value !== null);
  if (known.length < 2) return null;
  return compareValues(known[known.length - 2]!.value!, known[known.length - 1]!.value!);
}

/** Direction of change between two values; changes under 0.5 % of the earlier value are flat. */
export function compareValues(previous: number, current: number): 'up' | 'down' | 'flat' {
  const scale = Math.max(Math.abs(previous), 1e-9);
  if (current === previous || Math.abs(current - previous) / scale < 0.005) return 'flat';
  return current > previous ? 'up' : 'down';
}

export function describeKpi(
  kpi: CompiledKpi,
): Omit<
  KpiResult,
  | 'value'
  | 'status'
  | 'reason'
  | 'aggregates'
  | 'rejectedRows'
  | 'segments'
  | 'windows'
  | 'trend'
  | 'numerator'
  | 'denominator'
> {
  const c = kpi.config;
  return {
    id: c.id,
    name: c.name,
    ...(c.description ? { description: c.description } : {}),
    owner: c.owner,
    cadence: c.cadence,
    unit: c.unit,
    tier: c.tier,
    ...(c.area ? { area: c.area } : {}),
    tags: c.tags,
    controls: c.controls,
    ...(c.caveat ? { caveat: c.caveat } : {}),
    ...(c.decimals !== undefined ? { decimals: c.decimals } : {}),
    formula: c.formula,
    thresholds: kpi.thresholds
      ? {
          green: kpi.thresholds.green.text,
          ...(kpi.thresholds.amber ? { amber: kpi.thresholds.amber.text } : {}),
          direction: kpi.thresholds.direction,
        }
      : null,
    ...(c.segment_by ? { segmentBy: c.segment_by } : {}),
    ...(c.baseline ? { baseline: c.baseline } : {}),
    definitionHash: kpi.definitionHash,
    sources: kpi.formula.sources,
  };
}

function noDataResult(kpi: CompiledKpi, input: EvaluationInput, reason: string): KpiResult {
  return {
    ...describeKpi(kpi),
    value: null,
    status: 'no-data',
    reason,
    aggregates: kpi.formula.aggregates.map((agg) => ({
      index: agg.index,
      text: agg.text,
      fn: agg.fn,
      source: agg.source,
      role: kpi.formula.roles.get(agg.index) ?? 'value',
      value: null,
      rowsInScope: 0,
      rowsMatched: 0,
    })),
    rejectedRows: rejectedIn(kpi, input),
    segments: [],
    windows: [],
    trend: null,
  };
}
