/** The stylesheet of the HTML report: system fonts only (nothing is fetched), and an A4 print layout. */
export const HTML_STYLE = `
:root {
  --red: #b3261e; --red-bg: #fdecea;
  --amber: #a15c00; --amber-bg: #fff4e0;
  --green: #23703a; --green-bg: #e9f6ec;
  --no-data: #5f6368; --no-data-bg: #f1f3f4;
  --stale: #7b1fa2; --stale-bg: #f5e9f8;
  --info: #1a5fb4; --info-bg: #e8f0fb;
  --ink: #1f2328; --muted: #59636e; --line: #d0d7de;
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0 auto; max-width: 1200px; padding: 24px;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: #fff;
}
h1 { font-size: 22px; margin: 0 0 4px; }
.org { font-size: 16px; font-weight: 600; margin: 0; }
.meta { color: var(--muted); margin: 4px 0 12px; }
.incomplete { margin: 0 0 12px; padding: 6px 10px; border-radius: 6px; color: var(--stale); background: var(--stale-bg); font-weight: 600; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; list-style: none; padding: 0; margin: 0 0 20px; }
.count { border-radius: 6px; padding: 6px 12px; border: 1px solid var(--line); }
.count .n { font-size: 20px; font-weight: 700; margin-right: 4px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 12px; }
.tile {
  border: 1px solid var(--line); border-left: 6px solid var(--c); border-radius: 6px;
  padding: 10px 12px; background: var(--bg); break-inside: avoid; page-break-inside: avoid;
  display: flex; flex-direction: column; gap: 4px; min-width: 0;
}
.tile h2 { font-size: 14px; margin: 0; overflow-wrap: anywhere; }
.tile-top { display: flex; justify-content: space-between; gap: 8px; font-size: 12px; color: var(--muted); }
.badge { font-weight: 700; color: var(--c); white-space: nowrap; }
.value { font-size: 24px; font-weight: 700; color: var(--c); }
.tile dl { display: grid; grid-template-columns: auto 1fr; gap: 0 8px; margin: 0; font-size: 12px; }
.tile dt { color: var(--muted); }
.tile dd { margin: 0; overflow-wrap: anywhere; }
.trend { display: flex; align-items: center; gap: 6px; font-size: 12px; color: var(--muted); min-height: 32px; }
.spark { color: var(--c); flex: none; }
.spark polyline { fill: none; stroke: currentColor; stroke-width: 1.6; }
.spark circle { fill: currentColor; }
.spark-target { stroke: var(--muted); stroke-width: 1; stroke-dasharray: 3 2; }
.reason { font-size: 12px; color: var(--muted); margin: 0; overflow-wrap: anywhere; }
.caveat { font-size: 12px; margin: 0; padding: 4px 6px; border-radius: 4px; background: #fff; border: 1px dashed var(--c); overflow-wrap: anywhere; }
details { font-size: 12px; }
summary { cursor: pointer; color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 2px 6px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
td.num, th.num { text-align: right; }
.evidence { margin-top: 28px; font-size: 12px; }
.evidence h2 { font-size: 16px; }
.hash { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11px; }
footer { margin-top: 20px; color: var(--muted); font-size: 11px; }
.red { --c: var(--red); --bg: var(--red-bg); }
.amber { --c: var(--amber); --bg: var(--amber-bg); }
.green { --c: var(--green); --bg: var(--green-bg); }
.no-data { --c: var(--no-data); --bg: var(--no-data-bg); }
.stale { --c: var(--stale); --bg: var(--stale-bg); }
.info { --c: var(--info); --bg: var(--info-bg); }
.count { background: var(--bg); color: var(--c); }
@page { size: A4; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9pt; }
  h1 { font-size: 15pt; }
  .tiles { grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 6px; }
  .tile { padding: 6px 8px; }
  .value { font-size: 15pt; }
  summary { list-style: none; }
  .evidence { break-before: page; }
}
`;
