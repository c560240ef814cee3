/** The text of `isms-kpi explain`: a KPI's formula, the rows counted at each step, and sample rows. */
import type { AggregateResult, KpiResult } from '../report/model.js';
import { localDate, utcToLocal } from '../time/zone.js';

export interface SampleRow {
  file: string;
  line: number;
  /** The fields the condition reads; `undefined` when the table has no such column. */
  cells: { field: string; value: unknown; isDatetime: boolean }[];
}

export interface ExplainedAggregate {
  aggregate: AggregateResult;
  /** The source's file; absent when the source is missing. */
  file?: string;
  /** Rows that did not meet the condition (for a numerator: counted by the denominator but not here). */
  sample?: { isAgainstDenominator: boolean; rows: SampleRow[] };
}

export interface Explanation {
  kpi: KpiResult;
  period: string;
  timezone: string;
  aggregates: ExplainedAggregate[];
}

/** A cell as explain shows it: datetimes in the catalogue's zone, everything else as JSON. */
function showCell(cell: SampleRow['cells'][number], tz: string): string {
  if (cell.value === undefined) return '?';
  if (cell.isDatetime && typeof cell.value === 'number') {
    const p = utcToLocal(tz, cell.value);
    const two = (n: number) => String(n).padStart(2, '0');
    return `${localDate(tz, cell.value)} ${two(p.hour)}:${two(p.minute)}`;
  }
  return JSON.stringify(cell.value);
}

function aggregateLines(explained: ExplainedAggregate, tz: string): string[] {
  const agg = explained.aggregate;
  const role = agg.role === 'value' ? '' : ` (${agg.role})`;
  const lines = [`[${agg.index + 1}] ${agg.text}${role}`];
  if (explained.file === undefined) return [...lines, `    source ${agg.source} is missing`];
  lines.push(
    `    ${agg.rowsInScope} rows of ${agg.source} (${explained.file}) in scope, ${agg.rowsMatched} counted -> ${agg.value ?? 'no value'}`,
  );
  const sample = explained.sample;
  if (!sample) return lines;
  const what = sample.isAgainstDenominator
    ? 'rows counted in the denominator but not here'
    : 'rows that did not meet the condition';
  lines.push(`    ${what} (first ${sample.rows.length}):`);
  for (const row of sample.rows) {
    const values = row.cells.map((cell) => `${cell.field}=${showCell(cell, tz)}`).join(' ');
    lines.push(`      ${row.file}:${row.line}  ${values}`);
  }
  return lines;
}

export function renderExplain(e: Explanation): string {
  const { kpi } = e;
  const lines = [
    `${kpi.id}  ${kpi.name}`,
    `owner ${kpi.owner}; cadence ${kpi.cadence}; controls ${kpi.controls.join(', ') || '-'}; period ${e.period}`,
    `formula: ${kpi.formula}`,
    '',
  ];
  for (const agg of e.aggregates) lines.push(...aggregateLines(agg, e.timezone));
  lines.push('');
  const numbers =
    kpi.numerator !== undefined && kpi.denominator !== undefined
      ? ` (${kpi.numerator} / ${kpi.denominator})`
      : '';
  lines.push(`value: ${kpi.value ?? 'no value'}${numbers}; status: ${kpi.status} (${kpi.reason})`);
  if (kpi.rejectedRows > 0)
    lines.push(
      `note: ${kpi.rejectedRows} rows were rejected at intake in the sources this KPI reads (see isms-kpi validate)`,
    );
  return `${lines.join('\n')}\n`;
}
