/**
 * JUnit XML so CI servers list KPIs as tests: one testsuite per area, one testcase per KPI, in catalogue
 * order. A KPI fails exactly when it fails the run at the --fail-on level (`failsRun`, the question the
 * exit code asks too), so `failures` is non-zero exactly when `report` exits 1: red by default, amber too
 * with amber, nothing with never; a stale KPI counts with its judgement. Other KPIs with no data or stale
 * are skipped with the reason; the rest pass (amber and red with a note in system-out). No durations or
 * host names, so the file is reproducible.
 */
import { type FailOn, failsRun } from '../engine/status.js';
import type { KpiResult, Report, Status } from '../report/model.js';
import { UNSAFE_CLASS } from '../text.js';
import { byAreaCatalogue, formatBands, formatValue, partialTrendNote, STATUS_LABEL } from './format.js';

/** What escapeXml replaces by U+FFFD: safeText's characters (src/text.ts) but tab and line breaks, and U+FFFE, U+FFFF. */
const XML_UNSAFE = new RegExp(`(?![\\t\\n\\r])${UNSAFE_CLASS}|[\\uFFFE\\uFFFF]`, 'g');

/**
 * Escapes text for XML content and double-quoted attributes. Characters XML 1.0 forbids, and those it
 * allows but a CI server's page or log would act on (DEL, C1 controls, bidi overrides and isolates),
 * become U+FFFD; tab and line breaks become character references.
 */
export function escapeXml(text: string): string {
  return text
    .replace(XML_UNSAFE, '\uFFFD')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;');
}

const x = escapeXml;

type Verdict = 'failure' | 'skipped' | 'passed';

function verdict(kpi: KpiResult, failOn: FailOn): Verdict {
  if (failsRun(kpi, failOn)) return 'failure';
  return kpi.status === 'no-data' || kpi.status === 'stale' ? 'skipped' : 'passed';
}

export function renderJunit(report: Report, failOn: FailOn = 'red'): string {
  const groups = byAreaCatalogue(report.kpis);
  const count = (kpis: readonly KpiResult[]) => ({
    tests: kpis.length,
    failures: kpis.filter((k) => verdict(k, failOn) === 'failure').length,
    skipped: kpis.filter((k) => verdict(k, failOn) === 'skipped').length,
  });
  const totals = count(report.kpis);
  const isIncomplete = report.period.complete === false;
  const title = `${report.organisation} ISMS KPIs ${report.period.label}${isIncomplete ? ` (incomplete, computed on ${report.period.computedOn ?? '?'})` : ''}`;
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(
    `<testsuites name="${x(title)}" tests="${totals.tests}" failures="${totals.failures}" errors="0" skipped="${totals.skipped}">`,
  );
  for (const { area, kpis } of groups) {
    const c = count(kpis);
    const timestamp = report.generatedAt ? ` timestamp="${x(report.generatedAt)}"` : '';
    lines.push(
      `  <testsuite name="${x(area)}" tests="${c.tests}" failures="${c.failures}" errors="0" skipped="${c.skipped}"${timestamp}>`,
    );
    lines.push('    <properties>');
    lines.push(`      <property name="period" value="${x(report.period.label)}"/>`);
    lines.push(`      <property name="as-of" value="${x(report.asOf)}"/>`);
    if (isIncomplete) {
      lines.push('      <property name="period-complete" value="false"/>');
      lines.push(`      <property name="computed-on" value="${x(report.period.computedOn ?? '')}"/>`);
    }
    lines.push(`      <property name="catalogue-sha256" value="${x(report.catalogue.sha256)}"/>`);
    lines.push('    </properties>');
    for (const kpi of kpis) lines.push(...testcase(kpi, area, verdict(kpi, failOn)));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

/** The status that failed the run: a stale KPI's judgement, else its status. */
const failingStatus = (kpi: KpiResult): Status =>
  kpi.status === 'stale' && kpi.judgement ? kpi.judgement : kpi.status;

function testcase(kpi: KpiResult, area: string, result: Verdict): string[] {
  const open = `    <testcase classname="${x(area)}" name="${x(`${kpi.id} ${kpi.name}`)}"`;
  const summary = `${kpi.id}: ${formatValue(kpi, kpi.value)}, target ${formatBands(kpi)}; owner ${kpi.owner}`;
  const detail = [
    summary,
    `status: ${STATUS_LABEL[kpi.status]} (${kpi.reason})`,
    `formula: ${kpi.formula}`,
    ...(partialTrendNote(kpi) ? [`trend: ${partialTrendNote(kpi)}`] : []),
    ...(kpi.caveat ? [`caveat: ${kpi.caveat}`] : []),
  ].join('\n');
  const body = x(detail).replace(/&#10;/g, '\n');
  switch (result) {
    case 'failure': {
      const status = failingStatus(kpi);
      const label =
        kpi.status === 'stale' ? `${STATUS_LABEL.stale}, ${STATUS_LABEL[status]}` : STATUS_LABEL[status];
      return [
        `${open}>`,
        `      <failure message="${x(`${label}: ${kpi.reason}`)}" type="${status}">${body}</failure>`,
        '    </testcase>',
      ];
    }
    case 'skipped':
      return [
        `${open}>`,
        `      <skipped message="${x(`${STATUS_LABEL[kpi.status]}: ${kpi.reason}`)}"/>`,
        `      <system-out>${body}</system-out>`,
        '    </testcase>',
      ];
    case 'passed': {
      const note = kpi.status === 'amber' || kpi.status === 'red' ? `${kpi.status}: ` : '';
      return [`${open}>`, `      <system-out>${note}${body}</system-out>`, '    </testcase>'];
    }
  }
}
