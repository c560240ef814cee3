/**
 * JUnit XML so CI servers list KPIs as tests: one testsuite per area, one testcase per KPI, in catalogue
 * order. Red fails; amber passes with a note in system-out; no data and stale are skipped with the reason;
 * green and info pass. No durations or host names, so the file is reproducible.
 */
import type { KpiResult, Report } from '../report/model.js';
import { byAreaCatalogue, formatBands, formatValue, STATUS_LABEL } from './format.js';

/** Escapes text for XML content and double-quoted attributes; characters XML 1.0 forbids become U+FFFD. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
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

export function renderJunit(report: Report): string {
  const groups = byAreaCatalogue(report.kpis);
  const count = (kpis: readonly KpiResult[]) => ({
    tests: kpis.length,
    failures: kpis.filter((k) => k.status === 'red').length,
    skipped: kpis.filter((k) => k.status === 'no-data' || k.status === 'stale').length,
  });
  const totals = count(report.kpis);
  const title = `${report.organisation} ISMS KPIs ${report.period.label}`;
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
    lines.push(`      <property name="catalogue-sha256" value="${x(report.catalogue.sha256)}"/>`);
    lines.push('    </properties>');
    for (const kpi of kpis) lines.push(...testcase(kpi, area));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function testcase(kpi: KpiResult, area: string): string[] {
  const open = `    <testcase classname="${x(area)}" name="${x(`${kpi.id} ${kpi.name}`)}"`;
  const summary = `${kpi.id}: ${formatValue(kpi, kpi.value)}, target ${formatBands(kpi)}; owner ${kpi.owner}`;
  const detail = [
    summary,
    `status: ${STATUS_LABEL[kpi.status]} (${kpi.reason})`,
    `formula: ${kpi.formula}`,
    ...(kpi.caveat ? [`caveat: ${kpi.caveat}`] : []),
  ].join('\n');
  const body = x(detail).replace(/&#10;/g, '\n');
  switch (kpi.status) {
    case 'red':
      return [
        `${open}>`,
        `      <failure message="${x(`${STATUS_LABEL.red}: ${kpi.reason}`)}" type="red">${body}</failure>`,
        '    </testcase>',
      ];
    case 'no-data':
    case 'stale':
      return [
        `${open}>`,
        `      <skipped message="${x(`${STATUS_LABEL[kpi.status]}: ${kpi.reason}`)}"/>`,
        `      <system-out>${body}</system-out>`,
        '    </testcase>',
      ];
    case 'amber':
      return [`${open}>`, `      <system-out>amber: ${body}</system-out>`, '    </testcase>'];
    case 'green':
    case 'info':
      return [`${open}>`, `      <system-out>${body}</system-out>`, '    </testcase>'];
  }
}
