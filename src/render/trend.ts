/**
 * The KPI-by-period matrix of `isms-kpi trend` (src/diff/trend.ts) as a table, Markdown or CSV. KPI ids,
 * units and period labels come from saved reports: made inert in each format (safeText, escapeMarkdown,
 * csvCell).
 */
import type { Trend, TrendCell, TrendRow } from '../diff/trend.js';
import { safeText } from '../text.js';
import { csvDocument } from '../util/csv-writer.js';
import { formatValue, STATUS_SYMBOL } from './format.js';
import { escapeMarkdown } from './markdown.js';

function cellText(row: TrendRow, cell: TrendCell | null): string {
  if (!cell) return '';
  return `${formatValue(row, cell.value)} ${STATUS_SYMBOL[cell.status]}${cell.isOtherDefinition ? ' *' : ''}`;
}

const FOOTNOTE = '* definition differs from the newest report: not comparable';

export function renderTrendTable(trend: Trend): string {
  const rows = [
    ['KPI', ...trend.periods.map((p) => p.label)],
    ...trend.rows.map((r) => [r.id, ...r.cells.map((c) => cellText(r, c))]),
  ].map((row) => row.map((cell) => safeText(cell)));
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
