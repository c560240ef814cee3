/** Exit codes, documented in the README and --help: 0 ok, 1 a KPI reached the fail level, 2 usage or input error. */
import type { Status } from '../engine/report-model.js';

export const EXIT_OK = 0;
export const EXIT_FAIL_LEVEL = 1;
export const EXIT_ERROR = 2;

export type FailOn = 'red' | 'amber' | 'never';

export function reportExitCode(statuses: readonly Status[], failOn: FailOn): number {
  if (failOn === 'never') return EXIT_OK;
  const failing: Status[] = failOn === 'red' ? ['red'] : ['red', 'amber'];
  return statuses.some((s) => failing.includes(s)) ? EXIT_FAIL_LEVEL : EXIT_OK;
}
