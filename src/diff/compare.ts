/**
 * Compares two saved reports KPI by KPI: values, statuses and segments, judged by each KPI's direction
 * with a tolerance; definition drift (a changed definitionHash) and evidence drift (source files that
 * changed too much or not at all). Pure: data in, data out.
 */
import type { KpiResult, Report, SavedSignificance, SourceManifest, Status } from '../report/model.js';
import {
  changeSignificance,
  DEFAULT_SIGNIFICANCE_LEVEL,
  type SavedValues,
  type SignificanceOption,
} from '../report/significance.js';

import {
  DEFAULT_TOLERANCE,
  type Direction,
  isBeyondTolerance,
  judge,
  kpiDirection,
  savedSignificance,
  type Verdict,
} from '../report/verdict.js';

// The rule lives in the report layer (the engine's trend verdict uses it too); re-exported for callers.
export { DEFAULT_TOLERANCE, type Direction, isBeyondTolerance, judge, type Verdict };

export interface DiffOptions {
  /** Percent: a change within it is "unchanged" (relative; absolute where |old| < 1). Default 0.5. */
  tolerance: number;
  /**
   * The significance rule (src/report/significance.ts): a change beyond the tolerance is also tested, and
   * marked not significant when chance explains it; 'off': no test. Default level 0.05.
   */
  significance?: SignificanceOption;
}

export interface SegmentDiff {
  key: string;
  oldValue: number | null;
  newValue: number | null;
  oldStatus: Status | null;
  newStatus: Status | null;
  verdict: Verdict;
  /** The significance test of an improved, worsened or changed segment (not with significance off). */
  significance?: SavedSignificance;
}

export interface DefinitionChange {
  field: 'formula' | 'thresholds' | 'unit' | 'sources' | 'other';
  old: string;
  new: string;
}

export interface KpiDiff {
  id: string;
  name: string;
  unit: string;
  decimals?: number;
  direction: Direction;
  oldValue: number | null;
  newValue: number | null;
  /** new - old, when both have a value. */
  change: number | null;
  /** (new - old) / |old|, when both have a value and old is not 0. */
  relativeChange: number | null;
  oldStatus: Status;
  newStatus: Status;
  verdict: Verdict;
  /** The status moved down green > amber > red (comparable KPIs only). */
  isStatusWorse: boolean;
  /**
   * The significance test of an improved, worsened or changed KPI (not with significance off):
   * `significant: false` marks the change "not significant"; null: it could not be tested (see reason).
   */
  significance?: SavedSignificance;
  definitionChanges: DefinitionChange[];
  segments: SegmentDiff[];
  /** The new report's change since the KPI's baseline, when it has one. */
  sinceBaseline?: KpiResult['sinceBaseline'];
}

export interface KpiPresence {
  id: string;
  name: string;
  value: number | null;
  status: Status;
}

export type EvidenceDriftCode = 'rows-changed' | 'snapshot-unchanged' | 'events-file-unchanged';

export interface EvidenceDrift {
  code: EvidenceDriftCode;
  source: string;
  kind: 'events' | 'snapshot';
  file: string;
  oldAccepted: number;
  newAccepted: number;
  sha256: string;
}

export interface Diff {
  old: { period: string; start: string; schemaVersion: number };
  new: { period: string; start: string; schemaVersion: number };
  tolerance: number;
  /** The significance level (alpha) changes were tested at, or 'off'. */
  significance: number | 'off';
  counts: Record<Verdict, number> & {
    added: number;
    retired: number;
    statusWorse: number;
    /** Improved, worsened or changed KPIs whose change is not significant. */
    notSignificant: number;
  };
  kpis: KpiDiff[];
  added: KpiPresence[];
  retired: KpiPresence[];
  evidence: EvidenceDrift[];
}

const STATUS_RANK: Partial<Record<Status, number>> = { green: 0, amber: 1, red: 2 };
const VERDICT_ORDER: Verdict[] = ['worsened', 'improved', 'changed', 'not-comparable', 'unchanged'];
/** Rows accepted may move by this share either way before a source is called out. */
const ROW_CHANGE_LIMIT = 0.5;

function isWorseStatus(oldStatus: Status, newStatus: Status): boolean {
  const a = STATUS_RANK[oldStatus];
  const b = STATUS_RANK[newStatus];
  return a !== undefined && b !== undefined && b > a;
}

function definitionChanges(a: KpiResult, b: KpiResult): DefinitionChange[] {
  if (a.definitionHash === b.definitionHash) return [];
  const thresholds = (k: KpiResult) =>
    k.thresholds
      ? `${k.thresholds.direction}: green ${k.thresholds.green}${k.thresholds.amber ? `, amber ${k.thresholds.amber}` : ''}`
      : 'none';
  const fields: [DefinitionChange['field'], string, string][] = [
    ['formula', a.formula, b.formula],
    ['thresholds', thresholds(a), thresholds(b)],
    ['unit', a.unit, b.unit],
    ['sources', [...a.sources].sort().join(', '), [...b.sources].sort().join(', ')],
  ];
  const changes = fields.filter(([, x, y]) => x !== y).map(([field, x, y]) => ({ field, old: x, new: y }));
  // The hash covers more than these fields can show (e.g. a condition's normalised form).
  return changes.length > 0
    ? changes
    : [{ field: 'other', old: a.definitionHash.slice(0, 12), new: b.definitionHash.slice(0, 12) }];
}

/** The significance of a change the tolerance let through; undefined for unchanged values or with the test off. */
function testChange(
  verdict: Verdict,
  before: SavedValues,
  after: SavedValues,
  significance: SignificanceOption,
): SavedSignificance | undefined {
  if (significance === 'off' || (verdict !== 'improved' && verdict !== 'worsened' && verdict !== 'changed'))
    return undefined;
  return savedSignificance(changeSignificance(before, after, significance), significance.level);
}

/** A segment's saved values with its KPI's formula (a statistic's n is the KPI's: left out). */
function segmentValues(kpi: KpiResult, segment: KpiResult['segments'][number]): SavedValues {
  return {
    value: segment.value,
    numerator: segment.numerator,
    denominator: segment.denominator,
    unit: kpi.unit,
    formula: kpi.formula,
    aggregates: kpi.aggregates.map(({ rowsMatched: _, ...agg }) => agg),
  };
}

function compareSegments(
  a: KpiResult,
  b: KpiResult,
  direction: Direction,
  tolerance: number,
  significance: SignificanceOption,
): SegmentDiff[] {
  // Matched by key; in the new report's order (an enum's declared order), then keys only the old one has.
  const keys = [...new Set([...b.segments.map((s) => s.key), ...a.segments.map((s) => s.key)])];
  return keys.map((key) => {
    const x = a.segments.find((s) => s.key === key);
    const y = b.segments.find((s) => s.key === key);
    const oldValue = x?.value ?? null;
    const newValue = y?.value ?? null;
    const verdict = x && y ? judge(oldValue, newValue, direction, tolerance) : 'changed';
    // A segment is the KPI's formula over some rows: judged with the KPI's aggregates and formula.
    const test =
      x && y ? testChange(verdict, segmentValues(a, x), segmentValues(b, y), significance) : undefined;
    return {
      key,
      oldValue,
      newValue,
      oldStatus: x?.status ?? null,
      newStatus: y?.status ?? null,
      verdict,
      ...(test ? { significance: test } : {}),
    };
  });
}

function compareKpi(
  a: KpiResult,
  b: KpiResult,
  tolerance: number,
  significance: SignificanceOption,
): KpiDiff {
  const changes = definitionChanges(a, b);
  const isComparable = changes.length === 0;
  const direction = kpiDirection(b);
  const hasBoth = a.value !== null && b.value !== null;
  const change = hasBoth ? b.value! - a.value! : null;
  const verdict = isComparable ? judge(a.value, b.value, direction, tolerance) : 'not-comparable';
  const test = hasBoth ? testChange(verdict, a, b, significance) : undefined;
  return {
    id: b.id,
    name: b.name,
    unit: b.unit,
    ...(b.decimals !== undefined ? { decimals: b.decimals } : {}),
    direction,
    oldValue: a.value,
    newValue: b.value,
    change,
    relativeChange: change !== null && a.value !== 0 ? change / Math.abs(a.value!) : null,
    oldStatus: a.status,
    newStatus: b.status,
    verdict,
    isStatusWorse: isComparable && isWorseStatus(a.status, b.status),
    ...(test ? { significance: test } : {}),
    definitionChanges: changes,
    segments: isComparable ? compareSegments(a, b, direction, tolerance, significance) : [],
    ...(b.sinceBaseline ? { sinceBaseline: b.sinceBaseline } : {}),
  };
}

function evidenceDrift(a: Report, b: Report): EvidenceDrift[] {
  const drift: EvidenceDrift[] = [];
  const isSamePeriod = a.period.start === b.period.start && a.period.end === b.period.end;
  for (const y of b.sources) {
    const x = a.sources.find((s) => s.name === y.name);
    if (!x || x.missing !== undefined || y.missing !== undefined) continue;
    const base = (code: EvidenceDriftCode, s: SourceManifest) => ({
      code,
      source: s.name,
      kind: s.kind,
      file: s.file,
      oldAccepted: x.accepted,
      newAccepted: s.accepted,
      sha256: s.sha256,
    });
    const moved = Math.abs(y.accepted - x.accepted);
    if (x.accepted === 0 ? moved > 0 : moved / x.accepted > ROW_CHANGE_LIMIT)
      drift.push(base('rows-changed', y));
    // One events export may cover several periods; the same file is suspicious only when it does not
    // reach into the new period.
    const reachesNewPeriod = y.maxTime !== null && y.maxTime >= b.period.start;
    if (x.sha256 === y.sha256 && !isSamePeriod && (y.kind === 'snapshot' || !reachesNewPeriod))
      drift.push(base(y.kind === 'snapshot' ? 'snapshot-unchanged' : 'events-file-unchanged', y));
  }
  return drift;
}

const presence = (k: KpiResult): KpiPresence => ({
  id: k.id,
  name: k.name,
  value: k.value,
  status: k.status,
});

export function diffReports(
  a: Report,
  b: Report,
  options: DiffOptions = { tolerance: DEFAULT_TOLERANCE },
): Diff {
  const significance = options.significance ?? { level: DEFAULT_SIGNIFICANCE_LEVEL };
  const oldById = new Map(a.kpis.map((k) => [k.id, k]));
  const newIds = new Set(b.kpis.map((k) => k.id));
  const compared = b.kpis
    .filter((k) => oldById.has(k.id))
    .map((k) => compareKpi(oldById.get(k.id)!, k, options.tolerance, significance));
  // Stable sort: catalogue order of the new report within each verdict.
  const kpis = [...compared].sort(
    (x, y) => VERDICT_ORDER.indexOf(x.verdict) - VERDICT_ORDER.indexOf(y.verdict),
  );
  const added = b.kpis.filter((k) => !oldById.has(k.id)).map(presence);
  const retired = a.kpis.filter((k) => !newIds.has(k.id)).map(presence);
  const count = (v: Verdict) => kpis.filter((k) => k.verdict === v).length;
  return {
    old: { period: a.period.label, start: a.period.start, schemaVersion: a.schemaVersion },
    new: { period: b.period.label, start: b.period.start, schemaVersion: b.schemaVersion },
    tolerance: options.tolerance,
    significance: significance === 'off' ? 'off' : significance.level,
    counts: {
      improved: count('improved'),
      worsened: count('worsened'),
      unchanged: count('unchanged'),
      changed: count('changed'),
      'not-comparable': count('not-comparable'),
      added: added.length,
      retired: retired.length,
      statusWorse: kpis.filter((k) => k.isStatusWorse).length,
      notSignificant: kpis.filter((k) => k.significance?.significant === false).length,
    },
    kpis,
    added,
    retired,
    evidence: evidenceDrift(a, b),
  };
}

/**
 * Whether the diff shows a regression the caller asked to fail on: a worse status (failOnRegression, with
 * or without significance: a status is what the KPI reports) or a value worse beyond the tolerance
 * (strict) unless that worsening is not significant. The exit code is the app's exit policy's business.
 */
export function isRegression(diff: Diff, options: { failOnRegression?: boolean; strict?: boolean }): boolean {
  if (options.failOnRegression && diff.kpis.some((k) => k.isStatusWorse)) return true;
  return options.strict === true && diff.kpis.some((k) => isSignificantWorsening(k));
}

/** Worse beyond the tolerance, and not marked "not significant" (untested changes count, as before). */
export function isSignificantWorsening(k: KpiDiff): boolean {
  return k.verdict === 'worsened' && k.significance?.significant !== false;
}
