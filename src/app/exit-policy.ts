/**
 * The one exit policy: every command's outcome maps to an exit code here, and nowhere else.
 *
 *   0  done: the run completed and nothing reached a fail condition
 *   1  a fail condition that was asked for: a KPI at the --fail-on level (report), a regression
 *      (diff --fail-on-regression / --strict), a file no preset matches (detect)
 *   2  usage, catalogue or input error: nothing was written (and validate: the inputs are not valid)
 *
 * Whether a KPI fails the run is `failsRun` (src/engine/status.ts): the JUnit renderer and the Markdown
 * summary ask the same question, so the report, its JUnit `failures` and the exit code never disagree.
 */
import { type FailOn, failsRun } from '../engine/status.js';
import type { Status } from '../report/model.js';

export const EXIT_OK = 0;
export const EXIT_FAIL_LEVEL = 1;
export const EXIT_ERROR = 2;

export type ExitCode = typeof EXIT_OK | typeof EXIT_FAIL_LEVEL | typeof EXIT_ERROR;

export type Outcome =
  /** Evaluated KPIs and the --fail-on level. */
  | { command: 'report'; kpis: readonly { status: Status; judgement?: Status | undefined }[]; failOn: FailOn }
  /** Whether the catalogue and every export are valid (no errors, no rejected rows). */
  | { command: 'validate'; isValid: boolean }
  /** Whether a regression the user asked to fail on was found. */
  | { command: 'diff'; isRegression: boolean }
  /** Files that could not be read, and files that matched no preset. */
  | { command: 'detect'; unreadable: number; unmatched: number }
  /** Anything else that completed (list, explain, trend, init, presets, completion, help). */
  | { command: 'done' }
  /** A usage, catalogue or input error: the command was stopped. */
  | { command: 'error' };

export function exitCode(outcome: Outcome): ExitCode {
  switch (outcome.command) {
    case 'report':
      return outcome.kpis.some((k) => failsRun(k, outcome.failOn)) ? EXIT_FAIL_LEVEL : EXIT_OK;
    case 'validate':
      // Exit 2 for invalid inputs, as validate has always done (a later change may use 1 for rejected rows).
      return outcome.isValid ? EXIT_OK : EXIT_ERROR;
    case 'diff':
      return outcome.isRegression ? EXIT_FAIL_LEVEL : EXIT_OK;
    case 'detect':
      return outcome.unreadable > 0 ? EXIT_ERROR : outcome.unmatched > 0 ? EXIT_FAIL_LEVEL : EXIT_OK;
    case 'done':
      return EXIT_OK;
    case 'error':
      return EXIT_ERROR;
  }
}
