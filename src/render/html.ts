/**
 * The management-review report as one self-contained HTML file: no scripts, no fonts, no network (a
 * Content-Security-Policy forbids them), every value escaped by the `html` tag.
 *
 * Decisions (issue 18, docs/management-review.md):
 * - Page 1 is the summary a board reads: organisation, period, as-of, document control, the counts per
 *   status and every KPI in a compact matrix grouped by area (html-summary.ts). A catalogue of more than
 *   SUMMARY_LIMIT KPIs shows the KPIs that need attention there, and the rest of the matrix follows.
 * - The detailed tiles start on a new printed page, most urgent first (a stale KPI by its judgement),
 *   never split across pages; segments are always expanded (a folded `<details>` prints as a bare label).
 * - Printed, every page has a running header (organisation, title, period, classification) and footer
 *   ("page X of Y") from CSS page-margin boxes (html-style.ts, Chromium 131 or newer).
 * - Hashes are shortened in tables (the full value is in the JSON report and the evidence pack's
 *   manifest.json) and written whole, with break opportunities every 16 digits, in the footer.
 */
import type { KpiResult, Report, SourceManifest } from '../report/model.js';
import {
  byUrgency,
  formatBand,
  formatBands,
  formatCount,
  trendText as formatTrend,
  formatValue,
  formatValueWithInterval,
  generatedText,
  incompleteNote,
  persistentText,
  reportTitle,
  STATUS_LABEL,
  sourceAsOf,
  TREND_SYMBOL,
  trendLegend,
} from './format.js';
import type { History } from './history.js';
import { HTML_STYLE, pageStyle } from './html-style.js';
import { HTML_SYMBOL, statusChip, summaryPage, unitsKeptWithNumbers } from './html-summary.js';
import { html, raw, type SafeHtml } from './html-template.js';
import {
  exceptionText,
  manualText,
  objectiveFacts,
  objectiveKpiText,
  objectiveProgress,
  objectiveUnit,
} from './programme.js';
import { sparkline, type TrendPoint } from './sparkline.js';

export interface HtmlOptions {
  /** Values of earlier periods by KPI id; without it the sparkline shows the cadence windows. */
  history?: History;
  /** --intervals: each value with its confidence interval. */
  intervals?: boolean;
}

/** The Content-Security-Policy of every HTML file (htmlHead: the report, the review document). */
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** The <head> of every HTML file isms-kpi writes (the report, the review document): CSP, title, styles. */
export function htmlHead(report: Report, title: string): SafeHtml {
  return html`<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${report.tool.name} ${report.tool.version}">
<title>${title}</title>
<style>${raw(HTML_STYLE)}</style>
<style>${raw(pageStyle(report))}</style>
</head>`;
}

export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  const title = `${report.organisation} — ${reportTitle(report)} ${report.period.label}`;
  const incomplete = incompleteNote(report);
  const generated = generatedText(report);
  const legend = trendLegend(report);
  const page = html`<!DOCTYPE html>
<html lang="en">
${htmlHead(report, title)}
<body>
<main>
${summaryPage(report)}${legend ? html`<p class="meta legend">${legend}</p>\n` : ''}<section class="details" aria-labelledby="details-heading">
<h2 id="details-heading">KPI details</h2>
<div class="tiles">
${byUrgency(report.kpis).map((kpi) => tile(kpi, report.period.label, options.history?.get(kpi.id), incomplete !== undefined, options.intervals === true))}</div>
</section>
${objectivesSection(report)}<section class="evidence" aria-labelledby="evidence-heading">
<h2 id="evidence-heading">Evidence</h2>
<table>
<thead><tr><th>Source</th><th>File</th><th class="num">Rows read</th><th class="num">Accepted</th><th class="num">Rejected</th><th class="num">In period</th><th>As of</th><th>sha256</th></tr></thead>
<tbody>
${report.sources.map(sourceRow)}</tbody>
</table>
<p class="note">sha256: the first 16 of 64 hex digits; every file's full sha256 is in the JSON report and in the evidence pack's manifest.json.</p>
</section>
</main>
<footer>${report.tool.name} ${report.tool.version} · catalogue ${report.catalogue.path} · sha256 <span class="hash">${wrappedHash(report.catalogue.sha256)}</span>${generated ? ` · generated ${generated}` : ''}</footer>
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
  intervals = false,
): SafeHtml {
  const points = history ?? enginePoints(kpi, period);
  const spark = sparkline(kpi, points);
  // No arrow where the engine withheld the verdict (a partial window or period, or a period not ended).
  const isWithheld = isIncomplete || (history === undefined && kpi.trendNote !== undefined);
  // The verdict against the previous period; without one, the last two points (facts, not a verdict).
  const verdict = kpi.trendVerdict ? verdictText(kpi) : '';
  const trend =
    verdict || (isWithheld ? (kpi.trendNote ?? '') : trendText(kpi, points, history === undefined));
  const isNote = kpi.status === 'no-data' || kpi.status === 'stale';
  const facts: [string, string][] = [
    ['Target', unitsKeptWithNumbers(kpi, formatBands(kpi))],
    ['Owner', kpi.owner],
  ];
  if (kpi.numerator !== undefined && kpi.denominator !== undefined)
    facts.push(['Counts', `${formatCount(kpi.numerator)} of ${formatCount(kpi.denominator)}`]);
  if (kpi.controls.length > 0) facts.push(['Controls', kpi.controls.join(', ')]);
  const persistent = persistentText(kpi);
  if (persistent) facts.push(['Persistent', persistent.replace(/^.*?persistent: /, '')]);
  for (const e of kpi.exceptions ?? []) facts.push(['Exception', exceptionText(e)]);
  for (const m of kpi.manual ?? []) facts.push(['Manual', manualText(m).replace(/^manual: /, '')]);
  const base = kpi.sinceBaseline ?? (kpi.baseline ? { ...kpi.baseline, change: undefined } : undefined);
  if (base)
    facts.push([
      'Baseline',
      `${formatValue(kpi, base.value)}${base.period ? ` (${base.period})` : ''}${base.change !== undefined ? `, change ${signed(kpi, base.change)}` : ''}`,
    ]);
  const shown = intervals ? formatValueWithInterval(kpi) : formatValue(kpi, kpi.value);
  const value =
    kpi.status === 'stale'
      ? html`<div class="value not-current">${shown} <span class="flag">not current</span></div>`
      : html`<div class="value">${shown}</div>`;
  return html`<article class="tile ${kpi.status}" id="kpi-${kpi.id}" data-status="${kpi.status}">
<div class="tile-top">${statusChip(kpi)}<span>${kpi.id}${kpi.area ? ` · ${kpi.area}` : ''}</span></div>
<h3>${kpi.name}</h3>
${value}
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

/**
 * The trend verdict against the previous period, readable on paper: "↓ improved against 2026-Q2
 * (31.3 h)"; a withheld verdict gives its reason, unless there was simply nothing to compare with.
 */
function verdictText(kpi: KpiResult): string {
  const v = kpi.trendVerdict!;
  // A withheld verdict says why when the data falls short (partial, too few rows, period not ended).
  if (v.verdict === 'none') return formatTrend(kpi) === '' ? '' : (v.reason ?? '');
  const against = v.against ? ` against ${v.against.period} (${formatValue(kpi, v.against.value)})` : '';
  return `${formatTrend(kpi)}${against}`;
}

/** "↓ 75 % in 2026-09 (80 % in 2026-08)": the last two known points, readable on paper too (reports without a verdict). */
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

/** Segments as a table, always expanded: on paper a folded list would print as its label alone. */
function segments(kpi: KpiResult): SafeHtml {
  return html`<table class="segments">
<caption>By ${kpi.segmentBy ?? 'segment'} (${kpi.segments.length})</caption>
${kpi.segments.map((s) => html`<tr class="${s.status}"><td>${s.key}${s.thresholds ? ` (target ${formatBand(s.thresholds.green, kpi.unit)})` : ''}</td><td class="num">${formatValue(kpi, s.value)}</td><td class="seg-status">${HTML_SYMBOL[s.status]} ${STATUS_LABEL[s.status]}</td></tr>\n`)}</table>
`;
}

/** The objectives (clause 6.2) with their KPIs, in the words of the other reports; none: nothing. */
function objectivesSection(report: Report): SafeHtml | string {
  const objectives = report.objectives ?? [];
  if (objectives.length === 0) return '';
  const byId = new Map(report.kpis.map((k) => [k.id, k]));
  return html`<section class="objectives" aria-labelledby="objectives-heading">
<h2 id="objectives-heading">Objectives</h2>
${objectives.map(
  (o) => html`<h3>${o.id} ${o.statement}</h3>
<p>${objectiveFacts(o, objectiveUnit(o, report))} — ${objectiveProgress(o)}</p>
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
  return html`<tr><td>${s.name}</td><td class="file">${s.file}</td><td class="num">${formatCount(s.rowsRead)}</td><td class="num">${formatCount(s.accepted)}</td><td class="num">${formatCount(s.rejected)}</td><td class="num">${formatCount(s.rowsInPeriod)}</td><td>${asOf}</td><td class="hash" title="${s.sha256}">${s.sha256.slice(0, 16)}</td></tr>\n`;
}

/** A hash with a break opportunity after every 16 digits, so a narrow line wraps it there, not anywhere. */
function wrappedHash(hash: string): SafeHtml {
  const groups = hash.match(/.{1,16}/g) ?? [];
  return html`${groups.map((g, i) => (i === 0 ? g : html`<wbr>${g}`))}`;
}

/** A change with its sign, in the KPI's unit (percentage points for % KPIs). */
function signed(kpi: KpiResult, change: number): string {
  const text = formatValue(kpi.unit === '%' ? { ...kpi, unit: 'pp' } : kpi, Math.abs(change));
  return `${change > 0 ? '+' : change < 0 ? '−' : '±'}${text}`;
}
