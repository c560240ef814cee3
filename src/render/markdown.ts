/**
 * GitHub-flavoured Markdown for a CI job summary or a wiki page: a summary line, the verdict of the run at
 * the --fail-on level, one table per area (the area with the worst status first, red KPIs first within
 * it), notes, and the evidence in a fold. The verdict asks `failsRun`, as the exit code does.
 */
import { type FailOn, failsRun } from '../engine/status.js';
import type { KpiResult, Report, Status } from '../report/model.js';
import { safeText } from '../text.js';
import {
  byAreaUrgency,
  documentControlRows,
  formatCount,
  formatTarget,
  formatValue,
  formatValueWithInterval,
  generatedText,
  incompleteNote,
  PERSISTENT_MARK,
  partialTrendNote,
  persistentText,
  plural,
  reportTitle,
  STATUS_LABEL,
  sourceAsOf,
  trendLegend,
  trendText,
} from './format.js';
import { objectiveHead, objectiveKpiText, objectiveUnit, programmeNotes } from './programme.js';

const STATUS_EMOJI: Record<Status, string> = {
  red: '🔴',
  amber: '🟠',
  green: '🟢',
  'no-data': '⚪',
  stale: '⌛',
  info: '🔵',
};

const SUMMARY_ORDER: Status[] = ['red', 'amber', 'green', 'stale', 'no-data', 'info'];

/**
 * Text safe in a table cell or list item: no raw HTML (`<` and `&` become entities; a lone `>` cannot open
 * a tag and never starts a line here), no Markdown markup, no line breaks, and no control character or
 * bidi override (shown as its escape, `\u001b`, by safeText: a Markdown file is also read with `cat`).
 */
export function escapeMarkdown(text: string): string {
  return safeText(text.replace(/[\r\n\t]+/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/[\\`*_[\]~|]/g, (c) => `\\${c}`);
}

const md = escapeMarkdown;

const PASSING: Record<FailOn, string> = {
  red: 'no KPI is red',
  amber: 'no KPI is amber or red',
  never: 'no status fails the run',
};

/** "**Run fails** (fail on red): 2 KPIs — AC-01, IR-09", or "**Run passes** (fail on red): no KPI is red". */
export function verdictLine(kpis: readonly KpiResult[], failOn: FailOn): string {
  const failing = kpis.filter((k) => failsRun(k, failOn));
  if (failing.length === 0) return `**Run passes** (fail on ${failOn}): ${PASSING[failOn]}`;
  const count = plural(failing.length, 'KPI');
  return `**Run fails** (fail on ${failOn}): ${count} — ${failing.map((k) => md(k.id)).join(', ')}`;
}

export function renderMarkdown(report: Report, failOn: FailOn = 'red', intervals = false): string {
  const lines: string[] = [];
  lines.push(`## ${md(report.organisation)} — ${md(reportTitle(report))} ${md(report.period.label)}`);
  lines.push('');
  const control = documentControlRows(report);
  if (control.length > 0) {
    lines.push(`| ${control.map(([label]) => label).join(' | ')} |`);
    lines.push(`|${control.map(() => '---').join('|')}|`);
    lines.push(`| ${control.map(([, value]) => md(value)).join(' | ')} |`);
    lines.push('');
  }
  const counts = SUMMARY_ORDER.filter(
    (s) => report.summary[s] > 0 || s === 'red' || s === 'amber' || s === 'green',
  )
    .map((s) => `${STATUS_EMOJI[s]} ${formatCount(report.summary[s])} ${STATUS_LABEL[s]}`)
    .join(' · ');
  lines.push(
    `**${plural(report.summary.total, 'KPI')}**: ${counts}  `,
    `Period ${md(report.period.label)} (${md(report.period.timezone)}), as of ${md(report.asOf)}  `,
    verdictLine(report.kpis, failOn),
  );
  const incomplete = incompleteNote(report);
  if (incomplete) lines.push('', `⚠ ${md(incomplete)}.`);
  for (const { area, kpis } of byAreaUrgency(report.kpis)) {
    lines.push('');
    lines.push(`### ${STATUS_EMOJI[kpis[0]!.status]} ${md(area)}`);
    lines.push('');
    lines.push('| Status | ID | KPI | Value | Target | Owner | Trend |');
    lines.push('|---|---|---|--:|---|---|:-:|');
    for (const kpi of kpis) lines.push(kpiRow(kpi, intervals));
  }
  const legend = trendLegend(report);
  if (legend) lines.push('', `<sub>${md(legend)}</sub>`);
  const notes = noteLines(report.kpis);
  if (notes.length > 0) {
    lines.push('');
    lines.push('### Notes');
    lines.push('');
    lines.push(...notes);
  }
  if ((report.objectives ?? []).length > 0) {
    lines.push('', '### Objectives', '');
    const byId = new Map(report.kpis.map((k) => [k.id, k]));
    for (const o of report.objectives ?? []) {
      lines.push(`- **${md(o.id)}** ${md(objectiveHead(o, objectiveUnit(o, report)))}`);
      for (const k of o.kpis) lines.push(`  - ${md(objectiveKpiText(o, k, byId.get(k.id)))}`);
    }
  }
  lines.push('');
  lines.push(`<details><summary>Evidence: ${plural(report.sources.length, 'source')}</summary>`);
  lines.push('');
  lines.push('| Source | File | Rows read | Accepted | Rejected | In period | As of | sha256 |');
  lines.push('|---|---|--:|--:|--:|--:|---|---|');
  for (const s of report.sources) {
    if (s.missing) {
      lines.push(`| ${md(s.name)} | ${md(s.file)} | missing | | | | | |`);
      continue;
    }
    const asOf = sourceAsOf(s)?.replace(/^as of /, '') ?? '';
    lines.push(
      `| ${md(s.name)} | ${md(s.file)} | ${[s.rowsRead, s.accepted, s.rejected, s.rowsInPeriod].map(formatCount).join(' | ')} | ${md(asOf)} | \`${md(s.sha256.slice(0, 12))}\` |`,
    );
  }
  lines.push('');
  lines.push('</details>');
  lines.push('');
  lines.push(
    `<sub>${md(report.tool.name)} ${md(report.tool.version)} · catalogue ${md(report.catalogue.path)} (sha256 ${md(report.catalogue.sha256.slice(0, 12))})${report.generatedAt ? ` · generated ${md(generatedText(report)!)}` : ''}</sub>`,
  );
  return `${lines.join('\n')}\n`;
}

function kpiRow(kpi: KpiResult, intervals: boolean): string {
  const cells = [
    `${STATUS_EMOJI[kpi.status]} ${STATUS_LABEL[kpi.status]}${kpi.persistent ? ` ${PERSISTENT_MARK}` : ''}`,
    md(kpi.id),
    md(kpi.name),
    md(intervals ? formatValueWithInterval(kpi) : formatValue(kpi, kpi.value)) + (kpi.caveat ? ' \\*' : ''),
    md(formatTarget(kpi)),
    md(kpi.owner),
    md(trendText(kpi)),
  ];
  return `| ${cells.join(' | ')} |`;
}

function noteLines(kpis: readonly KpiResult[]): string[] {
  const out: string[] = [];
  for (const kpi of kpis) {
    if (kpi.status === 'no-data' || kpi.status === 'stale')
      out.push(`- **${md(kpi.id)}** ${STATUS_LABEL[kpi.status]}: ${md(kpi.reason)}`);
    const partial = partialTrendNote(kpi);
    if (partial) out.push(`- **${md(kpi.id)}** trend ${md(partial)}`);
    if (kpi.caveat) out.push(`- **${md(kpi.id)}** \\* ${md(kpi.caveat)}`);
    const persistent = persistentText(kpi);
    if (persistent) out.push(`- **${md(kpi.id)}** ${md(persistent)}`);
    for (const note of programmeNotes(kpi)) out.push(`- **${md(kpi.id)}** ${md(note)}`);
  }
  return out;
}
