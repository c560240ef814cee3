/**
 * The evaluation as tests call it: a catalogue file in a folder, a period request, a fixed clock. A thin
 * shim over the app layer's evaluate()/loadCatalogue() with a Node Io for that folder, so tests keep one
 * short call: `run({ catalogue: 'metrics.yaml', cwd: dir, period: '2026-Q3' })`.
 *
 * The clock (`now`) defaults to AFTER_EXAMPLE, a day after every period the tests report on has ended, so
 * that those reports are complete (a period that has not ended is marked incomplete and has no trends).
 * Tests that rely on the default period pass their own `now` (e.g. 0: the last quarter of 1969).
 */
import { loadCatalogue as loadCatalogueFile } from '../../src/app/catalogue.js';
import { type EvaluateOptions, evaluate } from '../../src/app/evaluate.js';
import { nodeIo } from '../../src/app/node-io.js';
import type { Catalogue } from '../../src/catalogue/compile.js';
import type { RunResult } from '../../src/engine/run.js';

export { resolvePeriod } from '../../src/app/request.js';
export { loadSources, type RunResult } from '../../src/engine/run.js';

/** 2026-11-01T00:00Z: 2026-Q3 and every earlier period have ended; 2026-Q4 has not. */
export const AFTER_EXAMPLE = Date.UTC(2026, 10, 1);

export function run(options: EvaluateOptions & { cwd: string; now?: number }): Promise<RunResult> {
  const { cwd, now = AFTER_EXAMPLE, ...rest } = options;
  return evaluate(rest, nodeIo({ cwd, now }));
}

export function loadCatalogue(options: { catalogue: string; cwd: string }, tz?: string): Promise<Catalogue> {
  return loadCatalogueFile(nodeIo({ cwd: options.cwd }), options.catalogue, tz);
}
