/**
 * The management review input document (src/diff/review.ts) as Markdown (stdout, .md) and as one
 * self-contained HTML file (.html, and printed to .pdf like the report). Both are written from the same
 * blocks (headings, paragraphs, lists, tables of plain text), so they never say different things; each
 * renderer escapes the text for its format. Deterministic bytes: nothing depends on the clock.
 */
import type { ReviewDocument, ReviewKpi } from '../diff/review.js';
import type { Report } from '../report/model.js';
import { formatTarget, formatValue, plural } from '../report/numbers.js';
import { actionExpected, actionValue, VERDICT_LABEL, verdictCounts } from './actions.js';
import { byAreaCatalogue, documentControlRows, generatedText, STATUS_LABEL } from './format.js';
import { htmlHead } from './html.js';
import { html, raw, type SafeHtml } from './html-template.js';
import { escapeMarkdown as md } from './markdown.js';
import { objectiveHead, objectiveKpiText, objectiveUnit } from './programme.js';

type Block =
  | { kind: 'h'; level: 1 | 2 | 3 | 4; text: string }
  | { kind: 'p'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; head: string[]; rows: string[][]; numeric?: number[] };

const h = (level: 1 | 2 | 3 | 4, text: string): Block => ({ kind: 'h', level, text });
const p = (text: string): Block => ({ kind: 'p', text });
const list = (items: string[], empty: string): Block =>
  items.length > 0 ? { kind: 'list', items } : p(empty);

export function reviewTitle(report: Report): string {
  return `${report.organisation} — Management review input ${report.period.label}`;
}

function pValue(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/** "significant (Fisher exact test, p = 0.012)", "not significant (...)", "not judged: ..." or "". */
export function significanceText(line: ReviewKpi): string {
  if (line.notComparable) return 'not comparable: definition changed';
  const s = line.significance;
  if (!s) return '';
  if (s.significant === null) return `not judged: ${s.reason ?? s.method}`;
  const how = `${s.method}${s.pValue === undefined ? '' : `, ${pValue(s.pValue)}`}`;
  return `${s.significant ? 'significant' : 'not significant'} (${how})`;
}

const kpiLabel = (line: ReviewKpi) => `${line.kpi.id} ${line.kpi.name}`;
const valueNow = (line: ReviewKpi) => formatValue(line.kpi, line.kpi.value);

function changeItem(line: ReviewKpi): string {
  const prev = line.previous!;
  return `${kpiLabel(line)}: ${STATUS_LABEL[prev.status]} ${formatValue(line.kpi, prev.value)} in ${prev.period}, now ${STATUS_LABEL[line.kpi.status]} ${valueNow(line)} (target ${formatTarget(line.kpi)})`;
}

function blocks(doc: ReviewDocument): Block[] {
  const out: Block[] = [];
  for (const section of [
    introduction,
    actionStatus,
    changesInIssues,
    performance,
    auditResults,
    objectivesProgress,
    toolFindings,
    improvementAndDecisions,
  ])
    section(doc, out);
  return out;
}

/** Title, period, document control, and the 9.3.2 inputs the tool does not measure. */
function introduction(doc: ReviewDocument, out: Block[]): void {
  const { report } = doc;
  out.push(h(1, reviewTitle(report)));
  out.push(
    p(
      `Period ${report.period.label} (${report.period.timezone}), as of ${report.asOf}. ${doc.previousPeriod ? `Changes are against the saved report of ${doc.previousPeriod}; ${doc.significance === 'off' ? 'significance testing is off (--significance off).' : `a change is called significant at the ${doc.significance.level} level.`}` : 'No saved report of the previous period was given (--history): changes and their significance are not shown.'}`,
    ),
  );
  const control = documentControlRows(report);
  if (control.length > 0)
    out.push({ kind: 'table', head: control.map(([label]) => label), rows: [control.map(([, v]) => v)] });
  out.push(
    p(
      'Organised by the inputs of ISO/IEC 27001:2022 clause 9.3.2. Not measured here, to be brought to the meeting: c) changes in needs and expectations of interested parties, e) feedback from interested parties, f) results of risk assessment and status of the risk treatment plan.',
    ),
  );
}

/** 1. Status of actions from previous reviews (9.3.2 a). */
function actionStatus(doc: ReviewDocument, out: Block[]): void {
  const { report } = doc;
  out.push(h(2, '1. Status of actions from previous reviews (9.3.2 a)'));
  if (!doc.actions)
    out.push(
      p(
        'No corrective actions were found (actions.yaml beside the catalogue, an actions: block or actions: { file: FILE } in it, or --actions FILE).',
      ),
    );
  else {
    const actions = doc.actions;
    out.push(p(`${plural(actions.length, 'corrective action')}: ${verdictCounts(actions) || 'none'}.`));
    if (actions.length > 0) {
      out.push({
        kind: 'table',
        head: ['Action', 'KPI', 'Owner', 'Status', 'Due', 'Expected', 'Before', 'Now', 'Verdict'],
        rows: actions.map((a) => [
          a.id,
          a.segment === undefined ? a.kpi : `${a.kpi} (${a.segment})`,
          a.owner,
          a.status,
          a.due,
          actionExpected(report, a),
          actionValue(report, a, 'before'),
          actionValue(report, a, 'now'),
          VERDICT_LABEL[a.verdict],
        ]),
      });
      out.push({ kind: 'list', items: actions.map((a) => `${a.id} ${a.description}: ${a.reason}.`) });
    }
  }
}

/** 2. Changes in issues (9.3.2 b), as the KPIs show them. */
function changesInIssues(doc: ReviewDocument, out: Block[]): void {
  out.push(h(2, '2. Changes in issues (9.3.2 b)'));
  if (!doc.previousPeriod) out.push(p('Not shown: no saved report of the previous period (--history).'));
  else {
    out.push(p(`As the KPIs show them, since ${doc.previousPeriod}.`));
    out.push(h(3, 'New red KPIs'));
    out.push(list(doc.newRed.map(changeItem), 'None.'));
    out.push(h(3, 'No longer red'));
    out.push(list(doc.noLongerRed.map(changeItem), 'None.'));
    if (doc.nowUnjudged.length > 0) {
      out.push(h(3, 'Now without data or stale'));
      out.push(list(doc.nowUnjudged.map(changeItem), 'None.'));
    }
  }
}

/** 3.1 nonconformities and corrective actions, 3.2 the KPI results by area (9.3.2 d). */
function performance(doc: ReviewDocument, out: Block[]): void {
  const { report } = doc;
  out.push(h(2, '3. Information security performance (9.3.2 d)'));
  out.push(h(3, '3.1 Nonconformities and corrective actions'));
  const audits = doc.audits?.rows ?? [];
  const nonconformities = audits.filter((r) => r.severity === 'major' || r.severity === 'minor');
  out.push(
    list(
      [
        ...(doc.audits
          ? [
              `Audit nonconformities: ${nonconformities.length} (${nonconformities.filter((r) => r.severity === 'major').length} major, ${nonconformities.filter((r) => r.severity === 'minor').length} minor), ${nonconformities.filter((r) => r.status !== 'closed').length} not closed.`,
            ]
          : []),
        ...(doc.actions ? [`Corrective actions: ${verdictCounts(doc.actions) || 'none'} (section 1).`] : []),
      ],
      'No audit findings (--audits) and no corrective actions were given.',
    ),
  );
  out.push(h(3, '3.2 Monitoring and measurement results'));
  out.push(
    p(
      `${plural(report.summary.total, 'KPI')}: ${report.summary.red} red, ${report.summary.amber} amber, ${report.summary.green} green, ${report.summary['no-data']} without data, ${report.summary.stale} stale, ${report.summary.info} for information.`,
    ),
  );
  const byId = new Map(doc.kpis.map((k) => [k.kpi.id, k]));
  for (const { area, kpis } of byAreaCatalogue(report.kpis)) {
    const lines = kpis.map((k) => byId.get(k.id)).filter((k): k is ReviewKpi => k !== undefined);
    if (lines.length === 0) continue;
    out.push(h(4, area));
    out.push({
      kind: 'table',
      head: ['ID', 'KPI', 'Value', 'Target', 'Status', 'Previous', 'Change', 'Significance'],
      numeric: [2, 5],
      rows: lines.map((line) => [
        line.kpi.id,
        line.kpi.name,
        valueNow(line),
        formatTarget(line.kpi),
        STATUS_LABEL[line.kpi.status],
        line.previous ? formatValue(line.kpi, line.previous.value) : '–',
        line.change ?? (line.notComparable ? 'not comparable' : ''),
        significanceText(line),
      ]),
    });
  }
}

/** 3.3 the audit findings register. */
function auditResults(doc: ReviewDocument, out: Block[]): void {
  const audits = doc.audits?.rows ?? [];
  out.push(h(3, '3.3 Audit results'));
  if (!doc.audits)
    out.push(
      p(
        'No audit findings register was given (--audits FILE, or a source with the audit-findings preset in the catalogue).',
      ),
    );
  else {
    const rejected = doc.audits.rejected
      ? ` ${plural(doc.audits.rejected, 'row')} of it ${doc.audits.rejected === 1 ? 'was' : 'were'} rejected and ${doc.audits.rejected === 1 ? 'is' : 'are'} not listed (isms-kpi validate shows why).`
      : '';
    out.push(
      p(
        audits.length === 0
          ? `${doc.audits.file} (${doc.audits.via}) lists no findings.${rejected}`
          : `From ${doc.audits.file} (${doc.audits.via}).${rejected}`,
      ),
    );
  }
  if (doc.audits && audits.length > 0)
    out.push({
      kind: 'table',
      head: ['ID', 'Audit', 'Reference', 'Finding', 'Severity', 'Status', 'Due', 'Closed', 'Action'],
      rows: audits.map((r) => [
        r.id,
        r.audit,
        r.reference,
        r.finding,
        r.severity,
        r.status,
        r.due,
        r.closed,
        r.action,
      ]),
    });
}

/** 3.4 fulfilment of the objectives. */
function objectivesProgress(doc: ReviewDocument, out: Block[]): void {
  const { report } = doc;
  out.push(h(3, '3.4 Fulfilment of information security objectives'));
  const objectives = report.objectives ?? [];
  const kpiById = new Map(report.kpis.map((k) => [k.id, k]));
  out.push(
    list(
      objectives.flatMap((o) => [
        `${o.id} ${objectiveHead(o, objectiveUnit(o, report))}`,
        ...o.kpis.map((k) => `${o.id}: ${objectiveKpiText(o, k, kpiById.get(k.id))}`),
      ]),
      'The catalogue declares no objectives.',
    ),
  );
}

/** 4. What the tool finds: red KPIs without an open action, persistent KPIs. */
function toolFindings(doc: ReviewDocument, out: Block[]): void {
  out.push(h(2, '4. Findings'));
  out.push(h(3, '4.1 Red KPIs without an open corrective action'));
  out.push(
    list(
      doc.redWithoutAction.map(
        (l) => `${kpiLabel(l)}: ${valueNow(l)}, target ${formatTarget(l.kpi)}, owner ${l.kpi.owner}`,
      ),
      doc.actions
        ? 'None: every red KPI has an open corrective action.'
        : 'Not judged: no corrective actions were found.',
    ),
  );
  out.push(h(3, '4.2 Persistent KPIs'));
  out.push(
    list(
      doc.persistent.map(
        (kpi) =>
          `${kpi.id} ${kpi.name}: red or amber for ${kpi.persistent!.periods} periods in a row since ${kpi.persistent!.since} (escalate after ${kpi.persistent!.escalateAfter}; now ${STATUS_LABEL[kpi.status]} ${formatValue(kpi, kpi.value)})`,
      ),
      doc.previousPeriod ? 'None.' : 'Not judged: no saved report of the previous period (--history).',
    ),
  );
}

/** 5. opportunities (9.3.2 g), 6. a blank Decisions table (9.3.3), and the provenance line. */
function improvementAndDecisions(doc: ReviewDocument, out: Block[]): void {
  const { report } = doc;
  out.push(h(2, '5. Opportunities for continual improvement (9.3.2 g)'));
  out.push(list(doc.opportunities, 'None recorded.'));

  // 9.3.3 Decisions
  out.push(h(2, '6. Decisions (9.3.3)'));
  out.push(
    p(
      'To be completed in the meeting: decisions on opportunities for continual improvement and on any need for changes to the ISMS, with owner and due date.',
    ),
  );
  out.push({
    kind: 'table',
    head: ['No.', 'Decision', 'Owner', 'Due'],
    rows: [
      ['1', '', '', ''],
      ['2', '', '', ''],
      ['3', '', '', ''],
    ],
  });
  const generated = generatedText(report);
  out.push(
    p(
      `${report.tool.name} ${report.tool.version} · catalogue ${report.catalogue.path} (sha256 ${report.catalogue.sha256.slice(0, 12)})${generated ? ` · generated ${generated}` : ''}`,
    ),
  );
}

const mdCell = (text: string) => (text === '' ? ' ' : md(text));

export function renderReviewMarkdown(doc: ReviewDocument): string {
  const lines: string[] = [];
  for (const b of blocks(doc)) {
    if (b.kind === 'h') lines.push(`${'#'.repeat(b.level)} ${md(b.text)}`, '');
    else if (b.kind === 'p') lines.push(md(b.text), '');
    else if (b.kind === 'list') lines.push(...b.items.map((i) => `- ${md(i)}`), '');
    else {
      lines.push(`| ${b.head.map(md).join(' | ')} |`);
      lines.push(`|${b.head.map((_, i) => (b.numeric?.includes(i) ? '--:' : '---')).join('|')}|`);
      for (const row of b.rows) lines.push(`| ${row.map(mdCell).join(' | ')} |`);
      lines.push('');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function htmlBlock(b: Block): SafeHtml {
  switch (b.kind) {
    case 'h':
      return html`<${raw(`h${b.level}`)}>${b.text}</${raw(`h${b.level}`)}>\n`;
    case 'p':
      return html`<p>${b.text}</p>\n`;
    case 'list':
      return html`<ul>\n${b.items.map((i) => html`<li>${i}</li>\n`)}</ul>\n`;
    case 'table': {
      const cell = (tag: 'th' | 'td', text: string, i: number) =>
        b.numeric?.includes(i)
          ? html`<${raw(tag)} class="num">${text}</${raw(tag)}>`
          : html`<${raw(tag)}>${text}</${raw(tag)}>`;
      return html`<table>\n<thead><tr>${b.head.map((c, i) => cell('th', c, i))}</tr></thead>\n<tbody>\n${b.rows.map(
        (row) => html`<tr>${row.map((c, i) => cell('td', c, i))}</tr>\n`,
      )}</tbody>\n</table>\n`;
    }
  }
}

export function renderReviewHtml(doc: ReviewDocument): string {
  const { report } = doc;
  const page = html`<!DOCTYPE html>
<html lang="en">
${htmlHead(report, reviewTitle(report))}
<body>
<main class="review">
${blocks(doc).map(htmlBlock)}</main>
</body>
</html>
`;
  return page.text;
}
