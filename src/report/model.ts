/**
 * The report as data: what every renderer receives and what the JSON format saves. Values are kept
 * unrounded; rounding belongs to renderers.
 */
import type { Cadence } from '../time/period.js';

export const REPORT_SCHEMA_VERSION = 1;

export type Status = 'green' | 'amber' | 'red' | 'no-data' | 'stale' | 'info';

/** Order used everywhere a list of KPIs is sorted by urgency. */
export const STATUS_ORDER: readonly Status[] = ['red', 'amber', 'stale', 'no-data', 'green', 'info'];

export interface AggregateResult {
  index: number;
  /** The aggregate as written in the formula, e.g. `count(incidents, severity == "Critical")`. */
  text: string;
  fn: string;
  source: string;
  role: 'numerator' | 'denominator' | 'value';
  value: number | null;
  /** Rows of the source in the period (snapshot: all rows). */
  rowsInScope: number;
  /** Rows that met the condition (and had a value, for sums, means, ...). */
  rowsMatched: number;
}

export interface GroupResult {
  value: number | null;
  status: Status;
  numerator?: number;
  denominator?: number;
}

export interface SegmentResult extends GroupResult {
  key: string;
}

export interface WindowResult extends GroupResult {
  label: string;
  start: string;
  end: string;
}

export interface KpiResult {
  id: string;
  name: string;
  description?: string;
  owner: string;
  cadence: Cadence;
  unit: string;
  tier: 'key' | 'supporting' | 'informational';
  area?: string;
  tags: string[];
  controls: string[];
  caveat?: string;
  decimals?: number;
  formula: string;
  thresholds: { green: string; amber?: string; direction: 'higher' | 'lower' | 'target' } | null;
  segmentBy?: string;
  baseline?: { value: number; period?: string; note?: string };
  definitionHash: string;
  sources: string[];
  value: number | null;
  status: Status;
  /** For a stale KPI: the status its value would have; --fail-on uses it. */
  judgement?: 'green' | 'amber' | 'red';
  /** Why the status is no-data or stale, or which band judged it. */
  reason: string;
  aggregates: AggregateResult[];
  numerator?: number;
  denominator?: number;
  /** Rows rejected at intake in the sources this KPI reads. */
  rejectedRows: number;
  segments: SegmentResult[];
  windows: WindowResult[];
  /**
   * Compared with the previous cadence window: the previous window inside the period, or for a KPI whose
   * cadence is the whole period, the previous period (events sources only).
   */
  trend: 'up' | 'down' | 'flat' | null;
  /** The value over the previous period, when the trend was judged against it. */
  previous?: { period: string; value: number };
  /**
   * The change since the KPI's baseline: from the catalogue's `baseline`, or from a saved report given
   * with --baseline (when the KPI's definition is unchanged there).
   */
  sinceBaseline?: { from: 'catalogue' | 'report'; value: number; period?: string; change: number };
  /** Values of earlier periods from saved reports (report --history), oldest first; same definition only. */
  history?: { period: string; value: number | null }[];
}

export interface SourceManifest {
  name: string;
  file: string;
  format: 'csv' | 'json' | 'jsonl';
  kind: 'events' | 'snapshot';
  bytes: number;
  sha256: string;
  rowsRead: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  warnings: number;
  timeField?: string;
  minTime: string | null;
  maxTime: string | null;
  /** Rows of the source that fall in the reporting period (snapshots: all). */
  rowsInPeriod: number;
  asOf?: string;
  /** Set when an optional source's file could not be read: its KPIs are no-data. */
  missing?: string;
}

export interface Report {
  schemaVersion: number;
  tool: { name: string; version: string };
  organisation: string;
  catalogue: { path: string; sha256: string };
  period: { label: string; start: string; end: string; timezone: string };
  asOf: string;
  generatedAt?: string;
  summary: Record<Status, number> & { total: number };
  sources: SourceManifest[];
  kpis: KpiResult[];
}
