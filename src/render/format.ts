/** Shared text formatting for renderers: values with units, statuses with symbols, ordering. */
import type { KpiResult, Report, SourceManifest, Status } from '../report/model.js';
import type { AsOfSource } from '../sources/schema.js';
import { localDate, utcToLocal, zoneOffsetMs } from '../time/zone.js';
import { roundHalfAway } from '../util/round.js';

export const STATUS_SYMBOL: Record<Status, string> = {
  green: '✔',
  amber: '▲',
  red: '✖',
  'no-data': '∅',
  stale: '⌛',
  info: 'ℹ',
};

export const STATUS_LABEL: Record<Status, string> = {
  green: 'green',
  amber: 'amber',
  red: 'red',
  'no-data': 'no data',
  stale: 'stale',
  info: 'info',
};

export const TREND_SYMBOL: Record<'up' | 'down' | 'flat', string> = { up: '↑', down: '↓', flat: '→' };

/** Decimals a renderer shows: the KPI's own, else none for counts and one for everything else. */
export function decimalsFor(kpi: Pick<KpiResult, 'unit' | 'decimals'>, value: number): number {
  if (kpi.decimals !== undefined) return kpi.decimals;
  if (
    /^(count|incidents|changes|accounts|findings|alerts|tests|#)$/i.test(kpi.unit) &&
    Number.isInteger(value)
  )
    return 0;
  return Number.isInteger(value) ? 0 : 1;
}

/** `value` rounded half away from zero to `decimals` places, as written in decimal (1.005 -> "1.01"). */
export function formatNumber(value: number, decimals: number): string {
  const rounded = roundHalfAway(value, decimals);
  // toFixed writes numbers of 1e21 and more in exponent form ("1.7e+308"), never "Infinity"
  return (Object.is(rounded, -0) ? 0 : rounded).toFixed(decimals);
}

/**
 * An instant as a reader checks it against the export: local date and time in `tz` to the second (to the
 * millisecond when it has any), with the UTC offset, e.g. `2026-09-30 23:59:59 +02:00`. Seconds matter:
 * 23:59:58 and 23:59:59 can fall on either side of "older than 90 days".
 */
export function formatDateTime(utcMs: number, tz: string): string {
  const p = utcToLocal(tz, utcMs);
  const two = (n: number) => String(n).padStart(2, '0');
  const ms = p.ms === 0 ? '' : `.${String(p.ms).padStart(3, '0')}`;
  const offset = zoneOffsetMs(tz, utcMs) / 60_000;
  const sign = offset < 0 ? '-' : '+';
  const hhmm = `${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
  return `${localDate(tz, utcMs)} ${two(p.hour)}:${two(p.minute)}:${two(p.second)}${ms} ${sign}${hhmm}`;
}

export function formatValue(kpi: Pick<KpiResult, 'unit' | 'decimals'>, value: number | null): string {
  if (value === null) return '–';
  const text = formatNumber(value, decimalsFor(kpi, value));
  return kpi.unit === '%' ? `${text} %` : /^(count|#)$/i.test(kpi.unit) ? text : `${text} ${kpi.unit}`;
}

export function formatTarget(kpi: Pick<KpiResult, 'thresholds' | 'unit'>): string {
  if (!kpi.thresholds) return '–';
  const unit = kpi.unit === '%' ? ' %' : '';
  return `${kpi.thresholds.green}${unit}`.replace(/\s+/g, ' ');
}

export function statusText(status: Status): string {
  return `${STATUS_SYMBOL[status]} ${STATUS_LABEL[status]}`;
}

/**
 * How urgent a KPI is, lowest first: red, stale judged red, amber, stale judged amber, other stale, no
 * data, green, info. A stale KPI sorts by its judgement (the status its value would have) but after
 * the KPIs of that status with current data, and never among the greens: its data is not current.
 */
export function urgencyRank(kpi: Pick<KpiResult, 'status' | 'judgement'>): number {
  if (kpi.status === 'stale' && kpi.judgement === 'red') return 1;
  if (kpi.status === 'stale' && kpi.judgement === 'amber') return 3;
  return { red: 0, amber: 2, stale: 4, 'no-data': 5, green: 6, info: 7 }[kpi.status];
}

/** By urgency (urgencyRank), catalogue order within a rank. */
export function byUrgency(kpis: readonly KpiResult[]): KpiResult[] {
  const order = new Map(kpis.map((k, i) => [k.id, i]));
  return [...kpis].sort((a, b) => urgencyRank(a) - urgencyRank(b) || order.get(a.id)! - order.get(b.id)!);
}

export function summaryLine(summary: Record<Status, number> & { total: number }): string {
  const parts = (['green', 'amber', 'red', 'stale', 'no-data', 'info'] as Status[])
    .filter((s) => summary[s] > 0 || s === 'green' || s === 'amber' || s === 'red')
    .map((s) => `${summary[s]} ${STATUS_LABEL[s]}`);
  return `${summary.total} KPI${summary.total === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

export const NO_AREA = 'Other';

/**
 * KPIs grouped by area, most urgent first: areas by their worst status (then by how many KPIs share it,
 * then catalogue order), KPIs within an area by urgency. KPIs without an area go to "Other".
 */
export function byAreaUrgency(kpis: readonly KpiResult[]): { area: string; kpis: KpiResult[] }[] {
  const groups = new Map<string, KpiResult[]>();
  for (const kpi of byUrgency(kpis)) {
    const area = kpi.area ?? NO_AREA;
    groups.set(area, [...(groups.get(area) ?? []), kpi]);
  }
  const firstSeen = new Map<string, number>();
  kpis.forEach((k, i) => {
    if (!firstSeen.has(k.area ?? NO_AREA)) firstSeen.set(k.area ?? NO_AREA, i);
  });
  const worst = (list: KpiResult[]) => urgencyRank(list[0]!);
  const countOfWorst = (list: KpiResult[]) => list.filter((k) => urgencyRank(k) === worst(list)).length;
  return [...groups]
    .sort(
      ([a, x], [b, y]) =>
        worst(x) - worst(y) || countOfWorst(y) - countOfWorst(x) || firstSeen.get(a)! - firstSeen.get(b)!,
    )
    .map(([area, list]) => ({ area, kpis: list }));
}

/** KPIs grouped by area in catalogue order (areas by first appearance), for formats read by machines. */
export function byAreaCatalogue(kpis: readonly KpiResult[]): { area: string; kpis: KpiResult[] }[] {
  const groups = new Map<string, KpiResult[]>();
  for (const kpi of kpis) {
    const area = kpi.area ?? NO_AREA;
    groups.set(area, [...(groups.get(area) ?? []), kpi]);
  }
  return [...groups].map(([area, list]) => ({ area, kpis: list }));
}

/** The green band, with the amber band when there is one: ">= 95 % (amber >= 85 %)". */
export function formatBands(kpi: Pick<KpiResult, 'thresholds' | 'unit'>): string {
  if (!kpi.thresholds) return '–';
  const unit = kpi.unit === '%' ? ' %' : '';
  const amber = kpi.thresholds.amber ? ` (amber ${kpi.thresholds.amber}${unit})` : '';
  return `${kpi.thresholds.green}${unit}${amber}`.replace(/\s+/g, ' ');
}

/** How a snapshot's as-of was determined, in words (docs/catalogue.md, "As of"). */
export const AS_OF_HOW: Record<AsOfSource, string> = {
  field: 'from its as_of_field',
  catalogue: 'from the catalogue',
  'command-line': 'from --as-of',
  path: 'from the period in the path',
  'file-name': 'from the file name',
  'file-modified': "from the file's modification time",
  unknown: 'nothing says when it was taken: its KPIs are stale',
};

/** "as of 2026-09-30 (from the period in the path)" for a snapshot; undefined for other sources. */
export function sourceAsOf(source: SourceManifest): string | undefined {
  if (source.asOfSource === undefined) return source.asOf === undefined ? undefined : `as of ${source.asOf}`;
  if (source.asOfSource === 'unknown') return `as of unknown (${AS_OF_HOW.unknown})`;
  return `as of ${source.asOf ?? '?'} (${AS_OF_HOW[source.asOfSource]})`;
}

/**
 * The note every format shows for a period that had not ended when the report was computed; undefined for
 * a complete period (or a report of an earlier version, which did not say).
 */
export function incompleteNote(report: Pick<Report, 'period'>): string | undefined {
  const { period } = report;
  if (period.complete !== false) return undefined;
  const lastDay = localDate(period.timezone, Date.parse(period.end) - 1);
  return `Incomplete period: ${period.label} runs to ${lastDay} and was computed on ${period.computedOn ?? '?'}; values cover only part of it and no trend is judged`;
}

/** The report's title without the period: the catalogue's `document.title`, else "ISMS KPI report". */
export function reportTitle(report: Pick<Report, 'document'>): string {
  return report.document?.title ?? 'ISMS KPI report';
}

/** The document control block as label/value rows, in a fixed order, only the entries the catalogue gives. */
export function documentControlRows(report: Pick<Report, 'document'>): [string, string][] {
  const d = report.document;
  if (!d) return [];
  const rows: [string, string | undefined][] = [
    ['Classification', d.classification],
    ['Version', d.version],
    ['Owner', d.owner],
    ['Approver', d.approver],
    ['Distribution', d.distribution?.join(', ')],
    ['Next review', d.nextReview],
  ];
  return rows.filter((r): r is [string, string] => r[1] !== undefined);
}

/** The --timestamp time in the report's time zone, to the second: `2026-12-05 07:33:30 +01:00`. */
export function generatedText(report: Pick<Report, 'generatedAt' | 'period'>): string | undefined {
  if (report.generatedAt === undefined) return undefined;
  const ms = Date.parse(report.generatedAt);
  if (!Number.isFinite(ms)) return report.generatedAt;
  return formatDateTime(Math.floor(ms / 1000) * 1000, report.period.timezone);
}

/** The trend column: an arrow, `partial` when a compared window or period is not covered by the data, or nothing. */
export function trendText(kpi: Pick<KpiResult, 'trend' | 'trendNote'>): string {
  if (kpi.trend) return TREND_SYMBOL[kpi.trend];
  return isPartialTrend(kpi) ? 'partial' : '';
}

/** A trend withheld because the data does not cover what it compares (trendNote `partial: ...`). */
export function isPartialTrend(kpi: Pick<KpiResult, 'trend' | 'trendNote'>): boolean {
  return kpi.trend === null && kpi.trendNote?.startsWith('partial:') === true;
}
