/** The commands: each turns options into text and an exit code. Only output.ts and evidence-output.ts write. */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Catalogue } from '../catalogue/compile.js';
import { compareValues } from '../engine/evaluate.js';
import { loadCatalogue, loadSources, resolvePeriod, run } from '../engine/run.js';
import { buildEvidencePack } from '../evidence/build-pack.js';
import { formatProblem, IsmsKpiError, problem } from '../problems.js';
import { asSavedReport, buildHistory, type History, type SavedReport } from '../render/history.js';
import {
  FORMAT_EXTENSIONS,
  FORMATS,
  type Format,
  formatForFile,
  RENDERERS,
  type RenderOptions,
} from '../render/index.js';
import type { Report } from '../report/model.js';
import { REPORT_SCHEMA_VERSION } from '../report/model.js';
import type { LoadedSource } from '../sources/load-source.js';
import { cellValue } from '../sources/table.js';
import { localDate, utcToLocal } from '../time/zone.js';
import { checkEvidenceTarget, stageEvidence } from './evidence-output.js';
import { EXIT_ERROR, EXIT_OK, type FailOn, reportExitCode } from './exit-code.js';
import { checkOutputTargets, err, out, writeFilesAtomically } from './output.js';
import { progressPrinter } from './progress.js';

export interface CommonOptions {
  catalogue: string;
  color: boolean;
  quiet?: boolean;
}

export interface PeriodOptions {
  period?: string;
  from?: string;
  to?: string;
  tz?: string;
  asOf?: string;
}

export interface ReportOptions extends CommonOptions, PeriodOptions {
  format?: Format;
  output: string[];
  /** Folder for the audit evidence pack. */
  evidence?: string;
  /** Earlier saved JSON reports, for the trend lines of the HTML report. */
  history: string[];
  baseline?: string;
  kpi: string[];
  owner?: string;
  tag: string[];
  control: string[];
  failOn: FailOn;
  timestamp?: boolean;
}

const cwd = () => process.cwd();

export async function reportCommand(options: ReportOptions): Promise<number> {
  const outputs = await outputTargets(options);
  const saved = await readHistory(options.history);
  const [baseline] = options.baseline ? await readHistory([options.baseline]) : [];
  const filter = await kpiFilter(options);
  const isEvidence = options.evidence !== undefined;
  const progress = progressPrinter(process.stderr, options.quiet === true);
  const result = await run({
    catalogue: options.catalogue,
    cwd: cwd(),
    ...periodArgs(options),
    now: Date.now(),
    ...(filter ? { kpis: filter.ids, loadedCatalogue: filter.catalogue } : {}),
    // The evidence pack lists every mapped field of the rows behind each KPI, so all are kept.
    ...(isEvidence ? { trace: true, storeAllFields: true } : {}),
    ...(options.timestamp ? { timestamp: new Date().toISOString() } : {}),
    ...(progress.onProgress ? { onProgress: progress.onProgress } : {}),
    ...(baseline ? { baselineReport: { period: baseline.period.label, kpis: baseline.kpis } } : {}),
  });
  progress.done();
  const { report } = result;
  const history = saved.length > 0 ? buildHistory(saved, report) : undefined;
  if (history) addHistory(report, history);
  const renderOptions: RenderOptions = {
    color: false,
    ...(history ? { history } : {}),
  };
  // Everything is staged before anything is moved into place, so a failure leaves no partial output.
  const staged =
    options.evidence === undefined
      ? undefined
      : await stageEvidence(
          options.evidence,
          buildEvidencePack({
            report,
            catalogue: result.catalogue,
            sources: result.sources,
            traces: result.evaluation.traces,
          }),
        );
  try {
    if (outputs.length > 0)
      await writeFilesAtomically(
        outputs.map(({ file, format }) => ({ file, content: RENDERERS[format](report, renderOptions) })),
      );
  } catch (error) {
    await staged?.abort();
    throw error;
  }
  await staged?.commit();
  if ((outputs.length === 0 && !isEvidence) || options.format) {
    const format = options.format ?? 'table';
    out(RENDERERS[format](report, { ...renderOptions, color: options.color && format === 'table' }));
  } else if (!options.quiet) {
    for (const o of outputs) err(`wrote ${o.file} (${o.format})`);
  }
  if (isEvidence && !options.quiet)
    err(
      `wrote evidence pack ${options.evidence} (${report.kpis.length} KPIs, ${report.sources.length} sources)`,
    );
  return reportExitCode(report.kpis, options.failOn);
}

/** --output files with their formats and --evidence, checked before any work is done. */
async function outputTargets(options: ReportOptions): Promise<{ file: string; format: Format }[]> {
  const outputs = options.output.map((file) => {
    const format = formatForFile(file);
    if (!format) {
      throw new IsmsKpiError(
        problem(
          'usage',
          `--output ${file}: cannot tell the format from the extension; use one of ${FORMATS.map((f) => `${FORMAT_EXTENSIONS[f][0]} (${f})`).join(', ')}`,
        ),
      );
    }
    return { file, format };
  });
  if (options.evidence !== undefined) {
    // The pack folder is replaced as a whole, which would take a report written into it along.
    const evidence = path.resolve(options.evidence);
    for (const { file } of outputs) {
      const relative = path.relative(evidence, path.resolve(file));
      const isOutside =
        relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
      if (!isOutside)
        throw new IsmsKpiError(
          problem('usage', `--output ${file} is inside the --evidence folder; write it elsewhere`),
        );
    }
  }
  await checkOutputTargets(outputs.map((o) => o.file));
  if (options.evidence !== undefined) await checkEvidenceTarget(options.evidence);
  return outputs;
}

/**
 * Puts the earlier periods' values into the report (`history` in the JSON) and, where a KPI has no trend
 * from its own period, takes the arrow from the last earlier value.
 */
function addHistory(report: Report, history: History): void {
  for (const kpi of report.kpis) {
    const points = history.get(kpi.id);
    if (!points) continue;
    const earlier = points.slice(0, -1);
    kpi.history = earlier.map((p) => ({ period: p.label, value: p.value }));
    const last = [...earlier].reverse().find((p) => p.value !== null);
    if (kpi.trend === null && last && kpi.value !== null) kpi.trend = compareValues(last.value!, kpi.value);
  }
}

/**
 * Reads earlier JSON reports given with --history: files, or folders whose *.json reports are all read
 * (other JSON files in a folder are skipped with a warning).
 */
async function readHistory(paths: readonly string[]): Promise<SavedReport[]> {
  const saved: SavedReport[] = [];
  const files: { file: string; isFromFolder: boolean }[] = [];
  for (const given of paths) {
    const info = await stat(path.resolve(given)).catch(() => undefined);
    if (info?.isDirectory()) {
      const names = (await readdir(path.resolve(given)))
        .filter((n) => n.toLowerCase().endsWith('.json'))
        .sort();
      for (const name of names) files.push({ file: path.join(given, name), isFromFolder: true });
    } else {
      files.push({ file: given, isFromFolder: false });
    }
  }
  for (const { file, isFromFolder } of files) {
    const text = await readFile(path.resolve(file), 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new IsmsKpiError(
        problem(
          error.code === 'ENOENT' ? 'file-missing' : 'file-unreadable',
          `--history: ${error.code === 'ENOENT' ? 'not found' : error.message}`,
          { file },
        ),
      );
    });
    let data: unknown;
    let report: SavedReport | string;
    try {
      data = JSON.parse(text.replace(/^\uFEFF/, ''));
      report = asSavedReport(data, REPORT_SCHEMA_VERSION);
    } catch (error) {
      report = `not JSON (${(error as Error).message})`;
    }
    if (typeof report === 'string') {
      if (isFromFolder) {
        err(`warning: ${file}: skipped in --history: ${report}`);
        continue;
      }
      throw new IsmsKpiError(problem('usage', `--history: ${report}`, { file }));
    }
    saved.push(report);
  }
  return saved;
}

/** --kpi, --owner, --tag and --control narrow the report; all given filters must match. */
async function kpiFilter(
  options: ReportOptions,
): Promise<{ ids: Set<string>; catalogue: Catalogue } | undefined> {
  if (options.kpi.length === 0 && !options.owner && options.tag.length === 0 && options.control.length === 0)
    return undefined;
  const catalogue = await loadCatalogue({ catalogue: options.catalogue, cwd: cwd() }, options.tz);
  const known = new Set(catalogue.kpis.map((k) => k.config.id));
  for (const id of options.kpi) {
    if (!known.has(id))
      throw new IsmsKpiError(problem('usage', `--kpi: unknown KPI "${id}"; see isms-kpi list`));
  }
  const lower = (s: string) => s.toLowerCase();
  const selected = catalogue.kpis.filter((k) => {
    const c = k.config;
    if (options.kpi.length > 0 && !options.kpi.includes(c.id)) return false;
    if (options.owner && !lower(c.owner).includes(lower(options.owner))) return false;
    if (
      options.tag.length > 0 &&
      !options.tag.some((t) => c.tags.map(lower).includes(lower(t)) || lower(c.area ?? '') === lower(t))
    )
      return false;
    if (
      options.control.length > 0 &&
      !options.control.some((ctl) =>
        c.controls.some((x) => lower(x) === lower(ctl) || lower(x).startsWith(`${lower(ctl)}.`)),
      )
    )
      return false;
    return true;
  });
  if (selected.length === 0)
    throw new IsmsKpiError(problem('usage', 'no KPI matches the filters (--kpi, --owner, --tag, --control)'));
  return { ids: new Set(selected.map((k) => k.config.id)), catalogue };
}

function periodArgs(options: PeriodOptions) {
  return {
    ...(options.period ? { period: options.period } : {}),
    ...(options.from ? { from: options.from } : {}),
    ...(options.to ? { to: options.to } : {}),
    ...(options.tz ? { tz: options.tz } : {}),
    ...(options.asOf ? { asOf: options.asOf } : {}),
  };
}

export interface ValidateOptions extends CommonOptions, PeriodOptions {
  maxProblems: number;
}

export async function validateCommand(options: ValidateOptions): Promise<number> {
  const catalogue = await loadCatalogue({ catalogue: options.catalogue, cwd: cwd() }, options.tz);
  const period = resolvePeriod(catalogue, { ...periodArgs(options), now: Date.now() });
  const lines: string[] = [];
  lines.push(
    `catalogue ${catalogue.file}: ${catalogue.kpis.length} KPIs, ${catalogue.sources.size} sources, formulas OK`,
  );
  const names = [...catalogue.sources.keys()];
  // Each source is loaded on its own so one broken file does not hide the state of the others.
  const loaded: [string, LoadedSource | { missing: string } | { failed: string[] }][] = [];
  for (const name of names) {
    try {
      const one = await loadSources(catalogue, [name], period, cwd());
      loaded.push([name, one.get(name)!]);
    } catch (error) {
      if (!(error instanceof IsmsKpiError)) throw error;
      loaded.push([name, { failed: error.problems.map(formatProblem) }]);
    }
  }
  let hasErrors = false;
  const problems: string[] = [];
  const width = Math.max(...names.map((n) => n.length));
  for (const [name, result] of loaded) {
    if ('failed' in result) {
      hasErrors = true;
      lines.push(`${name.padEnd(width)}  ERROR`);
      problems.push(...result.failed);
      continue;
    }
    if ('missing' in result) {
      lines.push(`${name.padEnd(width)}  missing (optional): ${result.missing}`);
      continue;
    }
    const s = result.stats;
    const time = s.timeField
      ? `; ${s.timeField} ${s.minTime === null ? '-' : localDate(catalogue.timezone, s.minTime)} .. ${s.maxTime === null ? '-' : localDate(catalogue.timezone, s.maxTime)}`
      : `; snapshot for ${period.label}`;
    const extra = `${s.duplicates > 0 ? `, ${s.duplicates} duplicates dropped` : ''}${s.warnings > 0 ? `, ${s.warnings} warnings` : ''}`;
    lines.push(
      `${name.padEnd(width)}  ${s.file}: ${s.rowsRead} rows read, ${s.accepted} accepted, ${s.rejected} rejected${extra}${time}`,
    );
    const errors = result.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0 || s.rejected > 0) hasErrors = true;
    for (const p of result.problems)
      problems.push(`${p.severity === 'warning' ? 'warning: ' : ''}${formatProblem(p)}`);
    if (result.problemCount > result.problems.length)
      problems.push(
        `... ${result.problemCount - result.problems.length} more problems in ${s.file} not kept`,
      );
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, options.maxProblems);
    lines.push('');
    lines.push(
      `problems (${shown.length < problems.length ? `first ${shown.length} of ${problems.length}` : problems.length}):`,
    );
    lines.push(...shown);
  }
  lines.push('');
  lines.push(
    hasErrors
      ? 'validation failed: fix the problems above, or let on_invalid: reject leave those rows out'
      : 'validation passed',
  );
  out(`${lines.join('\n')}\n`);
  return hasErrors ? EXIT_ERROR : EXIT_OK;
}

export async function listCommand(options: CommonOptions & { format: 'table' | 'json' }): Promise<number> {
  const catalogue = await loadCatalogue({ catalogue: options.catalogue, cwd: cwd() });
  const rows = catalogue.kpis.map((k) => ({
    id: k.config.id,
    name: k.config.name,
    owner: k.config.owner,
    cadence: k.config.cadence,
    controls: k.config.controls,
    sources: k.formula.sources,
    ...(k.formula.kpis.length > 0 ? { uses: k.formula.kpis } : {}),
  }));
  if (options.format === 'json') {
    out(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT_OK;
  }
  const Table = (await import('cli-table3')).default;
  const table = new Table({
    head: ['ID', 'KPI', 'Owner', 'Cadence', 'Controls', 'Sources'],
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [null, 40, 20, null, 16, 24] as unknown as number[],
  });
  for (const r of rows)
    table.push([
      r.id,
      r.name,
      r.owner,
      r.cadence,
      r.controls.join(', '),
      [...r.sources, ...(r.uses ?? []).map((u) => `kpi ${u}`)].join(', '),
    ]);
  out(
    `${organisationLine(catalogue)}\n${table.toString()}\n${rows.length} KPIs, ${catalogue.sources.size} sources\n`,
  );
  return EXIT_OK;
}

function organisationLine(catalogue: Catalogue): string {
  return `${catalogue.organisation} — ${path.basename(catalogue.file)} (${catalogue.timezone})`;
}

export interface ExplainOptions extends CommonOptions, PeriodOptions {
  sample: number;
}

export async function explainCommand(id: string, options: ExplainOptions): Promise<number> {
  const result = await run({
    catalogue: options.catalogue,
    cwd: cwd(),
    ...periodArgs(options),
    now: Date.now(),
    kpis: new Set([id]),
    trace: true,
  });
  const kpi = result.report.kpis.find((k) => k.id === id)!;
  const compiled = result.catalogue.kpis.find((k) => k.config.id === id)!;
  const trace = result.evaluation.traces.get(id);
  const lines: string[] = [];
  lines.push(`${kpi.id}  ${kpi.name}`);
  lines.push(
    `owner ${kpi.owner}; cadence ${kpi.cadence}; controls ${kpi.controls.join(', ') || '-'}; period ${result.report.period.label}`,
  );
  lines.push(`formula: ${kpi.formula}`);
  lines.push('');
  for (const agg of kpi.aggregates) {
    const loaded = result.sources.get(agg.source);
    const role = agg.role === 'value' ? '' : ` (${agg.role})`;
    lines.push(`[${agg.index + 1}] ${agg.text}${role}`);
    if (!loaded || 'missing' in loaded) {
      lines.push(`    source ${agg.source} is missing`);
      continue;
    }
    lines.push(
      `    ${agg.rowsInScope} rows of ${agg.source} (${loaded.stats.file}) in scope, ${agg.rowsMatched} counted -> ${agg.value ?? 'no value'}`,
    );
    const aggTrace = trace?.aggregates.find((a) => a.index === agg.index);
    const checked = compiled.formula.aggregates.find((a) => a.index === agg.index)!;
    if (aggTrace && checked.pred && options.sample > 0) {
      const matched = new Set(aggTrace.matched);
      // For a numerator, the telling rows are those the denominator counted and the numerator did not
      // (critical incidents not contained in time), not every other row of the source.
      const denominator =
        agg.role === 'numerator'
          ? trace?.aggregates.find((a) => a.role === 'denominator' && a.source === agg.source)
          : undefined;
      const candidates = denominator ? new Set(denominator.matched) : undefined;
      const failed = sampleRows(loaded, matched, candidates, options.sample, result.period);
      if (failed.length > 0) {
        const what = candidates
          ? `rows counted in the denominator but not here`
          : 'rows that did not meet the condition';
        lines.push(`    ${what} (first ${failed.length}):`);
        const fields = usedFields(checked.pred, agg.source);
        for (const row of failed) {
          const values = fields
            .map((f) => `${f}=${showCell(loaded, f, row, result.catalogue.timezone)}`)
            .join(' ');
          lines.push(`      ${loaded.stats.file}:${loaded.table.line[row]}  ${values}`);
        }
      }
    }
  }
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
  out(`${lines.join('\n')}\n`);
  return EXIT_OK;
}

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

/** A cell as explain shows it: datetimes in the catalogue's zone, everything else as JSON. */
function showCell(loaded: LoadedSource, field: string, row: number, tz: string): string {
  const column = loaded.table.columns.get(field);
  if (!column) return '?';
  const value = cellValue(column, row);
  if (column.type === 'datetime' && typeof value === 'number') {
    const p = utcToLocal(tz, value);
    const two = (n: number) => String(n).padStart(2, '0');
    return `${localDate(tz, value)} ${two(p.hour)}:${two(p.minute)}`;
  }
  return JSON.stringify(value);
}

function usedFields(
  expr: import('../formula/ir.js').Expr,
  source: string,
  out = new Set<string>(),
): string[] {
  if (expr.k === 'field' && expr.depth === 0 && expr.source === source) out.add(expr.field);
  if (expr.k === 'call') for (const a of expr.args) usedFields(a, source, out);
  if (expr.k === 'exists') usedFields(expr.pred, source, out);
  return [...out];
}

export { EXIT_ERROR };
