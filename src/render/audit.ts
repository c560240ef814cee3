/**
 * The findings of `isms-kpi audit-catalogue` (src/app/audit.ts) as a table, JSON or Markdown. Warnings
 * first, then information, each in the order found. Catalogue texts are made inert (safeText; Markdown
 * escaped).
 */
import { jsonText, safeText } from '../text.js';
import { layoutTable } from './layout.js';
import { escapeMarkdown as md } from './markdown.js';

export interface AuditFinding {
  code:
    | 'soa-uncovered'
    | 'soa-not-applicable'
    | 'soa-incomplete'
    | 'review-overdue'
    | 'review-missing'
    | 'vanity'
    | 'never-data'
    | 'always-stale'
    | 'measure-types'
    | 'measure-coverage'
    | 'frameworks'
    | 'control-not-annex-a';
  severity: 'warning' | 'info';
  message: string;
  controls?: string[];
  kpis?: string[];
  file?: string;
  line?: number;
  col?: number;
}

export interface AuditResult {
  catalogue: string;
  today: string;
  soa?: string;
  historyReports: number;
  findings: AuditFinding[];
}

const ordered = (r: AuditResult) => [
  ...r.findings.filter((f) => f.severity === 'warning'),
  ...r.findings.filter((f) => f.severity === 'info'),
];

function summary(r: AuditResult): string {
  const warnings = r.findings.filter((f) => f.severity === 'warning').length;
  return `${warnings} warning${warnings === 1 ? '' : 's'}, ${r.findings.length - warnings} for information`;
}

function heading(r: AuditResult): string {
  return `Audit of ${r.catalogue} on ${r.today}${r.soa ? `; SoA ${r.soa}` : ''}; ${r.historyReports} saved report${r.historyReports === 1 ? '' : 's'}`;
}

export function renderAuditTable(r: AuditResult): string {
  const rows = ordered(r).map((f) => [f.severity, f.code, f.message]);
  const table = layoutTable(rows, { head: ['Severity', 'Code', 'Finding'], widths: [null, null, 90] });
  return `${safeText(heading(r))}\n${table}\n${summary(r)}\n`;
}

export function renderAuditJson(r: AuditResult): string {
  return jsonText({ ...r, findings: ordered(r) });
}

export function renderAuditMarkdown(r: AuditResult): string {
  const lines = [
    `## ${md(heading(r))}`,
    '',
    `**${summary(r)}**`,
    '',
    '| Severity | Code | Finding |',
    '|---|---|---|',
  ];
  for (const f of ordered(r))
    lines.push(`| ${f.severity === 'warning' ? '⚠ warning' : 'ℹ info'} | \`${f.code}\` | ${md(f.message)} |`);
  return `${lines.join('\n')}\n`;
}

export const AUDIT_RENDERERS = {
  table: renderAuditTable,
  json: renderAuditJson,
  markdown: renderAuditMarkdown,
} satisfies Record<string, (r: AuditResult) => string>;
export type AuditFormat = keyof typeof AUDIT_RENDERERS;
export const AUDIT_FORMATS = Object.keys(AUDIT_RENDERERS) as AuditFormat[];
