/**
 * The management-review report as one self-contained HTML file: no scripts, no fonts, no network (a
 * Content-Security-Policy forbids them), every value escaped by the `html` tag. Tiles are ordered red first.
 */
import type { KpiResult, Report, SourceManifest, Status } from '../report/model.js';
import {
  byUrgency,
  formatBands,
  formatValue,
  incompleteNote,
  STATUS_LABEL,
  STATUS_SYMBOL,
  sourceAsOf,
  TREND_SYMBOL,
} from './format.js';
import type { History } from './history.js';
import { HTML_STYLE } from './html-style.js';
import { html, raw, type SafeHtml } from './html-template.js';
import { exceptionText, objectiveFacts, objectiveKpiText, objectiveProgress } from './programme.js';
import { sparkline, type TrendPoint } from './sparkline.js';

export interface HtmlOptions {
  /** Values of earlier periods by KPI id; without it the sparkline shows the cadence windows. */
  history?: History;
}

const COUNT_ORDER: Status[] = ['red', 'amber', 'green', 'stale', 'no-data', 'info'];
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  const title = `${report.organisation} — ISMS KPI report ${report.period.label}`;
  const counts = COUNT_ORDER.filter(
    (s) => report.summary[s] > 0 || s === 'red' || s === 'amber' || s === 'green',
  );
  const incomplete = incompleteNote(report);
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${report.tool.name} ${report.tool.version}">
<title>${title}</title>
<style>${raw(HTML_STYLE)}</style>
</head>
<body>
<header>
<h1>ISMS KPI report ${report.period.label}</h1>
<p class="org">${report.organisation}</p>
<p class="meta">Period ${report.period.label} (${report.period.timezone}) · as of ${report.asOf} · ${report.summary.total} KPIs${report.generatedAt ? ` · generated ${report.generatedAt}` : ''}</p>
${incomplete ? html`<p class="incomplete">⚠ ${incomplete}.</p>\n` : ''}<ul class="counts" aria-label="KPIs per status">
${counts.map((s) => html`<li class="count ${s}" data-status="${s}"><span class="n">${report.summary[s]}</span> ${STATUS_LABEL[s]}</li>\n`)}</ul>
</header>
<main>
<section class="tiles" aria-label="KPIs">
${byUrgency(report.kpis).map((kpi) => tile(kpi, report.period.label, options.history?.get(kpi.id), incomplete !== undefined))}</section>
${objectivesSection(report)}<section class="evidence">
<h2>Evidence</h2>
<table>
<thead><tr><th>Source</th><th>File</th><th class="num">Rows read</th><th class="num">Accepted</th><th class="num">Rejected</th><th class="num">In period</th><th>As of</th><th>sha256</th></tr></thead>
<tbody>
${report.sources.map(sourceRow)}</tbody>
</table>
</section>
</main>
<footer>${report.tool.name} ${report.tool.version} · catalogue ${report.catalogue.path} · sha256 <span class="hash">${report.catalogue.sha256}</span></footer>
</body>
</html>
`;
  return page.text;
}

function tile(
  kpi: KpiResult,
  period: string,
  history: readonly TrendPoint[] | undefined,
  isIncomplete: boolean,
): SafeHtml {
  const points = history ?? enginePoints(kpi, period);
  const spark = sparkline(kpi, points);
  // No arrow where the engine withheld the verdict (a partial window or period, or a period not ended).
  const isWithheld = isIncomplete || (history === undefined && kpi.trendNote !== undefined);
  const trend = isWithheld ? (kpi.trendNote ?? '') : trendText(kpi, points, history === undefined);
  const isNote = kpi.status === 'no-data' || kpi.status === 'stale';
  const facts: [string, string][] = [
    ['Target', formatBands(kpi)],
    ['Owner', kpi.owner],
  ];
  if (kpi.numerator !== undefined && kpi.denominator !== undefined)
    facts.push(['Counts', `${kpi.numerator} of ${kpi.denominator}`]);
  if (kpi.controls.length > 0) facts.push(['Controls', kpi.controls.join(', ')]);
  for (const e of kpi.exceptions ?? []) facts.push(['Exception', exceptionText(e)]);
  const base = kpi.sinceBaseline ?? (kpi.baseline ? { ...kpi.baseline, change: undefined } : undefined);
  if (base)
    facts.push([
      'Baseline',
      `${formatValue(kpi, base.value)}${base.period ? ` (${base.period})` : ''}${base.change !== undefined ? `, change ${signed(kpi, base.change)}` : ''}`,
    ]);
  return html`<article class="tile ${kpi.status}" id="kpi-${kpi.id}" data-status="${kpi.status}">
<div class="tile-top"><span class="badge">${STATUS_SYMBOL[kpi.status]} ${STATUS_LABEL[kpi.status]}</span><span>${kpi.id}${kpi.area ? ` · ${kpi.area}` : ''}</span></div>
<h2>${kpi.name}</h2>
<div class="value">${formatValue(kpi, kpi.value)}</div>
<dl>
${facts.map(([term, value]) => html`<dt>${term}</dt><dd>${value}</dd>\n`)}</dl>
${spark || trend ? html`<div class="trend">${spark ?? ''}${trend ? html`<span>${trend}</span>` : ''}</div>\n` : ''}${html`<p class="reason">${isNote ? `${STATUS_LABEL[kpi.status]}: ` : ''}${kpi.reason}</p>\n`}${kpi.caveat ? html`<p class="caveat">⚠ ${kpi.caveat}</p>\n` : ''}${kpi.segments.length > 0 ? segments(kpi) : ''}</article>
`;
}

/** The cadence windows of the period, else the previous period and this one, as the engine compared them. */
function enginePoints(kpi: KpiResult, period: string): TrendPoint[] {
  if (kpi.windows.length >= 2) return kpi.windows.map((w) => ({ label: w.label, value: w.value }));
  if (kpi.previous)
    return [
      { label: kpi.previous.period, value: kpi.previous.value },
      { label: period, value: kpi.value },
    ];
  return [];
}

/** "↓ 75 % in 2026-09 (80 % in 2026-08)": the last two known points, readable on paper too. */
function trendText(kpi: KpiResult, points: readonly TrendPoint[], isEngineTrend: boolean): string {
  const known = points.filter((p) => p.value !== null);
  const last = known[known.length - 1];
  const previous = known[known.length - 2];
  if (!last || !previous) return '';
  // Over the engine's own points its trend (which treats a change under 0.5 % as flat) is the one to show.
  const arrow =
    isEngineTrend && kpi.trend
      ? TREND_SYMBOL[kpi.trend]
      : last.value! > previous.value!
        ? TREND_SYMBOL.up
        : last.value! < previous.value!
          ? TREND_SYMBOL.down
          : TREND_SYMBOL.flat;
  return `${arrow} ${formatValue(kpi, last.value)} in ${last.label} (${formatValue(kpi, previous.value)} in ${previous.label})`;
}

function segments(kpi: KpiResult): SafeHtml {
  return html`<details><summary>By ${kpi.segmentBy ?? 'segment'} (${kpi.segments.length})</summary>
<table>
${kpi.segments.map((s) => html`<tr class="${s.status}"><td>${s.key}${s.thresholds ? ` (target ${s.thresholds.green})` : ''}</td><td class="num">${formatValue(kpi, s.value)}</td><td class="badge">${STATUS_SYMBOL[s.status]} ${STATUS_LABEL[s.status]}</td></tr>\n`)}</table>
</details>
`;
}

/** The objectives (clause 6.2) with their KPIs, in the words of the other reports; none: nothing. */
function objectivesSection(report: Report): SafeHtml | string {
  const objectives = report.objectives ?? [];
  if (objectives.length === 0) return '';
  const byId = new Map(report.kpis.map((k) => [k.id, k]));
  return html`<section class="objectives">
<h2>Objectives</h2>
${objectives.map(
  (o) => html`<h3>${o.id} ${o.statement}</h3>
<p>${objectiveFacts(o)} — ${objectiveProgress(o)}</p>
<ul>
${o.kpis.map(
  (k) => html`<li>${objectiveKpiText(o, k, byId.get(k.id))}</li>
`,
)}</ul>
`,
)}</section>
`;
}

function sourceRow(s: SourceManifest): SafeHtml {
  if (s.missing)
    return html`<tr><td>${s.name}</td><td>${s.file}</td><td colspan="6">missing: ${s.missing}</td></tr>\n`;
  const asOf = sourceAsOf(s)?.replace(/^as of /, '') ?? '';
  return html`<tr><td>${s.name}</td><td>${s.file}</td><td class="num">${s.rowsRead}</td><td class="num">${s.accepted}</td><td class="num">${s.rejected}</td><td class="num">${s.rowsInPeriod}</td><td>${asOf}</td><td class="hash" title="${s.sha256}">${s.sha256.slice(0, 16)}</td></tr>\n`;
}

/** A change with its sign, in the KPI's unit (percentage points for % KPIs). */
function signed(kpi: KpiResult, change: number): string {
  const text = formatValue(kpi.unit === '%' ? { ...kpi, unit: 'pp' } : kpi, Math.abs(change));
  return `${change > 0 ? '+' : change < 0 ? '−' : '±'}${text}`;
}
