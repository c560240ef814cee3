/** The bundled catalogue (metrics.yaml over fixtures/acme/) run for 2026-Q3 (or another period), as the golden files show it. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { judgeActions, loadActions } from '../../src/app/actions.js';
import { nodeIo } from '../../src/app/node-io.js';
import { type RunResult, run } from '../helpers/run.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const GOLDEN = path.join(REPO, 'tests', 'render', 'golden');

/**
 * As `isms-kpi report` makes it: the run, then the verdicts of the corrective actions the catalogue names
 * (fixtures/acme/actions.yaml; no history, so nothing is judged from a change) in the report's `actions`.
 */
export async function runBundled(
  options: { trace?: boolean; timestamp?: string; storeAllFields?: boolean; period?: string } = {},
): Promise<RunResult> {
  const result = await run({ catalogue: 'metrics.yaml', cwd: REPO, period: '2026-Q3', ...options });
  const actions = await loadActions(nodeIo({ cwd: REPO }), result.catalogue, undefined);
  if (actions.length > 0) judgeActions(result.report, actions, [], result.catalogue, undefined);
  return result;
}

/**
 * Compares text with a golden file. `UPDATE_GOLDEN=1 npx vitest run tests/render tests/evidence` rewrites
 * the files instead; read the diff before committing it.
 */
export function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  if (!fs.existsSync(file))
    throw new Error(`golden file ${name} is missing; run with UPDATE_GOLDEN=1 and review it`);
  expect(actual, `differs from tests/render/golden/${name}`).toBe(fs.readFileSync(file, 'utf8'));
}
