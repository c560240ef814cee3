/**
 * The text of `isms-kpi explain`: a KPI's formula, then per aggregate the rows it counted and the rows
 * in its scope it did not count (with the reason), each with file and line and the row's key first; the
 * KPIs a derived KPI uses; and the value with its unit.
 *
 * Decisions: datetimes to the second (millisecond when present) with their UTC offset, in the
 * catalogue's zone; the KPI's value with its unit and decimals (formatValue, as every report shows it);
 * an aggregate's own value unrounded when whole, else to two decimals; durations in seconds as stored.
 * Numerator and denominator are shown only where the report has them (the value is their ratio).
 * Catalogue and export texts are made inert (safeText): export values are quoted as JSON writes them, with
 * bidi overrides and C1 controls escaped too; names are one line; formulas keep their line breaks.
 */
import type { NotCountedReason } from '../engine/explain-rows.js';
import type { ValueType } from '../formula/ir.js';
import type { AggregateResult, KpiResult } from '../report/model.js';
import { pathToGreen } from '../report/path-to-green.js';
import type { CellValue, FieldType } from '../sources/table.js';
import { safeText } from '../text.js';
import {
  formatBand,
  formatCount,
  formatDateTime,
  formatNumber,
  formatValue,
  formatValueWithInterval,
  plural,
} from './format.js';
import { measureLines } from './measure.js';
import { manualText } from './programme.js';

/** One line of inert text. */
const t = (text: string) => safeText(text);
/** Inert text that keeps its line breaks (a formula). */
const lines = (text: string) => safeText(text, { newlines: true });

export interface ShownRow {
  file: string;
  line: number;
  /** The row's key fields first, then its time field and the fields the aggregate reads; `undefined`: not stored. */
  cells: { field: string; value: CellValue | undefined; type: FieldType | undefined }[];
}

export interface RowList<Row> {
  /** How many rows the list has; `rows` are the first of them (all with --all). */
  total: number;
  rows: Row[];
}

export interface ExplainedAggregate {
  aggregate: AggregateResult;
  /** What the aggregate gives: a number, a duration (seconds) or a datetime (min/max). */
  valueType: ValueType;
  /** Written with cumulative(source): its scope is every row up to the period end. */
  isCumulative: boolean;
  /** The source's file; absent when the source is missing. */
  file?: string;
  counted?: RowList<ShownRow>;
  /** Rows in scope not counted, or for a numerator the rows its denominator counted and it did not. */
  notCounted?: RowList<ShownRow & { reason: NotCountedReason }> & { against: 'scope' | 'denominator' };
}

export interface Explanation {
  kpi: KpiResult;
  period: string;
  timezone: string;
  aggregates: ExplainedAggregate[];
  /** The KPIs a derived KPI's formula uses (kpi("X")), in the order written. */
  uses: KpiResult[];
  /** Rows listed per list: a number (--sample), or every row (--all). */
  limit: number | 'all';
}

/** A cell as explain shows it: datetimes with seconds and offset, durations in seconds, text quoted. */
function showCell(cell: ShownRow['cells'][number], tz: string): string {
  const { value } = cell;
  if (value === undefined) return '?';
  if (value === null) return '(empty)';
  if (cell.type === 'datetime' && typeof value === 'number') return formatDateTime(value, tz);
  if (cell.type === 'duration' && typeof value === 'number') return `${value} s`;
  return safeText(JSON.stringify(value));
}

function showRow(row: ShownRow, tz: string): string {
  const cells = row.cells.map((cell) => `${t(cell.field)}=${showCell(cell, tz)}`).join(' ');
  return `      ${t(row.file)}:${row.line}${cells ? `  ${cells}` : ''}`;
}

/** An aggregate's value: whole numbers as they are, others to two decimals; durations and datetimes by type. */
export function aggregateValueText(value: number | null | undefined, type: ValueType, tz: string): string {
  if (value === null || value === undefined) return 'no value';
  // An aggregate past the largest finite number (a sum of huge values): the report says "overflows" too.
  if (!Number.isFinite(value)) return 'overflows (too large to compute)';
  if (type === 'datetime') return formatDateTime(value, tz);
  const text = formatNumber(value, Number.isInteger(value) ? 0 : 2);
  return type === 'duration' ? `${text} s` : text;
}

function reasonText(reason: NotCountedReason): string {
  const which = reason.partOf
    ? ` (part ${reason.partOf.index} of ${reason.partOf.count} of the condition)`
    : '';
  switch (reason.outcome) {
    case 'false':
      return `${lines(reason.part)} is false${which}`;
    case 'no-value':
      return `${lines(reason.part)} has no value${which}`;
    case 'value-missing':
      return `no value for ${lines(reason.part)}`;
  }
}

function heading(what: string, list: RowList<unknown>): string {
  if (list.total === 0) return `    ${what}: none`;
  const shown =
    list.rows.length === list.total ? `all ${list.total}` : `first ${list.rows.length} of ${list.total}`;
  return `    ${what} (${shown}):`;
}

function aggregateLines(explained: ExplainedAggregate, of: number, e: Explanation): string[] {
  const agg = explained.aggregate;
  const tz = e.timezone;
  const role = agg.role === 'value' ? '' : ` (${agg.role})`;
  const out = [`aggregate ${agg.index + 1} of ${of}: ${lines(agg.text)}${role}`];
  if (explained.file === undefined) return [...out, `    source ${t(agg.source)} is missing`];
  const scope = explained.isCumulative ? ' up to the period end' : '';
  out.push(
    `    ${plural(agg.rowsInScope, 'row')} of ${t(agg.source)}${scope} (${t(explained.file)}) in scope, ${formatCount(agg.rowsMatched)} counted -> ${aggregateValueText(agg.value, explained.valueType, tz)}`,
  );
  if (e.limit === 0) return out;
  const { counted, notCounted } = explained;
  if (counted) {
    out.push(heading('counted', counted));
    for (const row of counted.rows) out.push(showRow(row, tz));
  }
  if (notCounted) {
    const what =
      notCounted.against === 'denominator' ? 'counted by the denominator, not here' : 'not counted';
    out.push(heading(what, notCounted));
    for (const row of notCounted.rows)
      out.push(showRow(row, tz), `        because ${reasonText(row.reason)}`);
  }
  return out;
}

const INTERVAL_METHOD = { wilson: 'Wilson score interval', 'poisson-exact': 'exact Poisson interval' };

/** "95 % interval: 52.9-97.8 % (Wilson score interval)", or a statistic's n; undefined without one. */
function intervalLine(kpi: KpiResult): string | undefined {
  const i = kpi.interval;
  if (!i) return undefined;
  if (i.method === 'none')
    return i.n === undefined ? undefined : `n: ${formatCount(i.n)} rows (no interval for a statistic)`;
  const shown = formatValueWithInterval(kpi).replace(/^.*\[(.*)\]$/, '$1');
  const level = formatNumber(100 * (i.level ?? 0.95), 0);
  const unit = /^(count|#)$/i.test(kpi.unit) ? '' : ` ${kpi.unit}`;
  return t(`${level} % interval: ${shown}${unit} (${INTERVAL_METHOD[i.method]})`);
}

/**
 * The path to green (src/report/path-to-green.ts): per band the smallest change of the numerator or the
 * count that reaches it, then how the shortfall is spread over the segments.
 */
function pathLines(kpi: KpiResult): string[] {
  const path = pathToGreen(kpi);
  if (!path) return [];
  const numerator = kpi.aggregates.find((a) => a.role === 'numerator');
  const what = path.kind === 'proportion' && numerator ? ` counted by ${numerator.text}` : '';
  const out = path.steps.map((step) => {
    const band = `${step.band} ${formatBand(step.bandText, kpi.unit)}`;
    if (step.change === undefined)
      return path.kind === 'proportion'
        ? `path to ${band}: cannot be reached by the numerator with the denominator at ${formatCount(path.of!)}`
        : `path to ${band}: cannot be reached by a count`;
    const now =
      path.kind === 'proportion'
        ? `${formatCount(step.to!)} of ${formatCount(path.of!)}, ${formatValue(kpi, step.value!)}`
        : formatValue(kpi, step.value!);
    const amount = `${formatCount(Math.abs(step.change))} ${step.change < 0 ? 'fewer' : 'more'}`;
    const rows = path.kind === 'proportion' ? ` row${Math.abs(step.change) === 1 ? '' : 's'}${what}` : '';
    return `path to ${band}: ${amount}${rows} (${now}) would reach ${step.band}`;
  });
  if (path.segments.length > 0) {
    const whose =
      path.kind === 'count'
        ? 'counted'
        : path.misses === 'not counted'
          ? 'not counted by the numerator'
          : 'counted by the numerator';
    const parts = path.segments.map(
      (s) => `${s.key} ${formatCount(s.misses)} (${formatNumber(100 * s.share, 0)} %)`,
    );
    out.push(`shortfall by ${kpi.segmentBy ?? 'segment'} (rows ${whose}): ${parts.join(', ')}`);
  }
  return out.map(t);
}

/** A KPI another one uses: its value with its unit, its status, and where to look further. */
function usedKpiLine(kpi: KpiResult): string {
  const value = kpi.value === null ? 'no value' : formatValue(kpi, kpi.value);
  return t(`  ${kpi.id}  ${kpi.name}: ${value}, ${kpi.status}; see isms-kpi explain ${kpi.id}`);
}

export function renderExplain(e: Explanation): string {
  const { kpi } = e;
  const out = [
    t(`${kpi.id}  ${kpi.name}`),
    t(
      `owner ${kpi.owner}; cadence ${kpi.cadence}; controls ${kpi.controls.join(', ') || '-'}; period ${e.period}; times in ${e.timezone}`,
    ),
    ...measureLines(kpi),
    `formula: ${lines(kpi.formula)}`,
    ...(kpi.manual ?? []).map((m) => t(manualText(m))),
    '',
  ];
  for (const agg of e.aggregates) out.push(...aggregateLines(agg, e.aggregates.length, e));
  if (e.uses.length > 0) {
    if (e.aggregates.length > 0) out.push('');
    out.push('uses the values of other KPIs:', ...e.uses.map(usedKpiLine));
  }
  out.push('');
  const types = new Map(e.aggregates.map((a) => [a.aggregate.role, a.valueType]));
  const number = (role: 'numerator' | 'denominator', value: number) =>
    aggregateValueText(value, types.get(role) ?? 'number', e.timezone);
  const numbers =
    kpi.numerator !== undefined && kpi.denominator !== undefined
      ? ` (${number('numerator', kpi.numerator)} / ${number('denominator', kpi.denominator)})`
      : '';
  const value = kpi.value === null ? 'no value' : formatValue(kpi, kpi.value);
  out.push(`value: ${value}${numbers}; status: ${kpi.status} (${t(kpi.reason)})`);
  const interval = intervalLine(kpi);
  if (interval) out.push(interval);
  out.push(...pathLines(kpi));
  if (kpi.rejectedRows > 0)
    out.push(
      `note: ${plural(kpi.rejectedRows, 'row')} ${kpi.rejectedRows === 1 ? 'was' : 'were'} rejected at intake in the sources this KPI reads (see isms-kpi validate)`,
    );
  const isCut = e.aggregates.some(
    (a) =>
      (a.counted && a.counted.rows.length < a.counted.total) ||
      (a.notCounted && a.notCounted.rows.length < a.notCounted.total),
  );
  if (isCut && e.limit !== 'all')
    out.push(`(each list shows its first ${e.limit} rows: --all lists every row, --sample N another number)`);
  return `${out.join('\n')}\n`;
}
