/**
 * `isms-kpi validate`: the catalogue, then every source read on its own (so one broken export does not
 * hide the state of the others), with all problems as data for the table, JSON and GitHub renderers.
 */
import path from 'node:path';
import type { Catalogue } from '../catalogue/compile.js';
import { loadSources } from '../engine/run.js';
import { IsmsKpiError, type Problem } from '../problems.js';
import {
  VALIDATE_RENDERERS,
  type ValidatedSource,
  type ValidateFormat,
  type Validation,
} from '../render/validate.js';
import { displayPath } from '../util/display-path.js';
import { loadCatalogue } from './catalogue.js';
import { workerMode } from './evaluate.js';
import type { Io } from './io.js';
import { type PeriodOptions, resolvePeriod } from './request.js';
import type { CommandResult } from './result.js';

export interface ValidateOptions extends PeriodOptions {
  catalogue: string;
  maxProblems: number;
  format: ValidateFormat;
}

/**
 * The validation as data. A catalogue that cannot be loaded is an error (exit 2, `error:` lines), except
 * with `catalogueProblemsAsData`: then its problems are part of the result, for the JSON and GitHub
 * formats, which CI reads.
 */
export async function validation(
  options: ValidateOptions,
  io: Io,
  catalogueProblemsAsData = false,
): Promise<Validation> {
  let catalogue: Catalogue;
  try {
    catalogue = await loadCatalogue(io, options.catalogue, options.tz);
  } catch (error) {
    if (!(catalogueProblemsAsData && error instanceof IsmsKpiError)) throw error;
    const file = displayPath(path.resolve(io.cwd, options.catalogue), io.cwd);
    return {
      catalogue: { file, kpis: 0, sources: 0, problems: error.problems },
      period: null,
      sources: [],
      isValid: false,
    };
  }
  const period = resolvePeriod(catalogue, { ...options, now: io.now() });
  const sources: ValidatedSource[] = [];
  for (const name of catalogue.sources.keys()) {
    try {
      const loaded = (
        await loadSources(catalogue, [name], period, io.cwd, { workers: workerMode(io.env) })
      ).get(name)!;
      if ('missing' in loaded) {
        sources.push({ name, state: 'missing', missing: loaded.missing, problems: [], problemCount: 0 });
        continue;
      }
      const { stats } = loaded;
      sources.push({
        name,
        state: 'read',
        file: stats.file,
        kind: loaded.source.kind,
        rowsRead: stats.rowsRead,
        accepted: stats.accepted,
        rejected: stats.rejected,
        duplicates: stats.duplicates,
        warnings: stats.warnings,
        ...(stats.timeField ? { timeField: stats.timeField } : {}),
        minTime: stats.minTime,
        maxTime: stats.maxTime,
        problems: loaded.problems,
        problemCount: loaded.problemCount,
      });
    } catch (error) {
      if (!(error instanceof IsmsKpiError)) throw error;
      sources.push({ name, state: 'error', problems: error.problems, problemCount: error.problems.length });
    }
  }
  const isErrorFree = (problems: readonly Problem[]) => problems.every((p) => p.severity !== 'error');
  const isValid = sources.every(
    (s) => s.state !== 'error' && isErrorFree(s.problems) && (s.state !== 'read' || s.rejected === 0),
  );
  return {
    catalogue: {
      file: catalogue.file,
      kpis: catalogue.kpis.length,
      sources: catalogue.sources.size,
      problems: [],
    },
    period: { label: period.label, timezone: catalogue.timezone },
    sources,
    isValid,
  };
}

export async function validate(options: ValidateOptions, io: Io): Promise<CommandResult> {
  const result = await validation(options, io, options.format !== 'table');
  return {
    stdout: VALIDATE_RENDERERS[options.format](result, { maxProblems: options.maxProblems }),
    problems: [],
    outcome: { command: 'validate', isValid: result.isValid },
  };
}
