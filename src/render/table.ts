/**
 * The terminal report: a table of KPIs, a summary line and an evidence footer per source. Catalogue and
 * report texts are made inert (safeText) before any colour is put around them, so with colours on the
 * only escape sequences in the output are the colour codes this renderer writes.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Report, Status } from '../report/model.js';
import { safeText } from '../text.js';
import {
  byUrgency,
  formatCount,
  formatGenerated,
  formatTarget,
  formatValue,
  formatValueWithInterval,
  incompleteNote,
  PERSISTENT_MARK,
  partialTrendNote,
  persistentText,
  plural,
  STATUS_LABEL,
  sourceAsOf,
  statusText,
  summaryLine,
  type TrendWord,
  trendLegend,
  trendText,
  trendWord,
} from './format.js';
import { fitTable, KEEP, keep, wrapText } from './layout.js';
import { objectiveLines, programmeNotes } from './programme.js';

export interface TableOptions {
  color: boolean;
  /** Characters per line (the terminal's columns, or --width); default DEFAULT_WIDTH. */
  width?: number | undefined;
  /** --intervals: each value with its confidence interval. */
  intervals?: boolean | undefined;
}

/** Width of a table that is not shown on a terminal (a pipe, a .txt file) unless --width says otherwise. */
export const DEFAULT_WIDTH = 120;
/** Under this width the compact layout is used (no box, no Owner column). */
export const COMPACT_BELOW = 100;

/**
 * The KPI table's columns. Decisions (issue 18): ids, values, targets, statuses and trends are never
 * wrapped or split; the KPI name and the owner wrap at spaces. Under COMPACT_BELOW columns the table has
 * no box and no Owner column (the owner is in every other format and in `list`); when it still does not
 * fit, Target goes next, then Trend. The name and the status always stay.
 */
const COLUMNS = (compact: boolean) => [
  { head: 'ID' },
  { head: 'KPI', wrap: true, min: 12, share: 2 },
  ...(compact ? [] : [{ head: 'Owner', wrap: true, min: 10, share: 1, drop: 1 }]),
  { head: 'Value' },
  { head: 'Target', drop: 2 },
  { head: 'Status' },
  { head: 'Trend', drop: 3 },
];

/**
 * Programme notes and objectives are prose from src/render/programme.ts; their figures stay whole when
 * wrapped, as values and targets in the table do: a comparison with its number (`>= 95`) and a number
 * with its unit (`95 %`, `72 h`, `14 days`) are joined by KEEP.
 */
function keepFigures(text: string): string {
  return text
    .replace(/(<=|>=|==|!=|<|>) (?=-?\d)/g, `$1${KEEP}`)
    .replace(/(\d) (%|h|days|pp|min)(?=[\s,;:)]|$)/g, `$1${KEEP}$2`);
}

export function renderTable(report: Report, options: TableOptions): string {
  const width = Math.max(1, Math.floor(options.width ?? DEFAULT_WIDTH));
  const compact = width < COMPACT_BELOW;
  const c: ChalkInstance = new Chalk({ level: options.color ? 1 : 0 });
  const paint: Record<Status, (s: string) => string> = {
    green: c.green,
    amber: c.yellow,
    red: c.red.bold,
    'no-data': c.gray,
    stale: c.magenta,
    info: c.cyan,
  };
  const trendPaint: Record<TrendWord, (s: string) => string> = {
    improved: c.green,
    worsened: c.red,
    unchanged: (s) => s,
    changed: (s) => s,
  };
  const t = (text: string) => safeText(text);
  // Each line of prose wrapped to the width; `style` is applied per word, so a colour never runs into
  // the indent of a continuation line.
  const lines: string[] = [];
  const say = (text: string, style?: (s: string) => string, indent = 4) => {
    for (const line of wrapText(t(text), width, indent))
      lines.push(style ? line.replace(/[^ ]+/g, (word) => style(word)) : line);
  };
  say(`${report.organisation} — ISMS KPI report ${report.period.label}`, c.bold, 2);
  say(
    `${report.period.timezone}, as of ${report.asOf}${report.generatedAt ? `, generated ${formatGenerated(report.generatedAt, report.period.timezone)}` : ''}`,
    undefined,
    2,
  );
  const incomplete = incompleteNote(report);
  if (incomplete) say(`${incomplete}.`, c.magenta.bold);
  const rows = byUrgency(report.kpis).map((kpi) => {
    const word = trendWord(kpi);
    const trend = trendText(kpi);
    return [
      kpi.id,
      kpi.name,
      ...(compact ? [] : [kpi.owner]),
      (options.intervals ? formatValueWithInterval(kpi) : formatValue(kpi, kpi.value)) +
        (kpi.caveat ? ' *' : ''),
      formatTarget(kpi),
      {
        text: `${statusText(kpi.status)}${kpi.persistent ? ` ${PERSISTENT_MARK}` : ''}`,
        style: paint[kpi.status],
      },
      word ? { text: trend, style: trendPaint[word] } : trend,
    ];
  });
  const table = fitTable(rows, {
    columns: COLUMNS(compact),
    width,
    frame: compact ? 'none' : 'box',
    ...(options.color ? { headStyle: c.bold, borderStyle: c.gray } : {}),
  });
  lines.push(table.text);
  say(summaryLine(report.summary).replace(/(\d) /g, `$1${KEEP}`), c.bold);
  const legend = table.shown.includes('Trend') ? trendLegend(report) : undefined;
  if (legend) say(legend, c.gray, 2);
  for (const kpi of report.kpis) {
    if (kpi.status === 'no-data' || kpi.status === 'stale')
      say(`  ${kpi.id} ${STATUS_LABEL[kpi.status]}: ${kpi.reason}`);
    const partial = partialTrendNote(kpi);
    if (partial) say(`  ${kpi.id} trend ${partial}`);
    if (kpi.caveat) say(`  * ${kpi.id}: ${kpi.caveat}`);
    const persistent = persistentText(kpi);
    if (persistent) say(`  ${kpi.id} ${persistent}`);
    for (const note of programmeNotes(kpi)) say(`  ${kpi.id} ${keepFigures(note)}`);
  }
  for (const kpi of report.kpis) {
    const base = kpi.sinceBaseline;
    if (!base) continue;
    const unit = kpi.unit === '%' ? { ...kpi, unit: 'pp' } : kpi;
    const sign = base.change > 0 ? '+' : base.change < 0 ? '-' : '±';
    const since = `${keep(formatValue(kpi, base.value))}${base.period ? ` in ${base.period}` : ''}`;
    say(
      `  ${kpi.id}: ${keep(`${sign}${formatValue(unit, Math.abs(base.change))}`)} since the baseline (${since})`,
    );
  }
  const objectives = objectiveLines(report);
  if (objectives.length > 0) {
    lines.push('', c.bold('Objectives'));
    // An objective at 2, its KPIs at 4; continuation lines 2 further in.
    for (const line of objectives) say(keepFigures(line), undefined, line.startsWith('    ') ? 6 : 4);
  }
  lines.push('');
  lines.push(c.bold('Evidence'));
  for (const s of report.sources) {
    // Compact: the source name on its own, then the facts; wide: names padded into a column.
    const name = compact ? `  ${s.name}` : `  ${s.name.padEnd(20)}`;
    if (s.missing) {
      say(`${name} missing: ${s.missing}`);
      continue;
    }
    const rejected = `${formatCount(s.rejected)} rejected`;
    const facts = [
      plural(s.rowsRead, 'row'),
      `${formatCount(s.accepted)} accepted`,
      rejected,
      ...(s.duplicates > 0 ? [`${plural(s.duplicates, 'duplicate')} dropped`] : []),
      ...(s.warnings > 0 ? [plural(s.warnings, 'warning')] : []),
      `${formatCount(s.rowsInPeriod)} in period`,
    ].map(keep);
    const asOf = sourceAsOf(s);
    const text = `${name} ${s.file}: ${facts.slice(0, -1).join(', ')}; ${facts.at(-1)}${asOf ? `; ${asOf}` : ''}`;
    for (const line of wrapText(t(text), width, 4))
      lines.push(s.rejected > 0 ? line.replace(rejected, c.red(rejected)) : line);
  }
  return `${lines.join('\n')}\n`;
}
