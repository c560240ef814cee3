/**
 * Trend verdicts with significance (issue 20): a change beyond the tolerance that chance explains is
 * "unchanged" with the test saved; a significant one keeps its verdict; one that cannot be tested (a
 * median) keeps the verdict by the tolerance and says why; the catalogue's `significance:` sets the level.
 * Each KPI also carries its confidence interval.
 */
import { describe, expect, it } from 'vitest';
import { catalogueYaml, csv, type KpiSpec, kpiResults, runError } from '../formula/harness.js';

const SOURCES = `  tickets:
    path: tickets.csv
    kind: events
    time_field: opened
    fields:
      opened: { type: datetime }
      hours: { type: number }
      ok: { type: boolean }
`;

/** `count` instants spread over a quarter from its second day to a week before its end (the exports cover it). */
function spread(start: number, end: number, count: number): string[] {
  const day = 86_400_000;
  const step = count > 1 ? (end - start - 8 * day) / (count - 1) : 0;
  return Array.from({ length: count }, (_, i) => new Date(start + day + i * step).toISOString());
}

/** `q2` rows in 2026-Q2 and `q3` in 2026-Q3; the first `okQ2` / `okQ3` of each are ok. */
function tickets(q2: number, okQ2: number, q3: number, okQ3: number): string {
  const rows: (string | number)[][] = [['opened', 'hours', 'ok']];
  const quarter = (from: number, to: number, n: number, ok: number, hours: number) => {
    const times = spread(Date.UTC(2026, from, 1), Date.UTC(2026, to, 1), n);
    for (const [i, t] of times.entries()) rows.push([t, hours + i, String(i < ok)]);
  };
  quarter(3, 6, q2, okQ2, 10);
  quarter(6, 9, q3, okQ3, 12);
  return csv(rows);
}

function project(kpis: KpiSpec[], data: string, extra = '') {
  return { 'metrics.yaml': `${catalogueYaml(SOURCES, kpis, 'UTC')}${extra}`, 'tickets.csv': data };
}

const PCT: KpiSpec = {
  id: 'P',
  formula: 'pct(count(tickets, ok), count(tickets))',
  thresholds: { green: '>= 95' },
};
const COUNT: KpiSpec = { id: 'C', formula: 'count(tickets)', thresholds: { green: '<= 10' } };
const MEDIAN: KpiSpec = { id: 'M', formula: 'median(tickets, hours)', thresholds: { green: '<= 10' } };

describe('trend verdicts with significance', () => {
  it('7 of 8 against 8 of 8 is no significant change; 20 of 200 against 60 of 200 is', async () => {
    const small = (await kpiResults(project([PCT], tickets(8, 8, 8, 7)))).get('P')!;
    expect(small.trendVerdict).toMatchObject({
      verdict: 'unchanged',
      against: { period: '2026-Q2', value: 100, from: 'exports' },
      significance: { significant: false, method: 'Fisher exact test', level: 0.05 },
    });
    const large = (await kpiResults(project([PCT], tickets(200, 20, 200, 60)))).get('P')!;
    expect(large.trendVerdict).toMatchObject({
      verdict: 'improved',
      significance: { significant: true, method: 'two-proportion z-test', level: 0.05 },
    });
    expect(large.trendVerdict!.significance!.pValue).toBeLessThan(1e-6);
  });

  it('counts: 6 against 3 tickets is chance, 40 against 10 is not', async () => {
    const few = (await kpiResults(project([COUNT], tickets(6, 0, 3, 0)))).get('C')!;
    expect(few.trendVerdict).toMatchObject({ verdict: 'unchanged', significance: { significant: false } });
    const many = (await kpiResults(project([COUNT], tickets(40, 0, 10, 0)))).get('C')!;
    expect(many.trendVerdict).toMatchObject({
      verdict: 'improved',
      significance: { significant: true, method: 'exact Poisson test' },
    });
  });

  it('a median keeps its verdict by the tolerance and says it was not tested', async () => {
    const m = (await kpiResults(project([MEDIAN], tickets(9, 0, 9, 0)))).get('M')!;
    // median hours 14 in Q2 against 16 in Q3: worse, lower is better
    expect(m.trendVerdict).toMatchObject({
      verdict: 'worsened',
      significance: { significant: null, method: 'none', reason: 'a median (n = 9) is not tested' },
    });
    expect(m.interval).toEqual({ method: 'none', n: 9 });
  });

  it("the catalogue's significance: sets the level (and the intervals' confidence); off turns both off", async () => {
    // 50 of 100 against 65 of 100: p = 0.032, significant at 0.05, not at 0.01
    const data = tickets(100, 50, 100, 65);
    const at05 = (await kpiResults(project([PCT], data))).get('P')!;
    const at01 = (await kpiResults(project([PCT], data, 'significance: 0.01\n'))).get('P')!;
    expect(at05.trendVerdict?.verdict).toBe('improved');
    expect(at01.trendVerdict).toMatchObject({ verdict: 'unchanged', significance: { level: 0.01 } });
    expect(at05.interval).toMatchObject({ method: 'wilson', level: 0.95, n: 100 });
    expect(at01.interval).toMatchObject({ method: 'wilson', level: 0.99, n: 100 });
    expect(at01.interval!.low!).toBeLessThan(at05.interval!.low!);
    const off = (await kpiResults(project([PCT], data, 'significance: off\n'))).get('P')!;
    expect(off.trendVerdict).toEqual({
      verdict: 'improved',
      against: { period: '2026-Q2', value: 50, from: 'exports' },
    });
    expect(off.interval).toBeUndefined();
  });

  it('refuses a confidence level given as the significance level, located', async () => {
    const error = await runError(project([PCT], tickets(1, 1, 1, 1), 'significance: 0.95\n'));
    expect(error.message).toMatch(/metrics.yaml:\d+/);
    expect(error.problems[0]!.message).toContain('0.95 is a confidence level');
  });

  it('the interval of a count is the exact Poisson one', async () => {
    const c = (await kpiResults(project([COUNT], tickets(0, 0, 10, 0)))).get('C')!;
    expect(c.interval).toMatchObject({ method: 'poisson-exact', level: 0.95 });
    expect(c.interval!.low).toBeCloseTo(4.7954, 4);
    expect(c.interval!.high).toBeCloseTo(18.3904, 4);
  });
});

describe('significance: in the catalogue', () => {
  it('refuses what is not a level or off, located and in plain words', async () => {
    const error = await runError(project([PCT], tickets(1, 1, 1, 1), 'significance: maybe\n'));
    expect(error.problems[0]!.message).toBe('significance: expected a significance level like 0.05, or off');
    expect(error.message).toMatch(/metrics.yaml:\d+:\d+/);
  });
});
