/**
 * Exceptions (waivers) of the catalogue applied to a report: each KPI gets the exceptions that name it,
 * each marked accepted or expired.
 *
 * Decision (docs/catalogue.md "Exceptions"): an exception is judged against the period, not the clock,
 * so a report is the same whenever it is made. It is in force for a period when it is valid on the
 * period's last day: `expires` is inclusive, so an exception that expires on the last day of the period
 * is accepted for that period and expired for the next. Whether it keeps the KPI from failing --fail-on
 * is decided by `failsRun` (status.ts), from the `state` written here.
 */
import type { ExceptionConfig } from '../catalogue/schema.js';
import type { KpiResult } from '../report/model.js';

export type ExceptionResult = NonNullable<KpiResult['exceptions']>[number];

/** The exception as the report records it, judged on the period's last day (yyyy-MM-dd). */
export function judgeException(exception: ExceptionConfig, lastDay: string): ExceptionResult {
  return {
    ...(exception.segment !== undefined ? { segment: exception.segment } : {}),
    reason: exception.reason,
    approver: exception.approver,
    ...(exception.risk !== undefined ? { risk: exception.risk } : {}),
    expires: exception.expires,
    // Both are yyyy-MM-dd, so text order is date order.
    state: exception.expires >= lastDay ? 'accepted' : 'expired',
  };
}

export function applyExceptions(
  kpis: KpiResult[],
  exceptions: readonly ExceptionConfig[],
  lastDay: string,
): void {
  for (const kpi of kpis) {
    const own = exceptions.filter((e) => e.kpi === kpi.id);
    if (own.length > 0) kpi.exceptions = own.map((e) => judgeException(e, lastDay));
  }
}

/** A KPI-wide exception in force: the KPI keeps its status but does not fail the run. */
export function isAccepted(kpi: { exceptions?: readonly ExceptionResult[] | undefined }): boolean {
  return (kpi.exceptions ?? []).some((e) => e.segment === undefined && e.state === 'accepted');
}
