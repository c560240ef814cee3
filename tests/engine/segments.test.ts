/**
 * Segments (issue 14, point 9): an enum field lists every declared value in declared order (0 for a
 * count or sum without rows, no data for ratios and means of zero rows); `segment_by` may name several
 * fields, whose segments are the combinations, with a key per field.
 *
 * incidents in 2026-Q3 (i0 is in Q2, so Plant C is not in the period):
 *   i1 Plant A High   ok    score 2
 *   i2 Plant A Low    -     score 4
 *   i3 Plant B High   ok    score 6
 *   i4 Plant B High   -     score 8
 *   i5 (no site) High ok    score 1
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { diffReports } from '../../src/diff/compare.js';
import { renderCsv } from '../../src/render/csv.js';
import { renderHtml } from '../../src/render/html.js';
import type { KpiResult, Report } from '../../src/report/model.js';
import { reportSchema } from '../../src/report/model.js';
import { catalogueYaml, csv, type KpiSpec, runError, runProject } from '../formula/harness.js';

const SOURCES = `  incidents:
    path: incidents.csv
    kind: events
    time_field: opened
    csv: { delimiter: "," }
    fields:
      id: id
      opened: { type: datetime }
      site: site
      severity: { type: enum, values: [Critical, High, Medium, Low] }
      ok: { type: boolean }
      score: { type: number }
  assets:
    path: assets.csv
    kind: snapshot
    csv: { delimiter: "," }
    fields:
      host: host
      site: site
`;
const INCIDENTS = csv([
  ['id', 'opened', 'site', 'severity', 'ok', 'score'],
  ['i0', '2026-06-20T08:00:00Z', 'Plant C', 'Critical', 'true', '9'],
  ['i1', '2026-07-05T08:00:00Z', 'Plant A', 'High', 'true', '2'],
  ['i2', '2026-07-06T08:00:00Z', 'Plant A', 'Low', 'false', '4'],
  ['i3', '2026-08-03T08:00:00Z', 'Plant B', 'High', 'true', '6'],
  ['i4', '2026-08-04T08:00:00Z', 'Plant B', 'High', 'false', '8'],
  ['i5', '2026-09-10T08:00:00Z', '', 'High', 'true', '1'],
]);
const ASSETS = csv([
  ['host', 'site'],
  ['h1', 'Plant A'],
  ['h2', 'Plant B'],
]);
const thresholds = { green: '<= 1', amber: '<= 2' };

const KPIS: KpiSpec[] = [
  { id: 'CNT', formula: 'count(incidents)', segment_by: 'severity', thresholds },
  { id: 'SUM', formula: 'sum(incidents, score)', segment_by: 'severity' },
  { id: 'PCT', formula: 'pct(count(incidents, ok), count(incidents))', segment_by: 'severity' },
  { id: 'MEAN', formula: 'mean(incidents, score)', segment_by: 'severity' },
  { id: 'SITE', formula: 'count(incidents)', segment_by: 'site' },
  { id: 'TWO', formula: 'count(incidents)', segment_by: '[site, severity]' },
  { id: 'REV', formula: 'count(incidents)', segment_by: '[severity, site]' },
  { id: 'ONE', formula: 'count(incidents)', segment_by: '[severity]' },
  { id: 'ONE_TEXT', formula: 'count(incidents)', segment_by: 'severity' },
  { id: 'PER', formula: 'count(incidents) / count(assets)', segment_by: '[severity]' },
];

const rows = (k: KpiResult) => k.segments.map((s) => [s.key, s.value, s.status]);

describe('segments', () => {
  let report: Report;
  let kpis: Map<string, KpiResult>;
  beforeAll(async () => {
    const result = await runProject({
      'metrics.yaml': catalogueYaml(SOURCES, KPIS),
      'incidents.csv': INCIDENTS,
      'assets.csv': ASSETS,
    });
    report = result.report;
    kpis = new Map(report.kpis.map((k) => [k.id, k]));
  });

  it('an enum field lists every declared value, in declared order, 0 for a count without rows', () => {
    const kpi = kpis.get('CNT')!;
    expect(kpi.value).toBe(5);
    expect(rows(kpi)).toEqual([
      ['Critical', 0, 'green'],
      ['High', 4, 'red'],
      ['Medium', 0, 'green'],
      ['Low', 1, 'green'],
    ]);
    expect(kpi.segments.every((s) => s.keys === undefined)).toBe(true);
  });

  it('a sum without rows is 0; a ratio or a mean of zero rows is no data', () => {
    expect(rows(kpis.get('SUM')!)).toEqual([
      ['Critical', 0, 'info'],
      ['High', 17, 'info'],
      ['Medium', 0, 'info'],
      ['Low', 4, 'info'],
    ]);
    expect(
      kpis.get('PCT')!.segments.map((s) => [s.key, s.value, s.status, s.numerator, s.denominator]),
    ).toEqual([
      ['Critical', null, 'no-data', 0, 0],
      ['High', 75, 'info', 3, 4],
      ['Medium', null, 'no-data', 0, 0],
      ['Low', 0, 'info', 0, 1],
    ]);
    expect(rows(kpis.get('MEAN')!)).toEqual([
      ['Critical', null, 'no-data'],
      ['High', 17 / 4, 'info'],
      ['Medium', null, 'no-data'],
      ['Low', 4, 'info'],
    ]);
  });

  it('a text field keeps the values found in the period, in text order', () => {
    expect(rows(kpis.get('SITE')!)).toEqual([
      ['Plant A', 2, 'info'],
      ['Plant B', 2, 'info'],
    ]);
    expect(kpis.get('SITE')!.segmentBy).toBe('site');
  });

  it('several fields: every site found, crossed with every severity, keyed "site / severity"', () => {
    const kpi = kpis.get('TWO')!;
    expect(kpi.segmentBy).toBe('site / severity');
    expect(rows(kpi)).toEqual([
      ['Plant A / Critical', 0, 'info'],
      ['Plant A / High', 1, 'info'],
      ['Plant A / Medium', 0, 'info'],
      ['Plant A / Low', 1, 'info'],
      ['Plant B / Critical', 0, 'info'],
      ['Plant B / High', 2, 'info'],
      ['Plant B / Medium', 0, 'info'],
      ['Plant B / Low', 0, 'info'],
    ]);
    expect(kpi.segments[1]!.keys).toEqual({ site: 'Plant A', severity: 'High' });
    // In the order of segment_by: severity first.
    expect(kpis.get('REV')!.segments.map((s) => s.key)).toEqual([
      'Critical / Plant A',
      'Critical / Plant B',
      'High / Plant A',
      'High / Plant B',
      'Medium / Plant A',
      'Medium / Plant B',
      'Low / Plant A',
      'Low / Plant B',
    ]);
  });

  it('a list of one field is that field: the same segments, key and definition hash', () => {
    const one = kpis.get('ONE')!;
    const text = kpis.get('ONE_TEXT')!;
    expect(one.segmentBy).toBe('severity');
    expect(one.segments).toEqual(text.segments);
    expect(one.definitionHash).toBe(text.definitionHash);
    expect(one.definitionHash).not.toBe(kpis.get('TWO')!.definitionHash);
  });

  it('a source without the segment fields gives its total to every segment', () => {
    expect(kpis.get('PER')!.segments.map((s) => [s.key, s.value])).toEqual([
      ['Critical', 0],
      ['High', 2],
      ['Medium', 0],
      ['Low', 0.5],
    ]);
  });

  it('the report with keys is a valid report; CSV and HTML show the combined key', () => {
    expect(reportSchema.safeParse(report).success).toBe(true);
    const csvText = renderCsv(report);
    expect(csvText).toMatch(
      /^2026-Q3,2026-09-30,segment,TWO,.*,site \/ severity,Plant B \/ Medium,0,count,/m,
    );
    const html = renderHtml(report, {});
    expect(html).toContain('By site / severity (8)');
    expect(html).toContain('<td>Plant A / Medium</td>');
  });

  it('diff matches segments by key, for several fields too, whatever their order', () => {
    const newer = structuredClone(report);
    const two = newer.kpis.find((k) => k.id === 'TWO')!;
    two.segments.find((s) => s.key === 'Plant B / High')!.value = 3;
    two.segments.reverse();
    const diff = diffReports(report, newer).kpis.find((k) => k.id === 'TWO')!;
    expect(diff.segments).toHaveLength(8);
    expect(
      diff.segments.filter((s) => s.oldValue !== s.newValue).map((s) => [s.key, s.oldValue, s.newValue]),
    ).toEqual([['Plant B / High', 2, 3]]);
  });

  it('a period without rows lists the declared values, each without data', async () => {
    const result = await runProject(
      {
        'metrics.yaml': catalogueYaml(SOURCES, KPIS.slice(0, 1)),
        'incidents.csv': INCIDENTS,
        'assets.csv': ASSETS,
      },
      '2026-Q1',
    );
    const kpi = result.report.kpis[0]!;
    expect(kpi.status).toBe('no-data');
    expect(rows(kpi)).toEqual([
      ['Critical', null, 'no-data'],
      ['High', null, 'no-data'],
      ['Medium', null, 'no-data'],
      ['Low', null, 'no-data'],
    ]);
  });
});

describe('segment_by in the catalogue', () => {
  const refused = async (segmentBy: string) =>
    (
      await runError({
        'metrics.yaml': catalogueYaml(SOURCES, [
          { id: 'X', formula: 'count(incidents) / count(assets)', segment_by: segmentBy },
        ]),
        'incidents.csv': INCIDENTS,
        'assets.csv': ASSETS,
      })
    ).problems.map((p) => p.message);

  it('refuses a field that is not there, a repeated field, and a source with only some of the fields', async () => {
    expect(await refused('[site, sitee]')).toEqual([
      'kpi X: segment_by "sitee" is not a field of incidents or assets',
    ]);
    expect(await refused('[site, site]')).toEqual(['kpi X: segment_by names "site" twice']);
    expect(await refused('[site, severity]')).toEqual([
      'kpi X: segment_by [site, severity]: assets has no field "severity"; a source the formula reads must have all the segment fields or none',
    ]);
    expect(await refused('[]')).toEqual(['kpi X: segment_by: name at least one field']);
  });
});
