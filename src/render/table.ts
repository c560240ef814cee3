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
  formatTarget,
  formatValue,
  incompleteNote,
  isPartialTrend,
  STATUS_LABEL,
  sourceAsOf,
  statusText,
  summaryLine,
  trendText,
} from './format.js';
import { layoutTable } from './layout.js';

export interface TableOptions {
  color: boolean;
}

export function renderTable(report: Report, options: TableOptions): string {
  const c: ChalkInstance = new Chalk({ level: options.color ? 1 : 0 });
  const paint: Record<Status, (s: string) => string> = {
    green: c.green,
    amber: c.yellow,
    red: c.red.bold,
    'no-data': c.gray,
    stale: c.magenta,
    info: c.cyan,
  };
  const t = (text: string) => safeText(text);
  const lines: string[] = [];
  lines.push(
    c.bold(t(`${report.organisation} — ISMS KPI report ${report.period.label}`)) +
      t(`  (${report.period.timezone}, as of ${report.asOf})`),
  );
  const incomplete = incompleteNote(report);
  if (incomplete) lines.push(c.magenta.bold(t(`${incomplete}.`)));
  const rows = byUrgency(report.kpis).map((kpi) => [
    kpi.id,
    kpi.name,
    kpi.owner,
    formatValue(kpi, kpi.value) + (kpi.caveat ? ' *' : ''),
    formatTarget(kpi),
    { text: statusText(kpi.status), style: paint[kpi.status] },
    trendText(kpi),
  ]);
  lines.push(
    layoutTable(rows, {
      head: ['ID', 'KPI', 'Owner', 'Value', 'Target', 'Status', 'Trend'],
      widths: [null, 44, 22, null, null, null, null],
      ...(options.color ? { headStyle: c.bold, borderStyle: c.gray } : {}),
    }),
  );
  lines.push(c.bold(summaryLine(report.summary)));
  for (const kpi of report.kpis) {
    if (kpi.status === 'no-data' || kpi.status === 'stale')
      lines.push(t(`  ${kpi.id} ${STATUS_LABEL[kpi.status]}: ${kpi.reason}`));
    if (isPartialTrend(kpi)) lines.push(t(`  ${kpi.id} trend ${kpi.trendNote}`));
    if (kpi.caveat) lines.push(t(`  * ${kpi.id}: ${kpi.caveat}`));
  }
  for (const kpi of report.kpis) {
    const base = kpi.sinceBaseline;
    if (!base) continue;
    const unit = kpi.unit === '%' ? { ...kpi, unit: 'pp' } : kpi;
    const sign = base.change > 0 ? '+' : base.change < 0 ? '-' : '±';
    const since = `${formatValue(kpi, base.value)}${base.period ? ` in ${base.period}` : ''}`;
    lines.push(
      t(`  ${kpi.id}: ${sign}${formatValue(unit, Math.abs(base.change))} since the baseline (${since})`),
    );
  }
  lines.push('');
  lines.push(c.bold('Evidence'));
  for (const s of report.sources) {
    if (s.missing) {
      lines.push(`${t(`  ${s.name.padEnd(20)} `)}${c.gray(t(`missing: ${s.missing}`))}`);
      continue;
    }
    const rejected = s.rejected > 0 ? c.red(`${s.rejected} rejected`) : '0 rejected';
    const extra = [
      s.duplicates > 0 ? `${s.duplicates} duplicates dropped` : '',
      s.warnings > 0 ? `${s.warnings} warnings` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const asOf = sourceAsOf(s);
    lines.push(
      `${t(`  ${s.name.padEnd(20)} ${s.file}: ${s.rowsRead} rows, ${s.accepted} accepted, `)}${rejected}${t(`${extra ? `, ${extra}` : ''}; ${s.rowsInPeriod} in period${asOf ? `; ${asOf}` : ''}`)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
