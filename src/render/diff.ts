/**
 * Renders a Diff as a terminal table, GitHub Markdown or JSON: (diff) => string. The saved reports are
 * not ours: every text from them (KPI ids and names, units, period labels, segment keys, file names) is
 * made inert (safeText in the table, escapeMarkdown, jsonText).
 */

import type { Diff, EvidenceDrift, KpiDiff, Verdict } from '../diff/compare.js';
import { jsonText, safeText } from '../text.js';
import { formatCount, formatNumber, formatValue, STATUS_SYMBOL, statusText } from './format.js';
import { escapeMarkdown } from './markdown.js';

/** One line of inert text (src/text.ts). */
const t = (text: string) => safeText(text);

export const VERDICT_LABEL: Record<Verdict, string> = {
  improved: 'improved',
  worsened: 'worsened',
  unchanged: 'unchanged',
  changed: 'changed',
  'not-comparable': 'not comparable',
};

function signed(text: string, value: number): string {
  return value > 0 ? `+${text}` : text;
}

export function formatChange(kpi: KpiDiff): { absolute: string; relative: string } {
  if (kpi.change === null) return { absolute: '–', relative: '–' };
  // A change of a percentage is in percentage points, not percent.
  const absolute =
    kpi.unit === '%'
      ? `${signed(formatValue({ ...kpi, unit: 'pp' }, kpi.change), kpi.change)}`
      : signed(formatValue(kpi, kpi.change), kpi.change);
  const relative =
    kpi.relativeChange === null
      ? '–'
      : `${signed(formatNumber(kpi.relativeChange * 100, 1), kpi.relativeChange)} %`;
  return { absolute, relative };
}

export function evidenceMessage(e: EvidenceDrift): string {
  switch (e.code) {
    case 'rows-changed':
      return `${e.source} (${e.file}): accepted rows changed by more than 50 %: ${formatCount(e.oldAccepted)} -> ${formatCount(e.newAccepted)}`;
    case 'snapshot-unchanged':
      return `${e.source} (${e.file}): snapshot file is identical in both reports (sha256 ${e.sha256.slice(0, 12)}); was it re-exported?`;
    case 'events-file-unchanged':
      return `${e.source} (${e.file}): events file is identical in both reports although the periods differ (sha256 ${e.sha256.slice(0, 12)}); was it refreshed?`;
  }
}

function countsLine(diff: Diff): string {
  const c = diff.counts;
  const noise =
    diff.significance === 'off'
      ? ''
      : `; ${c.notSignificant} of the changes not significant at ${diff.significance}`;
  return `${c.worsened} worsened, ${c.improved} improved, ${c.changed} changed, ${c.unchanged} unchanged, ${c['not-comparable']} not comparable, ${c.added} added, ${c.retired} retired; ${c.statusWorse} with a worse status${noise}`;
}

/** "(tolerance 0.5 %, significance 0.05)" or "(tolerance 0.5 %, significance off)". */
function rules(diff: Diff): string {
  return `(tolerance ${diff.tolerance} %, significance ${diff.significance})`;
}

/** A verdict with its significance mark: "worsened, not significant". */
function verdictText(verdict: Verdict, significance: KpiDiff['significance']): string {
  return `${VERDICT_LABEL[verdict]}${significance?.significant === false ? ', not significant' : ''}`;
}

/**
 * The KPIs whose change beyond the tolerance could not be tested (a median, a derived KPI): their verdict
 * is by the tolerance alone, as without significance. One line, or none.
 */
function untestedLine(diff: Diff): string | undefined {
  const untested = diff.kpis.filter((k) => k.significance?.significant === null);
  if (untested.length === 0) return undefined;
  return `Not tested for significance (judged by the tolerance alone): ${untested.map((k) => `${k.id} (${k.significance!.reason})`).join(', ')}`;
}

/** What "not significant" means, once, when a change is marked so. */
const NOT_SIGNIFICANT_NOTE =
  'not significant: chance variation explains the change at this level (docs/report-format.md, "Significance")';

function kpiCells(k: KpiDiff): string[] {
  const change = formatChange(k);
  return [
    k.id,
    formatValue(k, k.oldValue),
    formatValue(k, k.newValue),
    change.absolute,
    change.relative,
    statusText(k.oldStatus),
    statusText(k.newStatus),
    verdictText(k.verdict, k.significance),
  ];
}

const HEAD = ['KPI', 'Old', 'New', 'Change', 'Change %', 'Old status', 'New status', 'Verdict'];

function plainTable(table: string[][]): string[] {
  const rows = table.map((row) => row.map(t));
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  return rows.map((r) =>
    r
      .map((cell, i) => cell + ' '.repeat(widths[i]! - [...cell].length))
      .join('  ')
      .trimEnd(),
  );
}

function detailLines(k: KpiDiff): string[] {
  const lines: string[] = [];
  for (const c of k.definitionChanges) lines.push(`${c.field}: ${c.old} -> ${c.new}`);
  for (const s of k.segments) {
    const oldText =
      s.oldStatus === null ? 'absent' : `${formatValue(k, s.oldValue)} ${STATUS_SYMBOL[s.oldStatus]}`;
    const newText =
      s.newStatus === null ? 'absent' : `${formatValue(k, s.newValue)} ${STATUS_SYMBOL[s.newStatus]}`;
    lines.push(`${s.key}: ${oldText} -> ${newText} (${verdictText(s.verdict, s.significance)})`);
  }
  return lines;
}

export function renderDiffTable(diff: Diff): string {
  const lines: string[] = [];
  lines.push(t(`${diff.old.period} -> ${diff.new.period} ${rules(diff)}`));
  lines.push(countsLine(diff));
  lines.push('');
  lines.push(...plainTable([HEAD, ...diff.kpis.map(kpiCells)]));
  if (diff.counts.notSignificant > 0) lines.push('', NOT_SIGNIFICANT_NOTE);
  const untested = untestedLine(diff);
  if (untested) lines.push('', t(untested));
  const details = diff.kpis.filter((k) => k.definitionChanges.length > 0 || k.segments.length > 0);
  if (details.length > 0) {
    lines.push('');
    lines.push('Definition changes and segments:');
    for (const k of details) {
      lines.push(
        t(`  ${k.id}${k.verdict === 'not-comparable' ? ' (not comparable: definition changed)' : ''}`),
      );
      for (const d of detailLines(k)) lines.push(`    ${t(d)}`);
    }
  }
  const baselines = diff.kpis.filter((k) => k.sinceBaseline);
  if (baselines.length > 0) {
    lines.push('');
    lines.push('Since the baseline:');
    for (const k of baselines) lines.push(t(`  ${k.id}  ${baselineText(k)}`));
  }
  if (diff.added.length > 0) {
    lines.push('');
    lines.push('Added KPIs:');
    for (const k of diff.added) lines.push(t(`  ${k.id}  ${k.name}`));
  }
  if (diff.retired.length > 0) {
    lines.push('');
    lines.push('Retired KPIs:');
    for (const k of diff.retired) lines.push(t(`  ${k.id}  ${k.name}`));
  }
  if (diff.evidence.length > 0) {
    lines.push('');
    lines.push('Evidence drift:');
    for (const e of diff.evidence) lines.push(`  ${t(evidenceMessage(e))}`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderDiffMarkdown(diff: Diff): string {
  const md = (text: string) => escapeMarkdown(text);
  const lines: string[] = [];
  lines.push(`## KPI changes ${md(diff.old.period)} → ${md(diff.new.period)}`);
  lines.push('');
  lines.push(`${md(countsLine(diff))} ${md(rules(diff))}`);
  lines.push('');
  lines.push(`| ${HEAD.join(' | ')} |`);
  lines.push(`|${HEAD.map(() => '---').join('|')}|`);
  for (const k of diff.kpis) lines.push(`| ${kpiCells(k).map(md).join(' | ')} |`);
  if (diff.counts.notSignificant > 0) lines.push('', md(NOT_SIGNIFICANT_NOTE));
  const untested = untestedLine(diff);
  if (untested) lines.push('', md(untested));
  const details = diff.kpis.filter((k) => k.definitionChanges.length > 0 || k.segments.length > 0);
  if (details.length > 0) {
    lines.push('');
    lines.push('### Definition changes and segments');
    lines.push('');
    for (const k of details) {
      lines.push(
        `- **${md(k.id)}**${k.verdict === 'not-comparable' ? ' (not comparable: definition changed)' : ''}`,
      );
      for (const d of detailLines(k)) lines.push(`  - ${md(d)}`);
    }
  }
  const baselines = diff.kpis.filter((k) => k.sinceBaseline);
  if (baselines.length > 0) {
    lines.push('');
    lines.push('### Since the baseline');
    lines.push('');
    for (const k of baselines) lines.push(`- **${md(k.id)}** ${md(baselineText(k))}`);
  }
  for (const [title, list] of [
    ['Added KPIs', diff.added],
    ['Retired KPIs', diff.retired],
  ] as const) {
    if (list.length === 0) continue;
    lines.push('');
    lines.push(`### ${title}`);
    lines.push('');
    for (const k of list) lines.push(`- ${md(k.id)} ${md(k.name)}`);
  }
  if (diff.evidence.length > 0) {
    lines.push('');
    lines.push('### Evidence drift');
    lines.push('');
    for (const e of diff.evidence) lines.push(`- ${md(evidenceMessage(e))}`);
  }
  return `${lines.join('\n')}\n`;
}

export const DIFF_RENDERERS = {
  table: renderDiffTable,
  markdown: renderDiffMarkdown,
  json: (diff: Diff) => jsonText(diff),
} satisfies Record<string, (diff: Diff) => string>;

export type DiffFormat = keyof typeof DIFF_RENDERERS;
export const DIFF_FORMATS = Object.keys(DIFF_RENDERERS) as DiffFormat[];

/** `-63.8 h since 160 h (2025-Q4)`: the new report's change since the KPI's baseline. */
function baselineText(k: KpiDiff): string {
  const base = k.sinceBaseline!;
  const shown = { unit: k.unit, ...(k.decimals !== undefined ? { decimals: k.decimals } : {}) };
  const change = formatValue(k.unit === '%' ? { ...shown, unit: 'pp' } : shown, Math.abs(base.change));
  const sign = base.change > 0 ? '+' : base.change < 0 ? '-' : '±';
  return `${sign}${change} since ${formatValue(shown, base.value)}${base.period ? ` (${base.period})` : ''}`;
}
