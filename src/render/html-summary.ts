/**
 * Page 1 of the HTML report, the summary a board reads: title, organisation, period, as-of, the document
 * control block, the counts per status, and every KPI in a compact matrix grouped by area (id, name,
 * value, target with unit, status word and symbol, trend), with a legend.
 *
 * Decisions:
 * - Up to SUMMARY_LIMIT KPIs the whole matrix is on page 1 of an A4 print: one row per KPI, the area in
 *   a first column spanning its KPIs (no heading rows), full width so that names do not wrap, and set
 *   denser past DENSE_FROM KPIs. Two columns of half width were tried and wrapped every name into three
 *   lines. Checked by tests/browser/pdf.test.ts, which prints reports of 34 and 60 KPIs and reads page 1
 *   of the PDF.
 * - A larger catalogue shows on page 1 the KPIs that need attention (red, amber, stale, no data), then
 *   the other KPIs, which continue on page 2: every KPI is listed once.
 * - A stale KPI sorts by its judgement (urgencyRank), shows its value in grey italics (not current) and
 *   says what it would be if current.
 * - A KPI under an exception in force for the whole KPI (issue 19) keeps its status colour and says
 *   "accepted until DATE" under the chip: the reader sees both the deviation and that it is accepted.
 *   An exception of one segment, or an expired one, is in the KPI's details, not on page 1.
 */
import type { KpiResult, Report, Status } from '../report/model.js';
import {
  byAreaUrgency,
  documentControlRows,
  formatCount,
  formatTarget,
  formatValue,
  generatedText,
  incompleteNote,
  reportTitle,
  STATUS_LABEL,
  STATUS_SYMBOL,
  trendText,
  urgencyRank,
} from './format.js';
import { html, type SafeHtml } from './html-template.js';

/** The most KPIs whose matrix fits on page 1 of an A4 print (tests/browser/pdf.test.ts). */
export const SUMMARY_LIMIT = 60;
/** From this many KPIs on, the printed matrix is set denser. */
const DENSE_FROM = 41;
/**
 * The status symbols of the HTML: those of the other formats, but stale is ◷ rather than ⌛, which is an
 * emoji that the fonts of a server printing the PDF often lack (it printed as an empty box).
 */
export const HTML_SYMBOL: Record<Status, string> = { ...STATUS_SYMBOL, stale: '◷' };
const COUNT_ORDER: Status[] = ['red', 'amber', 'green', 'stale', 'no-data', 'info'];

export function summaryPage(report: Report): SafeHtml {
  const counts = COUNT_ORDER.filter(
    (s) => report.summary[s] > 0 || s === 'red' || s === 'amber' || s === 'green',
  );
  const incomplete = incompleteNote(report);
  const generated = generatedText(report);
  const control = documentControlRows(report);
  const isLarge = report.kpis.length > SUMMARY_LIMIT;
  const isDense = report.kpis.length >= DENSE_FROM;
  const attention = report.kpis.filter((k) => urgencyRank(k) <= urgencyRank({ status: 'no-data' }));
  const others = report.kpis.filter((k) => !attention.includes(k));
  return html`<header class="summary-head">
<h1>${reportTitle(report)} ${report.period.label}</h1>
<p class="org">${report.organisation}</p>
<p class="meta">Period ${report.period.label} (${report.period.timezone}) · as of ${report.asOf} · ${report.summary.total} KPIs${generated ? ` · generated ${generated}` : ''}</p>
${control.length > 0 ? html`<table class="doc-control" aria-label="Document control">\n<tr>${control.map(([label]) => html`<th scope="col">${label}</th>`)}</tr>\n<tr>${control.map(([, value]) => html`<td>${value}</td>`)}</tr>\n</table>\n` : ''}${incomplete ? html`<p class="incomplete">⚠ ${incomplete}.</p>\n` : ''}<ul class="counts" aria-label="KPIs per status">
${counts.map((s) => html`<li class="count ${s}" data-status="${s}"><span class="sym" aria-hidden="true">${HTML_SYMBOL[s]}</span> <span class="n">${formatCount(report.summary[s])}</span> ${STATUS_LABEL[s]}</li>\n`)}</ul>
</header>
${
  isLarge
    ? html`${matrixSection('attention', `Needs attention: ${attention.length} of ${report.kpis.length} KPIs`, attention, isDense)}${matrixSection('others', `Other KPIs: ${others.length}`, others, isDense)}`
    : matrixSection('all', `All ${report.kpis.length} KPIs by area`, report.kpis, isDense)
}<p class="legend">Status: ✖ red · ▲ amber · ✔ green · ◷ stale: the data is not current, the value in grey italics, sorted by the status it would have · ∅ no data · ℹ info: no target${report.kpis.some((k) => acceptedException(k)) ? html` · accepted until: exception in force` : ''}. Trend: ↑ up · ↓ down · → unchanged, the value against the previous month or period (the direction of the value, not better or worse) · partial: the data does not cover the earlier period.</p>
`;
}

function matrixSection(id: string, heading: string, kpis: readonly KpiResult[], isDense: boolean): SafeHtml {
  if (kpis.length === 0) return html``;
  return html`<section class="summary ${id}" aria-labelledby="summary-${id}">
<h2 id="summary-${id}">${heading}</h2>
<table class="matrix${isDense ? ' dense' : ''}">
<thead><tr><th scope="col">Area</th><th scope="col">ID</th><th scope="col">KPI</th><th scope="col" class="num">Value</th><th scope="col" class="num">Target</th><th scope="col">Status</th><th scope="col" class="trend-col">Trend</th></tr></thead>
${byAreaUrgency(kpis).map(
  (g) =>
    html`<tbody>\n${g.kpis.map((kpi, i) => matrixRow(kpi, i === 0 ? html`<th scope="rowgroup" rowspan="${g.kpis.length}" class="area">${g.area}</th>` : ''))}</tbody>\n`,
)}</table>
</section>
`;
}

function matrixRow(kpi: KpiResult, area: SafeHtml | string): SafeHtml {
  const value = formatValue(kpi, kpi.value);
  return html`<tr class="kpi ${kpi.status}" data-status="${kpi.status}">${area}<td class="id"><a href="#kpi-${kpi.id}">${kpi.id}</a></td><td class="name">${kpi.name}</td><td class="num">${kpi.status === 'stale' ? html`<span class="not-current" title="not current">${value}</span>` : value}</td><td class="num target">${unitsKeptWithNumbers(kpi, formatTarget(kpi))}</td><td class="status">${statusChip(kpi, true)}</td><td class="trend-col">${trendText(kpi)}</td></tr>\n`;
}

/**
 * The status as a chip: symbol and word on the status colour; a stale KPI also says what its value
 * would be if current; with `showAccepted` (the page-1 matrix) an exception in force says until when.
 */
export function statusChip(
  kpi: Pick<KpiResult, 'status' | 'judgement' | 'exceptions'>,
  showAccepted = false,
): SafeHtml {
  const judged =
    kpi.status === 'stale' && kpi.judgement
      ? html` <span class="judgement">(${kpi.judgement} if current)</span>`
      : '';
  const accepted = showAccepted ? acceptedException(kpi) : undefined;
  const acceptedNote = accepted
    ? html` <span class="accepted">accepted until<br>${accepted.expires}</span>`
    : '';
  return html`<span class="chip">${HTML_SYMBOL[kpi.status]} ${STATUS_LABEL[kpi.status]}</span>${judged}${acceptedNote}`;
}

/** The exception in force for the whole KPI (not one segment), if any. */
function acceptedException(kpi: Pick<KpiResult, 'exceptions'>) {
  return (kpi.exceptions ?? []).find((e) => e.state === 'accepted' && e.segment === undefined);
}

/**
 * A value, target or band text (which carries the KPI's unit after each number: `<= 8 h (amber <= 24 h)`)
 * with a no-break space between each number and its unit, so a narrow cell never wraps between them.
 */
export function unitsKeptWithNumbers(kpi: Pick<KpiResult, 'unit'>, text: string): string {
  if (text === '–' || kpi.unit === '') return text;
  return text.split(` ${kpi.unit}`).join(`\u00a0${kpi.unit}`);
}
