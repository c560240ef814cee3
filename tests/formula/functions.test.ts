/**
 * Every formula function and operator, evaluated end to end (catalogue -> CSV -> report) on small data
 * sets whose expected values are worked out by hand in the comments next to each case.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type CheckEnv, checkFormula } from '../../src/formula/check.js';
import type { KpiResult } from '../../src/report/model.js';
import type { FieldType } from '../../src/sources/table.js';
import { catalogueYaml, csv, type KpiSpec, kpiResults } from './harness.js';

/*
 * Catalogue zone Europe/Berlin, period 2026-Q3 = [2026-06-30T22:00Z, 2026-09-30T22:00Z).
 *
 * items (events on `at`); row f lies before the period and must never be counted:
 *   id  at (UTC)               n    cat    tags   flag   done (UTC)            dur (s)
 *   a   2026-07-01T10:00Z      1    Alpha  x;y    true   2026-07-01T12:30Z     5400
 *   b   2026-07-02T10:00Z      2    beta   y      false  2026-07-03T10:00Z     60
 *   c   2026-07-02T23:00Z      4    Alpha  -      -      -                     -
 *   d   2026-07-04T10:00Z      10   -      z      true   2026-07-04T16:00Z     3600
 *   e   2026-08-15T10:00Z      -    gamma  x      false  -                     7200
 *   f   2026-06-15T10:00Z      100  Alpha  x;y    true   2026-06-16T10:00Z     100
 * Row c is 2026-07-03 01:00 in Berlin (but 2026-07-02 in UTC).
 */
const ITEMS_SOURCE = `  items:
    path: items.csv
    kind: events
    time_field: at
    csv: { delimiter: "," }
    fields:
      id: { required: true }
      at: { type: datetime }
      n: { type: number }
      cat: cat
      tags: { type: list, separator: ";" }
      flag: { type: boolean }
      done: { type: datetime }
      dur: { type: duration }
`;
const ITEMS_CSV = csv([
  ['id', 'at', 'n', 'cat', 'tags', 'flag', 'done', 'dur'],
  ['a', '2026-07-01T10:00:00Z', 1, 'Alpha', 'x;y', 'true', '2026-07-01T12:30:00Z', 5400],
  ['b', '2026-07-02T10:00:00Z', 2, 'beta', 'y', 'false', '2026-07-03T10:00:00Z', 60],
  ['c', '2026-07-02T23:00:00Z', 4, 'Alpha', '', '', '', ''],
  ['d', '2026-07-04T10:00:00Z', 10, '', 'z', 'true', '2026-07-04T16:00:00Z', 3600],
  ['e', '2026-08-15T10:00:00Z', '', 'gamma', 'x', 'false', '', 7200],
  ['f', '2026-06-15T10:00:00Z', 100, 'Alpha', 'x;y', 'true', '2026-06-16T10:00:00Z', 100],
]);

/** [formula, expected value (null = no value)] */
type Case = [string, number | null];

const AGGREGATES: Case[] = [
  // count
  ['count(items)', 5],
  ['count(items, cat == "Alpha")', 2], // a, c (f is outside the period)
  // sum: 1 + 2 + 4 + 10
  ['sum(items, n)', 17],
  ['sum(items, n, cat == "Alpha")', 5],
  // mean: 17 / 4 rows with a value; with flag: (1 + 10) / 2
  ['mean(items, n)', 4.25],
  ['mean(items, n, flag)', 5.5],
  // median of 1, 2, 4, 10 = (2 + 4) / 2; of 2, 4, 10 = 4
  ['median(items, n)', 3],
  ['median(items, n, n > 1)', 4],
  // percentile, linear interpolation between closest ranks over sorted [1, 2, 4, 10]:
  // p90: position 3 * 0.9 = 2.7 -> 4 + (10 - 4) * 0.7 = 8.2; p25: position 0.75 -> 1 + 1 * 0.75
  ['percentile(items, n, 90)', 8.2],
  ['percentile(items, n, 25)', 1.75],
  ['percentile(items, n, 0)', 1],
  ['percentile(items, n, 100)', 10],
  ['percentile(items, n, 50, cat == "Alpha")', 2.5], // [1, 4] -> 2.5
  // min / max
  ['min(items, n)', 1],
  ['max(items, n)', 10],
  ['min(items, n, n > 1)', 2],
  ['max(items, n, cat == "Alpha")', 4],
  // count_distinct: Alpha, beta, gamma (d has no cat); with n >= 2: beta (b), Alpha (c)
  ['count_distinct(items, cat)', 3],
  ['count_distinct(items, cat, n >= 2)', 2],
  ['count_distinct(items, n)', 4],
  // no matching rows: count is 0, the others have no value
  ['count(items, cat == "nothing")', 0],
  ['sum(items, n, cat == "nothing")', null],
  ['mean(items, n, cat == "nothing")', null],
];

const ARITHMETIC: Case[] = [
  ['sum(items, n) + 1', 18],
  ['count(items) - 7', -2],
  ['3 * count(items)', 15],
  ['sum(items, n) / count(items)', 3.4],
  ['sum(items, n) % 5', 2],
  ['-count(items)', -5],
  ['2 + 3 * 4', 14],
  ['(2 + 3) * 4', 20],
  // division by zero gives no value, never Infinity
  ['sum(items, n) / (count(items) - 5)', null],
  ['sum(items, n) % (count(items) - 5)', null],
  // per row: 3 + 5 + 9 + 21
  ['sum(items, n * 2 + 1)', 38],
  // per row: 0 + 1 + 3 + 9
  ['sum(items, n - 1)', 13],
  // per row: 1 + 2 + 1 + 1
  ['sum(items, n % 3)', 5],
  // 10 / (n - 2): a -10, b no value (divides by 0), c 5, d 1.25
  ['sum(items, 10 / (n - 2))', -3.75],
  ['count(items, 10 / (n - 2) == null)', 2], // b and e
];

const COMPARISONS_AND_LOGIC: Case[] = [
  ['count(items, n > 2)', 2],
  ['count(items, n >= 2)', 3],
  ['count(items, n < 2)', 1],
  ['count(items, n <= 2)', 2],
  ['count(items, n == 4)', 1],
  ['count(items, n != 4)', 3], // e has no n: the comparison is null and the row is not counted
  ['count(items, cat < "b")', 2], // "Alpha" < "b" (a, c); "beta" and "gamma" are not
  ['count(items, cat != "Alpha")', 2], // b, e; d has no cat
  ['count(items, flag == true)', 2],
  ['count(items, flag != true)', 2], // b, e; c has no flag
  // three-valued logic: a row whose condition is null is not counted
  ['count(items, flag or n > 5)', 2], // a T, b F, c null|F = null, d T, e F|null = null
  ['count(items, flag and n > 0)', 2], // a, d
  ['count(items, not flag)', 2], // b, e
  ['count(items, not (flag and n > 3))', 3], // a: not F; b: not F; c: not null; d: not T; e: not (F and null = F)
  ['count(items, flag or true)', 5], // null or true = true
  ['count(items, flag and false)', 0],
  ['count(items, flag && n > 0 || cat == "gamma")', 3], // && || ! spellings: a, d, e
  ['count(items, !flag)', 2],
  ['count(items, null)', 0],
  // in
  ['count(items, cat in ["Alpha", "gamma"])', 3],
  ['count(items, n in [1, 4])', 2],
  ['count(items, "y" in tags)', 2], // a, b
  ['count(items, "x" in tags)', 2], // a, e
  ['count(items, not (cat in ["Alpha"]))', 2], // b, e (d has no cat)
  // == null / != null
  ['count(items, cat == null)', 1],
  ['count(items, cat != null)', 4],
  ['count(items, null == cat)', 1],
  ['count(items, done == null)', 2],
  ['count(items, n == null)', 1],
  ['count(items, flag == null)', 1],
  ['count(items, tags == null)', 1],
  ['count(items, is_null(done))', 2],
  ['count(items, not_null(done))', 3],
  ['count(items, is_null(flag))', 1],
];

const VALUES: Case[] = [
  // coalesce
  ['count(items, coalesce(cat, "none") == "none")', 1],
  ['sum(items, coalesce(n, 100))', 117],
  ['count(items, coalesce(flag, true))', 3], // a, c, d
  // text
  ['count(items, lower(cat) == "alpha")', 2],
  ['count(items, upper(cat) == "BETA")', 1],
  ['count(items, " " + cat + "  " == "Alpha")', 0],
  ['count(items, trim(" " + cat + "  ") == "Alpha")', 2],
  ['sum(items, len(cat))', 19], // 5 + 4 + 5 + 5
  ['sum(items, len(tags))', 5], // 2 + 1 + 0 + 1 + 1
  ['count(items, contains(cat, "ph"))', 2],
  ['count(items, contains(cat, "alpha"))', 0], // case-sensitive
  ['count(items, contains(tags, "x"))', 2],
  ['count(items, contains(tags, "q"))', 0],
  ['count(items, starts_with(cat, "Al"))', 2],
  ['count(items, starts_with(cat, "al"))', 0],
  ['count(items, ends_with(cat, "ma"))', 1],
  ['count(items, matches(cat, "^a"))', 0],
  ['count(items, matches(cat, "^a", "i"))', 2],
  ['count(items, matches(cat, "^(alpha|gamma)$", "i"))', 3],
  ['count(items, matches(id, "^[a-c]$"))', 3],
  // string concatenation with +
  ['count(items, cat + "!" == "Alpha!")', 2],
  ['count(items, cat + n == "Alpha1")', 1],
  ['count(items, cat + "x" == null)', 1], // d
  ['count_distinct(items, cat + "@" + id)', 4],
  // numbers
  ['sum(items, abs(n - 3))', 11], // 2 + 1 + 1 + 7
  ['abs(count(items) - 7)', 2],
  ['floor(sum(items, n) / 5)', 3],
  ['floor(-sum(items, n) / 5)', -4],
  ['ceil(sum(items, n) / 5)', 4],
  ['ceil(-sum(items, n) / 5)', -3],
  ['round(sum(items, n) / 5)', 3],
  ['round(sum(items, n) / 8, 2)', 2.13], // 2.125 -> 2.13 (half away from zero)
  ['round(sum(items, n) / 3, 1)', 5.7],
  ['round(-count(items) / 2)', -3], // -2.5 -> -3
  // half away from zero on the decimal as written: the double nearest 1.005 is 1.00499999999999989...
  ['round(count(items) / 5 * 1.005, 2)', 1.01],
  ['round(-count(items) / 5 * 1.005, 2)', -1.01],
  ['round(count(items) / 5 * 2.675, 2)', 2.68],
  ['round(count(items) / 5 * 1.7e308, 2)', 1.7e308], // finite and large: unchanged, not Infinity
  // least / greatest skip missing values
  ['sum(items, least(n, 3))', 12], // 1 + 2 + 3 + 3 + 3 (e: n missing -> 3)
  ['sum(items, greatest(n, 3))', 23], // 3 + 3 + 4 + 10 + 3
  ['least(count(items), sum(items, n), 100)', 5],
  ['greatest(count(items), sum(items, n), 100)', 100],
  ['count(items, greatest(done, at) == at)', 2], // c, e: done missing
  // if()
  ['sum(items, if(flag, n, 0))', 11], // 1 + 0 + (c: no value) + 10 + 0
  ['count(items, if(flag, 1, 0) == null)', 1], // c: the condition is null
  ['if(count(items) > 3, 1, 2)', 1],
  ['if(count(items) > 30, 1, 2)', 2],
];

const TIME: Case[] = [
  // hours / minutes / days between two datetimes: a 2.5 h, b 24 h, d 6 h
  ['sum(items, hours(at, done))', 32.5],
  ['min(items, minutes(at, done))', 150],
  ['max(items, days(at, done))', 1],
  ['min(items, hours(done, at))', -24], // negative when the second is earlier
  // seconds between two datetimes, like hours/minutes/days: a 9000 + b 86400 + d 21600
  ['sum(items, seconds(at, done))', 117_000],
  ['min(items, seconds(done, at))', -86_400],
  // of a duration (stored in seconds): 5400 + 60 + 3600 + 7200 = 16260 s
  ['sum(items, seconds(dur))', 16260],
  ['max(items, minutes(dur))', 120],
  ['sum(items, hours(dur))', 16260 / 3600],
  ['max(items, days(dur))', 7200 / 86400],
  ['hours(sum(items, dur))', 16260 / 3600],
  // age: days to the period end 2026-09-30T22:00Z; a: 91 d 12 h, e: 46 d 12 h
  ['max(items, age(at))', 91.5],
  ['min(items, age(at))', 46.5],
  // period_start() = 2026-06-30T22:00Z, period_end() = 2026-09-30T22:00Z
  ['min(items, hours(period_start(), at))', 12],
  ['days(period_start(), period_end())', 92],
  ['count(items, at >= period_start() and at < period_end())', 5],
  // date literals are read in the catalogue's zone: "2026-07-03" = 2026-07-02T22:00Z, so c is not before it
  ['count(items, at < date("2026-07-03"))', 2],
  ['count(items, at >= "2026-07-03")', 3], // c, d, e
  ['count(items, done == "2026-07-03T12:00:00+02:00")', 1], // b
];

const ALL: Case[] = [...AGGREGATES, ...ARITHMETIC, ...COMPARISONS_AND_LOGIC, ...VALUES, ...TIME];

describe('formula functions and operators (items data set)', () => {
  let results: Map<string, KpiResult>;
  const ids = new Map<string, string>(ALL.map(([formula], i) => [formula, `F${String(i).padStart(3, '0')}`]));

  beforeAll(async () => {
    const kpis: KpiSpec[] = ALL.map(([formula]) => ({ id: ids.get(formula)!, formula }));
    results = await kpiResults({ 'metrics.yaml': catalogueYaml(ITEMS_SOURCE, kpis), 'items.csv': ITEMS_CSV });
  });

  it('has one distinct formula per case', () => {
    expect(ids.size).toBe(ALL.length);
  });

  it.each(ALL)('%s = %s', (formula, expected) => {
    const kpi = results.get(ids.get(formula)!)!;
    expect(kpi).toBeDefined();
    if (expected === null) {
      expect(kpi.value).toBeNull();
      expect(kpi.status).toBe('no-data');
    } else {
      expect(kpi.value).not.toBeNull();
      expect(kpi.value!).toBeCloseTo(expected, 10);
      expect(kpi.status).toBe('info');
    }
  });
});

describe('overflow', () => {
  it('a value too large for a number has no value, explained as an overflow, not a division by zero', async () => {
    const results = await kpiResults({
      'metrics.yaml': catalogueYaml(ITEMS_SOURCE, [
        { id: 'BIG', formula: 'sum(items, n) * 1e308' }, // 17e308 > Number.MAX_VALUE
        { id: 'DIV', formula: 'sum(items, n) / (count(items) - 5)' },
      ]),
      'items.csv': ITEMS_CSV,
    });
    expect(results.get('BIG')).toMatchObject({
      value: null,
      status: 'no-data',
      reason: 'the value overflows (it is too large to compute)',
    });
    expect(results.get('DIV')).toMatchObject({ value: null, status: 'no-data' });
    expect(results.get('DIV')!.reason).not.toMatch(/overflow/);
  });
});

describe('ratio and pct', () => {
  let results: Map<string, KpiResult>;
  beforeAll(async () => {
    results = await kpiResults({
      'metrics.yaml': catalogueYaml(ITEMS_SOURCE, [
        { id: 'R1', formula: 'ratio(count(items, flag), count(items))' },
        { id: 'P1', formula: 'pct(count(items, flag), count(items))', thresholds: { green: '>= 30' } },
        {
          id: 'R0',
          formula: 'ratio(count(items), count(items, cat == "nothing"))',
          thresholds: { green: '>= 1' },
        },
        {
          id: 'P0',
          formula: 'pct(count(items), count(items, cat == "nothing"))',
          thresholds: { green: '<= 5' },
        },
        {
          id: 'P00',
          formula: 'pct(count(items, cat == "nothing"), count(items, cat == "nothing"))',
          thresholds: { green: '>= 95', amber: '>= 50' },
        },
      ]),
      'items.csv': ITEMS_CSV,
    });
  });

  it('ratio(a, b) = a / b', () => {
    expect(results.get('R1')!.value).toBeCloseTo(0.4, 12); // 2 flagged of 5
  });

  it('pct(a, b) = 100 * a / b, with numerator and denominator reported', () => {
    const p = results.get('P1')!;
    expect(p.value).toBeCloseTo(40, 12);
    expect(p.status).toBe('green');
    expect(p.numerator).toBe(2);
    expect(p.denominator).toBe(5);
  });

  it.each(['R0', 'P0', 'P00'])('%s: a zero denominator gives no-data, never 0, 100 or a band', (id) => {
    const k = results.get(id)!;
    expect(k.value).toBeNull();
    expect(k.status).toBe('no-data');
    expect(k.reason).toMatch(/denominator is zero/);
  });
});

describe('date parts in the catalogue time zone', () => {
  /*
   * g: 2026-06-30T22:30Z = Wed 2026-07-01 00:30 in Berlin (UTC: Tue 2026-06-30 22:30, Q2)
   * h: 2026-09-27T22:30Z = Mon 2026-09-28 00:30 in Berlin (UTC: Sun 2026-09-27 22:30, ISO week 39)
   * y: 2026-12-31T23:30Z = Fri 2027-01-01 00:30 in Berlin (UTC: Thu 2026-12-31), ISO week 53 of 2026
   */
  const source = `  stamps:
    path: stamps.csv
    kind: events
    time_field: at
    csv: { delimiter: "," }
    fields:
      id: id
      at: { type: datetime }
`;
  const data = csv([
    ['id', 'at'],
    ['g', '2026-06-30T22:30:00Z'],
    ['h', '2026-09-27T22:30:00Z'],
    ['y', '2026-12-31T23:30:00Z'],
  ]);
  const parts = ['year', 'quarter', 'month', 'week', 'day', 'weekday', 'hour'] as const;
  const expected: Record<string, Record<(typeof parts)[number], number>> = {
    g: { year: 2026, quarter: 3, month: 7, week: 27, day: 1, weekday: 3, hour: 0 },
    h: { year: 2026, quarter: 3, month: 9, week: 40, day: 28, weekday: 1, hour: 0 },
    y: { year: 2027, quarter: 1, month: 1, week: 53, day: 1, weekday: 5, hour: 0 },
  };
  const kpisFor = (rowIds: string[]) =>
    rowIds.flatMap((row) =>
      parts.map((part) => ({ id: `${part}-${row}`, formula: `max(stamps, ${part}(at), id == "${row}")` })),
    );
  let q3: Map<string, KpiResult>;
  let q1: Map<string, KpiResult>;
  beforeAll(async () => {
    q3 = await kpiResults({ 'metrics.yaml': catalogueYaml(source, kpisFor(['g', 'h'])), 'stamps.csv': data });
    q1 = await kpiResults(
      { 'metrics.yaml': catalogueYaml(source, kpisFor(['y'])), 'stamps.csv': data },
      '2027-Q1',
    );
  });

  for (const row of ['g', 'h', 'y']) {
    for (const part of parts) {
      it(`${part}(at) of row ${row} is ${expected[row]![part]}`, () => {
        const results = row === 'y' ? q1 : q3;
        expect(results.get(`${part}-${row}`)!.value).toBe(expected[row]![part]);
      });
    }
  }
});

describe('exists()', () => {
  /*
   * leavers (events on effective, dates read in Berlin):
   *   Alice@Acme.com 2026-07-10, bob@acme.com 2026-07-20, carol@acme.com 2026-08-01, dave@acme.com 2026-09-01
   * accounts (snapshot):
   *   alice@acme.com  enabled  last login 2026-07-15T09:00Z
   *   BOB@ACME.COM    disabled last login 2026-07-05T09:00Z
   *   carol@acme.com  enabled  never
   *   erin@acme.com   enabled  last login 2026-07-25T09:00Z
   */
  const sources = `  leavers:
    path: leavers.csv
    kind: events
    time_field: effective
    csv: { delimiter: "," }
    fields:
      person: person
      effective: { type: datetime }
  accounts:
    path: accounts.csv
    kind: snapshot
    csv: { delimiter: "," }
    fields:
      upn: upn
      enabled: { type: boolean }
      last_login: { type: datetime }
`;
  const files = {
    'leavers.csv': csv([
      ['person', 'effective'],
      ['Alice@Acme.com', '2026-07-10'],
      ['bob@acme.com', '2026-07-20'],
      ['carol@acme.com', '2026-08-01'],
      ['dave@acme.com', '2026-09-01'],
    ]),
    'accounts.csv': csv([
      ['upn', 'enabled', 'last_login'],
      ['alice@acme.com', 'true', '2026-07-15T09:00:00Z'],
      ['BOB@ACME.COM', 'false', '2026-07-05T09:00:00Z'],
      ['carol@acme.com', 'true', ''],
      ['erin@acme.com', 'true', '2026-07-25T09:00:00Z'],
    ]),
  };
  const cases: [string, string, number][] = [
    // hash join on an equality; lower() on both sides matches Alice and BOB too
    ['E1', 'count(leavers, exists(accounts, lower(accounts.upn) == lower(leavers.person)))', 3],
    ['E2', 'count(leavers, exists(accounts, accounts.upn == leavers.person))', 1], // carol only
    [
      'E3',
      'count(leavers, exists(accounts, lower(accounts.upn) == lower(leavers.person) and accounts.enabled))',
      2,
    ],
    ['E4', 'count(leavers, not exists(accounts, lower(accounts.upn) == lower(person)))', 1], // dave
    // an equality plus a condition between the two sources: only Alice logged in after leaving
    [
      'E5',
      'count(leavers, exists(accounts, lower(accounts.upn) == lower(leavers.person) and accounts.last_login > leavers.effective))',
      1,
    ],
    // no equality: some account logged in after the leaver's date (latest login 07-25): Alice, bob
    ['E6', 'count(leavers, exists(accounts, accounts.last_login > leavers.effective))', 2],
    // no equality, with a condition on the inner rows alone: enabled logins 07-15 and 07-25 -> bob, carol, dave
    [
      'E7',
      'count(leavers, exists(accounts, accounts.enabled and accounts.last_login < leavers.effective))',
      3,
    ],
  ];
  let results: Map<string, KpiResult>;
  beforeAll(async () => {
    results = await kpiResults({
      'metrics.yaml': catalogueYaml(
        sources,
        cases.map(([id, formula]) => ({ id, formula })),
      ),
      ...files,
    });
  });

  it.each(cases)('%s: %s = %s', (id, _formula, expected) => {
    expect(results.get(id)!.value).toBe(expected);
  });
});

describe('kpi() derived KPIs', () => {
  let results: Map<string, KpiResult>;
  beforeAll(async () => {
    results = await kpiResults({
      // B and C come before the KPIs they use: evaluation follows the dependencies, not the file order
      'metrics.yaml': catalogueYaml(ITEMS_SOURCE, [
        { id: 'B', formula: 'kpi("A") * 2 + count(items, flag)' },
        { id: 'C', formula: 'kpi("B") - kpi("A")' },
        { id: 'A', formula: 'count(items)' },
        { id: 'Z', formula: 'mean(items, n, cat == "nothing")' },
        { id: 'D', formula: 'kpi("Z") + 1', thresholds: { green: '>= 0' } },
      ]),
      'items.csv': ITEMS_CSV,
    });
  });

  it('uses the value of another KPI', () => {
    expect(results.get('A')!.value).toBe(5);
    expect(results.get('B')!.value).toBe(12); // 5 * 2 + 2
    expect(results.get('C')!.value).toBe(7); // 12 - 5
  });

  it('a KPI derived from a KPI without a value has no value either', () => {
    expect(results.get('Z')!.value).toBeNull();
    expect(results.get('D')!.value).toBeNull();
    expect(results.get('D')!.status).toBe('no-data');
  });
});

describe('seconds() is typed like hours(), minutes() and days()', () => {
  const env: CheckEnv = {
    sources: new Map([
      [
        'items',
        {
          name: 'items',
          kind: 'events',
          fields: new Map<string, FieldType>([
            ['at', 'datetime'],
            ['done', 'datetime'],
            ['dur', 'duration'],
            ['n', 'number'],
          ]),
        },
      ],
    ]),
    kpis: new Set(),
    tz: 'UTC',
  };
  const message = (formula: string) => {
    const result = checkFormula(formula, env);
    return result.ok ? 'accepted' : `${result.error.code}: ${result.error.message}`;
  };

  it('takes two datetimes or one duration', () => {
    expect(message('max(items, seconds(at, done))')).toBe('accepted');
    expect(message('max(items, seconds(dur))')).toBe('accepted');
  });

  it.each(['seconds', 'minutes', 'hours', 'days'])(
    '%s() of one datetime points to the two-datetime form',
    (unit) => {
      expect(message(`max(items, ${unit}(at))`)).toBe(
        `formula-type: ${unit}(): ${unit}(x) takes a duration; for the time between two dates use ${unit}(start, end)`,
      );
    },
  );

  it('refuses a duration and a datetime, or a number', () => {
    expect(message('max(items, seconds(dur, done))')).toBe(
      'formula-type: seconds(): argument 1 must be a datetime, not a duration',
    );
    expect(message('max(items, seconds(n))')).toMatch(
      /^formula-type: seconds\(\): seconds\(x\) takes a duration/,
    );
    expect(message('max(items, seconds(at, done, at))')).toMatch(/^formula-type: /);
  });
});

/*
 * The worked example of docs/catalogue.md ("The end of the period", 4.10): catalogue zone UTC, period
 * 2026-Q3, so period_end() is 2026-10-01T00:00:00Z, the first instant after the period. `keys` is a
 * snapshot (every row counts); `rotations` reads the same file as events placed by `rotated`.
 *   k1 2026-07-02           age 91         k5 2026-09-30T23:59:59Z  age 1/86400 (1 second)
 *   k2 2026-07-03           age 90         k6 2026-10-01            age 0 (the end instant itself)
 *   k3 2026-07-03T00:00:01Z age 90 - 1 s   k7 2026-10-02            age -1 (after the period)
 *   k4 2026-09-30           age 1
 */
describe('the end of the period: age(), period_end() and strict comparisons', () => {
  const KEYS_CSV = csv([
    ['id', 'rotated'],
    ['k1', '2026-07-02'],
    ['k2', '2026-07-03'],
    ['k3', '2026-07-03T00:00:01Z'],
    ['k4', '2026-09-30'],
    ['k5', '2026-09-30T23:59:59Z'],
    ['k6', '2026-10-01'],
    ['k7', '2026-10-02'],
  ]);
  const SOURCES = `  keys:
    path: keys.csv
    kind: snapshot
    fields:
      id: { required: true }
      rotated: { type: datetime }
  rotations:
    path: keys.csv
    kind: events
    time_field: rotated
    fields:
      id: { required: true }
      rotated: { type: datetime }
`;
  const CASES: Case[] = [
    ['count(keys, age(rotated) > 90)', 1], // k1
    ['count(keys, age(rotated) >= 90)', 2], // k1, k2
    ['max(keys, age(rotated))', 91], // k1
    ['min(keys, age(rotated))', -1], // k7
    ['sum(keys, age(rotated), id == "k4")', 1],
    ['sum(keys, age(rotated), id == "k6")', 0],
    ['sum(keys, seconds(rotated, period_end()), id == "k5")', 1],
    ['sum(keys, seconds(rotated, period_end()), id == "k3")', 90 * 86_400 - 1],
    ['count(keys, rotated < period_end())', 5], // k1-k5: before the end
    ['count(keys, rotated >= period_end())', 2], // k6, k7: at or after the end
    ['count(keys, rotated > period_end())', 1], // k7 only: k6 at the end instant is missed
    ['count(keys, rotated <= date("2026-09-30"))', 4], // k1-k4: k5 is later that day
    ['count(rotations)', 5], // events in [start, end): k1-k5; k6 belongs to Q4
  ];
  let results: Map<string, KpiResult>;
  const ids = new Map<string, string>(
    CASES.map(([formula], i) => [formula, `E${String(i).padStart(2, '0')}`]),
  );

  beforeAll(async () => {
    const kpis: KpiSpec[] = CASES.map(([formula]) => ({ id: ids.get(formula)!, formula }));
    results = await kpiResults({ 'metrics.yaml': catalogueYaml(SOURCES, kpis, 'UTC'), 'keys.csv': KEYS_CSV });
  });

  it.each(CASES)('%s = %s', (formula, expected) => {
    const kpi = results.get(ids.get(formula)!)!;
    expect(kpi.value).not.toBeNull();
    expect(kpi.value!).toBeCloseTo(expected!, 9);
  });

  it('measures real time across a daylight-saving change (Europe/Berlin, 2026-Q4: 92 days and 1 hour)', async () => {
    const got = await kpiResults(
      {
        'metrics.yaml': catalogueYaml(SOURCES, [
          { id: 'AGE', formula: 'sum(keys, age(rotated), id == "k6")' },
        ]),
        'keys.csv': KEYS_CSV,
      },
      '2026-Q4',
    );
    expect(got.get('AGE')!.value!).toBeCloseTo(92 + 1 / 24, 9);
  });
});
