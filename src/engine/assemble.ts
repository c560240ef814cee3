/**
 * Assembles the result of one KPI from what the engine computed: its description, the status of the
 * period, of each window and of each segment (asked of the status policy), the aggregates with their
 * counts, numerator and denominator, and the trend over the windows.
 */
import type { CompiledKpi } from '../catalogue/compile.js';
import { measureDescription } from '../catalogue/measure.js';
import type { Thresholds } from '../catalogue/thresholds.js';
import type { AggregateResult, KpiResult, SegmentResult, Status, WindowResult } from '../report/model.js';
import type { LoadedSource } from '../sources/load-source.js';
import type { AggregateOutcome } from './aggregate.js';
import type { GroupLayout } from './kpi-aggregates.js';
import { KEY_SEPARATOR, segmentLabel } from './segments.js';
import {
  type AggregateFacts,
  type CoverageFacts,
  decideStatus,
  partialReason,
  type StatusFacts,
} from './status.js';

/** What the engine computed for a KPI whose sources are all loaded. */
export interface KpiOutcome {
  layout: GroupLayout;
  /** The formula's value in each group (NaN: none). */
  values: Float64Array;
  /** The outcome of each aggregate, by aggregate index. */
  outcomes: Map<number, AggregateOutcome>;
}

type Role = 'numerator' | 'denominator';

export function assembleResult(
  kpi: CompiledKpi,
  { layout, values, outcomes }: KpiOutcome,
  coverage: CoverageFacts,
  rejectedRows: number,
): KpiResult {
  const W = layout.windows.length;
  const judge = (g: number, group: StatusFacts['group'], more: Partial<StatusFacts> = {}) =>
    decideStatus({
      value: values[g]!,
      thresholds: kpi.thresholds,
      aggregates: aggregateFacts(kpi, outcomes, g),
      group,
      ...more,
    });
  const countFor = (role: Role, g: number) => roleCount(kpi, outcomes, role, g);
  const total = judge(0, 'period', { coverage });
  const windowResults: WindowResult[] = layout.windows.map((w, i) => ({
    label: w.label,
    start: new Date(w.start).toISOString(),
    end: new Date(w.end).toISOString(),
    ...withCounts(judge(1 + i, 'window'), countFor, 1 + i),
  }));
  const segmentResults: SegmentResult[] = layout.segments.segments.map((_, i) => {
    const label = segmentLabel(layout.segments, i);
    // A segment with thresholds of its own (segment_thresholds) is judged by them.
    const own = kpi.segmentThresholds.get(label.key);
    return {
      ...label,
      ...withCounts(judge(1 + W + i, 'segment', own ? { thresholds: own } : {}), countFor, 1 + W + i),
      ...(own ? { thresholds: thresholdsOf(own) } : {}),
    };
  });
  const aggregates: AggregateResult[] = kpi.formula.aggregates.map((agg) => {
    const o = outcomes.get(agg.index)!;
    const v = o.values[0]!;
    return {
      ...aggregateHead(kpi, agg),
      value: Number.isNaN(v) ? null : v,
      rowsInScope: o.rowsInScope[0]!,
      rowsMatched: o.rowsMatched[0]!,
    };
  });
  const numerator = countFor('numerator', 0);
  const denominator = countFor('denominator', 0);
  const trend = trendOf(layout.windows, windowResults, coverage);
  return {
    ...describeKpi(kpi),
    value: total.value,
    status: total.status,
    ...(total.judgement ? { judgement: total.judgement } : {}),
    reason: total.reason,
    aggregates,
    ...(numerator !== undefined ? { numerator } : {}),
    ...(denominator !== undefined ? { denominator } : {}),
    rejectedRows,
    segments: segmentResults,
    windows: windowResults,
    trend: trend.trend,
    ...(trend.note ? { trendNote: trend.note } : {}),
  };
}

/** The result of a KPI that could not be evaluated because a source it reads is missing. */
export function noDataResult(kpi: CompiledKpi, missingSource: string, rejectedRows: number): KpiResult {
  const decision = decideStatus({
    missingSource,
    value: Number.NaN,
    thresholds: kpi.thresholds,
    aggregates: [],
    group: 'period',
  });
  return {
    ...describeKpi(kpi),
    value: decision.value,
    status: decision.status,
    reason: decision.reason,
    aggregates: kpi.formula.aggregates.map((agg) => ({
      ...aggregateHead(kpi, agg),
      value: null,
      rowsInScope: 0,
      rowsMatched: 0,
    })),
    rejectedRows,
    segments: [],
    windows: [],
    trend: null,
  };
}

type Aggregate = CompiledKpi['formula']['aggregates'][number];

function aggregateHead(
  kpi: CompiledKpi,
  agg: Aggregate,
): Pick<AggregateResult, 'index' | 'text' | 'fn' | 'source' | 'role'> {
  return {
    index: agg.index,
    text: agg.text,
    fn: agg.fn,
    source: agg.source,
    role: kpi.formula.roles.get(agg.index) ?? 'value',
  };
}

/** What each aggregate found in group g, for the status policy. */
function aggregateFacts(
  kpi: CompiledKpi,
  outcomes: Map<number, AggregateOutcome>,
  g: number,
): AggregateFacts[] {
  return kpi.formula.aggregates.map((agg) => {
    const o = outcomes.get(agg.index)!;
    return {
      source: agg.source,
      fn: agg.fn,
      role: kpi.formula.roles.get(agg.index) ?? 'value',
      value: o.values[g]!,
      rowsInScope: o.rowsInScope[g]!,
      rowsMatched: o.rowsMatched[g]!,
      periodRowsInScope: o.rowsInScope[0]!,
    };
  });
}

/** What the sources the KPI reads cover, and the status of the KPIs it uses. */
export function coverageOf(
  kpi: CompiledKpi,
  sources: ReadonlyMap<string, LoadedSource | { missing: string }>,
  period: { start: number; end: number },
  tz: string,
  statusOf: (id: string) => Status | undefined,
): CoverageFacts {
  const loaded = kpi.formula.sources.flatMap((name) => {
    const source = sources.get(name);
    if (!source || 'missing' in source) return [];
    const { minTime, maxTime, accepted } = source.stats;
    const asOf = source.asOf;
    return [
      {
        name,
        kind: source.source.kind,
        asOf: asOf?.instant ?? null,
        ...(asOf?.unknown ? { asOfUnknown: asOf.unknown } : {}),
        ...(asOf?.describes ? { describes: asOf.describes } : {}),
        minTime,
        maxTime,
        rows: accepted,
      },
    ];
  });
  return {
    period,
    cadence: kpi.config.cadence,
    tz,
    sources: loaded,
    kpis: kpi.formula.kpis.map((id) => ({ id, status: statusOf(id) })),
  };
}

/** The count of the one aggregate in `role` (pct/ratio at the top), in group g. */
function roleCount(
  kpi: CompiledKpi,
  outcomes: Map<number, AggregateOutcome>,
  role: Role,
  g: number,
): number | undefined {
  const indexes = [...kpi.formula.roles].filter(([, r]) => r === role).map(([i]) => i);
  if (indexes.length !== 1) return undefined;
  const v = outcomes.get(indexes[0]!)!.values[g]!;
  return Number.isNaN(v) ? undefined : v;
}

function withCounts(
  judged: { value: number | null; status: Status },
  countFor: (role: Role, g: number) => number | undefined,
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

/** Rows rejected in the sources the KPI reads. */
export function rejectedIn(
  kpi: CompiledKpi,
  sources: ReadonlyMap<string, LoadedSource | { missing: string }>,
): number {
  let total = 0;
  for (const name of kpi.formula.sources) {
    const loaded = sources.get(name);
    if (loaded && !('missing' in loaded)) total += loaded.stats.rejected;
  }
  return total;
}

/**
 * The trend over the last two windows that have a value, when the events sources cover both of them
 * (coverage.ts); else none, with the reason ("partial: ...").
 */
function trendOf(
  windows: readonly { label: string; start: number; end: number }[],
  results: readonly WindowResult[],
  coverage: CoverageFacts,
): { trend: KpiResult['trend']; note?: string } {
  const known = results.flatMap((r, i) =>
    r.value === null ? [] : [{ value: r.value, window: windows[i]! }],
  );
  if (known.length < 2) return { trend: null };
  const compared = known.slice(-2);
  for (const { window } of compared) {
    const partial = partialReason(coverage.sources, window, coverage.cadence, coverage.tz);
    if (partial) return { trend: null, note: `partial: ${partial}` };
  }
  return { trend: compareValues(compared[0]!.value, compared[1]!.value) };
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
  | 'trendNote'
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
    thresholds: kpi.thresholds ? thresholdsOf(kpi.thresholds) : null,
    ...(c.direction ? { direction: c.direction } : {}),
    ...(kpi.segmentBy.length > 0 ? { segmentBy: kpi.segmentBy.join(KEY_SEPARATOR) } : {}),
    ...(c.baseline ? { baseline: c.baseline } : {}),
    ...measureDescription(c),
    definitionHash: kpi.definitionHash,
    sources: kpi.formula.sources,
  };
}

/** Thresholds as the report writes them. */
function thresholdsOf(t: Thresholds): NonNullable<KpiResult['thresholds']> {
  return { green: t.green.text, ...(t.amber ? { amber: t.amber.text } : {}), direction: t.direction };
}
