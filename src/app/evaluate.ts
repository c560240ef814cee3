/**
 * One evaluation as the commands need it: the catalogue read through the Io, the period request
 * resolved and checked (problems worded for the command line), then the engine's run().
 */
import type { Catalogue } from '../catalogue/compile.js';
import { type RunOptions, type RunResult, run } from '../engine/run.js';
import type { WorkerMode } from '../sources/load-parallel.js';
import { loadCatalogue } from './catalogue.js';
import type { Io } from './io.js';
import { checkRequest, type PeriodOptions, resolvePeriod, runClock } from './request.js';

export interface EvaluateOptions
  extends PeriodOptions,
    Pick<
      RunOptions,
      | 'kpis'
      | 'trace'
      | 'storeAllFields'
      | 'baselineReport'
      | 'savedReports'
      | 'onProgress'
      | 'timestamp'
      | 'significance'
    > {
  /** Path of metrics.yaml, relative to io.cwd. */
  catalogue: string;
  /** The catalogue, when the caller has already loaded it (so it is not read twice). */
  loadedCatalogue?: Catalogue;
  /** report --periods: a snapshot whose file for the period is missing gives no data instead of an error. */
  snapshotsOptional?: boolean | undefined;
}

/** `ISMS_KPI_WORKERS=never` keeps every source on the main thread; `always` reads each in a worker. */
export function workerMode(env: Io['env']): WorkerMode {
  const mode = env.ISMS_KPI_WORKERS;
  return mode === 'never' || mode === 'always' ? mode : 'auto';
}

/**
 * `ISMS_KPI_RANGES=N`: split a large file into at most N ranges read side by side (1: one worker per
 * file, as before issue 16); default one per core. For measurements (bench/load.mjs --ranges).
 */
export function rangeCount(env: Io['env']): number | undefined {
  const n = Number(env.ISMS_KPI_RANGES);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

export async function evaluate(options: EvaluateOptions, io: Io): Promise<RunResult> {
  const catalogue = options.loadedCatalogue ?? (await loadCatalogue(io, options.catalogue, options.tz));
  const now = runClock(catalogue, { ...options, now: io.now() });
  const period = resolvePeriod(catalogue, { ...options, now });
  checkRequest(catalogue, options);
  return run({
    catalogue,
    period,
    now,
    cwd: io.cwd,
    cores: io.cpuCount,
    workers: workerMode(io.env),
    ...(rangeCount(io.env) ? { ranges: rangeCount(io.env) } : {}),
    ...(options.asOf ? { asOf: options.asOf } : {}),
    ...(options.kpis ? { kpis: options.kpis } : {}),
    ...(options.trace ? { trace: true } : {}),
    ...(options.storeAllFields ? { storeAllFields: true } : {}),
    ...(options.baselineReport ? { baselineReport: options.baselineReport } : {}),
    ...(options.savedReports ? { savedReports: options.savedReports } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.timestamp ? { timestamp: options.timestamp } : {}),
    ...(options.snapshotsOptional ? { snapshotsOptional: true } : {}),
    ...(options.significance !== undefined ? { significance: options.significance } : {}),
  });
}
