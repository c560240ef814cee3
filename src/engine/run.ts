/**
 * The library entry point: catalogue file in, Report out. Reads the catalogue and the sources it names
 * (the only file reads of a run), evaluates the KPIs and assembles the report data.
 */
import { readFile, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { type Catalogue, compileCatalogue } from '../catalogue/compile.js';
import { parseCatalogue } from '../catalogue/parse.js';
import type { Vec } from '../formula/vector.js';
import { IsmsKpiError, type Problem, problem } from '../problems.js';
import {
  type KpiResult,
  REPORT_SCHEMA_VERSION,
  type Report,
  type SourceManifest,
  type Status,
} from '../report/model.js';
import { loadSourceAuto } from '../sources/load-parallel.js';
import type { LoadedSource, LoadProgress } from '../sources/load-source.js';
import { sourcePath } from '../sources/resolve.js';
import { parseIsoDateTime } from '../time/parse-datetime.js';
import {
  customPeriod,
  lastCompleteQuarter,
  type Period,
  parsePeriod,
  previousPeriod,
} from '../time/period.js';
import { localDate } from '../time/zone.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { compareValues, type Evaluation, evaluateCatalogue } from './evaluate.js';

export interface CatalogueOptions {
  /** Path to metrics.yaml as the user wrote it. */
  catalogue: string;
  /** Directory paths are shown relative to (the user's working directory). */
  cwd: string;
}

export interface PeriodRequest {
  period?: string;
  from?: string;
  to?: string;
  /** Override the catalogue's time zone. */
  tz?: string;
  /** Fallback when neither the command line nor the catalogue names a period. */
  now: number;
}

export interface RunOptions extends CatalogueOptions, PeriodRequest {
  asOf?: string;
  /** Evaluate only these KPIs. */
  kpis?: ReadonlySet<string>;
  trace?: boolean;
  /** Keep every mapped field in the tables (for evidence files), not only those formulas read. */
  storeAllFields?: boolean;
  /** The catalogue, when the caller has already loaded it (so it is not read twice). */
  loadedCatalogue?: Catalogue;
  /** A saved report to measure change against (report --baseline FILE). */
  baselineReport?: BaselineReport;
  /** Called while sources are read (the CLI shows it on a terminal). */
  onProgress?: (progress: LoadProgress & { totalBytes: number }) => void;
  /** ISO timestamp to record in the report (omitted by default so reports are reproducible). */
  timestamp?: string;
}

export interface RunResult {
  catalogue: Catalogue;
  period: Period;
  report: Report;
  evaluation: Evaluation;
  sources: Map<string, LoadedSource | { missing: string }>;
}

export async function loadCatalogue(options: CatalogueOptions, tzOverride?: string): Promise<Catalogue> {
  const absolute = path.resolve(options.cwd, options.catalogue);
  const file = displayPath(absolute, options.cwd);
  const info = await stat(absolute).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) {
    const reason =
      info.code === 'ENOENT'
        ? 'catalogue not found; give its path with --catalogue FILE, or run the command in the folder that holds metrics.yaml'
        : info.message;
    throw new IsmsKpiError(problem('file-missing', reason, { file }));
  }
  if (info.isDirectory())
    throw new IsmsKpiError(problem('file-is-directory', 'is a directory, not a catalogue file', { file }));
  const text = await readFile(absolute, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new IsmsKpiError(
      problem('file-unreadable', error.code === 'EACCES' ? 'permission denied' : error.message, { file }),
    );
  });
  const parsed = parseCatalogue({ file, text: text.replace(/^\uFEFF/, '') });
  if (!parsed.ok) throw new IsmsKpiError(parsed.problems);
  if (tzOverride) parsed.catalogue.config.timezone = tzOverride;
  const compiled = compileCatalogue(parsed.catalogue, path.dirname(absolute));
  if (!compiled.ok) throw new IsmsKpiError(compiled.problems);
  return compiled.catalogue;
}

export function resolvePeriod(catalogue: Catalogue, request: PeriodRequest): Period {
  const options = { tz: catalogue.timezone, fiscalYearStartMonth: catalogue.fiscalYearStart };
  if (request.from || request.to) {
    if (!request.from || !request.to)
      throw new IsmsKpiError(
        problem(
          'usage',
          '--from and --to go together: give both dates, e.g. --from 2026-07-01 --to 2026-09-30',
        ),
      );
    if (request.period)
      throw new IsmsKpiError(problem('usage', 'give either --period or --from/--to, not both'));
    const custom = customPeriod(request.from, request.to, options);
    if (!custom.ok) throw new IsmsKpiError(problem('usage', custom.message));
    return custom.period;
  }
  const text = request.period ?? catalogue.period;
  if (!text) return lastCompleteQuarter(request.now, options);
  const parsed = parsePeriod(text, options);
  if (!parsed.ok) {
    throw new IsmsKpiError(
      problem(
        'usage',
        request.period ? `--period: ${parsed.message}` : `period in the catalogue: ${parsed.message}`,
        request.period ? {} : { file: catalogue.file },
      ),
    );
  }
  return parsed.period;
}

/** Reads the named sources; optional sources that cannot be read become "missing" instead of failing. */
export async function loadSources(
  catalogue: Catalogue,
  names: Iterable<string>,
  period: Period,
  cwd: string,
  asOf?: string,
  keep?: ReadonlyMap<string, ReadonlySet<string>>,
  onProgress?: RunOptions['onProgress'],
  /** Called as each source is read (or found missing), with the number still being read. */
  onLoaded?: (name: string, loaded: LoadedSource | { missing: string }, pending: number) => void,
): Promise<Map<string, LoadedSource | { missing: string }>> {
  const out = new Map<string, LoadedSource | { missing: string }>();
  const problems: Problem[] = [];
  const unique = [...new Set(names)];
  let pending = unique.length;
  const settle = (name: string, loaded: LoadedSource | { missing: string }) => {
    out.set(name, loaded);
    pending--;
    onLoaded?.(name, loaded, pending);
  };
  const jobs = unique.map(async (name) => {
    const source = catalogue.sources.get(name)!;
    const absolute = sourcePath(source, period.label);
    const shown = displayPath(absolute, cwd);
    try {
      const fields = keep?.get(name);
      const totalBytes = onProgress ? ((await stat(absolute).catch(() => undefined))?.size ?? 0) : 0;
      const loaded = await loadSourceAuto({
        source,
        options: {
          path: absolute,
          displayPath: shown,
          ...(keep ? { keep: fields ?? new Set() } : {}),
          ...(onProgress ? { onProgress: (p: LoadProgress) => onProgress({ ...p, totalBytes }) } : {}),
        },
      });
      if (source.kind === 'snapshot') loaded.asOf = snapshotInstant(loaded, catalogue.timezone, asOf);
      settle(name, loaded);
    } catch (error) {
      if (!(error instanceof IsmsKpiError)) throw error;
      if (source.config.optional && error.problems.every((p) => p.code === 'file-missing')) {
        settle(name, { missing: `${shown} not found (optional source ${name})` });
        return;
      }
      pending--;
      problems.push(...error.problems.map((p) => ({ ...p, location: { ...p.location, source: name } })));
    }
  });
  await Promise.all(jobs);
  if (problems.length > 0) throw new IsmsKpiError(problems);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export interface BaselineReport {
  period: string;
  kpis: readonly { id: string; value: number | null; definitionHash: string }[];
}

/**
 * The change since a baseline: a saved report's value wins when the KPI is defined the same way there,
 * else the catalogue's `baseline`. Values of a differently defined KPI are not comparable and not used.
 */
function addBaselines(evaluation: Evaluation, report: BaselineReport | undefined): void {
  const saved = new Map((report?.kpis ?? []).map((k) => [k.id, k]));
  for (const kpi of evaluation.kpis) {
    if (kpi.value === null) continue;
    const old = saved.get(kpi.id);
    if (report && old && old.value !== null && old.definitionHash === kpi.definitionHash) {
      kpi.sinceBaseline = {
        from: 'report',
        value: old.value,
        period: report.period,
        change: kpi.value - old.value,
      };
    } else if (kpi.baseline) {
      kpi.sinceBaseline = {
        from: 'catalogue',
        value: kpi.baseline.value,
        ...(kpi.baseline.period ? { period: kpi.baseline.period } : {}),
        change: kpi.value - kpi.baseline.value,
      };
    }
  }
}

/**
 * KPIs are evaluated as soon as their sources are read while other sources are still being read, when
 * a core is free for it (fewer sources in progress than cores): the last large export usually takes
 * longest, and the KPIs of the others need not wait for it. Only KPIs that use no other KPI are taken
 * early; each is evaluated exactly as in one evaluation of all of them (the same sources, period and
 * row-expression cache), and the results are put back in catalogue order.
 */
class EarlyEvaluation {
  private readonly done: Evaluation[] = [];
  private readonly evaluated = new Set<string>();
  private readonly available = new Map<string, LoadedSource | { missing: string }>();
  private readonly cores = availableParallelism();

  constructor(
    private readonly catalogue: Catalogue,
    private readonly period: Period,
    private readonly cache: Map<string, Vec>,
    private readonly trace: boolean,
    private readonly wanted: readonly string[],
  ) {}

  loaded(name: string, loaded: LoadedSource | { missing: string }, pending: number): void {
    this.available.set(name, loaded);
    if (pending === 0 || pending >= this.cores) return;
    const ready = new Set<string>();
    for (const id of this.wanted) {
      if (this.evaluated.has(id)) continue;
      const kpi = this.catalogue.kpis.find((k) => k.config.id === id)!;
      if (kpi.formula.kpis.length > 0) continue;
      if (kpi.formula.sources.every((s) => this.available.has(s))) ready.add(id);
    }
    if (ready.size === 0) return;
    try {
      this.done.push(
        evaluateCatalogue({
          catalogue: this.catalogue,
          sources: this.available,
          period: this.period,
          cache: this.cache,
          trace: this.trace,
          only: ready,
        }),
      );
      for (const id of ready) this.evaluated.add(id);
    } catch {
      // Left to the evaluation after loading, which reports the error where it belongs.
    }
  }

  /** Evaluates the KPIs not done yet and merges everything into one evaluation. */
  finish(sources: Map<string, LoadedSource | { missing: string }>): Evaluation {
    const rest = new Set(this.wanted.filter((id) => !this.evaluated.has(id)));
    const last = evaluateCatalogue({
      catalogue: this.catalogue,
      sources,
      period: this.period,
      cache: this.cache,
      trace: this.trace,
      only: rest,
    });
    if (this.done.length === 0) return last;
    const byId = new Map<string, KpiResult>();
    const traces = new Map(last.traces);
    for (const e of [...this.done, last]) {
      for (const k of e.kpis) byId.set(k.id, k);
      for (const [id, t] of e.traces) traces.set(id, t);
    }
    return {
      kpis: this.wanted.filter((id) => byId.has(id)).map((id) => byId.get(id)!),
      traces,
      rowsInPeriod: last.rowsInPeriod,
    };
  }
}

/**
 * A KPI whose cadence covers the whole period has no earlier window inside it; its trend compares with
 * the previous period instead, computed from the same events exports (snapshots describe one moment, so
 * KPIs that read them get no such trend).
 */
function addPreviousPeriodTrends(
  catalogue: Catalogue,
  sources: Map<string, LoadedSource | { missing: string }>,
  period: Period,
  evaluation: Evaluation,
  cache: Map<string, Vec>,
): void {
  const isEventsOnly = (ids: string[]) =>
    ids.length > 0 && ids.every((s) => catalogue.sources.get(s)?.kind === 'events');
  const wanted = evaluation.kpis.filter(
    (k) => k.trend === null && k.windows.length === 0 && k.value !== null && isEventsOnly(k.sources),
  );
  if (wanted.length === 0) return;
  const previous = previousPeriod(period, {
    tz: catalogue.timezone,
    fiscalYearStartMonth: catalogue.fiscalYearStart,
  });
  const earlier = evaluateCatalogue({
    catalogue,
    sources,
    period: previous,
    cache,
    only: new Set(wanted.map((k) => k.id)),
  });
  const values = new Map(earlier.kpis.map((k) => [k.id, k.value]));
  for (const kpi of wanted) {
    const before = values.get(kpi.id);
    if (before === null || before === undefined || kpi.value === null) continue;
    kpi.trend = compareValues(before, kpi.value);
    kpi.previous = { period: previous.label, value: before };
  }
}

/**
 * When a snapshot was taken: the latest value of its as_of_field, its as_of date, or --as-of (the end of
 * that day). Null means "at the end of the period", the default.
 */
function snapshotInstant(loaded: LoadedSource, tz: string, asOf: string | undefined): number | null {
  const config = loaded.source.config;
  if (config.as_of_field) {
    const column = loaded.table.columns.get(config.as_of_field);
    if (column?.kind === 'num') {
      let latest = Number.NaN;
      for (const v of column.values) if (!(v <= latest)) latest = Number.isNaN(v) ? latest : v;
      if (!Number.isNaN(latest)) return latest;
    }
  }
  const date = config.as_of && config.as_of !== 'period_end' ? config.as_of : asOf;
  if (!date) return null;
  const start = parseIsoDateTime(date, tz);
  if (Number.isNaN(start)) return null;
  // A date means the whole day: a snapshot "as of 2026-09-30" covers that day.
  return /^\d{4}-\d{2}-\d{2}$/.test(date.trim()) ? start + 86_400_000 : start;
}

export async function run(options: RunOptions): Promise<RunResult> {
  const catalogue = options.loadedCatalogue ?? (await loadCatalogue(options, options.tz));
  const period = resolvePeriod(catalogue, options);
  const unknown = [...(options.kpis ?? [])].filter((id) => !catalogue.kpis.some((k) => k.config.id === id));
  if (unknown.length > 0)
    throw new IsmsKpiError(
      problem('usage', `unknown KPI ${unknown.map((u) => `"${u}"`).join(', ')}; see isms-kpi list`),
    );
  const needed = new Set<string>();
  const byId = new Map(catalogue.kpis.map((k) => [k.config.id, k]));
  // Only the fields the evaluated KPIs read are stored; every field is still validated.
  const keep = new Map<string, Set<string>>();
  const addSources = (id: string) => {
    const kpi = byId.get(id)!;
    for (const s of kpi.formula.sources) {
      needed.add(s);
      const fields = keep.get(s) ?? new Set<string>();
      for (const f of kpi.formula.fields.get(s) ?? []) fields.add(f);
      if (kpi.config.segment_by) fields.add(kpi.config.segment_by);
      keep.set(s, fields);
    }
    for (const dep of kpi.formula.kpis) addSources(dep);
  };
  for (const kpi of catalogue.kpis)
    if (!options.kpis || options.kpis.has(kpi.config.id)) addSources(kpi.config.id);
  if (options.asOf && Number.isNaN(parseIsoDateTime(options.asOf, catalogue.timezone))) {
    throw new IsmsKpiError(problem('usage', `--as-of: "${options.asOf}" is not a date like 2026-09-30`));
  }
  const cache = new Map<string, Vec>();
  const wanted = catalogue.kpis.map((k) => k.config.id).filter((id) => !options.kpis || options.kpis.has(id));
  const early = new EarlyEvaluation(catalogue, period, cache, options.trace === true, wanted);
  const sources = await loadSources(
    catalogue,
    needed,
    period,
    options.cwd,
    options.asOf,
    options.storeAllFields ? undefined : keep,
    options.onProgress,
    (name, loaded, pending) => early.loaded(name, loaded, pending),
  );
  const evaluation = early.finish(sources);
  addPreviousPeriodTrends(catalogue, sources, period, evaluation, cache);
  addBaselines(evaluation, options.baselineReport);
  const asOf = options.asOf ?? lastDay(period);
  const report = buildReport(catalogue, period, asOf, sources, evaluation, options.timestamp);
  return { catalogue, period, report, evaluation, sources };
}

function buildReport(
  catalogue: Catalogue,
  period: Period,
  asOf: string,
  sources: Map<string, LoadedSource | { missing: string }>,
  evaluation: Evaluation,
  timestamp: string | undefined,
): Report {
  const summary = {
    total: evaluation.kpis.length,
    green: 0,
    amber: 0,
    red: 0,
    'no-data': 0,
    stale: 0,
    info: 0,
  } as Record<Status, number> & { total: number };
  for (const kpi of evaluation.kpis) summary[kpi.status]++;
  const manifest: SourceManifest[] = [...sources].map(([name, loaded]) => {
    const resolved = catalogue.sources.get(name)!;
    if ('missing' in loaded) {
      return {
        name,
        file: resolved.pathTemplate.replace(/\{period\}/g, period.label),
        format: resolved.format,
        kind: resolved.kind,
        bytes: 0,
        sha256: '',
        rowsRead: 0,
        accepted: 0,
        rejected: 0,
        duplicates: 0,
        warnings: 0,
        minTime: null,
        maxTime: null,
        rowsInPeriod: 0,
        missing: loaded.missing,
      };
    }
    const s = loaded.stats;
    return {
      name,
      file: s.file,
      format: s.format,
      kind: resolved.kind,
      bytes: s.bytes,
      sha256: s.sha256,
      rowsRead: s.rowsRead,
      accepted: s.accepted,
      rejected: s.rejected,
      duplicates: s.duplicates,
      warnings: s.warnings,
      ...(s.timeField ? { timeField: s.timeField } : {}),
      minTime: s.minTime === null ? null : new Date(s.minTime).toISOString(),
      maxTime: s.maxTime === null ? null : new Date(s.maxTime).toISOString(),
      rowsInPeriod: evaluation.rowsInPeriod.get(name) ?? 0,
      ...(resolved.kind === 'snapshot' ? { asOf: snapshotAsOf(loaded.asOf, catalogue.timezone, asOf) } : {}),
    };
  });
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    organisation: catalogue.organisation,
    catalogue: { path: catalogue.file, sha256: catalogue.sha256 },
    period: {
      label: period.label,
      start: new Date(period.start).toISOString(),
      end: new Date(period.end).toISOString(),
      timezone: catalogue.timezone,
    },
    asOf,
    ...(timestamp ? { generatedAt: timestamp } : {}),
    summary,
    sources: manifest,
    kpis: evaluation.kpis,
  };
}

/** The day a snapshot reflects, in the catalogue's zone: its own as-of instant, else the report's as-of day. */
function snapshotAsOf(instant: number | null, tz: string, reportAsOf: string): string {
  return instant === null ? reportAsOf : localDate(tz, instant - 1);
}

/** The last calendar day of the period in its zone, e.g. 2026-09-30 for 2026-Q3. */
function lastDay(period: Period): string {
  return localDate(period.tz, period.end - 1);
}

export function displayPath(absolute: string, cwd: string): string {
  const relative = path.relative(cwd, absolute);
  return relative === ''
    ? '.'
    : relative.startsWith('..') &&
        path.isAbsolute(absolute) &&
        relative.split(path.sep).filter((p) => p === '..').length > 2
      ? absolute
      : relative.split(path.sep).join('/');
}
