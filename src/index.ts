/**
 * isms-kpi as a library: load a catalogue, evaluate it for a period, render the report.
 *
 *   const io = nodeIo();                                   // files, clock and environment of this process
 *   const catalogue = await loadCatalogue(io, 'metrics.yaml');
 *   const period = resolvePeriod(catalogue, { period: '2026-Q3', now: io.now() });
 *   const { report } = await run({ catalogue, period, cwd: io.cwd, now: io.now() });  // now: has the period ended?
 *
 * or in one step: `const { report } = await evaluate({ catalogue: 'metrics.yaml', period: '2026-Q3' }, nodeIo())`.
 */
export { loadCatalogue } from './app/catalogue.js';
export { type EvaluateOptions, evaluate } from './app/evaluate.js';
export type { Io } from './app/io.js';
export { nodeIo } from './app/node-io.js';
export { resolvePeriod } from './app/request.js';
export type { Catalogue, CompiledKpi } from './catalogue/compile.js';
export { type Diff, diffReports } from './diff/compare.js';
export { loadSources, type RunOptions, type RunResult, run } from './engine/run.js';
export { formatProblem, IsmsKpiError, type Problem } from './problems.js';
export { FORMATS, type Format, RENDERERS } from './render/index.js';
export type { KpiResult, Report, SourceManifest, Status } from './report/model.js';
export { REPORT_SCHEMA_VERSION } from './report/model.js';
export { readReport } from './report/read.js';
export { TOOL_VERSION } from './version.js';
