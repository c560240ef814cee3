/**
 * `isms-kpi explain ID`: one KPI evaluated with traces (and the KPIs it uses), and per aggregate the rows
 * it counted and the rows in its scope it did not count, with the reason (src/engine/explain-rows.ts).
 * Each row is shown with its source's key first (`key:` in the catalogue, or the preset's), then the
 * time field and the fields the aggregate reads.
 */
import type { Catalogue } from '../catalogue/compile.js';
import { aggregateRows } from '../engine/explain-rows.js';
import type { Expr } from '../formula/ir.js';
import { fieldsRead } from '../formula/walk.js';
import type { ExplainedAggregate, Explanation, ShownRow } from '../render/explain.js';
import { renderExplain } from '../render/explain.js';
import { fileOfRow } from '../sources/intake.js';
import type { LoadedSource } from '../sources/load-source.js';
import { cellValue } from '../sources/table.js';
import { loadCatalogue } from './catalogue.js';
import { evaluate } from './evaluate.js';
import type { Io } from './io.js';
import type { PeriodOptions } from './request.js';
import type { CommandResult } from './result.js';

export interface ExplainOptions extends PeriodOptions {
  catalogue: string;
  /** Rows to list per list (counted, not counted). */
  sample: number;
  /** List every row (overrides sample). */
  all?: boolean;
}

export async function explanation(id: string, options: ExplainOptions, io: Io): Promise<Explanation> {
  const catalogue = await loadCatalogue(io, options.catalogue, options.tz);
  // The KPIs a derived KPI uses are evaluated too, so their values can be shown beside it.
  const uses = catalogue.kpis.find((k) => k.config.id === id)?.formula.kpis ?? [];
  const result = await evaluate(
    { ...options, loadedCatalogue: catalogue, kpis: new Set([id, ...uses]), trace: true },
    io,
  );
  const kpi = result.report.kpis.find((k) => k.id === id)!;
  const compiled = result.catalogue.kpis.find((k) => k.config.id === id)!;
  const trace = result.evaluation.traces.get(id);
  const limit = options.all ? Number.POSITIVE_INFINITY : Math.max(0, options.sample);
  const aggregates = kpi.aggregates.map((agg): ExplainedAggregate => {
    const checked = compiled.formula.aggregates[agg.index]!;
    const explained: ExplainedAggregate = {
      aggregate: agg,
      valueType: checked.type,
      isCumulative: checked.cumulative === true,
    };
    const loaded = result.sources.get(agg.source);
    if (!loaded || 'missing' in loaded) return explained;
    explained.file = loaded.stats.file;
    const rows = trace ? aggregateRows(result, compiled, trace, agg.index, limit) : undefined;
    if (!rows) return explained;
    const show = rowShower(loaded, shownFields(result.catalogue, checked));
    return {
      ...explained,
      counted: { total: rows.counted.total, rows: rows.counted.rows.map(show) },
      notCounted: {
        total: rows.notCounted.total,
        against: rows.notCounted.against,
        rows: rows.notCounted.rows.map(({ row, reason }) => ({ ...show(row), reason })),
      },
    };
  });
  return {
    kpi,
    period: result.report.period.label,
    timezone: result.catalogue.timezone,
    aggregates,
    uses: uses.map((ref) => result.report.kpis.find((k) => k.id === ref)!),
    limit: options.all ? 'all' : limit,
  };
}

export async function explain(id: string, options: ExplainOptions, io: Io): Promise<CommandResult> {
  return {
    stdout: renderExplain(await explanation(id, options, io)),
    problems: [],
    outcome: { command: 'done' },
  };
}

/** The fields a row is shown with: the source's key, its time field, then those the aggregate reads. */
function shownFields(catalogue: Catalogue, agg: Extract<Expr, { k: 'agg' }>): string[] {
  const source = catalogue.sources.get(agg.source)!;
  return [
    ...new Set([
      ...source.key,
      ...(source.timeField ? [source.timeField] : []),
      ...(agg.value ? fieldsRead(agg.value, agg.source) : []),
      ...(agg.pred ? fieldsRead(agg.pred, agg.source) : []),
    ]),
  ];
}

function rowShower(loaded: LoadedSource, fields: string[]): (row: number) => ShownRow {
  const columns = fields.map((field) => ({ field, column: loaded.table.columns.get(field) }));
  return (row) => ({
    // A source read from several files: the row's own file.
    file: fileOfRow(loaded, row),
    line: loaded.table.line[row]!,
    cells: columns.map(({ field, column }) => ({
      field,
      value: column ? cellValue(column, row) : undefined,
      type: column?.type,
    })),
  });
}
