/**
 * A KPI-by-period matrix from several saved reports, oldest period first. A cell whose KPI definition
 * differs from the newest report's is marked, because its value measures something else.
 */
import type { Report, Status } from '../engine/report-model.js';
import { csvDocument } from '../render/csv-writer.js';
import { formatValue, STATUS_SYMBOL } from '../render/format.js';
import { escapeMarkdown } from '../render/markdown.js';

export interface TrendCell {
  value: number | null;
  status: Status;
  /** The KPI's definitionHash differs from the one in the newest report that has the KPI. */
  isOtherDefinition: boolean;
}

export interface TrendRow {
  id: string;
  name: string;
  unit: string;
  decimals?: number;
  /** One per period; null where the report lacks the KPI. */
  cells: (TrendCell | null)[];
}

export interface Trend {
  periods: { label: string; start: string }[];
  rows: TrendRow[];
}

export function buildTrend(reports: readonly Report[]): Trend {
  const sorted = [...reports].sort((a, b) =>
    a.period.start < b.period.start ? -1 : a.period.start > b.period.start ? 1 : 0,
  );
  // KPI order: the newest report's catalogue order, then KPIs only older reports have.
  const order: string[] = [];
  for (const r of [...sorted].reverse()) for (const k of r.kpis) if (!order.includes(k.id)) order.push(k.id);
  const rows = order.map((id): TrendRow => {
    const latest = [...sorted].reverse().flatMap((r) => r.kpis.filter((k) => k.id === id))[0]!;
    return {
      id,
      name: latest.name,
      unit: latest.unit,
      ...(latest.decimals !== undefined ? { decimals: latest.decimals } : {}),
      cells: sorted.map((r) => {
        const k = r.kpis.find((x) => x.id === id);
        return k
          ? {
              value: k.value,
              status: k.status,
              isOtherDefinition: k.definitionHash !== latest.definitionHash,
            }
          : null;
      }),
    };
  });
  return { periods: sorted.map((r) => ({ label: r.period.label, start: r.period.start })), rows };
}

function cellText(row: TrendRow, cell: TrendCell | null): string {
  if (!cell) return '';
  return `${formatValue(row, cell.value)} ${STATUS_SYMBOL[cell.status]}${cell.isOtherDefinition ? ' *' : ''}`;
}

const FOOTNOTE = '* definition differs from the newest report: not comparable';

export function renderTrendTable(trend: Trend): string {
  const rows = [
    ['KPI', ...trend.periods.map((p) => p.label)],
    ...trend.rows.map((r) => [r.id, ...r.cells.map((c) => cellText(r, c))]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) =>
        i === 0 ? cell.padEnd(widths[i]!) : ' '.repeat(widths[i]! - [...cell].length) + cell,
      )
      .join('  ')
      .trimEnd(),
  );
  if (trend.rows.some((r) => r.cells.some((c) => c?.isOtherDefinition))) lines.push('', FOOTNOTE);
  return `${lines.join('\n')}\n`;
}

export function renderTrendMarkdown(trend: Trend): string {
  const lines = [
    `| KPI | ${trend.periods.map((p) => escapeMarkdown(p.label)).join(' | ')} |`,
    `|---|${trend.periods.map(() => '---:').join('|')}|`,
    ...trend.rows.map(
      (r) =>
        `| ${escapeMarkdown(r.id)} | ${r.cells.map((c) => escapeMarkdown(cellText(r, c))).join(' | ')} |`,
    ),
  ];
  if (trend.rows.some((r) => r.cells.some((c) => c?.isOtherDefinition)))
    lines.push('', escapeMarkdown(FOOTNOTE));
  return `${lines.join('\n')}\n`;
}

/** One row per KPI; per period an unrounded value column and a status column. */
export function renderTrendCsv(trend: Trend): string {
  const head = [
    'kpi_id',
    'kpi_name',
    'unit',
    ...trend.periods.flatMap((p) => [p.label, `${p.label} status`]),
  ];
  const rows = trend.rows.map((r) => [
    r.id,
    r.name,
    r.unit,
    ...r.cells.flatMap((c) => (c ? [c.value, c.status] : [null, null])),
  ]);
  return csvDocument([head, ...rows]);
}

export const TREND_RENDERERS = {
  table: renderTrendTable,
  csv: renderTrendCsv,
  markdown: renderTrendMarkdown,
} satisfies Record<string, (trend: Trend) => string>;

export type TrendFormat = keyof typeof TREND_RENDERERS;
export const TREND_FORMATS = Object.keys(TREND_RENDERERS) as TrendFormat[];
