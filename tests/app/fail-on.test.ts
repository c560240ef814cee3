/**
 * The exit code, the JUnit `failures` and the Markdown verdict answer one question ("does this KPI fail
 * the run at this --fail-on level?"), so they can never disagree: checked over every combination of
 * statuses (each subset of green, amber, red, no data, stale with each judgement, info) and every level.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_FAIL_LEVEL, EXIT_OK, exitCode } from '../../src/app/exit-policy.js';
import { FAIL_ON_LEVELS, type FailOn } from '../../src/engine/status.js';
import { RENDERERS } from '../../src/render/index.js';
import type { KpiResult, Report, Status } from '../../src/report/model.js';
import { REPO, runCli } from '../helpers/cli.js';

const saved = JSON.parse(readFileSync(path.join(REPO, 'fixtures/reports/2026-Q2.json'), 'utf8')) as Report;
const template = saved.kpis[0]!;

/** The KPI states a report can hold; a stale KPI carries the judgement its value would have had. */
const STATES: { name: string; status: Status; judgement?: 'green' | 'amber' | 'red' }[] = [
  { name: 'green', status: 'green' },
  { name: 'amber', status: 'amber' },
  { name: 'red', status: 'red' },
  { name: 'no-data', status: 'no-data' },
  { name: 'stale-green', status: 'stale', judgement: 'green' },
  { name: 'stale-amber', status: 'stale', judgement: 'amber' },
  { name: 'stale-red', status: 'stale', judgement: 'red' },
  { name: 'stale-without-value', status: 'stale' },
  { name: 'info', status: 'info' },
];

function reportOf(states: typeof STATES): Report {
  const kpis = states.map((s, i): KpiResult => {
    const kpi: KpiResult = { ...structuredClone(template), id: `K-${i + 1}`, name: s.name, status: s.status };
    kpi.reason = `state ${s.name}`;
    delete kpi.judgement;
    if (s.judgement) kpi.judgement = s.judgement;
    return kpi;
  });
  const summary = { ...saved.summary, total: kpis.length };
  const statuses = Object.keys(saved.summary).filter((key) => key !== 'total') as Status[];
  for (const status of statuses) summary[status] = kpis.filter((k) => k.status === status).length;
  return { ...saved, kpis, summary };
}

function junitFailures(xml: string): number {
  const total = /<testsuites [^>]*failures="(\d+)"/.exec(xml);
  if (!total) throw new Error('no testsuites element');
  const elements = xml.match(/<failure /g)?.length ?? 0;
  // The total is the number of <failure> elements: the CI server's count and ours agree.
  expect(Number(total[1])).toBe(elements);
  return elements;
}

const saysFails = (markdown: string) => /^\*\*Run fails\*\* \(fail on /m.test(markdown);
const saysPasses = (markdown: string) => /^\*\*Run passes\*\* \(fail on /m.test(markdown);

/** Every subset of STATES (2^9 = 512), as lists. */
function subsets<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let mask = 1; mask < 1 << items.length; mask++) out.push(items.filter((_, i) => mask & (1 << i)));
  return out;
}

describe('one fail rule for the exit code, JUnit and the Markdown verdict', () => {
  it.each(FAIL_ON_LEVELS)('--fail-on %s, over every combination of statuses', (failOn: FailOn) => {
    let failing = 0;
    let passing = 0;
    for (const states of subsets(STATES)) {
      const report = reportOf(states);
      const code = exitCode({ command: 'report', kpis: report.kpis, failOn });
      const failures = junitFailures(RENDERERS.junit(report, { color: false, failOn }));
      const markdown = RENDERERS.markdown(report, { color: false, failOn });
      const label = `${states.map((s) => s.name).join(',')} at ${failOn}`;
      expect([EXIT_OK, EXIT_FAIL_LEVEL], label).toContain(code);
      expect(failures > 0, label).toBe(code === EXIT_FAIL_LEVEL);
      expect(saysFails(markdown), label).toBe(code === EXIT_FAIL_LEVEL);
      expect(saysPasses(markdown), label).toBe(code === EXIT_OK);
      if (code === EXIT_FAIL_LEVEL) failing++;
      else passing++;
    }
    // Every level has combinations on both sides, except never, which never fails.
    expect(passing).toBeGreaterThan(0);
    if (failOn === 'never') expect(failing).toBe(0);
    else expect(failing).toBeGreaterThan(0);
  });

  it('counts exactly the KPIs that fail: red and stale-red at red; amber and stale-amber too at amber', () => {
    const report = reportOf(STATES);
    const failingNames = (failOn: FailOn) =>
      [
        ...RENDERERS.junit(report, { color: false, failOn }).matchAll(/name="K-\d+ ([a-z-]+)">\s*<failure /g),
      ].map((m) => m[1]);
    expect(failingNames('red')).toEqual(['red', 'stale-red']);
    expect(failingNames('amber')).toEqual(['amber', 'red', 'stale-amber', 'stale-red']);
    expect(failingNames('never')).toEqual([]);
    // A stale KPI whose judgement is red is a failure, not skipped; the other stale KPIs are skipped with
    // no data: no-data, stale-green, stale-amber, stale-without-value.
    const xml = RENDERERS.junit(report, { color: false, failOn: 'red' });
    expect(xml).toContain('<failure message="stale, red: state stale-red" type="red">');
    expect(xml.match(/<skipped /g)).toHaveLength(4);
    expect(RENDERERS.markdown(report, { color: false, failOn: 'amber' })).toContain(
      '**Run fails** (fail on amber): 4 KPIs — K-2, K-3, K-6, K-7',
    );
  });
});

describe('report --format junit through the CLI', () => {
  it('with --fail-on amber counts the amber KPI as a failure and exits 1; with red it passes and exits 0', async () => {
    // IR-02 is amber in 2026-Q3 (7 of 8 critical incidents contained within 4 h).
    const amber = await runCli(['report', '--kpi', 'IR-02', '--format', 'junit', '--fail-on', 'amber']);
    expect(amber.status).toBe(1);
    expect(amber.stdout).toContain('tests="1" failures="1" errors="0" skipped="0"');
    expect(amber.stdout).toContain('type="amber"');
    const red = await runCli(['report', '--kpi', 'IR-02', '--format', 'junit']);
    expect(red.status).toBe(0);
    expect(red.stdout).toContain('tests="1" failures="0" errors="0" skipped="0"');
  });
});
