/** Exit codes, documented in the README and --help: 0 ok, 1 a KPI reached the fail level, 2 usage or input error. */
import { type FailOn, failsRun } from '../engine/status.js';
import type { Status } from '../report/model.js';

export type { FailOn };

export const EXIT_OK = 0;
export const EXIT_FAIL_LEVEL = 1;
export const EXIT_ERROR = 2;

/** A stale KPI counts with the status its value would have had, so staleness never hides a red. */
export function reportExitCode(
  kpis: readonly { status: Status; judgement?: Status }[],
  failOn: FailOn,
): number {
  return kpis.some((k) => failsRun(k, failOn)) ? EXIT_FAIL_LEVEL : EXIT_OK;
}
