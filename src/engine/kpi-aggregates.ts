/**
 * The aggregates of one KPI, each computed for all its groups in one pass over the rows: the whole
 * period (group 0), then its cadence windows, then its segments.
 */
import type { Catalogue, CompiledKpi } from '../catalogue/compile.js';
import type { RowEvaluator, SourceRows } from '../formula/evaluate.js';
import { cadenceWindows, type Period } from '../time/period.js';
import { type AggregateOutcome, aggregate, type GroupIndex } from './aggregate.js';
import { type SegmentLayout, segmentId, segmentIndex, segmentLayout } from './segments.js';
import { windowIndex } from './windows.js';

/** The groups a KPI is evaluated for, numbered: 0 the period, 1..W its windows, then its segments. */
export interface GroupLayout {
  /** The cadence windows, when the period holds more than one (else none: the period is the only group). */
  windows: Period[];
  /** The segments (segments.ts: which, in which order). */
  segments: SegmentLayout;
  /** Number of groups: 1 + windows + segments. */
  count: number;
  /**
   * The key of each group: total, window:LABEL, segment:VALUE (several fields: segment:["A","B"]); how
   * derived KPIs find their groups.
   */
  keys: string[];
}

/**
 * The groups of a KPI. `rows`: the rows of each source its segments are found in (for a source the
 * formula reads with cumulative(), the rows up to the period end).
 */
export function groupLayout(
  kpi: CompiledKpi,
  catalogue: Catalogue,
  period: Period,
  rows: Map<string, SourceRows>,
): GroupLayout {
  const periodOptions = { tz: catalogue.timezone, fiscalYearStartMonth: catalogue.fiscalYearStart };
  const cadence = kpi.formula.sources.some((s) => catalogue.sources.get(s)?.kind === 'events')
    ? cadenceWindows(period, kpi.config.cadence, periodOptions)
    : [period];
  const windows = cadence.length > 1 ? cadence : [];
  const segments = segmentLayout(kpi.segmentBy, kpi.formula.sources, catalogue, rows);
  return {
    windows,
    segments,
    count: 1 + windows.length + segments.segments.length,
    keys: [
      'total',
      ...windows.map((w) => `window:${w.label}`),
      ...segments.segments.map((_, i) => `segment:${segmentId(segments, i)}`),
    ],
  };
}

/** What computing a KPI's aggregates needs from the evaluation of the catalogue. */
export interface AggregateEnv {
  catalogue: Catalogue;
  rows: Map<string, SourceRows>;
  evaluator: RowEvaluator;
  /** The window of each row, by source and cadence, shared by the KPIs of one evaluation. */
  windowCache: Map<string, Int32Array>;
  /** Record which rows entered each aggregate. */
  trace: boolean;
  /** The rows of a source before `end` (for cumulative(source)). */
  selectUpTo: (source: string, end: number) => SourceRows;
  /** The end of the period (cumulative(source) reads the rows before it). */
  periodEnd: number;
}

/** The outcome of each aggregate of the KPI, by aggregate index. */
export function aggregateKpi(
  kpi: CompiledKpi,
  layout: GroupLayout,
  env: AggregateEnv,
): Map<number, AggregateOutcome> {
  const { catalogue, rows, evaluator, windowCache } = env;
  const W = layout.windows.length;
  const G = layout.count;
  const outcomes = new Map<number, AggregateOutcome>();
  for (const agg of kpi.formula.aggregates) {
    const source = agg.cumulative ? env.selectUpTo(agg.source, env.periodEnd) : rows.get(agg.source)!;
    const table = source.table;
    const resolved = catalogue.sources.get(agg.source)!;
    let windowOf: Int32Array | null = null;
    // A cumulative aggregate's window holds every row up to the window's end (below), not one window's rows.
    if (W > 0 && resolved.kind === 'events' && resolved.timeField && !agg.cumulative) {
      const cacheKey = `${agg.source}\u0000${kpi.config.cadence}`;
      windowOf = windowCache.get(cacheKey) ?? null;
      if (!windowOf) {
        windowOf = windowIndex(table.columns.get(resolved.timeField)!, layout.windows);
        windowCache.set(cacheKey, windowOf);
      }
    }
    const segmentOf =
      layout.segments.segments.length > 0 ? segmentIndex(table, layout.segments, 1 + W) : null;
    const groups: GroupIndex = { count: G, windowOf, segmentOf, mask: source.mask, rows: source.rows };
    const pred = agg.pred ? evaluator.overSource(agg.pred, agg.source) : null;
    const valueExpr = agg.value;
    const valueFor = valueExpr
      ? (rows: Int32Array | null) =>
          rows === null
            ? evaluator.overSource(valueExpr, agg.source)
            : evaluator.overRows(valueExpr, agg.source, rows)
      : null;
    const outcome = aggregate(agg, table.length, groups, pred, valueFor, env.trace);
    if (agg.cumulative && resolved.kind === 'events') {
      layout.windows.forEach((window, w) => {
        const upTo = env.selectUpTo(agg.source, window.end);
        const one: GroupIndex = {
          count: 1,
          windowOf: null,
          segmentOf: null,
          mask: upTo.mask,
          rows: upTo.rows,
        };
        setGroup(outcome, 1 + w, aggregate(agg, table.length, one, pred, valueFor, false));
      });
    }
    // A source without windows (or without the segment field) gives its period value to every group.
    else if (!windowOf) for (let g = 1; g <= W; g++) copyGroup(outcome, g);
    if (!segmentOf) for (let g = 1 + W; g < G; g++) copyGroup(outcome, g);
    // A segment without rows, of a source that has rows in the period, sums to 0 (as it counts 0).
    else if (agg.fn === 'sum' && outcome.rowsInScope[0]! > 0)
      for (let g = 1 + W; g < G; g++) if (outcome.rowsInScope[g] === 0) outcome.values[g] = 0;
    outcomes.set(agg.index, outcome);
  }
  return outcomes;
}

/** Group g of `outcome` takes the period result (group 0) of `from`. */
function setGroup(outcome: AggregateOutcome, g: number, from: AggregateOutcome): void {
  outcome.values[g] = from.values[0]!;
  outcome.rowsInScope[g] = from.rowsInScope[0]!;
  outcome.rowsMatched[g] = from.rowsMatched[0]!;
}

function copyGroup(outcome: AggregateOutcome, g: number): void {
  outcome.values[g] = outcome.values[0]!;
  outcome.rowsInScope[g] = outcome.rowsInScope[0]!;
  outcome.rowsMatched[g] = outcome.rowsMatched[0]!;
}
