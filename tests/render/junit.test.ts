/** JUnit: red fails, amber passes with a note, no data and stale are skipped with the reason, green/info pass. */
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeXml, renderJunit } from '../../src/render/junit.js';
import type { Report } from '../../src/report/model.js';
import { runBundled } from './bundled.js';

let report: Report;
let xml: string;
beforeAll(async () => {
  report = structuredClone((await runBundled()).report);
  // IR-03 is made stale (its value would be green) with a partial trend.
  const ir03 = report.kpis.find((k) => k.id === 'IR-03')!;
  ir03.judgement = 'green';
  ir03.status = 'stale';
  ir03.reason = 'incidents data ends 2026-08-01, 60 days before the period ends';
  ir03.trend = null;
  ir03.trendNote = 'partial: incidents data ends 2026-08-01, before 2026-09 ends';
  ir03.trendVerdict = { verdict: 'none', reason: ir03.trendNote };
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
    // Red: IR-09, AC-01, AC-02, AC-09, GV-01, SU-01, SU-03, SU-04, DP-02, TR-01, GV-12, GV-14, GV-15,
    // GV-17, GV-21. Skipped: AW-03 (no data) and IR-03 (stale, and its value would not fail the run).
    // AC-09 is red but accepted by an exception until 2026-12-31, so it does not fail.
    expect(red).toBe(15);
    expect(xml).toContain(`tests="${report.kpis.length}" failures="${red - 1}" errors="0" skipped="2"`);
    expect(xml).toMatch(/<testsuite name="Access control" tests="10" failures="3" errors="0" skipped="0">/);
  });

  it('maps each status to what a CI server shows', () => {
    expect(testcase('AC-01')).toContain('<failure message="red: misses amber &gt;= 90" type="red">');
    expect(testcase('IR-02')).not.toMatch(/<failure|<skipped/);
    expect(testcase('IR-02')).toContain('<system-out>amber: IR-02: 87.5 %');
    expect(testcase('AW-03')).toContain(
      '<skipped message="no data: no manual value of awareness_pulse_correct for 2026-Q3"',
    );
    expect(testcase('IR-03')).toContain(
      '<skipped message="stale: incidents data ends 2026-08-01, 60 days before the period ends"/>',
    );
    expect(testcase('IR-03')).toContain(
      'trend: partial: incidents data ends 2026-08-01, before 2026-09 ends',
    );
    expect(testcase('BK-01')).not.toMatch(/<failure|<skipped/);
    expect(testcase('AC-09')).not.toMatch(/<failure|<skipped/);
    expect(testcase('AC-09')).toContain('<system-out>red: AC-09: 5');
    expect(testcase('AC-09')).toContain('accepted until 2026-12-31 (approved by CISO, risk RISK-017)');
    // AC-02's exception expired on 2026-06-30: it fails.
    expect(testcase('AC-02')).toContain('<failure message="red:');
    expect(testcase('AC-02')).toContain('exception expired 2026-06-30');
    expect(testcase('IR-01')).not.toMatch(/<failure|<skipped/);
  });

  it('escapes markup and drops characters XML 1.0 cannot carry', () => {
    expect(escapeXml(`<a href="x">'&'</a>\u0001\u0008`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;\uFFFD\uFFFD',
    );
    expect(escapeXml('line\nbreak\ttab')).toBe('line&#10;break&#9;tab');
  });
});
