/**
 * The status policy of a KPI result. `failsRun` is the one answer to "does this KPI fail the run at
 * this --fail-on level?": the exit code, the JUnit renderer and the Markdown summary all ask it, so
 * they can never disagree. A stale KPI counts with the judgement its value would have had, so
 * staleness never hides a red.
 */
import type { Status } from '../report/model.js';

export type FailOn = 'red' | 'amber' | 'never';
export const FAIL_ON_LEVELS: readonly FailOn[] = ['red', 'amber', 'never'];

export function failsRun(kpi: { status: Status; judgement?: Status | undefined }, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  const status = kpi.status === 'stale' && kpi.judgement ? kpi.judgement : kpi.status;
  return status === 'red' || (failOn === 'amber' && status === 'amber');
}
