/**
 * The evaluation as tests call it: a catalogue file in a folder, a period request, a fixed clock. A thin
 * shim over the app layer's evaluate()/loadCatalogue() with a Node Io for that folder, so tests keep one
 * short call: `run({ catalogue: 'metrics.yaml', cwd: dir, period: '2026-Q3', now: 0 })`.
 */
import { loadCatalogue as loadCatalogueFile } from '../../src/app/catalogue.js';
import { type EvaluateOptions, evaluate } from '../../src/app/evaluate.js';
import { nodeIo } from '../../src/app/node-io.js';
import type { Catalogue } from '../../src/catalogue/compile.js';
import type { RunResult } from '../../src/engine/run.js';

export { resolvePeriod } from '../../src/app/request.js';
export { loadSources, type RunResult } from '../../src/engine/run.js';

export function run(options: EvaluateOptions & { cwd: string; now: number }): Promise<RunResult> {
  const { cwd, now, ...rest } = options;
  return evaluate(rest, nodeIo({ cwd, now }));
}

export function loadCatalogue(options: { catalogue: string; cwd: string }, tz?: string): Promise<Catalogue> {
  return loadCatalogueFile(nodeIo({ cwd: options.cwd }), options.catalogue, tz);
}
