/** JUnit: red fails, amber passes with a note, no data and stale are skipped with the reason, green/info pass. */
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeXml, renderJunit } from '../../src/render/junit.js';
import type { Report } from '../../src/report/model.js';
import { runBundled } from './bundled.js';

let report: Report;
let xml: string;
beforeAll(async () => {
  report = structuredClone((await runBundled()).report);
  // The bundled CH-01..CH-04 are stale in 2026-Q3 (the changes export ends 4.9 days early); IR-03 is made
  // stale too, with a reason of its own.
  const ir03 = report.kpis.find((k) => k.id === 'IR-03')!;
  ir03.status = 'stale';
  ir03.reason = 'incidents data ends 2026-08-01, 60 days before the period ends';
  xml = renderJunit(report);
});

function testcase(id: string): string {
  const match = new RegExp(`<testcase [^>]*name="${id} [^"]*"[^>]*>([\\s\\S]*?)</testcase>`).exec(xml);
  if (!match) throw new Error(`no testcase for ${id}`);
  return match[1]!;
}

describe('junit', () => {
  it('has one testsuite per area and one testcase per KPI, with the right totals', () => {
    const areas = new Set(report.kpis.map((k) => k.area));
    expect(xml.match(/<testsuite /g)).toHaveLength(areas.size);
    expect(xml.match(/<testcase /g)).toHaveLength(report.kpis.length);
    const red = report.kpis.filter((k) => k.status === 'red').length;
    // Skipped: AW-01 (no data), IR-03 and CH-01..CH-04 (stale, and their values would not fail the run).
    expect(xml).toContain(`tests="${report.kpis.length}" failures="${red}" errors="0" skipped="6"`);
    expect(xml).toMatch(/<testsuite name="Access control" tests="10" failures="4" errors="0" skipped="0">/);
  });

  it('maps each status to what a CI server shows', () => {
    expect(testcase('AC-01')).toContain('<failure message="red: misses amber &gt;= 90" type="red">');
    expect(testcase('IR-02')).not.toMatch(/<failure|<skipped/);
    expect(testcase('IR-02')).toContain('<system-out>amber: IR-02: 87.5 %');
    expect(testcase('AW-01')).toContain('<skipped message="no data: source data is missing:');
    expect(testcase('IR-03')).toContain(
      '<skipped message="stale: incidents data ends 2026-08-01, 60 days before the period ends"/>',
    );
    expect(testcase('CH-01')).toContain(
      '<skipped message="stale: changes data ends 2026-09-26, 4.9 days before',
    );
    expect(testcase('CH-01')).toContain('trend: partial: changes data ends 2026-09-26, before 2026-09 ends');
    expect(testcase('BK-01')).not.toMatch(/<failure|<skipped/);
    expect(testcase('IR-01')).not.toMatch(/<failure|<skipped/);
  });

  it('escapes markup and drops characters XML 1.0 cannot carry', () => {
    expect(escapeXml(`<a href="x">'&'</a>\u0001\u0008`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;\uFFFD\uFFFD',
    );
    expect(escapeXml('line\nbreak\ttab')).toBe('line&#10;break&#9;tab');
  });
});
