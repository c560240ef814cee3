/**
 * isms-kpi as a library: load a catalogue, evaluate it for a period, render the report.
 *
 *   const { report } = await run({ catalogue: 'metrics.yaml', cwd: process.cwd(), period: '2026-Q3', now: Date.now() });
 */
export type { Catalogue, CompiledKpi } from './catalogue/compile.js';
export { type Diff, diffReports } from './diff/compare.js';
export {
  loadCatalogue,
  loadSources,
  type RunOptions,
  type RunResult,
  resolvePeriod,
  run,
} from './engine/run.js';
export { formatProblem, IsmsKpiError, type Problem } from './problems.js';
export { FORMATS, type Format, RENDERERS } from './render/index.js';
export type { KpiResult, Report, SourceManifest, Status } from './report/model.js';
export { REPORT_SCHEMA_VERSION } from './report/model.js';
export { TOOL_VERSION } from './version.js';
