/**
 * Corrective actions for `report`, `actions` and `review`: where they are read from, and their verdicts.
 *
 * Where (the first that applies): the file given with --actions (`.yaml`/`.yml`, or `.csv` with the
 * columns of the `corrective-actions` preset); else actions.yaml beside the catalogue; else the
 * catalogue's `actions:` block, written in it or named by it (`actions: { file: FILE }`, read when the
 * catalogue is loaded). Both actions.yaml and a block is an error (one list, one place), unless the block
 * names that very actions.yaml.
 *
 * `isms-kpi actions`: evaluates the period (with --history for the values before), judges each action
 * (src/report/effectiveness.ts, significance by src/report/significance.ts at the default level) and
 * prints them. Exit 0 whatever the verdicts: the verdicts are for the review, not for a CI gate.
 */
import path from 'node:path';
import {
  type Action,
  type ActionsResult,
  actionTargets,
  parseActionsCsv,
  parseActionsYaml,
} from '../catalogue/actions.js';
import type { Catalogue } from '../catalogue/compile.js';
import { MAX_CATALOGUE_BYTES } from '../catalogue/parse.js';
import { IsmsKpiError, type Problem, problem } from '../problems.js';
import { ACTIONS_RENDERERS, type ActionsFormat } from '../render/actions.js';
import { actionVerdicts } from '../report/effectiveness.js';
import type { Report } from '../report/model.js';
import {
  changeSignificance,
  DEFAULT_SIGNIFICANCE_LEVEL,
  type SignificanceOption,
} from '../report/significance.js';
import type { Period } from '../time/period.js';
import { displayPath } from '../util/display-path.js';
import { fileProblem } from '../util/file-problem.js';
import { evaluate } from './evaluate.js';
import type { Io } from './io.js';
import type { PeriodOptions } from './request.js';
import type { CommandResult } from './result.js';
import { readHistory } from './saved-reports.js';
import { withHistory } from './with-history.js';

/** The file looked for beside the catalogue. */
export const ACTIONS_FILE = 'actions.yaml';

/** The corrective actions (see the header); an empty list when there are none. */
export async function loadActions(io: Io, catalogue: Catalogue, file: string | undefined): Promise<Action[]> {
  const beside = path.join(catalogue.dir, ACTIONS_FILE);
  const absolute = file === undefined ? beside : path.resolve(io.cwd, file);
  const shown = displayPath(absolute, io.cwd);
  const info = await io.stat(absolute).catch(() => undefined);
  if (file === undefined && (!info || catalogue.actionsFile === beside)) return catalogue.actions;
  if (file === undefined && catalogue.actions.length > 0)
    throw new IsmsKpiError(
      problem(
        'catalogue-schema',
        `corrective actions are both in ${catalogue.file} (actions:) and in ${shown}; keep them in one place`,
        { file: shown },
      ),
    );
  const text = await io.readText(absolute, MAX_CATALOGUE_BYTES).catch((error: unknown) => {
    throw new IsmsKpiError(
      fileProblem(error, shown, {
        missing: '--actions: not found',
        directory: 'is a folder, not an actions file',
        tooLarge: `the actions file is larger than ${MAX_CATALOGUE_BYTES / 1024 / 1024} MB`,
      }),
    );
  });
  const targets = actionTargets(catalogue.kpis.map((k) => k.config));
  const parsed: ActionsResult = /\.csv$/i.test(absolute)
    ? parseActionsCsv(text, shown, targets)
    : parseActionsYaml(text, shown, targets);
  if (!parsed.ok) throw new IsmsKpiError(parsed.problems);
  return parsed.actions;
}

/**
 * Judges the actions on the KPIs of `report` (an action on a KPI left out by --kpi and the like is left
 * out too) and puts the verdicts into it; returns the warnings.
 */
export function judgeActions(
  report: Report,
  actions: readonly Action[],
  history: readonly Report[],
  catalogue: Catalogue,
  setting: number | 'off' | undefined,
): Problem[] {
  const option = significanceOf(setting, catalogue);
  const reported = new Set(report.kpis.map((k) => k.id));
  const { verdicts, problems } = actionVerdicts(
    actions.filter((a) => reported.has(a.kpi)),
    report,
    history,
    {
      tz: report.period.timezone,
      fiscalYearStartMonth: catalogue.fiscalYearStart,
      significance: (before, after) => changeSignificance(before, after, option),
    },
  );
  report.actions = verdicts;
  return problems;
}

/** --significance, else the catalogue's `significance:`, else the default level (as `report` does). */
export function significanceOf(
  setting: number | 'off' | undefined,
  catalogue: Catalogue,
): SignificanceOption {
  const chosen = setting ?? catalogue.significance ?? DEFAULT_SIGNIFICANCE_LEVEL;
  return chosen === 'off' ? 'off' : { level: chosen };
}

export interface ActionsOptions extends PeriodOptions {
  /** --significance: a level (alpha) or 'off'. */
  significance?: number | 'off' | undefined;
  catalogue: string;
  history: string[];
  actions?: string | undefined;
  format: ActionsFormat;
}

/** The current report with the history and the actions' verdicts in it: for `actions` and `review`. */
export async function judgedReport(
  options: ActionsOptions | (Omit<ActionsOptions, 'format'> & { format?: string }),
  io: Io,
): Promise<{
  report: Report;
  history: Report[];
  catalogue: Catalogue;
  period: Period;
  actions: Action[];
  problems: Problem[];
}> {
  const problems: Problem[] = [];
  const saved = await readHistory(io, options.history);
  problems.push(...saved.problems);
  const result = await evaluate(
    { ...options, savedReports: saved.reports.map((r) => ({ period: r.period.label, kpis: r.kpis })) },
    io,
  );
  const { report, catalogue } = result;
  withHistory(report, saved.reports, catalogue);
  const actions = await loadActions(io, catalogue, options.actions);
  problems.push(...judgeActions(report, actions, saved.reports, catalogue, options.significance));
  return { report, history: saved.reports, catalogue, period: result.period, actions, problems };
}

export async function actionsCommand(options: ActionsOptions, io: Io): Promise<CommandResult> {
  const { report, problems, actions } = await judgedReport(options, io);
  if (actions.length === 0)
    throw new IsmsKpiError(
      problem(
        'usage',
        `no corrective actions: write them in ${ACTIONS_FILE} beside the catalogue, in an actions: block of the catalogue (or name their file there: actions: { file: FILE }), or give a file with --actions`,
      ),
    );
  return {
    stdout: ACTIONS_RENDERERS[options.format](report),
    problems,
    outcome: { command: 'done' },
  };
}
