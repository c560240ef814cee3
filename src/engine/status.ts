/**
 * The status policy of a KPI result, in one place.
 *
 * `decideStatus` is the one answer to "what status does this value get?": no-data when the data is
 * missing or the formula has no finite value, the RAG judgement from the thresholds (or info without
 * thresholds), and stale when the exports do not cover the period (the judgement is kept, so
 * --fail-on still sees a red). It is pure: the engine gathers the facts (the value, the thresholds,
 * what each aggregate counted, what each source covers) and asks here.
 *
 * `failsRun` is the one answer to "does this KPI fail the run at this --fail-on level?": the exit code,
 * the JUnit renderer and the Markdown summary all ask it, so they can never disagree. A stale KPI counts
 * with the judgement its value would have had, so staleness never hides a red.
 */
import { satisfies, type Thresholds } from '../catalogue/thresholds.js';
import type { AggregateFn } from '../formula/ir.js';
import type { Status } from '../report/model.js';
import { type Cadence, cadenceLengthMs } from '../time/period.js';
import { localDate } from '../time/zone.js';
import { coverageGap, type Tolerance } from './coverage.js';
import { type ExceptionResult, isAccepted } from './exceptions.js';

export type FailOn = 'red' | 'amber' | 'never';
export const FAIL_ON_LEVELS: readonly FailOn[] = ['red', 'amber', 'never'];

/**
 * A KPI with a KPI-wide exception in force (exceptions.ts: valid on the period's last day) keeps its
 * status but does not fail the run; an expired exception no longer counts, and an exception for one
 * segment does not change the KPI's verdict. A draft KPI (`lifecycle: draft`, being trialled) never fails
 * the run: its thresholds are not agreed yet; nor does a retired one (reported only when asked for by id).
 */
export function failsRun(
  kpi: {
    status: Status;
    judgement?: Status | undefined;
    lifecycle?: 'draft' | 'active' | 'retired' | undefined;
    exceptions?: readonly ExceptionResult[] | undefined;
  },
  failOn: FailOn,
): boolean {
  if (failOn === 'never' || kpi.lifecycle === 'draft' || kpi.lifecycle === 'retired') return false;
  if (isAccepted(kpi)) return false;
  const status = kpi.status === 'stale' && kpi.judgement ? kpi.judgement : kpi.status;
  return status === 'red' || (failOn === 'amber' && status === 'amber');
}

/** What one aggregate of the formula found in the group being judged. */
export interface AggregateFacts {
  source: string;
  fn: AggregateFn;
  role: 'numerator' | 'denominator' | 'value';
  /** NaN: no value. */
  value: number;
  rowsInScope: number;
  rowsMatched: number;
  /**
   * Rows in scope in the whole period. A segment without rows of a source that has rows in the period
   * is empty, not missing: its counts and sums are 0 (issue 14).
   */
  periodRowsInScope?: number;
}

/** What a loaded export covers (missing optional sources are left out). */
export interface SourceCoverage {
  name: string;
  kind: 'events' | 'snapshot';
  /** Snapshots: the instant the export reflects (epoch ms); null when unknown, which makes it stale. */
  asOf: number | null;
  /** Snapshots: why the as-of is unknown, in words. */
  asOfUnknown?: string;
  /** Snapshots read with `period_offset:`: the earlier period the file describes (judged against its end). */
  describes?: { label: string; end: number };
  /** Events: the earliest and latest time of the accepted rows (epoch ms), null when there are none. */
  minTime: number | null;
  maxTime: number | null;
  /** Events: the accepted rows (they set the coverage tolerance, coverage.ts). */
  rows: number;
}

/** The facts that decide whether the value of the whole period can be trusted. */
export interface CoverageFacts {
  period: { start: number; end: number };
  cadence: Cadence;
  /** Zone the dates in the reason are written in. */
  tz: string;
  /** The sources the formula reads, in formula order. */
  sources: readonly SourceCoverage[];
  /** The KPIs the formula uses, with their status (undefined: not evaluated). */
  kpis: readonly { id: string; status: Status | undefined }[];
}

export interface StatusFacts {
  /** A source the formula reads is missing: why. Decides no-data before anything else. */
  missingSource?: string;
  /** The formula's value for the group (NaN: none; an infinity: a division by zero). */
  value: number;
  thresholds: Thresholds | null;
  /** The formula's aggregates in formula order, as counted in this group. */
  aggregates: readonly AggregateFacts[];
  /** What is judged: the whole period, one cadence window or one segment. */
  group: 'period' | 'window' | 'segment';
  /** The period only: the data coverage that makes a value stale. Windows and segments are never stale. */
  coverage?: CoverageFacts;
}

export interface StatusDecision {
  value: number | null;
  status: Status;
  /** A stale value: what the thresholds say about it (kept for --fail-on). */
  judgement?: 'green' | 'amber' | 'red';
  reason: string;
}

export function decideStatus(facts: StatusFacts): StatusDecision {
  if (facts.missingSource !== undefined)
    return { value: null, status: 'no-data', reason: `source data is missing: ${facts.missingSource}` };
  const judged = judgeGroup(facts);
  if (judged.status === 'no-data' || !facts.coverage) return judged;
  const staleness = stalenessReason(facts.coverage);
  if (staleness === undefined) return judged;
  // The value is shown but not trusted; what the thresholds say is kept for --fail-on.
  const judgement = isRag(judged.status) ? judged.status : undefined;
  return {
    value: judged.value,
    status: 'stale',
    ...(judgement ? { judgement } : {}),
    reason: `${staleness}; the value ${judgement ? `would be ${judgement}` : 'is informational'}`,
  };
}

function isRag(status: Status): status is 'green' | 'amber' | 'red' {
  return status === 'green' || status === 'amber' || status === 'red';
}

/** The value of one group, judged on its own (no staleness). */
function judgeGroup(facts: StatusFacts): StatusDecision {
  // A count over no rows is 0, but no rows means the data is missing: never judge it. A segment is
  // judged when the period has rows: a severity without incidents this quarter has 0 of them.
  const isEmptySegment = (a: AggregateFacts) => facts.group === 'segment' && (a.periodRowsInScope ?? 0) > 0;
  const empty = facts.aggregates.find((a) => a.rowsInScope === 0 && !isEmptySegment(a));
  if (empty)
    return { value: null, status: 'no-data', reason: `no rows of ${empty.source} in the ${facts.group}` };
  const v = facts.value;
  if (Number.isNaN(v)) return { value: null, status: 'no-data', reason: noValueReason(facts.aggregates) };
  // Division by zero gives no value (NaN) in the formula language; only an overflow gives Infinity.
  if (!Number.isFinite(v))
    return { value: null, status: 'no-data', reason: 'the value overflows (it is too large to compute)' };
  return { value: v, ...judgeValue(facts.thresholds, v) };
}

/** Why a formula over aggregates that all had rows still has no value. */
function noValueReason(aggregates: readonly AggregateFacts[]): string {
  if (aggregates.some((a) => a.role === 'denominator' && a.value === 0)) return 'the denominator is zero';
  const empty = aggregates.find((a) => a.rowsMatched === 0 && a.fn !== 'count' && a.fn !== 'count_distinct');
  if (empty) return `no ${empty.source} rows with a value for ${empty.fn}()`;
  return 'the formula has no value for this period';
}

/** The RAG judgement of a value: green, amber or red from the thresholds; info without thresholds. */
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

/**
 * Why the value of the period cannot be trusted, if it cannot: an events export that does not cover the
 * period (coverage.ts: its first row later than the start, or its last row earlier than the end, by more
 * than its tolerance); a snapshot whose as-of is unknown, lies more than one day after the period ends,
 * or more than one cadence before it ends; a KPI derived from a stale KPI.
 */
export function stalenessReason(coverage: CoverageFacts): string | undefined {
  const { period, tz } = coverage;
  const allowance = cadenceLengthMs(coverage.cadence);
  const cadence = CADENCE_NOUN[coverage.cadence];
  for (const source of coverage.sources) {
    const { name } = source;
    if (source.kind === 'snapshot') {
      const { asOf } = source;
      if (asOf === null)
        return `as-of unknown: ${source.asOfUnknown ?? `nothing says when the ${name} snapshot was taken`}`;
      // A snapshot of an earlier period (period_offset) is judged against that period's end.
      const end = source.describes?.end ?? period.end;
      const ends = source.describes ? `${source.describes.label} ends` : 'the period ends';
      if (asOf - end > DAY) {
        const days = Math.floor((asOf - end) / DAY);
        return `the ${name} snapshot is from ${localDate(tz, asOf - 1)}, ${dayCount(days)} after ${ends} (more than one day)`;
      }
      if (end - asOf > allowance) {
        const days = Math.floor((end - asOf) / DAY);
        return `the ${name} snapshot is from ${localDate(tz, asOf - 1)}, ${dayCount(days)} before ${ends} (more than one ${cadence})`;
      }
      continue;
    }
    const gap = coverageGap(source, period, coverage.cadence);
    if (!gap) continue;
    // Whole days against a one-cadence tolerance (as always); tenths against a finer one, so that the
    // shortfall never reads as less than what it exceeds.
    const isWhole = gap.tolerance.basis === 'cadence';
    const days = dayCount(isWhole ? Math.floor(gap.shortBy / DAY) : tenths(gap.shortBy));
    const allowed = toleranceText(gap.tolerance, coverage.cadence);
    return gap.edge === 'end'
      ? `${name} data ends ${localDate(tz, gap.at)}, ${days} before the period ends (${allowed})`
      : `${name} data starts ${localDate(tz, gap.at)}, ${days} after the period starts (${allowed})`;
  }
  const stale = coverage.kpis.find((k) => k.status === 'stale');
  return stale ? `it uses ${stale.id}, which is stale` : undefined;
}

const dayCount = (days: number) => `${days} day${days === 1 ? '' : 's'}`;
/** Days to one decimal. */
const tenths = (ms: number) => Math.round((ms / DAY) * 10) / 10;

/** "more than one month", "more than one day", "more than 3.5 days: 7 times the average gap between its rows". */
function toleranceText(tolerance: Tolerance, cadence: Cadence): string {
  if (tolerance.basis === 'cadence') return `more than one ${CADENCE_NOUN[cadence]}`;
  if (tolerance.basis === 'week') return 'more than one week';
  return `more than ${tenths(tolerance.ms)} days: 7 times the average gap between its rows`;
}

/**
 * Why comparing a value over an interval (a window, a period) is not fair, if it is not: an events source
 * of the formula that does not cover it (coverage.ts). "tickets data starts 2026-06-20, after 2026-Q2 starts".
 */
export function partialReason(
  sources: readonly SourceCoverage[],
  interval: { label: string; start: number; end: number },
  cadence: Cadence,
  tz: string,
): string | undefined {
  for (const source of sources) {
    if (source.kind !== 'events') continue;
    const gap = coverageGap(source, interval, cadence);
    if (!gap) continue;
    return gap.edge === 'start'
      ? `${source.name} data starts ${localDate(tz, gap.at)}, after ${interval.label} starts`
      : `${source.name} data ends ${localDate(tz, gap.at)}, before ${interval.label} ends`;
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
