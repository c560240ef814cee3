/**
 * `isms-kpi validate`: the catalogue, then every source read and judged on its own (so one broken export
 * does not hide the state of the others; they are read side by side through report's intake), with all
 * problems as data for the table, JSON and GitHub renderers.
 *
 * The verdict (decided in issue 14; the exit policy maps it to 0, 1, 2): a catalogue that does not load
 * is a catalogue error (2). Each export is judged on its own: it has a data problem (1) when it cannot be
 * read (missing, unreadable, a required column absent), has a short row (fewer cells than the header:
 * fields without values), or has more rejected rows than --max-rejected allows it (none by default;
 * a row with extra non-empty cells is rejected). Other warnings are listed but pass: a missing
 * optional column (presets map every column a vendor's export may have, and an export of another
 * version or configuration lacks some of them; formulas use coalesce() across such alternatives),
 * trailing empty cells (Excel's `a,b,c,`), and a stray quote in a value that was still read. A missing
 * optional column that no KPI reads (not in a formula, segment, time, as-of or key) is no warning at all
 * (issue 17): one info line per source lists them, so a default vendor export validates quietly.
 * --catalogue-only reads no export, so it can only be valid or a catalogue error.
 * A catalogue that loads with warnings (a control reference that is not an ISO/IEC 27001:2022 Annex A
 * control, src/catalogue/programme-checks.ts) has them listed as `warning:` lines; like the exports'
 * other warnings they pass (exit 0): exit 1 stays for data problems, 2 for a catalogue that does not
 * load. `audit-catalogue` is the command that fails (1) on them.
 */
import path from 'node:path';
import type { Catalogue } from '../catalogue/compile.js';
import { loadSources, missingSourceText, type SourceProgress } from '../engine/run.js';
import { IsmsKpiError, type Problem, problem } from '../problems.js';
import {
  allowedRejected,
  type RejectedTolerance,
  VALIDATE_RENDERERS,
  type ValidatedSource,
  type ValidateFormat,
  type Validation,
} from '../render/validate.js';
import { sourcePath } from '../sources/resolve.js';
import { displayPath } from '../util/display-path.js';
import { loadCatalogue } from './catalogue.js';
import { rangeCount, workerMode } from './evaluate.js';
import type { Io } from './io.js';
import { type PeriodOptions, resolvePeriod } from './request.js';
import type { CommandResult } from './result.js';

export interface ValidateOptions extends PeriodOptions {
  catalogue: string;
  maxProblems: number;
  format: ValidateFormat;
  /** Rejected rows tolerated per source before the verdict is a data problem. */
  maxRejected?: RejectedTolerance | undefined;
  /** Check the catalogue (schema, presets, formulas) without reading any export. */
  catalogueOnly?: boolean | undefined;
  /** Called while exports are read (the CLI shows it on a terminal, as for report). */
  onProgress?: ((progress: SourceProgress) => void) | undefined;
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
  if (options.catalogueOnly && options.maxRejected)
    throw new IsmsKpiError(
      problem('usage', '--max-rejected is about rows of exports; --catalogue-only reads none'),
    );
  const maxRejected = options.maxRejected ?? null;
  const catalogueOnly = options.catalogueOnly === true;
  let catalogue: Catalogue;
  try {
    catalogue = await loadCatalogue(io, options.catalogue, options.tz);
  } catch (error) {
    if (!(catalogueProblemsAsData && error instanceof IsmsKpiError)) throw error;
    const file = displayPath(path.resolve(io.cwd, options.catalogue), io.cwd);
    return {
      catalogue: { file, kpis: 0, sources: 0, problems: error.problems },
      period: null,
      catalogueOnly,
      maxRejected,
      sources: [],
      verdict: 'catalogue-error',
      isValid: false,
    };
  }
  const period = resolvePeriod(catalogue, { ...options, now: io.now() });
  const sources = catalogueOnly
    ? []
    : await validateSources(catalogue, period, maxRejected, io, options.onProgress);
  const isValid = sources.every((s) => s.isValid);
  return {
    catalogue: {
      file: catalogue.file,
      kpis: catalogue.kpis.length,
      sources: catalogue.sources.size,
      problems: catalogue.warnings,
    },
    period: { label: period.label, timezone: catalogue.timezone },
    catalogueOnly,
    maxRejected,
    sources,
    verdict: isValid ? 'valid' : 'data-problems',
    isValid,
  };
}

/**
 * Every source of the catalogue read and judged on its own (one that cannot be read does not hide the
 * others), through the same intake as report: side by side, large files in worker threads and split
 * into ranges, only the fields validation needs stored (every field is still checked on every row).
 */
async function validateSources(
  catalogue: Catalogue,
  period: ReturnType<typeof resolvePeriod>,
  maxRejected: RejectedTolerance | null,
  io: Io,
  onProgress: ((progress: SourceProgress) => void) | undefined,
): Promise<ValidatedSource[]> {
  const failed = new Map<string, Problem[]>();
  const names = [...catalogue.sources.keys()];
  const loaded = await loadSources(catalogue, names, period, io.cwd, {
    workers: workerMode(io.env),
    cores: io.cpuCount,
    ranges: rangeCount(io.env),
    // Stores only the time and as-of fields (which every source stores), and checks every field.
    keep: new Map(),
    checkAll: true,
    onProgress,
    onFailed: (name, problems) => failed.set(name, problems),
  });
  return names.map((name): ValidatedSource => {
    const problems = failed.get(name);
    if (problems) return { name, state: 'error', problems, problemCount: problems.length, isValid: false };
    const source = loaded.get(name)!;
    if ('missing' in source) {
      // On the terminal, relative to the working directory like every other path validate prints.
      const shown = displayPath(sourcePath(catalogue.sources.get(name)!, period), io.cwd);
      return {
        name,
        state: 'missing',
        missing: missingSourceText(shown, name),
        problems: [],
        problemCount: 0,
        isValid: true,
      };
    }
    const { stats } = source;
    const allowed = allowedRejected(maxRejected, stats.rowsRead);
    return {
      name,
      state: 'read',
      file: stats.file,
      kind: source.source.kind,
      rowsRead: stats.rowsRead,
      accepted: stats.accepted,
      rejected: stats.rejected,
      allowedRejected: allowed,
      duplicates: stats.duplicates,
      warnings: stats.warnings,
      dataWarnings: stats.dataWarnings,
      emptyFields: source.emptyFields,
      unusedAbsent: source.unusedAbsentFields.map((field) => ({
        field,
        column: source.source.fields.find((f) => f.name === field)?.column ?? field,
      })),
      ...(stats.timeField ? { timeField: stats.timeField } : {}),
      minTime: stats.minTime,
      maxTime: stats.maxTime,
      problems: source.problems,
      problemCount: source.problemCount,
      // Every error of a readable export rejects its row, so rejected rows and the warnings that mean
      // values are missing or misplaced (short rows) are the findings. Other warnings (a missing
      // optional column, trailing empty cells, a stray quote in a value that was still read) are listed.
      isValid: stats.rejected <= allowed && stats.dataWarnings === 0,
    };
  });
}

export async function validate(options: ValidateOptions, io: Io): Promise<CommandResult> {
  const result = await validation(options, io, options.format !== 'table');
  return {
    stdout: VALIDATE_RENDERERS[options.format](result, { maxProblems: options.maxProblems }),
    problems: [],
    outcome: { command: 'validate', verdict: result.verdict },
  };
}
