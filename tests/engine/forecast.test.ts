/**
 * The forecast of an objective's KPI (Theil-Sen over the periods): synthetic histories with a known slope
 * that reach the target before the due date (on track), after it (off track), never (flat, or moving
 * away), and too few points for any forecast.
 */
import { describe, expect, it } from 'vitest';
import { compileThresholds, type Thresholds } from '../../src/catalogue/thresholds.js';
import { forecast, MIN_FORECAST_POINTS, theilSen } from '../../src/engine/forecast.js';
import { forecastPoints, objectiveResults } from '../../src/engine/objectives.js';

const band = (text: string) => (compileThresholds({ green: text }) as Thresholds).green;
/** Quarter ends of 2025 and 2026 (UTC), as epoch ms. */
const QUARTER_ENDS = [
  '2025-04-01',
  '2025-07-01',
  '2025-10-01',
  '2026-01-01',
  '2026-04-01',
  '2026-07-01',
  '2026-10-01',
].map((d) => Date.parse(`${d}T00:00:00Z`));
const DAY = 86_400_000;

/** Points on the line value = start + perDay * days since the first point, at the first n quarter ends. */
function line(n: number, start: number, perDay: number) {
  return QUARTER_ENDS.slice(0, n).map((at) => ({
    at,
    value: start + (perDay * (at - QUARTER_ENDS[0]!)) / DAY,
  }));
}

describe('theilSen', () => {
  it('recovers the slope of an exact line, and ignores one outlier that would swing least squares', () => {
    const points = line(6, 50, 0.1);
    expect(theilSen(points).slope * DAY).toBeCloseTo(0.1, 12);
    const odd = points.map((p, i) => (i === 2 ? { ...p, value: p.value + 500 } : p));
    expect(theilSen(odd).slope * DAY).toBeCloseTo(0.1, 12);
  });
});

describe('forecast', () => {
  it('on track: the line reaches the target before the due date, on the day the slope says', () => {
    // 80 rising 0.1 a day from 2025-04-01 (6 quarter ends, the last 2026-07-01 at about 116.5): 130
    // after 500 days, on 2026-08-14.
    const f = forecast(line(6, 80, 0.1), band('>= 130'), '2026-12-31', 'UTC');
    expect(f).toEqual({
      state: 'on-track',
      points: 6,
      expected: '2026-08-14',
      slopePerDay: expect.closeTo(0.1, 12),
    });
  });

  it('off track: the same line with a due date before the expected day', () => {
    const f = forecast(line(6, 80, 0.1), band('>= 130'), '2026-06-30', 'UTC');
    expect(f.state).toBe('off-track');
    expect(f.expected).toBe('2026-08-14');
  });

  it('a lower-is-better target: a falling line reaches it', () => {
    // 100 falling 0.05 a day: 50 after 1,000 days from 2025-04-01 = 2027-12-27.
    const f = forecast(line(5, 100, -0.05), band('<= 50'), '2027-12-31', 'UTC');
    expect([f.state, f.expected]).toEqual(['on-track', '2027-12-27']);
    expect(forecast(line(5, 100, -0.05), band('<= 50'), '2027-06-30', 'UTC').state).toBe('off-track');
  });

  it('flat, or moving away from the target: off track, with no expected date', () => {
    const flat = forecast(line(5, 80, 0), band('>= 95'), '2030-01-01', 'UTC');
    expect(flat.state).toBe('off-track');
    expect(flat.expected).toBeUndefined();
    const away = forecast(line(5, 80, -0.1), band('>= 95'), '2030-01-01', 'UTC');
    expect(away.state).toBe('off-track');
    expect(away.expected).toBeUndefined();
  });

  it(`too few points: no forecast from fewer than ${MIN_FORECAST_POINTS}`, () => {
    expect(MIN_FORECAST_POINTS).toBe(4);
    const f = forecast(line(3, 80, 0.1), band('>= 130'), '2030-01-01', 'UTC');
    expect(f).toEqual({ state: 'too-few-points', points: 3 });
    expect(forecast(line(4, 80, 0.1), band('>= 130'), '2030-01-01', 'UTC').state).toBe('on-track');
  });

  it('met: the current value meets the target, whatever the points', () => {
    expect(forecast(line(2, 96, 0), band('>= 95'), '2020-01-01', 'UTC')).toEqual({ state: 'met', points: 2 });
  });
});

describe('objectiveResults', () => {
  const objective = { id: 'O', statement: 's', owner: 'CISO', target: '>= 130', due: '2026-12-31' };
  const kpi = (id: string, value: number | null, status: 'green' | 'red', objectiveId = 'O') =>
    ({ id, value, status, objective: objectiveId }) as never;

  it('progress: which KPIs meet the target; off track when a forecast is', () => {
    const kpis = [
      kpi('A', 131, 'green'),
      kpi('B', 120, 'red'),
      kpi('C', null, 'red'),
      kpi('X', 1, 'red', 'P'),
    ];
    const [o] = objectiveResults([objective], kpis, 'UTC');
    expect(o!.kpis.map((k) => [k.id, k.meetsTarget])).toEqual([
      ['A', true],
      ['B', false],
      ['C', null],
    ]);
    expect([o!.meeting, o!.offTrack]).toEqual([1, false]);
    // With a history that moves away from the target, B is off track, and so is the objective.
    const withHistory = objectiveResults([objective], kpis, 'UTC', (id) =>
      id === 'B' ? line(5, 125, -0.01) : [],
    )[0]!;
    expect(withHistory.kpis[1]!.forecast?.state).toBe('off-track');
    expect(withHistory.offTrack).toBe(true);
  });
});

describe('forecastPoints', () => {
  const report = (start: string, end: string, value: number | null, hash = 'h', complete?: boolean) => ({
    period: { start, end, ...(complete === undefined ? {} : { complete }) },
    kpis: [{ id: 'K', value, definitionHash: hash }],
  });
  /** Quarter n of 2026 (1-3), with the value n. */
  const q = (n: number) => {
    const months = ['01', '04', '07', '10'];
    return report(`2026-${months[n - 1]}-01`, `2026-${months[n]}-01`, n);
  };

  it('earlier periods in time order with the same definition and a value, then the current one', () => {
    const saved = [
      q(2),
      q(1),
      report('2026-01-01', '2026-04-01', 9),
      report('2025-10-01', '2026-01-01', 5, 'other'),
    ];
    const points = forecastPoints(saved, q(3))('K');
    expect(points.map((p) => p.value)).toEqual([1, 2, 3]);
    expect(points.map((p) => new Date(p.at).toISOString().slice(0, 10))).toEqual([
      '2026-04-01',
      '2026-07-01',
      '2026-10-01',
    ]);
  });

  it('a current period that has not ended is no point', () => {
    const current = { ...q(3), period: { ...q(3).period, complete: false } };
    expect(forecastPoints([q(1), q(2)], current)('K').map((p) => p.value)).toEqual([1, 2]);
  });
});
