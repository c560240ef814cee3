/**
 * The stylesheet of the HTML report: system fonts only (nothing is fetched), and an A4 print layout.
 *
 * Status colours (decision, issue 18): each status has an accent `--c` (tile border, status chip, trend
 * line) with a chip text colour `--on-c`, a tint `--bg` and a text colour `--fg` for values on that tint.
 * The accents differ in lightness and along the blue-yellow axis, which dichromats keep: dark red, light
 * amber, dark blue-green, light grey (no data), lilac (stale), dark blue (info). Their smallest CIEDE2000
 * difference is over 20 for normal vision and under deuteranopia and protanopia simulation
 * (tests/render/status-colours.test.ts), and every text passes WCAG AA (4.5:1). Colour is never the only
 * cue: each status has its symbol and word, a stale tile is hatched with a dashed border and its value
 * marked not current, a no-data tile has a dotted border.
 */
import type { Report } from '../report/model.js';
import { UNSAFE_CLASS } from '../text.js';
import { generatedText, reportTitle } from './format.js';

export const HTML_STYLE = `
:root {
  --red: #951b1b; --on-red: #fff; --red-bg: #fbeaea; --red-fg: #951b1b;
  --amber: #f2bd2c; --on-amber: #1f2328; --amber-bg: #fff6dc; --amber-fg: #7a5200;
  --green: #0b7a6a; --on-green: #fff; --green-bg: #e6f4f1; --green-fg: #0b6b5d;
  --no-data: #dde1e4; --on-no-data: #1f2328; --no-data-bg: #f3f4f6; --no-data-fg: #4b535c;
  --stale: #b08ad4; --on-stale: #1f2328; --stale-bg: #f4f0fa; --stale-fg: #5b3a85;
  --info: #17409e; --on-info: #fff; --info-bg: #e9eef9; --info-fg: #17409e;
  --ink: #1f2328; --muted: #59636e; --line: #d0d7de;
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0 auto; max-width: 1200px; padding: 24px;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: #fff;
}
a { color: inherit; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 16px 0 6px; }
.org { font-size: 16px; font-weight: 600; margin: 0; }
.meta { color: var(--muted); margin: 4px 0 8px; }
.doc-control { margin: 0 0 10px; font-size: 12px; }
.doc-control th { color: var(--muted); font-weight: 600; white-space: nowrap; padding: 1px 12px 1px 0; }
.doc-control td { border: 0; padding: 1px 12px 1px 0; }
.incomplete { margin: 0 0 12px; padding: 6px 10px; border-radius: 6px; color: var(--stale-fg); background: var(--stale-bg); border: 1px dashed var(--stale-fg); font-weight: 600; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; list-style: none; padding: 0; margin: 0 0 8px; }
.count { border-radius: 6px; padding: 4px 12px; background: var(--c); color: var(--on-c); font-weight: 600; }
.count .n { font-size: 20px; font-weight: 700; }
.matrix { font-size: 13px; }
.matrix thead th { color: var(--muted); font-weight: 600; border-bottom: 1px solid var(--ink); }
.matrix tbody { border-top: 1px solid var(--ink); }
.matrix th.area { font-weight: 700; width: 11em; }
.matrix td { padding: 1px 6px; border: 0; }
.matrix tr.kpi:nth-child(even) > td { background: #f6f8fa; }
.matrix td.id, .matrix td.num, .matrix td.status, .matrix td.trend-col { white-space: nowrap; }
.matrix .trend-col { text-align: center; }
.chip { display: inline-block; border-radius: 4px; padding: 0 6px; background: var(--c); color: var(--on-c); font-weight: 700; white-space: nowrap; }
.stale .chip { border: 1px dashed var(--stale-fg); }
.judgement { color: var(--muted); font-size: 0.9em; }
.accepted { display: block; color: var(--muted); font-size: 0.7em; line-height: 1.05; white-space: nowrap; }
.not-current { color: var(--muted); font-style: italic; }
.legend { color: var(--muted); font-size: 11px; margin: 6px 0 0; }
.details { margin-top: 20px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 12px; }
.tile {
  border: 1px solid var(--line); border-left: 6px solid var(--c); border-radius: 6px;
  padding: 10px 12px; background: var(--bg); break-inside: avoid; page-break-inside: avoid;
  display: flex; flex-direction: column; gap: 4px; min-width: 0;
}
.tile.red { border-left-width: 9px; }
.tile.no-data { border-style: dotted; border-left-style: solid; }
.tile.stale {
  border-style: dashed; border-left-style: dashed;
  background: repeating-linear-gradient(135deg, var(--stale-bg) 0 8px, #fff 8px 16px);
}
.tile h3 { font-size: 14px; margin: 0; overflow-wrap: anywhere; }
.tile-top { display: flex; justify-content: space-between; gap: 8px; font-size: 12px; color: var(--muted); }
.value { font-size: 24px; font-weight: 700; color: var(--fg); }
.value.not-current { font-size: 18px; color: var(--muted); }
.value .flag { font-size: 11px; font-style: normal; font-weight: 600; }
.tile dl { display: grid; grid-template-columns: auto 1fr; gap: 0 8px; margin: 0; font-size: 12px; }
.tile dt { color: var(--muted); }
.tile dd { margin: 0; overflow-wrap: anywhere; }
.trend { display: flex; align-items: center; gap: 6px; font-size: 12px; color: var(--muted); min-height: 32px; }
.spark { color: var(--fg); flex: none; }
.spark polyline { fill: none; stroke: currentColor; stroke-width: 1.6; }
.spark circle { fill: currentColor; }
.spark-target { stroke: var(--muted); stroke-width: 1; stroke-dasharray: 3 2; }
.reason { font-size: 12px; color: var(--muted); margin: 0; overflow-wrap: anywhere; }
.caveat { font-size: 12px; margin: 0; padding: 4px 6px; border-radius: 4px; background: #fff; border: 1px dashed var(--fg); overflow-wrap: anywhere; }
.segments { font-size: 12px; background: #fff; }
.segments caption { text-align: left; color: var(--muted); font-weight: 600; }
.segments tr > * { color: var(--ink); }
.seg-status { white-space: nowrap; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 2px 6px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
th { overflow-wrap: normal; }
td.num, th.num { text-align: right; }
.evidence { margin-top: 28px; font-size: 12px; }
.evidence .file { overflow-wrap: anywhere; }
.note { color: var(--muted); font-size: 11px; }
.hash { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11px; overflow-wrap: normal; word-break: keep-all; }
footer { margin-top: 20px; color: var(--muted); font-size: 11px; }
.red { --c: var(--red); --on-c: var(--on-red); --bg: var(--red-bg); --fg: var(--red-fg); }
.amber { --c: var(--amber); --on-c: var(--on-amber); --bg: var(--amber-bg); --fg: var(--amber-fg); }
.green { --c: var(--green); --on-c: var(--on-green); --bg: var(--green-bg); --fg: var(--green-fg); }
.no-data { --c: var(--no-data); --on-c: var(--on-no-data); --bg: var(--no-data-bg); --fg: var(--no-data-fg); }
.stale { --c: var(--stale); --on-c: var(--on-stale); --bg: var(--stale-bg); --fg: var(--stale-fg); }
.info { --c: var(--info); --on-c: var(--on-info); --bg: var(--info-bg); --fg: var(--info-fg); }
@page { size: A4; margin: 15mm 12mm 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 8pt; line-height: 1.25; }
  h1 { font-size: 14pt; }
  h2 { font-size: 10pt; margin: 6px 0 2px; }
  .org { font-size: 10pt; }
  .meta { margin: 1px 0 4px; }
  .doc-control { font-size: 7.5pt; margin-bottom: 5px; }
  .counts { gap: 4px; margin-bottom: 2px; }
  .count { padding: 1px 8px; }
  .count .n { font-size: 11pt; }
  .matrix { font-size: 8.5pt; }
  .matrix td, .matrix th { padding: 1.5px 4px; }
  .matrix.dense { font-size: 7.5pt; line-height: 1.12; }
  .matrix.dense td, .matrix.dense th { padding: 0.5px 4px; }
  .matrix .chip { padding: 0 4px; }
  .matrix tr { break-inside: avoid; }
  /* One line per KPI on paper: a long name is cut with an ellipsis (the full name is on its tile), so
     the matrix of SUMMARY_LIMIT KPIs stays on page 1 (tests/browser/pdf.test.ts). */
  .matrix td.name { width: 100%; max-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .legend { font-size: 6.5pt; margin-top: 3px; }
  .details { break-before: page; margin-top: 0; }
  .details > h2 { margin-top: 0; }
  .tiles { grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 6px; }
  .tile { padding: 6px 8px; gap: 2px; }
  .tile h3 { font-size: 9pt; }
  .value { font-size: 14pt; }
  .value.not-current { font-size: 11pt; }
  .trend { min-height: 0; }
  .evidence { margin-top: 12px; font-size: 7.5pt; }
  .evidence tr { break-inside: avoid; }
  .evidence .note, footer { break-before: avoid; }
  .hash { font-size: 7pt; }
  footer { font-size: 7pt; }
}
`;

/**
 * The running header and footer of every printed page, as CSS page-margin boxes (Chromium 131 or newer;
 * a browser without them prints no header): organisation, title and period top left, classification
 * top right, version and as-of bottom left, "page X of Y" bottom right. The texts come from the report,
 * so every character but printable ASCII other than `"`, `\`, `<`, `>` and `&` is written as a CSS escape:
 * nothing in them can end the string or the style element.
 */
export function pageStyle(report: Report): string {
  const doc = report.document;
  const box = (name: string, text: string) =>
    text === '' ? '' : `  @${name} { content: ${cssString(text)}; ${MARGIN_FONT} }\n`;
  const generated = generatedText(report);
  const footLeft = [
    doc?.version !== undefined ? `version ${doc.version}` : '',
    `as of ${report.asOf}`,
    generated ? `generated ${generated}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return `
@page {
${box('top-left', `${report.organisation} · ${reportTitle(report)} ${report.period.label}`)}${box('top-right', doc?.classification ?? '')}${box('bottom-left', footLeft)}  @bottom-right { content: "page " counter(page) " of " counter(pages); ${MARGIN_FONT} }
}
`;
}

const MARGIN_FONT =
  'font: 7.5pt system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #59636e;';

/** What cssString replaces by U+FFFD, as escapeHtml does (src/render/html-template.ts); line breaks and tabs become spaces. */
const CSS_UNSAFE = new RegExp(`(?![\\t\\n\\r])${UNSAFE_CLASS}`, 'g');

/**
 * A CSS string literal on one line: printable ASCII as it is, but for `"`, `\`, `<`, `>`, `&`, which are hex
 * escapes like everything else; control characters and bidi overrides become U+FFFD, as in the HTML.
 */
export function cssString(text: string): string {
  let out = '"';
  for (const ch of text.replace(CSS_UNSAFE, '\uFFFD').replace(/\r\n|[\t\n\r]/g, ' ')) {
    out += /^[ -~]$/.test(ch) && !/["\\<>&]/.test(ch) ? ch : `\\${ch.codePointAt(0)!.toString(16)} `;
  }
  return `${out}"`;
}
