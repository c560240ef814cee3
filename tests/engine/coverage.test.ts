/**
 * The coverage rule (src/engine/coverage.ts), used by staleness and by trends alike: an events export
 * covers [start, end) when its first row is no later than start + tolerance and its last row no earlier
 * than end - tolerance; tolerance = 7 x the average gap between its rows, at least one week, at most one
 * cadence of the KPI.
 */
import { describe, expect, it } from 'vitest';
import { coverageGap, coverageTolerance } from '../../src/engine/coverage.js';
import { catalogueYaml, csv, kpiResults } from '../formula/harness.js';
import { runBundled } from '../render/bundled.js';

const DAY = 86_400_000;
const Q3 = { start: Date.UTC(2026, 6, 1), end: Date.UTC(2026, 9, 1) };

describe('coverageTolerance', () => {
  it('is 7 average gaps: a row every two days gives 14 days', () => {
    // 51 rows over 100 days: the average gap is two days.
    const range = { minTime: Q3.start, maxTime: Q3.start + 100 * DAY, rows: 51 };
    expect(coverageTolerance(range, 'quarterly')).toEqual({ ms: 14 * DAY, basis: 'rows' });
  });

  it('is at least one week (many rows a day: weekends and freezes leave quiet days in complete exports)', () => {
    const range = { minTime: Q3.start, maxTime: Q3.start + 10 * DAY, rows: 10_001 };
    expect(coverageTolerance(range, 'monthly')).toEqual({ ms: 7 * DAY, basis: 'week' });
    // Two incidents a day would give 3.5 days: the week wins.
    const twice = { minTime: Q3.start, maxTime: Q3.start + 100 * DAY, rows: 201 };
    expect(coverageTolerance(twice, 'quarterly')).toEqual({ ms: 7 * DAY, basis: 'week' });
  });

  it('is at most one cadence: a source with one row a month keeps the one-cadence tolerance', () => {
    const range = { minTime: Q3.start, maxTime: Q3.start + 300 * DAY, rows: 11 };
    expect(coverageTolerance(range, 'monthly')).toEqual({ ms: 31 * DAY, basis: 'cadence' });
    expect(coverageTolerance(range, 'quarterly')).toEqual({ ms: 92 * DAY, basis: 'cadence' });
  });

  it('is one cadence for a single row (no gap to average)', () => {
    const range = { minTime: Q3.start, maxTime: Q3.start, rows: 1 };
    expect(coverageTolerance(range, 'weekly')).toEqual({ ms: 7 * DAY, basis: 'cadence' });
  });
});

describe('coverageGap', () => {
  // One row every 2 days: the tolerance is 14 days.
  const dense = (minTime: number, maxTime: number) => ({
    minTime,
    maxTime,
    rows: Math.round((maxTime - minTime) / (2 * DAY)) + 1,
  });

  it('an export that spans the interval covers it', () => {
    expect(coverageGap(dense(Q3.start - 10 * DAY, Q3.end + 10 * DAY), Q3, 'quarterly')).toBeUndefined();
  });

  it('the tolerance applies at both ends, inclusive', () => {
    const edge = dense(Q3.start + 14 * DAY, Q3.end - 14 * DAY);
    expect(coverageTolerance(edge, 'quarterly').ms).toBe(14 * DAY);
    expect(coverageGap(edge, Q3, 'quarterly')).toBeUndefined();
  });

  it('a first row later than start + tolerance does not cover the start', () => {
    const late = dense(Q3.start + 16 * DAY, Q3.end + 30 * DAY);
    expect(coverageGap(late, Q3, 'quarterly')).toEqual({
      edge: 'start',
      at: Q3.start + 16 * DAY,
      shortBy: 16 * DAY,
      tolerance: { ms: 14 * DAY, basis: 'rows' },
    });
  });

  it('a last row earlier than end - tolerance does not cover the end', () => {
    const early = dense(Q3.start - 30 * DAY, Q3.end - 16 * DAY);
    expect(coverageGap(early, Q3, 'quarterly')).toMatchObject({ edge: 'end', shortBy: 16 * DAY });
  });

  it('a 92-day gap no longer passes for dense data (the one-cadence rule let it)', () => {
    // The example's incidents start on 26 March; Q1 starts on 1 January.
    const q1 = { start: Date.UTC(2026, 0, 1), end: Date.UTC(2026, 3, 1) };
    const incidents = { minTime: Date.UTC(2026, 2, 26), maxTime: Date.UTC(2026, 8, 30), rows: 143 };
    expect(coverageGap(incidents, q1, 'quarterly')).toMatchObject({ edge: 'start' });
  });

  it('no rows: nothing to judge (the KPI is no-data anyway)', () => {
    expect(coverageGap({ minTime: null, maxTime: null, rows: 0 }, Q3, 'monthly')).toBeUndefined();
  });
});

/** An events source `name` with one datetime field, its time field. */
const eventsSource = (name: string, field: string) => `  ${name}:
    path: ${name}.csv
    kind: events
    time_field: ${field}
    fields:
      ${field}: { type: datetime }
`;

/** A CSV of one time column: a row every `step` ms from `first` to `last`, each `offset` ms into its step. */
function rowsEvery(field: string, step: number, first: number, last: number, offset: number): string {
  const rows: string[][] = [[field]];
  for (let t = first; t <= last; t += step) rows.push([new Date(t + offset).toISOString()]);
  return csv(rows);
}

describe('staleness uses the coverage rule', () => {
  /** KPI B (monthly, green from 1) over daily backups from 1 June to `last`. */
  const backupsUpTo = async (last: number) =>
    (
      await kpiResults({
        'metrics.yaml': catalogueYaml(
          eventsSource('backups', 'started'),
          [{ id: 'B', formula: 'count(backups)', cadence: 'monthly', thresholds: { green: '>= 1' } }],
          'UTC',
        ),
        'backups.csv': rowsEvery('started', DAY, Date.UTC(2026, 5, 1), last, 10 * 3_600_000),
      })
    ).get('B')!;

  it('daily rows that stop 10 days before the period ends are stale (one cadence allowed 31 days)', async () => {
    const b = await backupsUpTo(Date.UTC(2026, 8, 20));
    expect(b.status).toBe('stale');
    expect(b.judgement).toBe('green');
    expect(b.reason).toBe(
      'backups data ends 2026-09-20, 10.6 days before the period ends (more than one week); the value would be green',
    );
  });

  it('daily rows up to the last day are not stale', async () => {
    expect((await backupsUpTo(Date.UTC(2026, 8, 30))).status).toBe('green');
  });
});

describe('trends over partial periods and windows', () => {
  const SOURCE = eventsSource('tickets', 'opened');
  const twiceDaily = (first: number, last: number) => rowsEvery('opened', DAY / 2, first, last, 3_600_000);

  it('a previous period the export does not cover gives no trend, with the reason', async () => {
    // Q2 is computed from 20-30 June only: comparing Q3 with it would say "up".
    const kpis = await kpiResults({
      'metrics.yaml': catalogueYaml(SOURCE, [{ id: 'T', formula: 'count(tickets)' }], 'UTC'),
      'tickets.csv': twiceDaily(Date.UTC(2026, 5, 20), Date.UTC(2026, 8, 30)),
    });
    const t = kpis.get('T')!;
    expect(t.value).toBe(183);
    expect(t.trend).toBeNull();
    expect(t.previous).toBeUndefined();
    expect(t.trendNote).toBe('partial: tickets data starts 2026-06-20, after 2026-Q2 starts');
  });

  it('a window the export does not cover gives no window trend', async () => {
    // Monthly windows of Q3: the export starts on 25 August, so August is partial.
    const kpis = await kpiResults({
      'metrics.yaml': catalogueYaml(
        SOURCE,
        [{ id: 'M', formula: 'count(tickets)', cadence: 'monthly' }],
        'UTC',
      ),
      'tickets.csv': twiceDaily(Date.UTC(2026, 7, 25), Date.UTC(2026, 8, 30)),
    });
    const m = kpis.get('M')!;
    expect(m.windows.map((w) => w.value)).toEqual([null, 14, 59]);
    expect(m.trend).toBeNull();
    expect(m.trendNote).toBe('partial: tickets data starts 2026-08-25, after 2026-08 starts');
  });

  it('a covered previous period still gives a trend', async () => {
    const kpis = await kpiResults({
      'metrics.yaml': catalogueYaml(SOURCE, [{ id: 'T', formula: 'count(tickets)' }], 'UTC'),
      'tickets.csv': twiceDaily(Date.UTC(2026, 3, 1), Date.UTC(2026, 8, 30)),
    });
    const t = kpis.get('T')!;
    expect(t.trend).toBe('up');
    expect(t.previous).toEqual({ period: '2026-Q2', value: 182 });
    expect(t.trendNote).toBeUndefined();
  });

  it('the example: Q2 incidents are not compared with a Q1 made of late March only', async () => {
    const { report } = await runBundled({ period: '2026-Q2' });
    const ir06 = report.kpis.find((k) => k.id === 'IR-06')!;
    expect(ir06.value).toBe(71);
    expect(ir06.trend).toBeNull();
    expect(ir06.previous).toBeUndefined();
    expect(ir06.trendNote).toBe('partial: incidents data starts 2026-03-26, after 2026-Q1 starts');
  });
});
