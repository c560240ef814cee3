/** The CSV report: one row per KPI and one per segment, flat columns, unrounded values. */
import { beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS, renderCsv } from '../../src/render/csv.js';
import type { Report } from '../../src/report/model.js';
import { runBundled } from './bundled.js';
import { csvRecords, parseCsv } from './csv-parse.js';

let report: Report;
let text: string;
beforeAll(async () => {
  report = (await runBundled()).report;
  text = renderCsv(report);
});

describe('csv report', () => {
  it('has a header and one row per KPI and per segment, every row as wide as the header', () => {
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const segments = report.kpis.reduce((n, k) => n + k.segments.length, 0);
    expect(rows).toHaveLength(1 + report.kpis.length + segments);
    for (const row of rows) expect(row).toHaveLength(CSV_COLUMNS.length);
  });

  it('keeps values unrounded and adds the rounded text beside them', () => {
    const leipzig = csvRecords(text).find((r) => r.kpi_id === 'IR-02' && r.segment === 'Leipzig')!;
    expect(leipzig).toMatchObject({
      level: 'segment',
      value: '66.66666666666667',
      value_shown: '66.7 %',
      // Leipzig has a target of its own (segment_thresholds): green >= 60, amber >= 50.
      status: 'green',
      numerator: '2',
      denominator: '3',
      green: '>= 60',
      amber: '>= 50',
    });
    const brno = csvRecords(text).find((r) => r.kpi_id === 'IR-02' && r.segment === 'Brno')!;
    expect(brno).toMatchObject({ green: '>= 95', amber: '>= 85' });
    const aw03 = csvRecords(text).find((r) => r.kpi_id === 'AW-03')!;
    expect(aw03).toMatchObject({ level: 'kpi', value: '', status: 'no-data' });
    expect(aw03.caveat).toBe('self-reported survey answers, about a third of staff respond');
  });
});
