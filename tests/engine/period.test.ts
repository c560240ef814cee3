import { describe, expect, it } from 'vitest';
import {
  type Cadence,
  cadenceLengthMs,
  cadenceWindows,
  customPeriod,
  lastCompleteQuarter,
  type Period,
  type PeriodOptions,
  parsePeriod,
  previousPeriod,
} from '../../src/time/period.js';

const H = 3_600_000;
const D = 24 * H;
const BERLIN: PeriodOptions = { tz: 'Europe/Berlin' };
const BERLIN_FY_APRIL: PeriodOptions = { tz: 'Europe/Berlin', fiscalYearStartMonth: 4 };
const UTC: PeriodOptions = { tz: 'UTC' };

/** Local midnight in Berlin: Date.UTC of the date minus 1 h (winter) or 2 h (summer). */
function berlinMidnight(year: number, month: number, day: number): number {
  // Summer time 2020-2027: from the last Sunday in March to the last Sunday in October.
  const summer: Record<number, [number, number]> = {
    2020: [Date.UTC(2020, 2, 29), Date.UTC(2020, 9, 25)],
    2021: [Date.UTC(2021, 2, 28), Date.UTC(2021, 9, 31)],
    2024: [Date.UTC(2024, 2, 31), Date.UTC(2024, 9, 27)],
    2025: [Date.UTC(2025, 2, 30), Date.UTC(2025, 9, 26)],
    2026: [Date.UTC(2026, 2, 29), Date.UTC(2026, 9, 25)],
    2027: [Date.UTC(2027, 2, 28), Date.UTC(2027, 9, 31)],
  };
  const date = Date.UTC(year, month - 1, day);
  const range = summer[year];
  if (range === undefined) throw new Error(`no DST table for ${year}`);
  const isSummer = date > range[0] && date <= range[1];
  return date - (isSummer ? 2 : 1) * H;
}

function ok(result: ReturnType<typeof parsePeriod>): Period {
  if (!result.ok) throw new Error(result.message);
  return result.period;
}

function parse(text: string, options: PeriodOptions = BERLIN): Period {
  return ok(parsePeriod(text, options));
}

function summary(periods: Period[]): [string, number, number][] {
  return periods.map((p) => [p.label, p.start, p.end]);
}

describe('parsePeriod', () => {
  it('reads quarters, months, halves and years as local midnights', () => {
    expect(parse('2026-Q3')).toEqual({
      label: '2026-Q3',
      start: berlinMidnight(2026, 7, 1),
      end: berlinMidnight(2026, 10, 1),
      tz: 'Europe/Berlin',
      kind: 'quarter',
    });
    expect(parse('2026-09')).toMatchObject({
      label: '2026-09',
      start: Date.UTC(2026, 7, 31, 22),
      end: Date.UTC(2026, 8, 30, 22),
      kind: 'month',
    });
    expect(parse('2026-H2')).toMatchObject({
      label: '2026-H2',
      start: Date.UTC(2026, 5, 30, 22),
      end: Date.UTC(2026, 11, 31, 23),
      kind: 'half',
    });
    expect(parse('2026')).toMatchObject({
      label: '2026',
      start: Date.UTC(2025, 11, 31, 23),
      end: Date.UTC(2026, 11, 31, 23),
      kind: 'year',
    });
    expect(parse('2026-Q4', UTC)).toMatchObject({ start: Date.UTC(2026, 9, 1), end: Date.UTC(2027, 0, 1) });
  });

  it('accepts lower case and surrounding spaces', () => {
    expect(parse(' 2026-q3 ').label).toBe('2026-Q3');
    expect(parse('fy2026-q1', BERLIN_FY_APRIL).label).toBe('FY2026-Q1');
    expect(parse('2026-w38').label).toBe('2026-W38');
  });

  it('has DST-length months', () => {
    const march = parse('2026-03');
    expect(march.end - march.start).toBe(31 * D - H);
    const october = parse('2026-10');
    expect(october.end - october.start).toBe(31 * D + H);
    const november = parse('2026-11', { tz: 'America/New_York' });
    expect(november.start).toBe(Date.UTC(2026, 10, 1, 4));
    expect(november.end).toBe(Date.UTC(2026, 11, 1, 5));
  });

  it('reads ISO weeks, including week 53 at year boundaries', () => {
    expect(parse('2026-W38')).toMatchObject({
      label: '2026-W38',
      start: Date.UTC(2026, 8, 13, 22), // Monday 2026-09-14
      end: Date.UTC(2026, 8, 20, 22),
      kind: 'week',
    });
    // 2026 starts on a Thursday, so it has 53 ISO weeks: W53 is Mon 2026-12-28 to Sun 2027-01-03.
    expect(parse('2026-W53')).toMatchObject({
      start: berlinMidnight(2026, 12, 28),
      end: berlinMidnight(2027, 1, 4),
    });
    expect(parse('2026-W01')).toMatchObject({
      start: berlinMidnight(2025, 12, 29),
      end: berlinMidnight(2026, 1, 5),
    });
    expect(parse('2027-W01')).toMatchObject({ start: berlinMidnight(2027, 1, 4) });
    expect(parse('2025-W01')).toMatchObject({ start: berlinMidnight(2024, 12, 30) });
    // 2020 is a leap year starting on a Wednesday: 53 weeks.
    expect(parse('2020-W53')).toMatchObject({
      start: berlinMidnight(2020, 12, 28),
      end: berlinMidnight(2021, 1, 4),
    });
  });

  it('reads fiscal years named by the calendar year they start in', () => {
    expect(parse('FY2026', BERLIN_FY_APRIL)).toMatchObject({
      label: 'FY2026',
      start: berlinMidnight(2026, 4, 1),
      end: berlinMidnight(2027, 4, 1),
      kind: 'year',
    });
    expect(parse('FY2026-Q1', BERLIN_FY_APRIL)).toMatchObject({
      label: 'FY2026-Q1',
      start: berlinMidnight(2026, 4, 1),
      end: berlinMidnight(2026, 7, 1),
      kind: 'quarter',
    });
    expect(parse('FY2026-Q4', BERLIN_FY_APRIL)).toMatchObject({
      start: berlinMidnight(2027, 1, 1),
      end: berlinMidnight(2027, 4, 1),
    });
    expect(parse('FY2026-H2', BERLIN_FY_APRIL)).toMatchObject({
      label: 'FY2026-H2',
      start: berlinMidnight(2026, 10, 1),
      end: berlinMidnight(2027, 4, 1),
      kind: 'half',
    });
    // Without a fiscal start month, fiscal years are calendar years.
    expect(parse('FY2026')).toMatchObject({ label: 'FY2026', start: berlinMidnight(2026, 1, 1) });
    // Calendar forms ignore the fiscal start month.
    expect(parse('2026-Q1', BERLIN_FY_APRIL)).toMatchObject({ start: berlinMidnight(2026, 1, 1) });
  });

  it('explains bad text', () => {
    const usage = 'use 2026-Q3, 2026-09, 2026-H2, 2026, 2026-W38 or FY2026-Q1';
    expect(parsePeriod('2026-Q5', BERLIN)).toEqual({
      ok: false,
      message: `unknown period "2026-Q5": ${usage}`,
    });
    for (const text of ['2026-13', '2026-00', '2026-H3', 'Q3 2026', '', '26-Q3', '2026-9', 'FY2026-W01']) {
      expect(parsePeriod(text, BERLIN), text).toEqual({
        ok: false,
        message: `unknown period "${text}": ${usage}`,
      });
    }
    expect(parsePeriod('2021-W53', BERLIN)).toEqual({
      ok: false,
      message: 'unknown period "2021-W53": 2021 has 52 ISO weeks (2021-W01 to 2021-W52)',
    });
    expect(parsePeriod('2026-W54', BERLIN)).toEqual({
      ok: false,
      message: 'unknown period "2026-W54": 2026 has 53 ISO weeks (2026-W01 to 2026-W53)',
    });
    expect(parsePeriod('2026-W00', BERLIN).ok).toBe(false);
  });

  it('explains bad options', () => {
    expect(parsePeriod('2026', { tz: 'Europe/Berln' })).toEqual({
      ok: false,
      message: 'unknown time zone "Europe/Berln"',
    });
    expect(parsePeriod('2026', { tz: 'UTC', fiscalYearStartMonth: 13 })).toEqual({
      ok: false,
      message: 'the fiscal year start month must be 1 to 12, not 13',
    });
  });
});

describe('customPeriod', () => {
  it('covers whole days from --from to --to', () => {
    expect(ok(customPeriod('2026-07-01', '2026-09-30', BERLIN))).toEqual({
      label: '2026-07-01..2026-09-30',
      start: berlinMidnight(2026, 7, 1),
      end: berlinMidnight(2026, 10, 1),
      tz: 'Europe/Berlin',
      kind: 'custom',
    });
    const springDay = ok(customPeriod('2026-03-29', '2026-03-29', BERLIN));
    expect(springDay.end - springDay.start).toBe(23 * H);
    expect(ok(customPeriod('2024-02-29', '2024-02-29', UTC)).start).toBe(Date.UTC(2024, 1, 29));
  });

  it('explains bad dates', () => {
    expect(customPeriod('2026-02-30', '2026-03-01', BERLIN)).toEqual({
      ok: false,
      part: 'first',
      message: 'bad first day "2026-02-30": use yyyy-MM-dd, e.g. 2026-07-01',
    });
    expect(customPeriod('2026-01-01', '2025-02-29', BERLIN)).toEqual({
      ok: false,
      part: 'last',
      message: 'bad last day "2025-02-29": use yyyy-MM-dd, e.g. 2026-09-30',
    });
    expect(customPeriod('2026/07/01', '2026-07-02', BERLIN).ok).toBe(false);
    expect(customPeriod('2026-09-30', '2026-07-01', BERLIN)).toEqual({
      ok: false,
      part: 'order',
      message: 'the first day 2026-09-30 is after the last day 2026-07-01',
    });
    expect(customPeriod('2026-07-01', '2026-07-02', { tz: 'Nowhere/Land' }).ok).toBe(false);
  });
});

describe('lastCompleteQuarter', () => {
  it('gives the quarter before the current one', () => {
    expect(lastCompleteQuarter(Date.UTC(2026, 7, 15), BERLIN)).toMatchObject({
      label: '2026-Q2',
      start: berlinMidnight(2026, 4, 1),
      end: berlinMidnight(2026, 7, 1),
      kind: 'quarter',
    });
    expect(lastCompleteQuarter(Date.UTC(2026, 0, 15), BERLIN).label).toBe('2025-Q4');
    // The first instant of Q3 in Berlin: Q2 is complete.
    expect(lastCompleteQuarter(berlinMidnight(2026, 7, 1), BERLIN).label).toBe('2026-Q2');
    expect(lastCompleteQuarter(berlinMidnight(2026, 7, 1) - 1, BERLIN).label).toBe('2026-Q1');
  });

  it('uses the local date at the year boundary', () => {
    // 2026-12-31T23:30Z is already 2027-01-01 00:30 in Berlin.
    const now = Date.UTC(2026, 11, 31, 23, 30);
    expect(lastCompleteQuarter(now, BERLIN)).toMatchObject({
      label: '2026-Q4',
      start: berlinMidnight(2026, 10, 1),
      end: berlinMidnight(2027, 1, 1),
    });
    expect(lastCompleteQuarter(now, UTC).label).toBe('2026-Q3');
    expect(lastCompleteQuarter(now, { tz: 'America/New_York' }).label).toBe('2026-Q3');
  });
});

describe('cadenceLengthMs', () => {
  it('gives the nominal lengths', () => {
    const lengths: [Cadence, number][] = [
      ['weekly', 7 * D],
      ['monthly', 31 * D],
      ['quarterly', 92 * D],
      ['semiannual', 184 * D],
      ['annual', 366 * D],
    ];
    for (const [cadence, length] of lengths) expect(cadenceLengthMs(cadence)).toBe(length);
  });
});

describe('cadenceWindows', () => {
  function expectTiling(period: Period, windows: Period[]) {
    expect(windows[0]!.start).toBe(period.start);
    expect(windows.at(-1)!.end).toBe(period.end);
    for (let i = 1; i < windows.length; i++) expect(windows[i]!.start).toBe(windows[i - 1]!.end);
  }

  it('splits a quarter into months', () => {
    const q3 = parse('2026-Q3');
    const windows = cadenceWindows(q3, 'monthly', BERLIN);
    expect(summary(windows)).toEqual([
      ['2026-07', berlinMidnight(2026, 7, 1), berlinMidnight(2026, 8, 1)],
      ['2026-08', berlinMidnight(2026, 8, 1), berlinMidnight(2026, 9, 1)],
      ['2026-09', berlinMidnight(2026, 9, 1), berlinMidnight(2026, 10, 1)],
    ]);
    expect(windows.every((w) => w.kind === 'month' && w.tz === 'Europe/Berlin')).toBe(true);
  });

  it('splits a month into ISO weeks clipped at both ends', () => {
    const july = parse('2026-07'); // Wednesday 1 to Friday 31
    const windows = cadenceWindows(july, 'weekly', BERLIN);
    expect(summary(windows)).toEqual([
      ['2026-W27', berlinMidnight(2026, 7, 1), berlinMidnight(2026, 7, 6)],
      ['2026-W28', berlinMidnight(2026, 7, 6), berlinMidnight(2026, 7, 13)],
      ['2026-W29', berlinMidnight(2026, 7, 13), berlinMidnight(2026, 7, 20)],
      ['2026-W30', berlinMidnight(2026, 7, 20), berlinMidnight(2026, 7, 27)],
      ['2026-W31', berlinMidnight(2026, 7, 27), berlinMidnight(2026, 8, 1)],
    ]);
    expect(windows.every((w) => w.kind === 'week')).toBe(true);
  });

  it('puts week 53 of 2026 at the end of December and the start of January', () => {
    const december = cadenceWindows(parse('2026-12'), 'weekly', BERLIN);
    expect(summary(december).at(-1)).toEqual([
      '2026-W53',
      berlinMidnight(2026, 12, 28),
      berlinMidnight(2027, 1, 1),
    ]);
    const january = cadenceWindows(parse('2027-01'), 'weekly', BERLIN);
    expect(summary(january)[0]).toEqual(['2026-W53', berlinMidnight(2027, 1, 1), berlinMidnight(2027, 1, 4)]);
    expect(january[1]!.label).toBe('2027-W01');
  });

  it('splits a year into quarters, calendar or fiscal', () => {
    expect(cadenceWindows(parse('2026'), 'quarterly', BERLIN).map((w) => w.label)).toEqual([
      '2026-Q1',
      '2026-Q2',
      '2026-Q3',
      '2026-Q4',
    ]);
    const fy = parse('FY2026', BERLIN_FY_APRIL);
    const fiscal = cadenceWindows(fy, 'quarterly', BERLIN_FY_APRIL);
    expect(summary(fiscal)).toEqual([
      ['FY2026-Q1', berlinMidnight(2026, 4, 1), berlinMidnight(2026, 7, 1)],
      ['FY2026-Q2', berlinMidnight(2026, 7, 1), berlinMidnight(2026, 10, 1)],
      ['FY2026-Q3', berlinMidnight(2026, 10, 1), berlinMidnight(2027, 1, 1)],
      ['FY2026-Q4', berlinMidnight(2027, 1, 1), berlinMidnight(2027, 4, 1)],
    ]);
    // A calendar year with fiscal years from April: fiscal quarters, still aligned.
    expect(
      cadenceWindows(parse('2026', BERLIN_FY_APRIL), 'quarterly', BERLIN_FY_APRIL).map((w) => w.label),
    ).toEqual(['FY2025-Q4', 'FY2026-Q1', 'FY2026-Q2', 'FY2026-Q3']);
    // Fiscal years from February: the first and last fiscal quarters are clipped.
    const feb = { tz: 'Europe/Berlin', fiscalYearStartMonth: 2 };
    expect(summary(cadenceWindows(parse('2026', feb), 'quarterly', feb))).toEqual([
      ['FY2025-Q4', berlinMidnight(2026, 1, 1), berlinMidnight(2026, 2, 1)],
      ['FY2026-Q1', berlinMidnight(2026, 2, 1), berlinMidnight(2026, 5, 1)],
      ['FY2026-Q2', berlinMidnight(2026, 5, 1), berlinMidnight(2026, 8, 1)],
      ['FY2026-Q3', berlinMidnight(2026, 8, 1), berlinMidnight(2026, 11, 1)],
      ['FY2026-Q4', berlinMidnight(2026, 11, 1), berlinMidnight(2027, 1, 1)],
    ]);
  });

  it('splits a year into halves and FY into halves', () => {
    expect(cadenceWindows(parse('2026'), 'semiannual', BERLIN).map((w) => w.label)).toEqual([
      '2026-H1',
      '2026-H2',
    ]);
    expect(
      cadenceWindows(parse('FY2026', BERLIN_FY_APRIL), 'semiannual', BERLIN_FY_APRIL).map((w) => w.label),
    ).toEqual(['FY2026-H1', 'FY2026-H2']);
  });

  it('returns [period] when the cadence is not shorter', () => {
    const month = parse('2026-07');
    expect(cadenceWindows(month, 'monthly', BERLIN)).toEqual([month]);
    expect(cadenceWindows(month, 'quarterly', BERLIN)).toEqual([month]);
    const quarter = parse('2026-Q3');
    expect(cadenceWindows(quarter, 'annual', BERLIN)).toEqual([quarter]);
    const week = parse('2026-W38');
    expect(cadenceWindows(week, 'weekly', BERLIN)).toEqual([week]);
    const twentyDays = ok(customPeriod('2026-07-01', '2026-07-20', BERLIN));
    expect(cadenceWindows(twentyDays, 'monthly', BERLIN)).toEqual([twentyDays]);
  });

  it('splits custom periods', () => {
    const custom = ok(customPeriod('2026-07-15', '2026-09-10', BERLIN));
    expect(summary(cadenceWindows(custom, 'monthly', BERLIN))).toEqual([
      ['2026-07', berlinMidnight(2026, 7, 15), berlinMidnight(2026, 8, 1)],
      ['2026-08', berlinMidnight(2026, 8, 1), berlinMidnight(2026, 9, 1)],
      ['2026-09', berlinMidnight(2026, 9, 1), berlinMidnight(2026, 9, 11)],
    ]);
    const tenDays = ok(customPeriod('2026-07-01', '2026-07-10', BERLIN));
    expect(cadenceWindows(tenDays, 'weekly', BERLIN).map((w) => w.label)).toEqual(['2026-W27', '2026-W28']);
  });

  it('tiles periods without gaps across DST changes', () => {
    const cases: [string, Cadence][] = [
      ['2026', 'weekly'],
      ['2026', 'monthly'],
      ['2026-Q1', 'weekly'],
      ['2026-10', 'weekly'],
      ['2026-H2', 'quarterly'],
    ];
    for (const [text, cadence] of cases) {
      const period = parse(text);
      expectTiling(period, cadenceWindows(period, cadence, BERLIN));
    }
    expect(cadenceWindows(parse('2026'), 'weekly', BERLIN)).toHaveLength(53); // W01 clipped ... W53 clipped
  });
});

describe('previousPeriod', () => {
  function expectPrevious(text: string, label: string, options: PeriodOptions = BERLIN) {
    const period = parse(text, options);
    const previous = previousPeriod(period, options);
    expect(previous.label).toBe(label);
    expect(previous.kind).toBe(period.kind);
    expect(previous.end).toBe(period.start);
    return previous;
  }

  it('steps back across year boundaries', () => {
    expect(expectPrevious('2026-Q3', '2026-Q2').start).toBe(berlinMidnight(2026, 4, 1));
    expect(expectPrevious('2026-Q1', '2025-Q4').start).toBe(berlinMidnight(2025, 10, 1));
    expect(expectPrevious('2026-01', '2025-12').start).toBe(berlinMidnight(2025, 12, 1));
    expectPrevious('2026-H1', '2025-H2');
    expect(expectPrevious('2026', '2025').start).toBe(berlinMidnight(2025, 1, 1));
  });

  it('steps back ISO weeks across year boundaries', () => {
    expect(expectPrevious('2026-W01', '2025-W52').start).toBe(berlinMidnight(2025, 12, 22));
    expect(expectPrevious('2021-W01', '2020-W53').start).toBe(berlinMidnight(2020, 12, 28));
    expectPrevious('2027-W01', '2026-W53');
  });

  it('steps back fiscal periods', () => {
    expect(expectPrevious('FY2026-Q1', 'FY2025-Q4', BERLIN_FY_APRIL).start).toBe(berlinMidnight(2026, 1, 1));
    expect(expectPrevious('FY2026', 'FY2025', BERLIN_FY_APRIL).start).toBe(berlinMidnight(2025, 4, 1));
    expectPrevious('FY2026-H1', 'FY2025-H2', BERLIN_FY_APRIL);
  });

  it('steps back custom periods by their length in days', () => {
    const custom = ok(customPeriod('2026-07-01', '2026-09-30', BERLIN)); // 92 days
    expect(previousPeriod(custom, BERLIN)).toEqual({
      label: '2026-03-31..2026-06-30',
      start: berlinMidnight(2026, 3, 31),
      end: berlinMidnight(2026, 7, 1),
      tz: 'Europe/Berlin',
      kind: 'custom',
    });
  });

  it('steps back from a clipped window to the whole window before', () => {
    const [first] = cadenceWindows(parse('2026-07'), 'weekly', BERLIN);
    expect(previousPeriod(first!, BERLIN)).toMatchObject({
      label: '2026-W26',
      start: berlinMidnight(2026, 6, 22),
      end: berlinMidnight(2026, 6, 29),
    });
  });
});
