/**
 * The status policy (src/engine/status.ts) on its own: every rule that turns a value and the facts about
 * its data into no-data, info, green, amber, red or stale, with the reason users read.
 */
import { describe, expect, it } from 'vitest';
import { compileThresholds, type Thresholds } from '../../src/catalogue/thresholds.js';
import {
  type AggregateFacts,
  type CoverageFacts,
  decideStatus,
  failsRun,
  judgeValue,
  type SourceCoverage,
  type StatusFacts,
  stalenessReason,
} from '../../src/engine/status.js';

const DAY = 86_400_000;
const Q3 = { start: Date.UTC(2026, 6, 1), end: Date.UTC(2026, 9, 1) };

function thresholds(green: string, amber?: string): Thresholds {
  const compiled = compileThresholds(amber === undefined ? { green } : { green, amber });
  if (typeof compiled === 'string') throw new Error(compiled);
  return compiled;
}

function agg(over: Partial<AggregateFacts> = {}): AggregateFacts {
  return {
    source: 'tickets',
    fn: 'count',
    role: 'value',
    value: 5,
    rowsInScope: 10,
    rowsMatched: 5,
    ...over,
  };
}

function facts(over: Partial<StatusFacts> = {}): StatusFacts {
  return {
    value: 90,
    thresholds: thresholds('>= 95', '>= 85'),
    aggregates: [agg()],
    group: 'period',
    ...over,
  };
}

/** Two rows by default: too few for the average gap to tighten the one-cadence tolerance. */
function events(name: string, minTime: number | null, maxTime: number | null, rows = 2): SourceCoverage {
  return { name, kind: 'events', asOf: null, minTime, maxTime, rows: minTime === null ? 0 : rows };
}

function snapshot(name: string, asOf: number | null, asOfUnknown?: string): SourceCoverage {
  return {
    name,
    kind: 'snapshot',
    asOf,
    ...(asOfUnknown ? { asOfUnknown } : {}),
    minTime: null,
    maxTime: null,
    rows: 0,
  };
}

function coverage(over: Partial<CoverageFacts> = {}): CoverageFacts {
  return {
    period: Q3,
    cadence: 'monthly',
    tz: 'UTC',
    sources: [events('tickets', Q3.start, Q3.end - DAY)],
    kpis: [],
    ...over,
  };
}

describe('no-data', () => {
  it('a missing source decides before anything else', () => {
    expect(decideStatus(facts({ missingSource: 'optional source hr has no file', value: 100 }))).toEqual({
      value: null,
      status: 'no-data',
      reason: 'source data is missing: optional source hr has no file',
    });
  });

  it('an aggregate over no rows is no-data even when the formula has a value (a count of 0)', () => {
    const aggregates = [
      agg({ source: 'a' }),
      agg({ source: 'b', rowsInScope: 0 }),
      agg({ source: 'c', rowsInScope: 0 }),
    ];
    expect(decideStatus(facts({ value: 0, aggregates }))).toEqual({
      value: null,
      status: 'no-data',
      reason: 'no rows of b in the period',
    });
    expect(decideStatus(facts({ value: 0, aggregates, group: 'window' })).reason).toBe(
      'no rows of b in the window',
    );
    expect(decideStatus(facts({ value: 0, aggregates, group: 'segment' })).reason).toBe(
      'no rows of b in the segment',
    );
  });

  it('no value: a zero denominator is named first', () => {
    const aggregates = [
      agg({ fn: 'mean', role: 'numerator', rowsMatched: 0, value: Number.NaN }),
      agg({ role: 'denominator', value: 0, rowsMatched: 0 }),
    ];
    expect(decideStatus(facts({ value: Number.NaN, aggregates }))).toEqual({
      value: null,
      status: 'no-data',
      reason: 'the denominator is zero',
    });
  });

  it('no value: a value aggregate with no rows to take a value from', () => {
    const aggregates = [
      agg({ source: 'a', fn: 'count', rowsMatched: 0, value: 0 }),
      agg({ source: 'b', fn: 'count_distinct', rowsMatched: 0, value: 0 }),
      agg({ source: 'c', fn: 'median', rowsMatched: 0, value: Number.NaN }),
    ];
    expect(decideStatus(facts({ value: Number.NaN, aggregates })).reason).toBe(
      'no c rows with a value for median()',
    );
  });

  it('no value for any other reason', () => {
    // A zero that is not a denominator, and counts without matches, explain nothing.
    const aggregates = [agg({ role: 'numerator', value: 0, rowsMatched: 0 })];
    expect(decideStatus(facts({ value: Number.NaN, aggregates }))).toEqual({
      value: null,
      status: 'no-data',
      reason: 'the formula has no value for this period',
    });
  });

  it('an infinite value is an overflow (division by zero gives no value, never Infinity)', () => {
    for (const value of [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(decideStatus(facts({ value }))).toEqual({
        value: null,
        status: 'no-data',
        reason: 'the value overflows (it is too large to compute)',
      });
    }
  });
});

describe('judgement from the thresholds', () => {
  it('info without thresholds', () => {
    expect(decideStatus(facts({ value: 3, thresholds: null }))).toEqual({
      value: 3,
      status: 'info',
      reason: 'informational: no thresholds',
    });
  });

  it.each([
    ['>= 95', '>= 85', 95, 'green', 'meets green >= 95'],
    ['>= 95', '>= 85', 85, 'amber', 'meets amber >= 85, misses green >= 95'],
    ['>= 95', '>= 85', 84, 'red', 'misses amber >= 85'],
    ['<= 24', undefined, 25, 'red', 'misses green <= 24'],
    ['== 0', '<= 2', 0, 'green', 'meets green == 0'],
    ['== 0', '<= 2', 2, 'amber', 'meets amber <= 2, misses green == 0'],
  ] as const)('green %s, amber %s: %d is %s', (green, amber, value, status, reason) => {
    const t = thresholds(green, amber);
    expect(judgeValue(t, value)).toEqual({ status, reason });
    expect(decideStatus(facts({ value, thresholds: t }))).toEqual({ value, status, reason });
  });
});

describe('staleness', () => {
  it('data that covers the period is not stale', () => {
    expect(stalenessReason(coverage())).toBeUndefined();
    expect(decideStatus(facts({ value: 96, coverage: coverage() }))).toEqual({
      value: 96,
      status: 'green',
      reason: 'meets green >= 95',
    });
  });

  it('an events export that ends more than one cadence before the period ends; the judgement is kept', () => {
    const c = coverage({ sources: [events('tickets', Q3.start, Q3.end - 40 * DAY)] });
    expect(decideStatus(facts({ value: 80, coverage: c }))).toEqual({
      value: 80,
      status: 'stale',
      judgement: 'red',
      reason:
        'tickets data ends 2026-08-22, 40 days before the period ends (more than one month); the value would be red',
    });
  });

  it('an events export that starts more than one cadence after the period starts', () => {
    const c = coverage({ sources: [events('tickets', Q3.start + 32 * DAY, Q3.end - DAY)] });
    expect(stalenessReason(c)).toBe(
      'tickets data starts 2026-08-02, 32 days after the period starts (more than one month)',
    );
  });

  it('an events export without times, or one within one cadence of both ends, is not stale', () => {
    expect(stalenessReason(coverage({ sources: [events('tickets', null, null)] }))).toBeUndefined();
    const edge = events('tickets', Q3.start + 31 * DAY, Q3.end - 31 * DAY);
    expect(stalenessReason(coverage({ sources: [edge] }))).toBeUndefined();
  });

  it('a snapshot taken more than one cadence before the period ends', () => {
    const c = coverage({ cadence: 'weekly', sources: [snapshot('accounts', Q3.end - 10 * DAY)] });
    expect(stalenessReason(c)).toBe(
      'the accounts snapshot is from 2026-09-20, 10 days before the period ends (more than one week)',
    );
  });

  it('a snapshot within one cadence before, or one day after, the period end is not stale', () => {
    expect(stalenessReason(coverage({ sources: [snapshot('accounts', Q3.end - 7 * DAY)] }))).toBeUndefined();
    expect(stalenessReason(coverage({ sources: [snapshot('accounts', Q3.end + DAY)] }))).toBeUndefined();
  });

  it('a snapshot taken more than one day after the period ends', () => {
    const c = coverage({ sources: [snapshot('accounts', Q3.end + DAY + 1)] });
    expect(stalenessReason(c)).toBe(
      'the accounts snapshot is from 2026-10-02, 1 day after the period ends (more than one day)',
    );
  });

  it('a snapshot whose as-of is unknown is stale, never green', () => {
    const c = coverage({ sources: [snapshot('accounts', null, 'nothing says when it was taken')] });
    expect(decideStatus(facts({ value: 96, coverage: c }))).toEqual({
      value: 96,
      status: 'stale',
      judgement: 'green',
      reason: 'as-of unknown: nothing says when it was taken; the value would be green',
    });
  });

  it('dense events data gets a tighter tolerance than one cadence', () => {
    // 39 rows two days apart: 7 average gaps = 14 days (a quarter would allow 92).
    const c = coverage({ sources: [events('tickets', Q3.start, Q3.end - 16 * DAY, 39)] });
    expect(stalenessReason(c)).toBe(
      'tickets data ends 2026-09-15, 16 days before the period ends (more than 14 days: 7 times the average gap between its rows)',
    );
    // Rows a day apart would give 7 days: the one-week floor (weekends, freezes) applies instead.
    const daily = coverage({ sources: [events('tickets', Q3.start, Q3.end - 8 * DAY, 85)] });
    expect(stalenessReason(daily)).toBe(
      'tickets data ends 2026-09-23, 8 days before the period ends (more than one week)',
    );
  });

  it('the first stale source in formula order is named', () => {
    const c = coverage({
      sources: [
        events('fine', Q3.start, Q3.end - DAY),
        snapshot('old', Q3.end - 100 * DAY),
        events('late', Q3.start, Q3.end - 50 * DAY),
      ],
    });
    expect(stalenessReason(c)).toMatch(/^the old snapshot is from /);
  });

  it('a KPI derived from a stale KPI is stale; its sources are named first', () => {
    const kpis = [
      { id: 'A', status: 'red' as const },
      { id: 'B', status: 'stale' as const },
      { id: 'C', status: undefined },
    ];
    expect(stalenessReason(coverage({ kpis }))).toBe('it uses B, which is stale');
    expect(stalenessReason(coverage({ kpis: [{ id: 'A', status: 'no-data' }] }))).toBeUndefined();
    const both = coverage({ kpis, sources: [events('tickets', Q3.start, Q3.end - 40 * DAY)] });
    expect(stalenessReason(both)).toMatch(/^tickets data ends /);
  });

  it('a stale informational value has no judgement', () => {
    const c = coverage({ kpis: [{ id: 'B', status: 'stale' }] });
    expect(decideStatus(facts({ value: 7, thresholds: null, coverage: c }))).toEqual({
      value: 7,
      status: 'stale',
      reason: 'it uses B, which is stale; the value is informational',
    });
  });

  it('no-data stays no-data however old the data', () => {
    const c = coverage({ sources: [snapshot('accounts', Q3.start)] });
    expect(decideStatus(facts({ value: Number.NaN, coverage: c })).status).toBe('no-data');
    expect(decideStatus(facts({ missingSource: 'gone', coverage: c })).status).toBe('no-data');
  });

  it('windows and segments are judged on their value alone (no coverage: never stale)', () => {
    expect(decideStatus(facts({ value: 90, group: 'window' }))).toEqual({
      value: 90,
      status: 'amber',
      reason: 'meets amber >= 85, misses green >= 95',
    });
  });
});

describe('failsRun', () => {
  it.each([
    ['red', undefined, 'red', true],
    ['red', undefined, 'amber', true],
    ['amber', undefined, 'red', false],
    ['amber', undefined, 'amber', true],
    ['stale', 'red', 'red', true],
    ['stale', 'amber', 'amber', true],
    ['stale', 'amber', 'red', false],
    ['stale', undefined, 'amber', false],
    ['no-data', undefined, 'amber', false],
    ['red', undefined, 'never', false],
  ] as const)('%s (judgement %s) at --fail-on %s: %s', (status, judgement, failOn, fails) => {
    expect(failsRun({ status, judgement }, failOn)).toBe(fails);
  });
});
