/**
 * `isms-kpi actions`: the corrective actions of a report with their effectiveness verdicts, as a table,
 * JSON (the report's `actions`), Markdown or CSV. The Markdown table is the one the review document
 * shows (src/render/review.ts).
 */
import type { ActionVerdict, ActionVerdictName, Report } from '../report/model.js';
import { formatBand, formatValue } from '../report/numbers.js';
import { jsonText, safeText } from '../text.js';
import { csvDocument } from '../util/csv-writer.js';
import { layoutTable } from './layout.js';
import { escapeMarkdown as md } from './markdown.js';

export const VERDICT_LABEL: Record<ActionVerdictName, string> = {
  effective: 'effective',
  'not-yet-effective': 'not yet effective',
  overdue: 'overdue',
  ineffective: 'ineffective',
  cancelled: 'cancelled',
  'no-data': 'no data',
  'not-comparable': 'not comparable',
  'not-judged': 'not judged: no earlier report',
};

/** The order counts are listed in: what needs a decision first. */
const VERDICT_ORDER: ActionVerdictName[] = [
  'overdue',
  'ineffective',
  'not-comparable',
  'no-data',
  'not-judged',
  'not-yet-effective',
  'effective',
  'cancelled',
];

/** "2 overdue, 1 ineffective, 3 effective" (verdicts that occur, in VERDICT_ORDER). */
export function verdictCounts(actions: readonly ActionVerdict[]): string {
  return VERDICT_ORDER.map((v) => [v, actions.filter((a) => a.verdict === v).length] as const)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => `${n} ${VERDICT_LABEL[v]}`)
    .join(', ');
}

/** A value of an action's KPI as the report shows it ("–" without one). */
export function actionValue(report: Report, action: ActionVerdict, point: 'before' | 'now'): string {
  const at = action[point];
  if (!at) return '–';
  const kpi = report.kpis.find((k) => k.id === action.kpi) ?? { unit: '' };
  return `${formatValue(kpi, at.value)} (${at.period})`;
}

/** The expected effect with the KPI's unit: ">= 95 %". */
export function actionExpected(report: Report, action: ActionVerdict): string {
  return formatBand(action.expected, report.kpis.find((k) => k.id === action.kpi)?.unit ?? '');
}

const target = (a: ActionVerdict) => (a.segment === undefined ? a.kpi : `${a.kpi} ${a.segment}`);

function heading(report: Report): string {
  return `${report.organisation} — corrective actions, ${report.period.label}`;
}

export function renderActionsTable(report: Report): string {
  const actions = report.actions ?? [];
  const rows = actions.map((a) => [
    a.id,
    target(a),
    a.status,
    a.due,
    actionExpected(report, a),
    actionValue(report, a, 'before'),
    actionValue(report, a, 'now'),
    VERDICT_LABEL[a.verdict],
  ]);
  const table = layoutTable(rows, {
    head: ['ID', 'KPI', 'Status', 'Due', 'Expected', 'Before', 'Now', 'Verdict'],
    widths: [null, 16, null, null, null, 18, 18, null],
  });
  const reasons = actions.map((a) => `  ${safeText(`${a.id}: ${a.reason}`)}\n`).join('');
  return `${safeText(heading(report))}\n${table}\n${safeText(`${actions.length} actions: ${verdictCounts(actions)}`)}\n${reasons}`;
}

export function renderActionsJson(report: Report): string {
  return jsonText(report.actions ?? []);
}

/** The Markdown table of the actions (also in the review document), then each verdict's reason. */
export function actionsMarkdownTable(report: Report): string {
  const actions = report.actions ?? [];
  const lines = [
    '| Action | KPI | Owner | Status | Due | Expected | Before | Now | Verdict |',
    '|---|---|---|---|---|---|---|---|---|',
    ...actions.map(
      (a) =>
        `| ${md(a.id)} | ${md(target(a))} | ${md(a.owner)} | ${a.status} | ${md(a.due)} | ${md(actionExpected(report, a))} | ${md(actionValue(report, a, 'before'))} | ${md(actionValue(report, a, 'now'))} | **${VERDICT_LABEL[a.verdict]}** |`,
    ),
    '',
    ...actions.map((a) => `- **${md(a.id)}** ${md(a.description)}: ${md(a.reason)}.`),
  ];
  return `${lines.join('\n')}\n`;
}

export function renderActionsMarkdown(report: Report): string {
  const actions = report.actions ?? [];
  return `## ${md(heading(report))}\n\n${actions.length} actions: ${verdictCounts(actions)}\n\n${actionsMarkdownTable(report)}`;
}

export const ACTIONS_CSV_COLUMNS = [
  'id',
  'kpi',
  'segment',
  'owner',
  'description',
  'status',
  'opened',
  'due',
  'expected',
  'links',
  'before_period',
  'before_value',
  'now_period',
  'now_value',
  'met',
  'significant',
  'significance_method',
  'p_value',
  'verdict',
  'reason',
] as const;

export function renderActionsCsv(report: Report): string {
  return csvDocument([
    ACTIONS_CSV_COLUMNS,
    ...(report.actions ?? []).map((a) => [
      a.id,
      a.kpi,
      a.segment,
      a.owner,
      a.description,
      a.status,
      a.opened,
      a.due,
      a.expected,
      a.links.join(';'),
      a.before?.period,
      a.before?.value,
      a.now?.period,
      a.now?.value,
      a.met,
      a.significance?.significant,
      a.significance?.method,
      a.significance?.pValue,
      a.verdict,
      a.reason,
    ]),
  ]);
}

export const ACTIONS_RENDERERS = {
  table: renderActionsTable,
  json: renderActionsJson,
  markdown: renderActionsMarkdown,
  csv: renderActionsCsv,
} satisfies Record<string, (report: Report) => string>;
export type ActionsFormat = keyof typeof ACTIONS_RENDERERS;
export const ACTIONS_FORMATS = Object.keys(ACTIONS_RENDERERS) as ActionsFormat[];
