/** Shared text formatting for renderers: values with units, statuses with symbols, ordering. */
import type { KpiResult, Report, SourceManifest, Status } from '../report/model.js';
import { formatCount, formatGenerated, plural } from '../report/numbers.js';
import { MIN_TREND_ROWS } from '../report/verdict.js';
import type { AsOfSource } from '../sources/schema.js';
import { localDate } from '../time/zone.js';

// Numbers, units, counts and times: one formatter for every output (src/report/numbers.ts).
export {
  decimalsFor,
  formatBand,
  formatBands,
  formatCount,
  formatDateTime,
  formatGenerated,
  formatNumber,
  formatTarget,
  formatValue,
  formatValueWithInterval,
  plural,
} from '../report/numbers.js';

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

export function statusText(status: Status): string {
  return `${STATUS_SYMBOL[status]} ${STATUS_LABEL[status]}`;
}

/** The mark after the status of a persistent KPI (red or amber for escalate_after periods). */
export const PERSISTENT_MARK = '↻';

/** "persistent: red or amber for 3 consecutive periods since 2026-Q1 (escalate after 2)"; undefined if not. */
export function persistentText(kpi: Pick<KpiResult, 'persistent'>): string | undefined {
  const p = kpi.persistent;
  if (!p) return undefined;
  return `${PERSISTENT_MARK} persistent: red or amber for ${p.periods} consecutive periods since ${p.since} (escalate after ${p.escalateAfter})`;
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
    .map((s) => `${formatCount(summary[s])} ${STATUS_LABEL[s]}`);
  return `${plural(summary.total, 'KPI')}: ${parts.join(', ')}`;
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
  return formatGenerated(report.generatedAt, report.period.timezone);
}

export type TrendWord = 'improved' | 'worsened' | 'unchanged' | 'changed';

/**
 * The trend column (issue 18): the verdict against the previous period of the same length, in the words
 * `diff` uses, after an arrow for the way the value moved: `↓ improved` for a lower-is-better KPI that went
 * down. No verdict: `partial` (the exports do not cover a compared period), `few rows` (under the
 * minimum), `incomplete` (the period has not ended), else nothing. A report of an earlier version (no
 * `trendVerdict`) shows its arrow as it did.
 */
export function trendText(kpi: Pick<KpiResult, 'value' | 'trend' | 'trendNote' | 'trendVerdict'>): string {
  const v = kpi.trendVerdict;
  if (!v) {
    if (kpi.trend) return TREND_SYMBOL[kpi.trend];
    return isPartialTrend(kpi) ? 'partial' : '';
  }
  if (v.verdict === 'none') return withheldWord(v.reason ?? '');
  const isNoise = v.significance?.significant === false;
  const move =
    (v.verdict === 'unchanged' && !isNoise) ||
    !v.against ||
    kpi.value === null ||
    kpi.value === v.against.value
      ? 'flat'
      : kpi.value > v.against.value
        ? 'up'
        : 'down';
  // A change beyond the tolerance that chance explains (issue 20): the arrow shows the move, the words say it.
  return `${TREND_SYMBOL[move]} ${isNoise ? 'not significant' : v.verdict}`;
}

/** The word shown for a withheld verdict, from its reason. */
function withheldWord(reason: string): string {
  if (reason.startsWith('partial:')) return 'partial';
  if (reason.startsWith('too few rows')) return 'few rows';
  if (reason.startsWith('incomplete:')) return 'incomplete';
  return '';
}

/** The verdict word of a KPI's trend, for colouring; undefined when there is none. */
export function trendWord(kpi: Pick<KpiResult, 'trendVerdict'>): TrendWord | undefined {
  const v = kpi.trendVerdict?.verdict;
  return v === undefined || v === 'none' ? undefined : v;
}

/**
 * The legend under every KPI table whose trends are verdicts: what they compare and what the words mean;
 * undefined for a report of an earlier version (arrows only).
 */
export function trendLegend(report: Pick<Report, 'kpis'>): string | undefined {
  const verdicts = report.kpis.flatMap((k) => (k.trendVerdict ? [k.trendVerdict] : []));
  if (verdicts.length === 0) return undefined;
  const periods = [...new Set(verdicts.flatMap((v) => (v.against ? [v.against.period] : [])))];
  const against = periods.length === 1 ? `against ${periods[0]}` : 'against the previous period';
  const words = new Set(verdicts.map((v) => trendText({ value: null, trend: null, trendVerdict: v })));
  words.delete('');
  // Nothing in the trend column: nothing to explain.
  if (words.size === 0) return undefined;
  const extra = [
    words.has('few rows') ? `few rows: under ${MIN_TREND_ROWS} rows behind a value` : '',
    words.has('partial') ? 'partial: the exports do not cover both periods' : '',
    words.has('incomplete') ? 'incomplete: the period has not ended' : '',
    [...words].some((w) => w.endsWith('not significant'))
      ? `not significant: beyond the tolerance, but chance variation explains the change (level ${verdicts.find((v) => v.significance?.level !== undefined)?.significance?.level})`
      : '',
  ].filter(Boolean);
  return `Trend ${against}: improved / worsened / unchanged by the KPI's direction (the arrow shows how the value moved); changed: a KPI without a direction${extra.length > 0 ? `; ${extra.join('; ')}` : ''}.`;
}

/** A trend withheld because the data does not cover what it compares (trendNote `partial: ...`). */
export function isPartialTrend(kpi: Pick<KpiResult, 'trend' | 'trendNote'>): boolean {
  return kpi.trend === null && kpi.trendNote?.startsWith('partial:') === true;
}

/**
 * Why a KPI's trend was withheld for want of data (`partial: ...`), for the notes under a table: the
 * verdict's reason, else (a report of an earlier version) the arrow's note; undefined otherwise.
 */
export function partialTrendNote(
  kpi: Pick<KpiResult, 'trend' | 'trendNote' | 'trendVerdict'>,
): string | undefined {
  const reason = kpi.trendVerdict?.reason;
  if (reason?.startsWith('partial:')) return reason;
  if (kpi.trendVerdict === undefined && isPartialTrend(kpi)) return kpi.trendNote;
  return undefined;
}
