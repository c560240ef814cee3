/**
 * `isms-kpi report --periods FIRST..LAST --output-dir DIR` (issue 19, "History from the exports you
 * already have"): one saved JSON report per period, `DIR/<period label>.json`, each the report
 * `report --period <label> --format json` gives, computed by the same use case (report()).
 *
 * Decisions (docs/report-format.md, "History from the exports you already have"):
 * - Events exports are read by time as for any period; a snapshot whose file for a period is missing
 *   (a `{period}` template with no file yet) gives that source's KPIs no data in that period's report
 *   instead of stopping the run: a backfill takes the snapshots that exist.
 * - The files are written all together or not at all (like every output); DIR is created if missing.
 * - --fail-on does not apply: a backfill exits 0 once written (2 on usage or input errors); judge a
 *   period with `report --period`.
 * - --periods takes the place of --period/--from/--to, and --output-dir of --output/--format/--evidence.
 */
import path from 'node:path';
import { IsmsKpiError, type Problem, problem } from '../problems.js';
import { periodRange } from '../time/period-range.js';
import { loadCatalogue } from './catalogue.js';
import type { Io } from './io.js';
import { type ReportOptions, report } from './report.js';
import type { CommandResult, Document } from './result.js';

export interface ReportPeriodsOptions extends ReportOptions {
  /** FIRST..LAST, e.g. 2025-Q1..2026-Q3. */
  periods?: string | undefined;
  /** The folder the reports are written to. */
  outputDir?: string | undefined;
}

/** The options --periods cannot be combined with, and why. */
function conflicts(options: ReportPeriodsOptions): string | undefined {
  if (options.period !== undefined) return '--periods and --period';
  if (options.from !== undefined || options.to !== undefined) return '--periods and --from/--to';
  if (options.output.length > 0) return '--output-dir and --output';
  if (options.format !== undefined) return '--output-dir and --format';
  if (options.evidence !== undefined) return '--output-dir and --evidence';
  if (options.oscalFindings) return '--output-dir and --oscal-findings';
  return undefined;
}

export async function reportPeriods(options: ReportPeriodsOptions, io: Io): Promise<CommandResult> {
  const { periods: range, outputDir, ...reportOptions } = options;
  if (range === undefined)
    throw new IsmsKpiError(
      problem(
        'usage',
        '--output-dir goes with --periods, e.g. --periods 2025-Q1..2026-Q3 --output-dir reports/',
      ),
    );
  if (outputDir === undefined)
    throw new IsmsKpiError(
      problem(
        'usage',
        '--periods writes one report per period: give the folder with --output-dir, e.g. --output-dir reports/',
      ),
    );
  const conflict = conflicts(options);
  if (conflict)
    throw new IsmsKpiError(
      problem(
        'usage',
        `${conflict} cannot be combined: --periods writes one JSON report per period into --output-dir`,
      ),
    );
  const catalogue = await loadCatalogue(io, options.catalogue, options.tz);
  const periods = periodRange(range, {
    tz: options.tz ?? catalogue.timezone,
    fiscalYearStartMonth: catalogue.fiscalYearStart,
  });
  if (!periods.ok) throw new IsmsKpiError(problem('usage', `--periods: ${periods.message}`));
  const folder = await io.stat(path.resolve(io.cwd, outputDir)).catch(() => undefined);
  if (folder && !folder.isDirectory)
    throw new IsmsKpiError(problem('output', 'is not a folder', { file: outputDir }));
  const files: Document[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const period of periods.periods) {
    const file = path.join(outputDir, `${period.label}.json`);
    const result = await report(
      { ...reportOptions, period: period.label, quiet: true, snapshotsOptional: true },
      [{ file, format: 'json' }],
      io,
    );
    files.push(...(result.files ?? []));
    // A warning about the catalogue or a saved report is the same for every period: shown once.
    for (const p of result.problems) {
      const key = JSON.stringify(p);
      if (!seen.has(key)) problems.push(p);
      seen.add(key);
    }
  }
  const first = periods.periods[0]!.label;
  const last = periods.periods.at(-1)!.label;
  const count = periods.periods.length;
  return {
    files,
    folders: [outputDir],
    problems,
    notes: options.quiet
      ? []
      : [`wrote ${count} ${count === 1 ? 'report' : 'reports'} to ${outputDir} (${first} to ${last})`],
    outcome: { command: 'done' },
  };
}
