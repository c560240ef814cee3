/**
 * cumulative(SOURCE): an aggregate over every row of an events source up to the end of the period (no
 * lower bound), e.g. "leavers up to the quarter end whose account is still enabled". Exact values on a
 * small data set worked out by hand; refused (with the formula's line and column) on a snapshot and
 * anywhere but an aggregate's source position.
 */
import { describe, expect, it } from 'vitest';
import { buildEvidencePack } from '../../src/evidence/build-pack.js';
import { formatProblem } from '../../src/problems.js';
import { csvRecords } from '../render/csv-parse.js';
import { catalogueYaml, csv, inProject, type KpiSpec, runError, runProject } from './harness.js';

/*
 * Catalogue zone Europe/Berlin; 2026-Q3 = [2026-06-30T22:00Z, 2026-09-30T22:00Z).
 * leavers (events on `effective`)          entra (snapshot)
 *   person  effective (UTC)                  upn  enabled
 *   a       2026-03-15T09:00Z   Q1           a    true
 *   b       2026-05-20T09:00Z   Q2           b    false
 *   c       2026-07-31T22:00Z   Q3 (Aug 1 00:00 in Berlin: the end of the July window)
 *                                            c    true
 *   d       2026-09-30T21:59:59Z  Q3, one second before its end
 *                                            d    true
 *   e       2026-09-30T22:00:00Z  the first instant after Q3
 *                                            e    true
 */
const SOURCES = `  leavers:
    path: leavers.csv
    kind: events
    time_field: effective
    fields:
      person: { required: true }
      effective: { type: datetime }
  entra:
    path: entra.csv
    kind: snapshot
    fields:
      upn: { required: true }
      enabled: { type: boolean }
`;
const LEAVERS = csv([
  ['person', 'effective'],
  ['a', '2026-03-15T09:00:00Z'],
  ['b', '2026-05-20T09:00:00Z'],
  ['c', '2026-07-31T22:00:00Z'],
  ['d', '2026-09-30T21:59:59Z'],
  ['e', '2026-09-30T22:00:00Z'],
]);
const ENTRA = csv([
  ['upn', 'enabled'],
  ['a', 'true'],
  ['b', 'false'],
  ['c', 'true'],
  ['d', 'true'],
  ['e', 'true'],
]);
const ENABLED = 'exists(entra, entra.upn == leavers.person and entra.enabled)';

function project(kpis: KpiSpec[]): Record<string, string> {
  return { 'metrics.yaml': catalogueYaml(SOURCES, kpis), 'leavers.csv': LEAVERS, 'entra.csv': ENTRA };
}

describe('cumulative(source)', () => {
  it('counts every row before the period end, with no lower bound', async () => {
    const kpis: KpiSpec[] = [
      { id: 'ALL', formula: 'count(cumulative(leavers))' },
      { id: 'ORPHANS', formula: `count(cumulative(leavers), ${ENABLED})` },
      { id: 'PERIOD', formula: `count(leavers, ${ENABLED})` },
      { id: 'SHARE', formula: `pct(count(cumulative(leavers), ${ENABLED}), count(cumulative(leavers)))` },
    ];
    const q3 = await runProject(project(kpis), '2026-Q3');
    const value = (id: string) => q3.report.kpis.find((k) => k.id === id)!;
    // a, b, c, d (e is at the period end, which is not before it)
    expect(value('ALL').value).toBe(4);
    expect(value('ALL').aggregates[0]!.rowsInScope).toBe(4);
    // a, c, d: enabled; b is disabled
    expect(value('ORPHANS').value).toBe(3);
    // without cumulative(): the leavers of Q3 only, c and d
    expect(value('PERIOD').value).toBe(2);
    expect(value('SHARE').value).toBe(75);
    expect([value('SHARE').numerator, value('SHARE').denominator]).toEqual([3, 4]);
    // the period's rows of the source are unchanged in the manifest: c and d
    expect(q3.report.sources.find((s) => s.name === 'leavers')!.rowsInPeriod).toBe(2);

    const q2 = await runProject(project(kpis), '2026-Q2');
    const inQ2 = (id: string) => q2.report.kpis.find((k) => k.id === id)!.value;
    // a and b before 2026-07-01 00:00 Berlin; only a is enabled
    expect([inQ2('ALL'), inQ2('ORPHANS')]).toEqual([2, 1]);
  });

  it('gives each cadence window everything up to the end of that window', async () => {
    const result = await runProject(
      project([{ id: 'ALL', formula: 'count(cumulative(leavers))', cadence: 'monthly' }]),
    );
    const kpi = result.report.kpis[0]!;
    // July ends at Aug 1 00:00 Berlin = c's time, so c is not in it: a, b; August a, b, c; September a-d
    expect(kpi.windows.map((w) => [w.label, w.value])).toEqual([
      ['2026-07', 2],
      ['2026-08', 3],
      ['2026-09', 4],
    ]);
    expect(kpi.value).toBe(4);
  });

  it('finds segments among all the rows it reads', async () => {
    const sources = SOURCES.replace(
      '      effective: { type: datetime }',
      '      effective: { type: datetime }\n      site: site',
    );
    const leavers = csv([
      ['person', 'effective', 'site'],
      ['a', '2026-03-15T09:00:00Z', 'Bremen'],
      ['c', '2026-07-31T22:00:00Z', 'Leipzig'],
    ]);
    const result = await runProject({
      'metrics.yaml': catalogueYaml(sources, [
        { id: 'ALL', formula: 'count(cumulative(leavers))', segment_by: 'site' },
      ]),
      'leavers.csv': leavers,
      'entra.csv': ENTRA,
    });
    // Bremen has only a row before the period, and is still a segment
    expect(result.report.kpis[0]!.segments.map((s) => [s.key, s.value])).toEqual([
      ['Bremen', 1],
      ['Leipzig', 1],
    ]);
  });

  it('puts the earlier rows in the evidence pack', async () => {
    const files = await inProject(
      project([{ id: 'ORPHANS', formula: `count(cumulative(leavers), ${ENABLED})` }]),
      '2026-Q3',
      { trace: true },
      (result) =>
        buildEvidencePack({
          report: result.report,
          catalogue: result.catalogue,
          sources: result.sources,
          traces: result.evaluation.traces,
        }),
    );
    const rows = csvRecords(files.find((f) => f.path === 'kpis/ORPHANS.csv')!.content);
    expect(rows.map((r) => [r.line, r.person])).toEqual([
      ['2', 'a'],
      ['4', 'c'],
      ['5', 'd'],
    ]);
  });
});

describe('where cumulative() is refused', () => {
  // The formula is on line 23, written in quotes from column 14: its first character is at column 15.
  const at = (formula: string, part: string) => `metrics.yaml:23:${15 + formula.indexOf(part)}`;
  it.each([
    [
      'count(cumulative(entra))',
      'cumulative(entra)',
      'cumulative(entra): entra is a snapshot, which holds every row up to its as-of date already; cumulative() is for events sources',
    ],
    [
      'cumulative(leavers)',
      'cumulative(leavers)',
      'cumulative() can only be the first argument of an aggregate, e.g. count(cumulative(leavers), enabled)',
    ],
    [
      'count(leavers, cumulative(leavers) == 1)',
      'cumulative(leavers)',
      'cumulative() can only be the first argument of an aggregate, e.g. count(cumulative(leavers), enabled)',
    ],
    [
      'count(entra, exists(cumulative(leavers), leavers.person == entra.upn))',
      'cumulative(leavers)',
      'exists() looks at the rows of a source in the period: write the source name here; cumulative() is only for the source of an aggregate, e.g. count(cumulative(leavers), ...)',
    ],
    [
      'count(cumulative(leavers, entra))',
      'cumulative(leavers, entra)',
      'cumulative() takes one source name, e.g. cumulative(leavers)',
    ],
  ])('%s', async (formula, part, message) => {
    const error = await runError(project([{ id: 'A', formula }]));
    expect(error.problems.map(formatProblem)[0]).toBe(`${at(formula, part)}: kpi A: ${message}`);
  });
});
