/**
 * Status rules of the engine, end to end: bands and their boundaries, info, no-data, missing optional
 * sources, staleness, segments, cadence windows, DST-correct durations and rejected rows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { KpiResult } from '../../src/report/model.js';
import { catalogueYaml, csv, type KpiSpec, kpiResults } from '../formula/harness.js';

describe('threshold bands', () => {
  /** [green, amber, value, status, reason] */
  const cases: [string, string | undefined, number, string, string][] = [
    // higher is better: >= bands
    ['>= 95', '>= 85', 100, 'green', 'meets green >= 95'],
    ['>= 95', '>= 85', 95, 'green', 'meets green >= 95'],
    ['>= 95', '>= 85', 94.9, 'amber', 'meets amber >= 85, misses green >= 95'],
    ['>= 95', '>= 85', 85, 'amber', 'meets amber >= 85, misses green >= 95'],
    ['>= 95', '>= 85', 84.9, 'red', 'misses amber >= 85'],
    ['>= 95', undefined, 95, 'green', 'meets green >= 95'],
    ['>= 95', undefined, 94, 'red', 'misses green >= 95'],
    // lower is better: <= bands
    ['<= 24', '<= 48', 10, 'green', 'meets green <= 24'],
    ['<= 24', '<= 48', 24, 'green', 'meets green <= 24'],
    ['<= 24', '<= 48', 24.5, 'amber', 'meets amber <= 48, misses green <= 24'],
    ['<= 24', '<= 48', 48, 'amber', 'meets amber <= 48, misses green <= 24'],
    ['<= 24', '<= 48', 48.1, 'red', 'misses amber <= 48'],
    // on target: == 0 with amber <= 2
    ['== 0', '<= 2', 0, 'green', 'meets green == 0'],
    ['== 0', '<= 2', 1, 'amber', 'meets amber <= 2, misses green == 0'],
    ['== 0', '<= 2', 2, 'amber', 'meets amber <= 2, misses green == 0'],
    ['== 0', '<= 2', 3, 'red', 'misses amber <= 2'],
    ['== 0', undefined, 1, 'red', 'misses green == 0'],
    // strict bands: the threshold itself is outside
    ['> 90', undefined, 90, 'red', 'misses green > 90'],
    ['> 90', undefined, 90.5, 'green', 'meets green > 90'],
    ['< 5', '< 10', 5, 'amber', 'meets amber < 10, misses green < 5'],
    ['< 5', '< 10', 10, 'red', 'misses amber < 10'],
  ];
  const source = `  vals:
    path: vals.csv
    kind: snapshot
    as_of: 2026-09-30
    csv: { delimiter: "," }
    fields:
      k: k
      v: { type: number }
`;
  let results: Map<string, KpiResult>;
  beforeAll(async () => {
    const kpis: KpiSpec[] = cases.map(([green, amber], i) => ({
      id: `B${i}`,
      formula: `max(vals, v, k == "r${i}")`,
      thresholds: amber === undefined ? { green } : { green, amber },
    }));
    kpis.push({ id: 'INFO', formula: 'max(vals, v, k == "r0")' });
    const rows = cases.map(([, , value], i) => [`r${i}`, value]);
    results = await kpiResults({
      'metrics.yaml': catalogueYaml(source, kpis),
      'vals.csv': csv([['k', 'v'], ...rows]),
    });
  });

  it.each(cases.map((c, i) => [i, ...c] as const))(
    'B%i: green %s amber %s, value %s -> %s',
    (i, _green, _amber, value, status, reason) => {
      const kpi = results.get(`B${i}`)!;
      expect(kpi.value).toBe(value);
      expect(kpi.status).toBe(status);
      expect(kpi.reason).toBe(reason);
    },
  );

  it('reports the direction of the bands', () => {
    expect(results.get('B0')!.thresholds).toEqual({ green: '>= 95', amber: '>= 85', direction: 'higher' });
    expect(results.get('B7')!.thresholds).toEqual({ green: '<= 24', amber: '<= 48', direction: 'lower' });
    // "== 0" with an amber "<= 2" is lower-is-better with zero as the goal
    expect(results.get('B12')!.thresholds).toEqual({ green: '== 0', amber: '<= 2', direction: 'lower' });
  });

  it('a KPI without thresholds is info', () => {
    const kpi = results.get('INFO')!;
    expect(kpi.value).toBe(100);
    expect(kpi.status).toBe('info');
    expect(kpi.reason).toBe('informational: no thresholds');
    expect(kpi.thresholds).toBeNull();
  });
});

describe('no data', () => {
  const sources = `  items:
    path: items.csv
    kind: events
    time_field: at
    csv: { delimiter: "," }
    fields:
      id: id
      at: { type: datetime }
      n: { type: number }
      ok: { type: boolean }
  phishing:
    path: phishing-{period}.csv
    kind: events
    time_field: sent
    optional: true
    fields:
      sent: { type: datetime }
      clicked: { type: integer }
      recipients: { type: integer }
`;
  // One row before and one after 2026-Q3: none in the period (and the export is not stale).
  const items = csv([
    ['id', 'at', 'n', 'ok'],
    ['a', '2026-06-15T10:00:00Z', 1, 'true'],
    ['b', '2026-10-15T10:00:00Z', 2, 'true'],
  ]);
  let results: Map<string, KpiResult>;
  beforeAll(async () => {
    results = await kpiResults({
      'metrics.yaml': catalogueYaml(sources, [
        { id: 'MEAN', formula: 'mean(items, n)', thresholds: { green: '<= 5' } },
        {
          id: 'PCT',
          formula: 'pct(count(items, ok), count(items))',
          thresholds: { green: '>= 95', amber: '>= 80' },
        },
        {
          id: 'PHISH',
          formula: 'pct(sum(phishing, clicked), sum(phishing, recipients))',
          thresholds: { green: '<= 5' },
        },
        { id: 'MIX', formula: 'mean(items, n) + count(phishing)', thresholds: { green: '<= 5' } },
      ]),
      'items.csv': items,
    });
  });

  it.each(['MEAN', 'PCT'])('%s: no rows in the period -> no-data with a reason', (id) => {
    const kpi = results.get(id)!;
    expect(kpi.value).toBeNull();
    expect(kpi.status).toBe('no-data');
    expect(kpi.reason).toBe('no rows of items in the period');
    expect(kpi.aggregates.every((a) => a.rowsInScope === 0)).toBe(true);
  });

  it('a missing optional source -> no-data, with the file in the reason', () => {
    const kpi = results.get('PHISH')!;
    expect(kpi.value).toBeNull();
    expect(kpi.status).toBe('no-data');
    expect(kpi.reason).toContain('phishing-2026-Q3.csv');
    expect(kpi.reason).toMatch(/not found/);
  });

  it('any missing optional source makes the KPI no-data', () => {
    const kpi = results.get('MIX')!;
    expect(kpi.status).toBe('no-data');
    expect(kpi.reason).toContain('phishing-2026-Q3.csv');
  });
});

describe('stale data', () => {
  // Q3 2026 ends 2026-09-30T22:00Z; a monthly cadence allows 31 days.
  const source = (name: string) => `  ${name}:
    path: ${name}.csv
    kind: events
    time_field: started
    csv: { delimiter: "," }
    fields:
      job: job
      started: { type: datetime }
`;
  const rows = (last: string) =>
    csv([
      ['job', 'started'],
      ['j1', '2026-07-10T10:00:00Z'],
      ['j2', last],
    ]);
  let results: Map<string, KpiResult>;
  beforeAll(async () => {
    const names = ['old', 'edge', 'over'];
    results = await kpiResults({
      'metrics.yaml': catalogueYaml(
        names.map(source).join(''),
        names.map((n) => ({
          id: n,
          formula: `count(${n})`,
          cadence: 'monthly',
          thresholds: { green: '>= 1' },
        })),
      ),
      'old.csv': rows('2026-08-15T10:00:00Z'), // 46.5 days before the end
      'edge.csv': rows('2026-08-30T22:00:00Z'), // exactly 31 days before the end
      'over.csv': rows('2026-08-30T21:59:00Z'), // 31 days and 1 minute before the end
    });
  });

  it('an export ending more than one cadence before the period end is stale, never green', () => {
    const kpi = results.get('old')!;
    expect(kpi.status).toBe('stale');
    expect(kpi.value).toBe(2); // the value is still shown
    expect(kpi.reason).toContain('old data ends 2026-08-15');
    expect(kpi.reason).toContain('46 days before the period ends');
  });

  it('exactly one cadence before the end is not stale', () => {
    expect(results.get('edge')!.status).toBe('green');
    expect(results.get('edge')!.value).toBe(2);
  });

  it('one minute more is stale', () => {
    expect(results.get('over')!.status).toBe('stale');
    expect(results.get('over')!.value).toBe(2);
  });
});

describe('segments and cadence windows', () => {
  /*
   * incidents (opened, site, ok); i0 is before the period.
   *   July:   i1 Berlin T, i2 Munich F, i3 Berlin T         -> 2/3 = 66.67 % amber
   *   August: i4 Berlin T, i5 Munich T, i6 Munich F, i7 Hamburg F -> 2/4 = 50 % amber (boundary)
   *   Sept.:  i8 Berlin T, i9 Munich T                      -> 2/2 = 100 % green
   *   total 6/9 = 66.67 % amber
   *   Berlin 4/4 = 100 % green, Hamburg 0/1 = 0 % red, Munich 2/4 = 50 % amber
   */
  const sources = `  incidents:
    path: incidents.csv
    kind: events
    time_field: opened
    csv: { delimiter: "," }
    fields:
      id: id
      opened: { type: datetime }
      site: site
      ok: { type: boolean }
  assets:
    path: assets.csv
    kind: snapshot
    csv: { delimiter: "," }
    fields:
      host: host
`;
  const incidents = csv([
    ['id', 'opened', 'site', 'ok'],
    ['i0', '2026-06-20T08:00:00Z', 'Berlin', 'false'],
    ['i1', '2026-07-05T08:00:00Z', 'Berlin', 'true'],
    ['i2', '2026-07-06T08:00:00Z', 'Munich', 'false'],
    ['i3', '2026-07-20T08:00:00Z', 'Berlin', 'true'],
    ['i4', '2026-08-03T08:00:00Z', 'Berlin', 'true'],
    ['i5', '2026-08-04T08:00:00Z', 'Munich', 'true'],
    ['i6', '2026-08-05T08:00:00Z', 'Munich', 'false'],
    ['i7', '2026-08-06T08:00:00Z', 'Hamburg', 'false'],
    ['i8', '2026-09-10T08:00:00Z', 'Berlin', 'true'],
    ['i9', '2026-09-29T08:00:00Z', 'Munich', 'true'],
  ]);
  const assets = csv([['host'], ['h1'], ['h2'], ['h3']]);
  const thresholds = { green: '>= 75', amber: '>= 50' };
  let results: Map<string, KpiResult>;
  beforeAll(async () => {
    results = await kpiResults({
      'metrics.yaml': catalogueYaml(sources, [
        { id: 'WIN', formula: 'pct(count(incidents, ok), count(incidents))', cadence: 'monthly', thresholds },
        { id: 'SEG', formula: 'pct(count(incidents, ok), count(incidents))', segment_by: 'site', thresholds },
        { id: 'PER', formula: 'count(incidents) / count(assets)', segment_by: 'site' },
        { id: 'QTR', formula: 'count(incidents)', cadence: 'quarterly' },
      ]),
      'incidents.csv': incidents,
      'assets.csv': assets,
    });
  });

  it('a monthly KPI in a quarter has one value per month', () => {
    const kpi = results.get('WIN')!;
    expect(kpi.value).toBeCloseTo(200 / 3, 10);
    expect(kpi.status).toBe('amber');
    expect(kpi.numerator).toBe(6);
    expect(kpi.denominator).toBe(9);
    expect(kpi.windows.map((w) => w.label)).toEqual(['2026-07', '2026-08', '2026-09']);
    const [jul, aug, sep] = kpi.windows;
    expect(jul!.value).toBeCloseTo(200 / 3, 10);
    expect([jul!.status, jul!.numerator, jul!.denominator]).toEqual(['amber', 2, 3]);
    expect(aug!.value).toBe(50);
    expect([aug!.status, aug!.numerator, aug!.denominator]).toEqual(['amber', 2, 4]);
    expect(sep!.value).toBe(100);
    expect([sep!.status, sep!.numerator, sep!.denominator]).toEqual(['green', 2, 2]);
    // window bounds are local month starts in Europe/Berlin (UTC+2 in summer)
    expect([jul!.start, jul!.end]).toEqual(['2026-06-30T22:00:00.000Z', '2026-07-31T22:00:00.000Z']);
    expect(sep!.end).toBe('2026-09-30T22:00:00.000Z');
    expect(kpi.trend).toBe('up'); // 50 -> 100
  });

  it('a quarterly KPI in a quarter has no windows', () => {
    expect(results.get('QTR')!.windows).toEqual([]);
    expect(results.get('QTR')!.value).toBe(9);
  });

  it('segment_by gives a value and a status per segment', () => {
    const kpi = results.get('SEG')!;
    expect(kpi.segmentBy).toBe('site');
    expect(kpi.value).toBeCloseTo(200 / 3, 10);
    expect(kpi.segments.map((s) => [s.key, s.value, s.status, s.numerator, s.denominator])).toEqual([
      ['Berlin', 100, 'green', 4, 4],
      ['Hamburg', 0, 'red', 0, 1],
      ['Munich', 50, 'amber', 2, 4],
    ]);
  });

  it('an aggregate over a source without the segment field gives its total to every segment', () => {
    const kpi = results.get('PER')!;
    expect(kpi.value).toBe(3); // 9 incidents / 3 assets
    expect(kpi.segments.map((s) => [s.key, s.value])).toEqual([
      ['Berlin', 4 / 3],
      ['Hamburg', 1 / 3],
      ['Munich', 4 / 3],
    ]);
  });
});

describe('durations across daylight saving time', () => {
  // Zone-less datetimes are read in the catalogue's zone.
  // 2026-03-29: 01:00 -> 04:00 local skips 02:00-03:00 (2 h); 2026-10-25: 01:30 -> 03:30 repeats 02:00-03:00 (3 h).
  const source = `  shifts:
    path: shifts.csv
    kind: events
    time_field: start
    csv: { delimiter: "," }
    fields:
      id: id
      start: { type: datetime }
      end: { type: datetime }
      end_text: { type: datetime, format: "dd.MM.yyyy HH:mm" }
`;
  const data = csv([
    ['id', 'start', 'end', 'end_text'],
    ['spring', '2026-03-29T01:00:00', '2026-03-29T04:00:00', '29.03.2026 04:00'],
    ['autumn', '2026-10-25T01:30:00', '2026-10-25T03:30:00', '25.10.2026 03:30'],
  ]);
  const kpis: KpiSpec[] = ['spring', 'autumn'].flatMap((id) => [
    { id: `h-${id}`, formula: `max(shifts, hours(start, end), id == "${id}")`, cadence: 'annual' },
    { id: `m-${id}`, formula: `max(shifts, minutes(start, end_text), id == "${id}")`, cadence: 'annual' },
  ]);

  it('hours() counts real elapsed time in Europe/Berlin', async () => {
    const results = await kpiResults(
      { 'metrics.yaml': catalogueYaml(source, kpis), 'shifts.csv': data },
      '2026',
    );
    expect(results.get('h-spring')!.value).toBe(2);
    expect(results.get('h-autumn')!.value).toBe(3);
    expect(results.get('m-spring')!.value).toBe(120);
    expect(results.get('m-autumn')!.value).toBe(180);
  });

  it('the same text read in UTC has no DST shift', async () => {
    const results = await kpiResults(
      { 'metrics.yaml': catalogueYaml(source, kpis, 'UTC'), 'shifts.csv': data },
      '2026',
    );
    expect(results.get('h-spring')!.value).toBe(3);
    expect(results.get('h-autumn')!.value).toBe(2);
  });
});

describe('rejected rows', () => {
  const source = `  changes:
    path: changes.csv
    kind: events
    time_field: opened
    csv: { delimiter: "," }
    fields:
      id: { required: true }
      opened: { type: datetime }
      risk: { type: number }
  cmdb:
    path: cmdb.csv
    kind: snapshot
    csv: { delimiter: "," }
    fields:
      host: host
`;
  it('are counted on the KPI and left out of its aggregates', async () => {
    const results = await kpiResults({
      'metrics.yaml': catalogueYaml(source, [
        { id: 'CH', formula: 'count(changes)' },
        { id: 'SUM', formula: 'sum(changes, risk)' },
        { id: 'CMDB', formula: 'count(cmdb)' },
      ]),
      'changes.csv': csv([
        ['id', 'opened', 'risk'],
        ['c1', '2026-07-01T10:00:00Z', 3],
        ['c2', '2026-07-02T10:00:00Z', 'high'], // not a number
        ['', '2026-07-03T10:00:00Z', 1], // required id missing
        ['c4', 'yesterday', 1], // not a date
        ['c5', '2026-07-05T10:00:00Z', 4],
      ]),
      'cmdb.csv': csv([['host'], ['h1']]),
    });
    expect(results.get('CH')!.value).toBe(2); // c1, c5
    expect(results.get('CH')!.rejectedRows).toBe(3);
    expect(results.get('SUM')!.value).toBe(7);
    expect(results.get('SUM')!.rejectedRows).toBe(3);
    expect(results.get('CMDB')!.rejectedRows).toBe(0);
  });
});
