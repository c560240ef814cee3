/**
 * The one exit policy: every command's outcome maps to an exit code here, and nowhere else.
 *
 *   0  done: the run completed and nothing reached a fail condition
 *   1  a fail condition that was asked for: a KPI at the --fail-on level (report), a regression
 *      (diff --fail-on-regression / --strict), a file no preset matches (detect), a data problem in an
 *      export (validate), an evidence pack that does not verify (verify)
 *   2  usage, catalogue or input error: nothing was written (validate: the catalogue does not load)
 *
 * validate (decided in issue 14): 1 is for the exports, 2 for the catalogue and the command line, so a
 * check of a change to metrics.yaml does not fail on data the change did not touch. Everything found
 * while reading an export is a data problem (1): rejected rows beyond --max-rejected, short rows (fields
 * without values), missing required columns, and an export that is missing or cannot be read at all;
 * other warnings are listed but pass (src/app/validate.ts). A missing export is
 * data, not input: validate's job is to report on the exports, and it reports this one next to the
 * others instead of stopping (report, which needs it, stops with 2).
 *
 * Whether a KPI fails the run is `failsRun` (src/engine/status.ts): the JUnit renderer and the Markdown
 * summary ask the same question, so the report, its JUnit `failures` and the exit code never disagree.
 */
import { type FailOn, failsRun } from '../engine/status.js';
import type { ValidateVerdict } from '../render/validate.js';

export const EXIT_OK = 0;
export const EXIT_FAIL_LEVEL = 1;
export const EXIT_ERROR = 2;

export type ExitCode = typeof EXIT_OK | typeof EXIT_FAIL_LEVEL | typeof EXIT_ERROR;

export type Outcome =
  /** Evaluated KPIs and the --fail-on level. */
  | { command: 'report'; kpis: readonly Parameters<typeof failsRun>[0][]; failOn: FailOn }
  /** Valid; a data problem in an export (rejected rows, short rows, unreadable); or a catalogue that does not load. */
  | { command: 'validate'; verdict: ValidateVerdict }
  /** Whether a regression the user asked to fail on was found. */
  | { command: 'diff'; isRegression: boolean }
  /** Files that could not be read, and files that matched no preset. */
  | { command: 'detect'; unreadable: number; unmatched: number }
  /** verify: whether every pack (and with --chain every link) verified. */
  | { command: 'verify'; ok: boolean }
  /** audit-catalogue: the number of warnings among its findings (information never fails). */
  | { command: 'audit'; warnings: number }
  /** Anything else that completed (list, explain, trend, init, presets, completion, help). */
  | { command: 'done' }
  /** A usage, catalogue or input error: the command was stopped. */
  | { command: 'error' };

export function exitCode(outcome: Outcome): ExitCode {
  switch (outcome.command) {
    case 'report':
      return outcome.kpis.some((k) => failsRun(k, outcome.failOn)) ? EXIT_FAIL_LEVEL : EXIT_OK;
    case 'validate':
      return outcome.verdict === 'valid'
        ? EXIT_OK
        : outcome.verdict === 'data-problems'
          ? EXIT_FAIL_LEVEL
          : EXIT_ERROR;
    case 'diff':
      return outcome.isRegression ? EXIT_FAIL_LEVEL : EXIT_OK;
    case 'detect':
      return outcome.unreadable > 0 ? EXIT_ERROR : outcome.unmatched > 0 ? EXIT_FAIL_LEVEL : EXIT_OK;
    case 'verify':
      return outcome.ok ? EXIT_OK : EXIT_FAIL_LEVEL;
    case 'audit':
      return outcome.warnings > 0 ? EXIT_FAIL_LEVEL : EXIT_OK;
    case 'done':
      return EXIT_OK;
    case 'error':
      return EXIT_ERROR;
  }
}
