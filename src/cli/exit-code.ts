/** Exit codes, documented in the README and --help: 0 ok, 1 a KPI reached the fail level, 2 usage or input error. */
import type { Status } from '../engine/report-model.js';

export const EXIT_OK = 0;
export const EXIT_FAIL_LEVEL = 1;
export const EXIT_ERROR = 2;

export type FailOn = 'red' | 'amber' | 'never';

/** A stale KPI counts with the status its value would have had, so staleness never hides a red. */
export function reportExitCode(
  kpis: readonly { status: Status; judgement?: Status }[],
  failOn: FailOn,
): number {
  if (failOn === 'never') return EXIT_OK;
  const statuses = kpis.map((k) => (k.status === 'stale' && k.judgement ? k.judgement : k.status));
  const failing: Status[] = failOn === 'red' ? ['red'] : ['red', 'amber'];
  return statuses.some((s) => failing.includes(s)) ? EXIT_FAIL_LEVEL : EXIT_OK;
}
