/**
 * `isms-kpi explain ID`: one KPI evaluated with traces, and for each aggregate a sample of the rows
 * that did not meet its condition, with the fields the condition reads.
 */
import { fieldsRead } from '../formula/walk.js';
import type { ExplainedAggregate, Explanation, SampleRow } from '../render/explain.js';
import { renderExplain } from '../render/explain.js';
import type { LoadedSource } from '../sources/load-source.js';
import { cellValue } from '../sources/table.js';
import { evaluate } from './evaluate.js';
import type { Io } from './io.js';
import type { PeriodOptions } from './request.js';
import type { CommandResult } from './result.js';

export interface ExplainOptions extends PeriodOptions {
  catalogue: string;
  /** Rows to show that did not meet each condition. */
  sample: number;
}

export async function explanation(id: string, options: ExplainOptions, io: Io): Promise<Explanation> {
  const result = await evaluate({ ...options, kpis: new Set([id]), trace: true }, io);
  const kpi = result.report.kpis.find((k) => k.id === id)!;
  const compiled = result.catalogue.kpis.find((k) => k.config.id === id)!;
  const trace = result.evaluation.traces.get(id);
  const aggregates = kpi.aggregates.map((agg): ExplainedAggregate => {
    const loaded = result.sources.get(agg.source);
    if (!loaded || 'missing' in loaded) return { aggregate: agg };
    const explained: ExplainedAggregate = { aggregate: agg, file: loaded.stats.file };
    const aggTrace = trace?.aggregates.find((a) => a.index === agg.index);
    const checked = compiled.formula.aggregates.find((a) => a.index === agg.index)!;
    if (!aggTrace || !checked.pred || options.sample <= 0) return explained;
    // For a numerator, the telling rows are those the denominator counted and the numerator did not
    // (critical incidents not contained in time), not every other row of the source.
    const denominator =
      agg.role === 'numerator'
        ? trace?.aggregates.find((a) => a.role === 'denominator' && a.source === agg.source)
        : undefined;
    const candidates = denominator ? new Set(denominator.matched) : undefined;
    const rows = sampleRows(loaded, new Set(aggTrace.matched), candidates, options.sample, result.period);
    if (rows.length === 0) return explained;
    const fields = fieldsRead(checked.pred, agg.source);
    const sample: SampleRow[] = rows.map((row) => ({
      file: loaded.stats.file,
      line: loaded.table.line[row]!,
      cells: fields.map((field) => {
        const column = loaded.table.columns.get(field);
        if (!column) return { field, value: undefined, isDatetime: false };
        return { field, value: cellValue(column, row), isDatetime: column.type === 'datetime' };
      }),
    }));
    return { ...explained, sample: { isAgainstDenominator: candidates !== undefined, rows: sample } };
  });
  return {
    kpi,
    period: result.report.period.label,
    timezone: result.catalogue.timezone,
    aggregates,
  };
}

export async function explain(id: string, options: ExplainOptions, io: Io): Promise<CommandResult> {
  return {
    stdout: renderExplain(await explanation(id, options, io)),
    problems: [],
    outcome: { command: 'done' },
  };
}

/** Rows in the period that the aggregate did not count (among the candidates, when given). */
function sampleRows(
  loaded: LoadedSource,
  matched: Set<number>,
  candidates: Set<number> | undefined,
  sample: number,
  period: { start: number; end: number },
): number[] {
  const out: number[] = [];
  const timeField = loaded.source.timeField;
  const times = timeField ? loaded.table.columns.get(timeField) : undefined;
  for (let i = 0; i < loaded.table.length && out.length < sample; i++) {
    if (matched.has(i) || (candidates && !candidates.has(i))) continue;
    if (times && times.kind === 'num') {
      const t = times.values[i]!;
      if (!(t >= period.start && t < period.end)) continue;
    }
    out.push(i);
  }
  return out;
}
