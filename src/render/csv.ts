/**
 * The spreadsheet report: one row per KPI, then one per segment of it, in catalogue order so sheets of
 * successive periods line up. Flat columns; values unrounded (value_shown is the rounded text). Columns
 * are only ever added at the end, so a sheet that reads them by position keeps working.
 */
import type { KpiResult, Report } from '../report/model.js';
import { type CsvValue, csvDocument } from '../util/csv-writer.js';
import { formatValue, isPartialTrend } from './format.js';

export const CSV_COLUMNS = [
  'period',
  'as_of',
  'level',
  'kpi_id',
  'kpi_name',
  'area',
  'owner',
  'cadence',
  'tier',
  'controls',
  'segment_by',
  'segment',
  'value',
  'unit',
  'value_shown',
  'status',
  'numerator',
  'denominator',
  'green',
  'amber',
  'direction',
  'trend',
  'reason',
  'caveat',
  'rejected_rows',
  'definition_hash',
  'trend_note',
  'period_complete',
  'computed_on',
  'trend_verdict',
  'trend_against',
] as const;

type Row = Record<(typeof CSV_COLUMNS)[number], CsvValue>;

export function renderCsv(report: Report): string {
  const rows: Row[] = [];
  for (const kpi of report.kpis) {
    const common = {
      period: report.period.label,
      as_of: report.asOf,
      kpi_id: kpi.id,
      kpi_name: kpi.name,
      area: kpi.area,
      owner: kpi.owner,
      cadence: kpi.cadence,
      tier: kpi.tier,
      controls: kpi.controls.join(' '),
      segment_by: kpi.segmentBy,
      unit: kpi.unit,
      green: kpi.thresholds?.green,
      amber: kpi.thresholds?.amber,
      direction: kpi.thresholds?.direction,
      caveat: kpi.caveat,
      definition_hash: kpi.definitionHash,
      period_complete: report.period.complete === false ? 'false' : 'true',
      computed_on: report.period.computedOn,
    };
    rows.push({
      ...common,
      level: 'kpi',
      segment: undefined,
      ...result(kpi, kpi),
      trend: isPartialTrend(kpi) ? 'partial' : kpi.trend,
      trend_note: kpi.trendNote,
      trend_verdict: kpi.trendVerdict?.verdict,
      trend_against: kpi.trendVerdict?.against?.period,
      reason: kpi.reason,
      rejected_rows: kpi.rejectedRows,
    });
    for (const segment of kpi.segments) {
      rows.push({
        ...common,
        level: 'segment',
        segment: segment.key,
        ...result(kpi, segment),
        trend: undefined,
        trend_note: undefined,
        trend_verdict: undefined,
        trend_against: undefined,
        reason: undefined,
        rejected_rows: undefined,
      });
    }
  }
  return csvDocument([CSV_COLUMNS, ...rows.map((row) => CSV_COLUMNS.map((c) => row[c]))]);
}

function result(
  kpi: KpiResult,
  group: Pick<KpiResult, 'value' | 'status' | 'numerator' | 'denominator'>,
): Pick<Row, 'value' | 'value_shown' | 'status' | 'numerator' | 'denominator'> {
  return {
    value: group.value,
    value_shown: group.value === null ? '' : formatValue(kpi, group.value),
    status: group.status,
    numerator: group.numerator,
    denominator: group.denominator,
  };
}
