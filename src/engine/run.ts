/**
 * The library's evaluation step: a compiled catalogue and a period in, a Report out. Reads the sources
 * the catalogue names (through the intake, src/sources/, the only file reads of a run), evaluates the
 * KPIs and assembles the report data.
 *
 * Not here, by design (src/app/ does it): reading the catalogue file, the clock, the environment and
 * command-line wording. Problems with a request (a period that does not parse, an unknown KPI) are
 * returned as neutral `RequestIssue`s; the app words them for the command line.
 */
import path from 'node:path';
import type { Catalogue } from '../catalogue/compile.js';
import type { Vec } from '../formula/vector.js';
import { IsmsKpiError, type Problem, problem } from '../problems.js';
import {
  type KpiResult,
  REPORT_SCHEMA_VERSION,
  type Report,
  type SourceManifest,
  type Status,
} from '../report/model.js';
import {
  DEFAULT_SIGNIFICANCE_LEVEL,
  type SignificanceOption,
  valueInterval,
} from '../report/significance.js';
import { trendSample, trendVerdict } from '../report/verdict.js';
import { folderEntries } from '../sources/decode.js';
import { isMultiFile, sourceFiles } from '../sources/inputs.js';
import { LoadPool, loadSourceAuto, type SourceProgress, type WorkerMode } from '../sources/load-parallel.js';
import type { LoadedSource, SnapshotTime } from '../sources/load-source.js';
import { filesMatching, periodTokensIn } from '../sources/path-template.js';
import { type ResolvedSource, sourceFile, sourcePath, sourcePaths } from '../sources/resolve.js';
import { listOf, quote } from '../text.js';
import { parseIsoDateTime } from '../time/parse-datetime.js';
import {
  type CustomPeriodPart,
  customPeriod,
  lastCompleteQuarter,
  type Period,
  parsePeriod,
  previousPeriod,
} from '../time/period.js';
import { localDate } from '../time/zone.js';
import { displayPath, recordedPath } from '../util/display-path.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { snapshotAsOf } from './as-of.js';
import { coverageOf } from './assemble.js';
import { compareValues, type Evaluation, evaluateCatalogue } from './evaluate.js';
import { applyExceptions } from './exceptions.js';
import { objectiveResults } from './objectives.js';
import { partialReason } from './status.js';

export type { SourceProgress, WorkerMode };

export interface PeriodRequest {
  /** A period label: 2026-Q3, 2026-09, FY2026-Q1, ... */
  period?: string;
  /** First and last day of a custom period (yyyy-MM-dd), given together. */
  from?: string;
  to?: string;
  /** Fallback when neither the request nor the catalogue names a period: the last complete quarter. */
  now: number;
}

/** What is wrong with a request, without wording for any particular front end. */
export type RequestIssue =
  | { kind: 'custom-incomplete' }
  | { kind: 'custom-and-named' }
  | { kind: 'custom-invalid'; message: string; part?: CustomPeriodPart; from: string; to: string }
  | { kind: 'period-invalid'; message: string; isFromCatalogue: boolean }
  | { kind: 'as-of-invalid'; value: string }
  | { kind: 'unknown-kpis'; ids: string[] };

export type PeriodResult = { ok: true; period: Period } | { ok: false; issue: RequestIssue };

export interface RunOptions {
  catalogue: Catalogue;
  period: Period;
  /**
   * Paths in messages are shown relative to this folder (the user's working directory); paths recorded in
   * the report are relative to the catalogue's folder, whatever the working directory.
   */
  cwd: string;
  /** The day snapshot exports reflect (yyyy-MM-dd); default the last day of the period. */
  asOf?: string;
  /** Evaluate only these KPIs. */
  kpis?: ReadonlySet<string>;
  trace?: boolean;
  /** Keep every mapped field in the tables (for evidence files), not only those formulas read. */
  storeAllFields?: boolean;
  /** A saved report to measure change against. */
  baselineReport?: BaselineReport;
  /**
   * Saved reports of earlier periods (--history; the --baseline report is added to them): the one of the
   * previous period of the same length, if any, gives the trend verdicts.
   */
  savedReports?: readonly BaselineReport[];
  /** Called while sources are read (the CLI shows it on a terminal). */
  onProgress?: (progress: SourceProgress) => void;
  /** ISO timestamp to record in the report (omitted by default so reports are reproducible). */
  timestamp?: string;
  /**
   * The clock (epoch ms; the app's, or the start of --today): a period that ends after it has not ended, so
   * the report is marked incomplete and judges no trend.
   */
  now: number;
  /** Cores to use: KPIs are evaluated early while fewer sources than this are still being read. */
  cores?: number;
  /** Where sources are read (worker threads for large files by default). */
  workers?: WorkerMode;
  /** Ranges a large file is split into (default: `cores`; 1 reads each file in one worker). */
  ranges?: number;
  /** A snapshot whose file is missing is read as an optional source (report --periods: a backfill). */
  snapshotsOptional?: boolean;
  /** --significance: the level (alpha) or 'off'; default the catalogue's `significance:`, else 0.05. */
  significance?: number | 'off';
}

export interface RunResult {
  catalogue: Catalogue;
  period: Period;
  report: Report;
  evaluation: Evaluation;
  sources: Map<string, LoadedSource | { missing: string }>;
}

/** The period a request names: a custom range, a label, the catalogue's period, or the last complete quarter. */
export function resolvePeriod(catalogue: Catalogue, request: PeriodRequest): PeriodResult {
  const options = { tz: catalogue.timezone, fiscalYearStartMonth: catalogue.fiscalYearStart };
  if (request.from || request.to) {
    if (!request.from || !request.to) return { ok: false, issue: { kind: 'custom-incomplete' } };
    if (request.period) return { ok: false, issue: { kind: 'custom-and-named' } };
    const custom = customPeriod(request.from, request.to, options);
    if (!custom.ok)
      return {
        ok: false,
        issue: {
          kind: 'custom-invalid',
          message: custom.message,
          ...(custom.part ? { part: custom.part } : {}),
          from: request.from,
          to: request.to,
        },
      };
    return custom;
  }
  const text = request.period ?? catalogue.period;
  if (!text) return { ok: true, period: lastCompleteQuarter(request.now, options) };
  const parsed = parsePeriod(text, options);
  if (!parsed.ok)
    return {
      ok: false,
      issue: { kind: 'period-invalid', message: parsed.message, isFromCatalogue: !request.period },
    };
  return parsed;
}

/** An as-of date that is not a date, or KPI ids the catalogue does not have. */
export function checkRunRequest(
  catalogue: Catalogue,
  request: { asOf?: string | undefined; kpis?: ReadonlySet<string> | undefined },
): RequestIssue | undefined {
  const unknown = [...(request.kpis ?? [])].filter((id) => !catalogue.kpis.some((k) => k.config.id === id));
  if (unknown.length > 0) return { kind: 'unknown-kpis', ids: unknown };
  if (request.asOf !== undefined && Number.isNaN(parseIsoDateTime(request.asOf, catalogue.timezone)))
    return { kind: 'as-of-invalid', value: request.asOf };
  return undefined;
}

/** A request issue in neutral words, for library callers (the CLI words them itself). */
export function requestProblem(issue: RequestIssue, catalogue: Catalogue): Problem {
  switch (issue.kind) {
    case 'custom-incomplete':
      return problem('usage', 'a custom period needs both a first and a last day');
    case 'custom-and-named':
      return problem('usage', 'give either a period or a first and last day, not both');
    case 'custom-invalid':
      return problem('usage', issue.message);
    case 'period-invalid':
      return issue.isFromCatalogue
        ? problem('usage', `period in the catalogue: ${issue.message}`, { file: catalogue.file })
        : problem('usage', issue.message);
    case 'as-of-invalid':
      return problem('usage', `as-of date ${quote(issue.value)} is not a date like 2026-09-30`);
    case 'unknown-kpis':
      return problem('usage', `unknown KPI ${listOf(issue.ids)}`);
  }
}

export interface LoadSourcesOptions {
  /** The day snapshots reflect, when their catalogue entry does not say. */
  asOf?: string | undefined;
  /** Fields to store per source (all when undefined). */
  keep?: ReadonlyMap<string, ReadonlySet<string>> | undefined;
  onProgress?: ((progress: SourceProgress) => void) | undefined;
  /** Called as each source is read (or found missing), with the number still being read. */
  onLoaded?: (name: string, loaded: LoadedSource | { missing: string }, pending: number) => void;
  workers?: WorkerMode | undefined;
  /** Worker threads for large files, and the ranges a large file is split into (default: as many). */
  cores?: number | undefined;
  ranges?: number | undefined;
  /**
   * A source that cannot be read is handed to this instead of failing the whole call (validate judges
   * each export on its own); it is then absent from the result.
   */
  onFailed?: ((name: string, problems: Problem[]) => void) | undefined;
  /** Check every field, also optional text that is not stored (validate). */
  checkAll?: boolean | undefined;
  /** A snapshot whose file is missing becomes "missing" like an optional source (report --periods). */
  snapshotsOptional?: boolean | undefined;
}

/** Why an optional source is missing, as the report records it (the path relative to the catalogue). */
export function missingSourceText(shownPath: string, name: string): string {
  return `${shownPath} not found (optional source ${name})`;
}

/**
 * Reads the named sources; optional sources that cannot be read become "missing" instead of failing. The
 * reason recorded for a missing source names its path relative to the catalogue's folder, since it goes
 * into the report (problems of the sources that are read name paths relative to `cwd`).
 */
export async function loadSources(
  catalogue: Catalogue,
  names: Iterable<string>,
  period: Period,
  cwd: string,
  options: LoadSourcesOptions = {},
): Promise<Map<string, LoadedSource | { missing: string }>> {
  const { asOf, keep, onProgress, onLoaded } = options;
  const out = new Map<string, LoadedSource | { missing: string }>();
  const problems: Problem[] = [];
  const unique = [...new Set(names)];
  let pending = unique.length;
  const settle = (name: string, loaded: LoadedSource | { missing: string }) => {
    out.set(name, loaded);
    pending--;
    onLoaded?.(name, loaded, pending);
  };
  const mode = options.workers ?? 'auto';
  const pool = mode === 'never' ? undefined : new LoadPool(Math.max(1, options.cores ?? 1));
  const jobs = unique.map(async (name) => {
    const source = catalogue.sources.get(name)!;
    const choice = sourceFile(source, period);
    if (!choice.ok) {
      pending--;
      const missing = await noFileForPeriod(source, choice.reason, catalogue, cwd);
      if (options.onFailed) options.onFailed(name, [missing]);
      else problems.push(missing);
      return;
    }
    const absolute = choice.file;
    // Several files (a glob or a list): each path's tokens filled as a single path's (path-template.ts).
    const shown = isMultiFile(source)
      ? sourcePaths(source, period)
          .map((p) => displayPath(p, cwd))
          .join(', ')
      : displayPath(absolute, cwd);
    try {
      const fields = keep?.get(name);
      // A glob or a list: the files it names, read as one table (src/sources/load-files.ts).
      const files = isMultiFile(source) ? await sourceFiles(source, period, cwd) : undefined;
      const loaded = await loadSourceAuto(
        {
          source,
          options: {
            path: absolute,
            displayPath: shown,
            used: catalogue.fieldsUsed.get(name) ?? new Set(),
            ...(files ? { files } : {}),
            ...(keep ? { keep: fields ?? new Set() } : {}),
            ...(options.checkAll ? { checkAll: true } : {}),
            ...(onProgress ? { onProgress } : {}),
          },
        },
        mode,
        pool,
        options.ranges,
      );
      loaded.path = absolute;
      if (source.kind === 'snapshot') {
        loaded.asOf = snapshotTime(loaded, period, choice.named, catalogue.timezone, asOf);
        if (source.periodOffset !== undefined)
          loaded.asOf.describes = { label: choice.named.label, end: choice.named.end };
      }
      settle(name, loaded);
    } catch (error) {
      if (!(error instanceof IsmsKpiError)) throw error;
      const isOptional =
        source.config.optional || (options.snapshotsOptional === true && source.kind === 'snapshot');
      if (isOptional && error.problems.every((p) => p.code === 'file-missing')) {
        const shownPath = recordedPath(absolute, catalogue.dir);
        settle(name, {
          missing: source.config.optional
            ? missingSourceText(shownPath, name)
            : `${shownPath} not found (snapshot ${name}: no file for this period)`,
        });
        return;
      }
      pending--;
      const matching = await matchingFilesDetail(source, error.problems, cwd);
      const located = error.problems.map((p) => ({
        ...p,
        location: { ...p.location, source: name },
        ...(matching && p.code === 'file-missing' ? { detail: [...(p.detail ?? []), matching] } : {}),
      }));
      if (options.onFailed) options.onFailed(name, located);
      else problems.push(...located);
    }
  });
  try {
    await Promise.all(jobs);
  } finally {
    await pool?.close();
  }
  if (problems.length > 0) throw new IsmsKpiError(problems);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A folder's entries for filesMatching ([] when it cannot be read). */
const listEntries = async (dir: string) => (await folderEntries(dir)) ?? [];

/** A source whose path names another unit than the period asked for: why, and the files that do match. */
async function noFileForPeriod(
  source: ResolvedSource,
  reason: string,
  catalogue: Catalogue,
  cwd: string,
): Promise<Problem> {
  const found = await filesMatching(source.pathTemplate, source.baseDir, listEntries);
  const shown = found.map((f) => displayPath(f, cwd));
  const files =
    shown.length > 0 ? `files that match the path: ${listOf(shown, 10)}` : 'no file matches the path';
  return problem(
    'no-file-for-period',
    `source ${source.name}: path ${quote(source.pathTemplate)}: ${reason}; ${files}`,
    { file: catalogue.file, source: source.name },
  );
}

/** For a missing file whose path has period tokens: the files that match the path, for other periods. */
async function matchingFilesDetail(
  source: ResolvedSource,
  problems: readonly Problem[],
  cwd: string,
): Promise<string | undefined> {
  if (!problems.some((p) => p.code === 'file-missing') || periodTokensIn(source.pathTemplate).length === 0)
    return undefined;
  const found = await filesMatching(source.pathTemplate, source.baseDir, listEntries);
  if (found.length === 0) return undefined;
  return `  files that match ${quote(source.pathTemplate)}: ${listOf(
    found.map((f) => displayPath(f, cwd)),
    10,
  )}`;
}

export interface BaselineReport {
  period: string;
  kpis: readonly SavedKpi[];
}

/** What a saved report's KPI gives a baseline or a trend verdict (and its significance test). */
type SavedKpi = Pick<KpiResult, 'id' | 'value' | 'definitionHash'> &
  Partial<Pick<KpiResult, 'denominator' | 'aggregates' | 'numerator' | 'formula' | 'unit'>>;

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
  constructor(
    private readonly cores: number,
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
 * The previous period of the same length (the quarter before a quarter) for every KPI:
 * - `trendVerdict` (issue 18): the value against that period's value, improved / worsened / unchanged by
 *   the KPI's direction (src/report/verdict.ts, the rule `diff` uses). The earlier value comes from a saved
 *   report of that period (--history or --baseline) where one is given and the KPI is defined the same
 *   way there, else from the same events exports when they cover both periods. Snapshot exports describe
 *   one moment, so a KPI reading one has a verdict only from a saved report.
 * - `trend` (the arrow of schemaVersion 1, unchanged): only for a KPI whose cadence covers the whole
 *   period (it has no earlier window inside it), from the exports.
 */
function addPreviousPeriodTrends(
  catalogue: Catalogue,
  sources: Map<string, LoadedSource | { missing: string }>,
  period: Period,
  evaluation: Evaluation,
  cache: Map<string, Vec>,
  saved: readonly BaselineReport[],
  significance: SignificanceOption,
): void {
  const isEventsOnly = (ids: string[]) =>
    ids.length > 0 && ids.every((s) => catalogue.sources.get(s)?.kind === 'events');
  const tz = catalogue.timezone;
  const previous = previousPeriod(period, { tz, fiscalYearStartMonth: catalogue.fiscalYearStart });
  const savedPrevious = saved.find((r) => r.period === previous.label);
  const byId = new Map(catalogue.kpis.map((k) => [k.config.id, k]));
  const fromExports: KpiResult[] = [];
  for (const kpi of evaluation.kpis) {
    const none = (reason: string) => {
      kpi.trendVerdict = { verdict: 'none', reason };
    };
    const old = savedPrevious?.kpis.find((k) => k.id === kpi.id);
    const isLegacy = kpi.trend === null && kpi.windows.length === 0;
    if (kpi.value === null) {
      none('no value in this period');
      continue;
    }
    const isSaved = old !== undefined && old.value !== null && old.definitionHash === kpi.definitionHash;
    // A KPI with an arrow from the exports still has them evaluated (below); the saved value wins there.
    if (isSaved && !(isLegacy && isEventsOnly(kpi.sources))) {
      kpi.trendVerdict = trendVerdict(
        kpi,
        period.label,
        { period: previous.label, value: old.value!, from: 'report', sample: trendSample(old), values: old },
        significance,
      );
      continue;
    }
    if (!isEventsOnly(kpi.sources)) {
      none(
        kpi.sources.length === 0
          ? `no earlier value: the KPI reads no export of its own; give the saved report of ${previous.label} with --history`
          : `no earlier value: a snapshot export describes one moment; give the saved report of ${previous.label} with --history`,
      );
      continue;
    }
    // Both periods must be covered by every events export the formula reads (coverage.ts): a previous
    // period computed from the last weeks of it only would make any change look like a trend.
    const compiled = byId.get(kpi.id)!;
    const covered = coverageOf(compiled, sources, period, tz, () => undefined).sources;
    const partial = [previous, period]
      .map((interval) => partialReason(covered, interval, compiled.config.cadence, tz))
      .find((reason) => reason !== undefined);
    if (partial) {
      none(`partial: ${partial}`);
      if (isLegacy) kpi.trendNote = `partial: ${partial}`;
      continue;
    }
    fromExports.push(kpi);
  }
  if (fromExports.length === 0) return;
  const earlier = evaluateCatalogue({
    catalogue,
    sources,
    period: previous,
    cache,
    only: new Set(fromExports.map((k) => k.id)),
  });
  const results = new Map(earlier.kpis.map((k) => [k.id, k]));
  for (const kpi of fromExports) {
    const before = results.get(kpi.id);
    const old = savedPrevious?.kpis.find((k) => k.id === kpi.id);
    if (before?.value === null || before?.value === undefined || kpi.value === null) {
      kpi.trendVerdict = { verdict: 'none', reason: `no value in ${previous.label}` };
      continue;
    }
    if (kpi.trend === null && kpi.windows.length === 0) {
      kpi.trend = compareValues(before.value, kpi.value);
      kpi.previous = { period: previous.label, value: before.value };
    }
    // A saved report of the previous period wins over the exports (it is what was reported then).
    const isSaved = old !== undefined && old.value !== null && old.definitionHash === kpi.definitionHash;
    kpi.trendVerdict = trendVerdict(
      kpi,
      period.label,
      {
        period: previous.label,
        value: isSaved ? old.value! : before.value,
        from: isSaved ? 'report' : 'exports',
        sample: isSaved ? trendSample(old) : trendSample(before),
        values: isSaved ? old : before,
      },
      significance,
    );
  }
}

/** When a snapshot was taken, by the rules of as-of.ts, from its catalogue entry and what was read. */
function snapshotTime(
  loaded: LoadedSource,
  period: Period,
  pathPeriod: Period,
  tz: string,
  commandLine: string | undefined,
): SnapshotTime {
  const config = loaded.source.config;
  let latest: number | null = null;
  const column = config.as_of_field ? loaded.table.columns.get(config.as_of_field) : undefined;
  if (column?.kind === 'num')
    for (const v of column.values) if (!Number.isNaN(v) && (latest === null || v > latest)) latest = v;
  return snapshotAsOf({
    name: loaded.name,
    asOf: config.as_of,
    asOfField: config.as_of_field,
    fieldLatest: latest,
    commandLine,
    pathTemplate: loaded.source.pathTemplate,
    modified: loaded.modified,
    period,
    pathPeriod,
    tz,
  });
}

export async function run(options: RunOptions): Promise<RunResult> {
  const { catalogue, period } = options;
  const issue = checkRunRequest(catalogue, options);
  if (issue) throw new IsmsKpiError(requestProblem(issue, catalogue));
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
      for (const f of kpi.segmentBy) fields.add(f);
      // Traced rows are shown with the fields that identify them (explain).
      if (options.trace) for (const f of catalogue.sources.get(s)!.key) fields.add(f);
      keep.set(s, fields);
    }
    for (const dep of kpi.formula.kpis) addSources(dep);
  };
  // Retired KPIs are kept in the catalogue for history but not reported, unless asked for by id.
  const wanted = catalogue.kpis
    .filter((k) => (options.kpis ? options.kpis.has(k.config.id) : k.config.lifecycle !== 'retired'))
    .map((k) => k.config.id);
  for (const id of wanted) addSources(id);
  const cache = new Map<string, Vec>();
  const early = new EarlyEvaluation(
    options.cores ?? 1,
    catalogue,
    period,
    cache,
    options.trace === true,
    wanted,
  );
  const sources = await loadSources(catalogue, needed, period, options.cwd, {
    asOf: options.asOf,
    keep: options.storeAllFields ? undefined : keep,
    onProgress: options.onProgress,
    onLoaded: (name, loaded, pending) => early.loaded(name, loaded, pending),
    workers: options.workers,
    cores: options.cores,
    ranges: options.ranges,
    snapshotsOptional: options.snapshotsOptional,
  });
  const evaluation = early.finish(sources);
  const significance = significanceOption(options.significance ?? catalogue.significance);
  addIntervals(evaluation, significance);
  const isComplete = period.end <= options.now;
  const computedOn = localDate(catalogue.timezone, options.now);
  if (isComplete)
    addPreviousPeriodTrends(
      catalogue,
      sources,
      period,
      evaluation,
      cache,
      [...(options.savedReports ?? []), ...(options.baselineReport ? [options.baselineReport] : [])],
      significance,
    );
  else withholdTrends(evaluation, period, computedOn);
  addBaselines(evaluation, options.baselineReport);
  applyExceptions(evaluation.kpis, catalogue.exceptions, lastDay(period));
  const asOf = options.asOf ?? lastDay(period);
  const report = buildReport(catalogue, period, asOf, sources, evaluation, {
    timestamp: options.timestamp,
    ...(isComplete ? {} : { computedOn }),
  });
  return { catalogue, period, report, evaluation, sources };
}

/** The significance rule of a run: a level (alpha), or 'off'; the default level when none is set. */
function significanceOption(setting: number | 'off' | undefined): SignificanceOption {
  if (setting === 'off') return 'off';
  return { level: setting ?? DEFAULT_SIGNIFICANCE_LEVEL };
}

/**
 * Each KPI's confidence interval at 1 - alpha (src/report/significance.ts), saved after its numerator and
 * denominator (the JSON report's key order); none with significance off.
 */
function addIntervals(evaluation: Evaluation, significance: SignificanceOption): void {
  if (significance === 'off') return;
  evaluation.kpis.forEach((kpi, i) => {
    const interval = valueInterval(kpi, 1 - significance.level);
    if (!interval) return;
    const entries = Object.entries(kpi);
    const at = entries.findIndex(([key]) => key === 'rejectedRows');
    entries.splice(at, 0, ['interval', interval]);
    evaluation.kpis[i] = Object.fromEntries(entries) as KpiResult;
  });
}

/**
 * A period that has not ended has no trend: its windows and its value cover part of it, so a change
 * against an earlier window or period says nothing yet. The values stay; the verdict is withheld.
 */
function withholdTrends(evaluation: Evaluation, period: Period, computedOn: string): void {
  for (const kpi of evaluation.kpis) {
    kpi.trend = null;
    delete kpi.previous;
    kpi.trendNote = `incomplete: ${period.label} has not ended (computed on ${computedOn})`;
    kpi.trendVerdict = { verdict: 'none', reason: kpi.trendNote };
  }
}

function buildReport(
  catalogue: Catalogue,
  period: Period,
  asOf: string,
  sources: Map<string, LoadedSource | { missing: string }>,
  evaluation: Evaluation,
  when: { timestamp: string | undefined; computedOn?: string },
): Report {
  const { timestamp } = when;
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
    // Relative to the catalogue's folder, so the report's bytes do not depend on the working directory.
    const file = isMultiFile(resolved)
      ? sourcePaths(resolved, period)
          .map((p) => recordedPath(p, catalogue.dir))
          .join(', ')
      : recordedPath(sourcePath(resolved, period), catalogue.dir);
    if ('missing' in loaded) {
      return {
        name,
        file,
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
      file,
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
      ...(resolved.kind === 'snapshot' ? snapshotManifest(loaded.asOf, catalogue.timezone) : {}),
      ...(loaded.files
        ? {
            files: loaded.files.map((f) => ({
              file: recordedPath(f.path, catalogue.dir),
              bytes: f.bytes,
              sha256: f.sha256,
              rowsRead: f.rowsRead,
              accepted: f.accepted,
              rejected: f.rejected,
              duplicates: f.duplicates,
            })),
          }
        : {}),
    };
  });
  const objectives = objectiveResults(catalogue.objectives, evaluation.kpis, catalogue.timezone);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    organisation: catalogue.organisation,
    ...(catalogue.document ? { document: catalogue.document } : {}),
    catalogue: { path: path.basename(catalogue.file), sha256: catalogue.sha256 },
    period: {
      label: period.label,
      start: new Date(period.start).toISOString(),
      end: new Date(period.end).toISOString(),
      timezone: catalogue.timezone,
      complete: when.computedOn === undefined,
      ...(when.computedOn !== undefined ? { computedOn: when.computedOn } : {}),
    },
    asOf,
    ...(timestamp ? { generatedAt: timestamp } : {}),
    summary,
    sources: manifest,
    kpis: evaluation.kpis,
    ...(objectives.length > 0 ? { objectives } : {}),
  };
}

/** The day a snapshot reflects (in the catalogue's zone; an as-of instant is the end of that day) and how it was found. */
function snapshotManifest(
  asOf: SnapshotTime | null,
  tz: string,
): Pick<SourceManifest, 'asOf' | 'asOfSource'> {
  if (!asOf || asOf.instant === null) return { asOfSource: 'unknown' };
  return { asOf: localDate(tz, asOf.instant - 1), asOfSource: asOf.how };
}

/** The last calendar day of the period in its zone, e.g. 2026-09-30 for 2026-Q3. */
function lastDay(period: Period): string {
  return localDate(period.tz, period.end - 1);
}
