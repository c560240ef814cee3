/**
 * Trend verdicts (issue 18): improved / worsened / unchanged by the KPI's direction, by the rule `diff`
 * uses, against the previous period of the same length; no verdict on an incomplete period, on too few
 * rows, or where nothing gives an earlier value.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffReports } from '../../src/diff/compare.js';
import type { KpiResult } from '../../src/report/model.js';
import { judge, MIN_TREND_ROWS, trendSample } from '../../src/report/verdict.js';
import { catalogueYaml, csv, type KpiSpec, kpiResults, runError, runProject } from '../formula/harness.js';
import { run } from '../helpers/run.js';

const SOURCES = `  changes:
    path: changes.csv
    kind: events
    time_field: opened
    fields:
      opened: { type: datetime }
      hours: { type: number }
  accounts:
    path: accounts.csv
    kind: snapshot
    fields:
      id: id
`;

// Q2: 6 changes; Q3: 3 changes, of which 2 in September (the last month) against 0 in August.
const CHANGES = [
  ['opened', 'hours'],
  ['2026-04-02T10:00:00Z', 10],
  ['2026-04-20T10:00:00Z', 10],
  ['2026-05-01T10:00:00Z', 10],
  ['2026-06-01T10:00:00Z', 10],
  ['2026-06-10T10:00:00Z', 10],
  ['2026-06-20T10:00:00Z', 10],
  ['2026-07-05T10:00:00Z', 30],
  ['2026-09-01T10:00:00Z', 30],
  ['2026-09-25T10:00:00Z', 30],
];

// The direction rule is tested on its own here: 6 against 3 changes is not a significant change (issue 20,
// tests/engine/trend-significance.test.ts), so these projects turn significance off.
function project(kpis: KpiSpec[]) {
  return {
    'metrics.yaml': `${catalogueYaml(SOURCES, kpis, 'UTC')}significance: off\n`,
    'changes.csv': csv(CHANGES),
    'accounts.csv': 'id\na\nb\n',
  };
}

const verdictOf = async (kpi: KpiSpec, period = '2026-Q3') =>
  (await kpiResults(project([kpi]), period)).get(kpi.id)!.trendVerdict;

describe('trend verdict', () => {
  it('a monthly KPI in a quarterly report is judged against the previous quarter, not the last month', async () => {
    const m = (
      await kpiResults(
        project([{ id: 'M', formula: 'count(changes)', cadence: 'monthly', thresholds: { green: '<= 4' } }]),
      )
    ).get('M')!;
    // the schemaVersion 1 arrow still compares September (2) with July (1): up
    expect(m.trend).toBe('up');
    // the verdict compares Q3 (3) with Q2 (6): fewer changes, and lower is better
    expect(m.trendVerdict).toEqual({
      verdict: 'improved',
      against: { period: '2026-Q2', value: 6, from: 'exports' },
    });
  });

  it('follows the direction of the thresholds: higher is better turns the same change into worsened', async () => {
    expect(
      (await verdictOf({ id: 'H', formula: 'count(changes)', thresholds: { green: '>= 5' } }))?.verdict,
    ).toBe('worsened');
  });

  it('direction: none says changed, never improved or worsened, even with thresholds', async () => {
    const v = await verdictOf({
      id: 'N',
      formula: 'count(changes)',
      thresholds: { green: '<= 4' },
      direction: 'none',
    });
    expect(v?.verdict).toBe('changed');
    // a KPI without thresholds has no direction either
    expect((await verdictOf({ id: 'I', formula: 'count(changes)' }))?.verdict).toBe('changed');
  });

  it('a declared direction judges a KPI without thresholds', async () => {
    expect((await verdictOf({ id: 'D', formula: 'count(changes)', direction: 'higher' }))?.verdict).toBe(
      'worsened',
    );
  });

  it('a direction that contradicts the thresholds is refused, naming both', async () => {
    const error = await runError(
      project([{ id: 'X', formula: 'count(changes)', thresholds: { green: '<= 4' }, direction: 'higher' }]),
    );
    expect(error.problems[0]!.message).toContain('direction: higher contradicts the thresholds (<= 4');
    expect(error.message).toMatch(/metrics.yaml:\d+/);
  });

  it(`no verdict on fewer than ${MIN_TREND_ROWS} rows behind a statistic, with the reason`, async () => {
    // Q3's mean is taken over 3 changes
    const v = await verdictOf({ id: 'S', formula: 'mean(changes, hours)', thresholds: { green: '<= 20' } });
    expect(v).toEqual({
      verdict: 'none',
      against: { period: '2026-Q2', value: 10, from: 'exports' },
      reason: 'too few rows: 3 rows in 2026-Q3 (a trend needs 5)',
    });
  });

  it('no verdict on a ratio whose denominator is under the minimum', async () => {
    const v = await verdictOf({ id: 'R', formula: 'pct(count(changes, hours > 20), count(changes))' });
    expect(v?.verdict).toBe('none');
    expect(v?.reason).toBe('too few rows: 3 rows in 2026-Q3 (a trend needs 5)');
  });

  it('no verdict for a snapshot KPI without a saved report of the previous period', async () => {
    const v = await verdictOf({ id: 'A', formula: 'count(accounts)', thresholds: { green: '<= 4' } });
    expect(v?.verdict).toBe('none');
    expect(v?.reason).toContain('give the saved report of 2026-Q2 with --history');
  });

  it('no verdict on a period that has not ended', async () => {
    const { report } = await runProject(
      project([{ id: 'Q', formula: 'count(changes)', thresholds: { green: '<= 4' } }]),
      '2026-Q4',
    );
    expect(report.kpis[0]!.trendVerdict?.verdict).toBe('none');
    expect(report.kpis[0]!.trendVerdict?.reason).toMatch(/^incomplete: 2026-Q4 has not ended/);
  });

  it('the minimum counts denominators and statistics, not counts', () => {
    const agg = (fn: string, role: 'value' | 'numerator' | 'denominator', rowsMatched: number) => ({
      index: 0,
      text: '',
      fn,
      source: 's',
      role,
      value: 0,
      rowsInScope: rowsMatched,
      rowsMatched,
    });
    expect(trendSample({ aggregates: [agg('count', 'value', 1)] })).toBeUndefined();
    expect(trendSample({ aggregates: [agg('percentile', 'value', 2), agg('mean', 'value', 9)] })).toBe(2);
    expect(
      trendSample({
        denominator: 4,
        aggregates: [agg('count', 'numerator', 1), agg('count', 'denominator', 4)],
      }),
    ).toBe(4);
  });
});

describe('trend verdict with saved reports and diff', () => {
  const ROOT = path.resolve(import.meta.dirname, '../..');
  const bundled = (period: string, savedReports?: { period: string; kpis: KpiResult[] }[]) =>
    run({ catalogue: 'metrics.yaml', cwd: ROOT, period, ...(savedReports ? { savedReports } : {}) });

  it('a saved report of the previous quarter gives snapshot KPIs a verdict, and wins over the exports', async () => {
    const q2 = (await bundled('2026-Q2')).report;
    const edited = q2.kpis.map((k) => (k.id === 'IR-05' ? { ...k, value: 1 } : k));
    const q3 = (await bundled('2026-Q3', [{ period: '2026-Q2', kpis: edited }])).report;
    const byId = new Map(q3.kpis.map((k) => [k.id, k]));
    // IR-05 (<= 2 incidents with production impact): 2 in Q3, the saved Q2 report says 1: worse beyond
    // the tolerance, but 1 against 2 incidents is chance (exact Poisson test, p = 1) -> unchanged
    expect(byId.get('IR-05')!.trendVerdict).toEqual({
      verdict: 'unchanged',
      against: { period: '2026-Q2', value: 1, from: 'report' },
      significance: { significant: false, method: 'exact Poisson test', level: 0.05, pValue: 1 },
    });
    // the schemaVersion 1 arrow still comes from the exports (Q2: 5)
    expect(byId.get('IR-05')!.previous).toEqual({ period: '2026-Q2', value: 5 });
    // AC-03 reads a snapshot: a verdict only because the saved Q2 report has a value
    const ac03 = byId.get('AC-03')!;
    expect(ac03.trendVerdict?.against?.from).toBe('report');
    expect(ac03.trendVerdict?.verdict).not.toBe('none');
  });

  it('decides every verdict with the same rule as diff of the two saved reports', async () => {
    const q2 = (await bundled('2026-Q2')).report;
    const q3 = (await bundled('2026-Q3', [{ period: '2026-Q2', kpis: q2.kpis }])).report;
    const diff = diffReports(q2, q3);
    let compared = 0;
    let noise = 0;
    for (const kpi of q3.kpis) {
      const v = kpi.trendVerdict!;
      const d = diff.kpis.find((k) => k.id === kpi.id)!;
      if (v.verdict === 'none') {
        expect(v.reason).toBeTruthy();
        continue;
      }
      compared++;
      expect(v.against).toEqual({ period: '2026-Q2', value: d.oldValue, from: 'report' });
      expect(v.significance).toEqual(d.significance);
      // a change diff marks "not significant" is no change for the trend verdict
      const isNoise = d.significance?.significant === false;
      expect(v.verdict).toBe(isNoise ? 'unchanged' : d.verdict);
      if (!isNoise) expect(v.verdict).toBe(judge(d.oldValue, d.newValue, d.direction, 0.5));
      if (isNoise) noise++;
    }
    // the bundled example has such changes (a handful of incidents or restores more or less)
    expect(noise).toBeGreaterThan(3);
    // most of the 36 KPIs have a verdict (the rest: no value, or too few rows)
    expect(compared).toBeGreaterThan(20);
  });
});

describe('report --history', () => {
  it('takes the verdict from the saved report of the previous quarter', async () => {
    const { runCli } = await import('../helpers/cli.js');
    const r = await runCli([
      'report',
      '--period',
      '2026-Q3',
      '--history',
      'fixtures/reports/2026-Q2.json',
      '--format',
      'json',
      '--fail-on',
      'never',
    ]);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { kpis: KpiResult[] };
    const ac03 = report.kpis.find((k) => k.id === 'AC-03')!;
    // AWS MFA: 36 of 41 in 2026-Q2, 37 of 40 in 2026-Q3 (fixtures/acme/README.md): higher is better,
    // but 87.8 % against 92.5 % of about 40 users is chance: no significant change
    expect(ac03.trendVerdict?.verdict).toBe('unchanged');
    expect(ac03.trendVerdict?.significance).toMatchObject({ significant: false, level: 0.05 });
    expect(ac03.trendVerdict?.against?.from).toBe('report');
    expect(ac03.trendVerdict?.against?.value).toBeCloseTo((100 * 36) / 41, 9);
    // --significance off: the verdict by the direction and tolerance alone, as before issue 20
    const off = await runCli([
      'report',
      '--period',
      '2026-Q3',
      '--history',
      'fixtures/reports/2026-Q2.json',
      '--format',
      'json',
      '--fail-on',
      'never',
      '--significance',
      'off',
    ]);
    const offAc03 = (JSON.parse(off.stdout) as { kpis: KpiResult[] }).kpis.find((k) => k.id === 'AC-03')!;
    expect(offAc03.trendVerdict).toMatchObject({ verdict: 'improved' });
    expect(offAc03.trendVerdict?.significance).toBeUndefined();
    expect(offAc03.interval).toBeUndefined();
  });
});
