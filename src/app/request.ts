/**
 * The period options of report, validate and explain (--period, --from/--to, --as-of, --today, --tz, --kpi) turned
 * into the engine's request, with the engine's neutral issues worded for the command line.
 */
import type { Catalogue } from '../catalogue/compile.js';
import {
  checkRunRequest,
  type RequestIssue,
  resolvePeriod as resolveRequestedPeriod,
} from '../engine/run.js';
import { IsmsKpiError, type Problem, problem } from '../problems.js';
import { listOf, quote } from '../text.js';
import { localDayStart, type Period } from '../time/period.js';

export interface PeriodOptions {
  period?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  tz?: string | undefined;
  asOf?: string | undefined;
  /** The day to take as today (yyyy-MM-dd) instead of the clock: for tests and reruns. */
  today?: string | undefined;
}

/** An issue in the words of the command line: the flag that caused it, and an example of a good value. */
export function cliProblem(issue: RequestIssue, catalogue: Catalogue): Problem {
  switch (issue.kind) {
    case 'custom-incomplete':
      return problem(
        'usage',
        '--from and --to go together: give both dates, e.g. --from 2026-07-01 --to 2026-09-30',
      );
    case 'custom-and-named':
      return problem('usage', 'give either --period or --from/--to, not both');
    case 'custom-invalid':
      switch (issue.part) {
        case 'first':
          return problem('usage', `bad --from date ${quote(issue.from)}: use yyyy-MM-dd, e.g. 2026-07-01`);
        case 'last':
          return problem('usage', `bad --to date ${quote(issue.to)}: use yyyy-MM-dd, e.g. 2026-09-30`);
        case 'order':
          return problem('usage', `--from ${issue.from.trim()} is after --to ${issue.to.trim()}`);
        default:
          return problem('usage', issue.message);
      }
    case 'period-invalid':
      return issue.isFromCatalogue
        ? problem('usage', `period in the catalogue: ${issue.message}`, { file: catalogue.file })
        : problem('usage', `--period: ${issue.message}`);
    case 'as-of-invalid':
      return problem('usage', `--as-of: ${quote(issue.value)} is not a date like 2026-09-30`);
    case 'unknown-kpis':
      return problem('usage', `unknown KPI ${listOf(issue.ids)}; see isms-kpi list`);
  }
}

/**
 * The clock of a run: the start of --today (local midnight in the catalogue's zone), else `now`, the
 * app's clock. It decides the default period and whether the period has ended.
 */
export function runClock(catalogue: Catalogue, options: { today?: string | undefined; now: number }): number {
  if (options.today === undefined) return options.now;
  const start = localDayStart(options.today, catalogue.timezone);
  if (start === undefined)
    throw new IsmsKpiError(
      problem('usage', `--today: ${quote(options.today)} is not a date like 2026-10-01`),
    );
  return start;
}

/** The period the options name (else the catalogue's, else the last complete quarter before the clock). */
export function resolvePeriod(catalogue: Catalogue, options: PeriodOptions & { now: number }): Period {
  const result = resolveRequestedPeriod(catalogue, {
    ...(options.period ? { period: options.period } : {}),
    ...(options.from ? { from: options.from } : {}),
    ...(options.to ? { to: options.to } : {}),
    now: runClock(catalogue, options),
  });
  if (!result.ok) throw new IsmsKpiError(cliProblem(result.issue, catalogue));
  return result.period;
}

/** Refuses an --as-of that is not a date and KPI ids the catalogue lacks, worded for the command line. */
export function checkRequest(
  catalogue: Catalogue,
  request: { asOf?: string | undefined; kpis?: ReadonlySet<string> | undefined },
): void {
  const issue = checkRunRequest(catalogue, request);
  if (issue) throw new IsmsKpiError(cliProblem(issue, catalogue));
}
