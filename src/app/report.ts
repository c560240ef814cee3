/**
 * `isms-kpi report`: evaluate the catalogue for a period and return the report in every format asked
 * for (stdout, --output files, the --evidence pack), with the outcome the exit policy judges.
 */
import path from 'node:path';
import type { Catalogue } from '../catalogue/compile.js';
import type { SourceProgress } from '../engine/run.js';
import type { FailOn } from '../engine/status.js';
import { type PackSink, writeEvidencePack } from '../evidence/write-pack.js';
import { IsmsKpiError, type Problem, problem } from '../problems.js';
import {
  FORMAT_EXTENSIONS,
  FORMATS,
  type Format,
  formatForFile,
  RENDERERS,
  type RenderOptions,
} from '../render/index.js';
import type { Report } from '../report/model.js';
import { plural } from '../report/numbers.js';
import { quote, terminalSafe } from '../text.js';
import { notAFileMessage } from '../util/file-problem.js';
import { judgeActions, loadActions } from './actions.js';
import { findBrowser } from './browser.js';
import { loadCatalogue } from './catalogue.js';
import { evaluate } from './evaluate.js';
import { previousRecord, readPackExtras, signPack } from './evidence-options.js';
import type { Io } from './io.js';
import { checkOscalFindings, OscalContext } from './report-oscal.js';
import { evidencePseudonymiser } from './report-pseudonymise.js';
import type { PeriodOptions } from './request.js';
import type { CommandResult } from './result.js';
import { incompleteReason, incompleteSkipped, readHistory, readReportFile } from './saved-reports.js';
import { withHistory } from './with-history.js';

export { addPersistence } from './with-history.js';

export interface ReportOptions extends PeriodOptions {
  catalogue: string;
  /** `pdf` is refused: a PDF is written with --output only. */
  format?: Format | 'pdf' | undefined;
  /** The Chromium or Chrome that prints .pdf outputs (else ISMS_KPI_BROWSER, else PATH). */
  browser?: string | undefined;
  output: string[];
  /** Folder for the audit evidence pack. */
  evidence?: string | undefined;
  /** The previous pack's manifest.json (or folder), recorded in the new manifest (src/app/evidence-options.ts). */
  previous?: string | undefined;
  /** The Ed25519 private key (PKCS#8 PEM) that signs the pack's manifest.json. */
  sign?: string | undefined;
  /** --pseudonymise: personal fields of the pack as keyed pseudonyms (src/evidence/pseudonymise.ts). */
  pseudonymise?: boolean | undefined;
  /** The pseudonym key's file (else ISMS_KPI_PSEUDONYM_KEY). */
  pseudonymKeyFile?: string | undefined;
  /** Earlier saved JSON reports (files or folders), for the trend lines of the HTML report. */
  history: string[];
  baseline?: string | undefined;
  /** The corrective actions file (else actions.yaml beside the catalogue, else its `actions:` block). */
  actions?: string | undefined;
  kpi: string[];
  owner?: string | undefined;
  tag: string[];
  control: string[];
  failOn: FailOn;
  timestamp?: boolean | undefined;
  /** --oscal-findings: a finding per Annex A control in the OSCAL output (src/render/oscal.ts). */
  oscalFindings?: boolean | undefined;
  quiet?: boolean | undefined;
  /** Colours in the table printed to stdout. */
  color: boolean;
  /** --width: characters per line of the table format, on stdout and in .txt files. */
  width?: number | undefined;
  /** The terminal's width (the table on stdout when there is no --width). */
  terminalWidth?: number | undefined;
  onProgress?: ((progress: SourceProgress) => void) | undefined;
  /** report --periods: a snapshot with no file for the period gives its KPIs no data (src/app/report-periods.ts). */
  snapshotsOptional?: boolean | undefined;
  /** --significance: the level (alpha) or 'off' (default: the catalogue's, else 0.05). */
  significance?: number | 'off' | undefined;
  /** --intervals: values with their confidence intervals in the table, Markdown and HTML. */
  intervals?: boolean | undefined;
}

export interface OutputTarget {
  file: string;
  /** `pdf`: the HTML report, printed by `browser`. */
  format: Format | 'pdf';
  browser?: string;
}

const PDF_EXTENSION = '.pdf';

/**
 * The --output files with their formats, checked before any work is done: a known extension, outside
 * the --evidence folder (which is replaced as a whole), in a folder that exists.
 */
export async function reportTargets(
  options: Pick<ReportOptions, 'output' | 'evidence' | 'format' | 'browser' | 'oscalFindings'>,
  io: Io,
): Promise<OutputTarget[]> {
  if (options.format === 'pdf')
    throw new IsmsKpiError(
      problem(
        'usage',
        '--format pdf: a PDF is not written to standard output (it is binary); write it to a file with --output report.pdf',
      ),
    );
  const targets: OutputTarget[] = options.output.map((file) => {
    if (file.toLowerCase().endsWith(PDF_EXTENSION)) return { file, format: 'pdf' };
    const format = formatForFile(file);
    if (!format) {
      const known = [...FORMATS.map((f) => `${FORMAT_EXTENSIONS[f][0]} (${f})`), '.pdf (pdf)'].join(', ');
      throw new IsmsKpiError(
        problem('usage', `--output ${file}: cannot tell the format from the extension; use one of ${known}`),
      );
    }
    return { file, format };
  });
  checkOscalFindings(
    options,
    targets.map((t) => t.format),
  );
  for (const target of targets)
    if (target.format === 'pdf') target.browser = await findBrowser(io, options.browser, target.file);
  if (options.evidence !== undefined) {
    const evidence = path.resolve(io.cwd, options.evidence);
    for (const { file } of targets) {
      const relative = path.relative(evidence, path.resolve(io.cwd, file));
      const isOutside =
        relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
      if (!isOutside)
        throw new IsmsKpiError(
          problem('usage', `--output ${file} is inside the --evidence folder; write it elsewhere`),
        );
    }
  }
  await checkOutputFolders(
    io,
    targets.map((t) => t.file),
  );
  return targets;
}

/** Every file can be written: its folder exists and it is not itself a folder. */
export async function checkOutputFolders(io: Io, files: readonly string[]): Promise<void> {
  for (const file of files) {
    const absolute = path.resolve(io.cwd, file);
    const folder = path.dirname(file);
    const info = await io.stat(path.dirname(absolute)).catch(() => undefined);
    if (!info)
      throw new IsmsKpiError(
        problem('output', `folder "${folder}" does not exist; create it first`, { file }),
      );
    if (!info.isDirectory) throw new IsmsKpiError(problem('output', `"${folder}" is not a folder`, { file }));
    const target = await io.stat(absolute).catch(() => undefined);
    if (target?.isDirectory)
      throw new IsmsKpiError(problem('output', 'is a folder; give a file name', { file }));
    // A named pipe, a device or a socket is never replaced by a report (checked again when writing).
    if (target?.special)
      throw new IsmsKpiError(problem('output', notAFileMessage(target.special, 'replaced'), { file }));
  }
}

export async function report(
  options: ReportOptions,
  targets: readonly OutputTarget[],
  io: Io,
): Promise<CommandResult> {
  const problems: Problem[] = [];
  const packExtras = await readPackExtras(options, io);
  const pseudonymiser = await evidencePseudonymiser(options, io);
  const saved = await readHistory(io, options.history);
  problems.push(...saved.problems);
  const baseline = await readBaseline(options.baseline, io, problems);
  const filter = await kpiFilter(options, io);
  const isEvidence = options.evidence !== undefined;
  const { timestamp, ...rest } = options;
  const result = await evaluate(
    {
      ...rest,
      ...(filter ? { kpis: filter.ids, loadedCatalogue: filter.catalogue } : {}),
      // The evidence pack lists the rows behind each KPI (their fields are read again when it is written).
      ...(isEvidence ? { trace: true } : {}),
      ...(timestamp ? { timestamp: new Date(io.now()).toISOString() } : {}),
      ...(baseline ? { baselineReport: { period: baseline.period.label, kpis: baseline.kpis } } : {}),
      // The saved report of the previous period (if given) is what the trend verdicts compare with.
      savedReports: saved.reports.map((r) => ({ period: r.period.label, kpis: r.kpis })),
    },
    io,
  );
  const { report } = result;
  const previous = previousRecord(packExtras, report.period);
  const controlWarning = catalogueWarningOnce(result.catalogue.warnings);
  if (controlWarning) problems.push(controlWarning);
  const history = withHistory(report, saved.reports, result.catalogue);
  const actions = await loadActions(io, result.catalogue, options.actions);
  if (actions.length > 0)
    problems.push(...judgeActions(report, actions, saved.reports, result.catalogue, options.significance));
  const renderOptions: RenderOptions = {
    color: false,
    failOn: options.failOn,
    ...(options.width !== undefined ? { width: options.width } : {}),
    ...(history ? { history } : {}),
    ...(options.intervals ? { intervals: true } : {}),
  };
  const oscal = new OscalContext(io.cwd, options.catalogue, options.evidence, options.oscalFindings === true);
  const render = (format: Format, file: string | undefined, extra: Partial<RenderOptions> = {}) =>
    RENDERERS[format](report, {
      ...renderOptions,
      ...(format === 'oscal' ? { oscal: oscal.optionsFor(file) } : {}),
      ...extra,
    });
  // The OSCAL document lists the evidence pack's files with their sha256: rendered once the pack is written.
  const isLate = (format: Format | 'pdf') => isEvidence && format === 'oscal';
  // terminalSafe: the last guard of every report file (src/text.ts); a JSON file reads back unchanged.
  const document = ({ file, format, browser }: OutputTarget) =>
    format === 'pdf'
      ? {
          file,
          content: terminalSafe(RENDERERS.html(report, renderOptions)),
          printWith: { browser: browser! },
        }
      : { file, content: terminalSafe(render(format, file)) };
  const files = targets.filter((t) => !isLate(t.format)).map(document);
  const isStdout = (targets.length === 0 && !isEvidence) || options.format !== undefined;
  const format = options.format === undefined || options.format === 'pdf' ? 'table' : options.format;
  const notes: string[] = [];
  if (!isStdout && !options.quiet) for (const t of targets) notes.push(`wrote ${t.file} (${t.format})`);
  if (isEvidence && !options.quiet)
    notes.push(
      `wrote ${pseudonymiser ? 'pseudonymised ' : ''}evidence pack ${options.evidence} (${report.kpis.length} KPIs, ${report.sources.length} sources${previous ? `; follows the pack of ${previous.period}` : ''}${packExtras?.signingKey ? '; signed' : ''})`,
    );
  const colour = options.color && format === 'table';
  const stdoutText = () =>
    render(format, undefined, { color: colour, width: options.width ?? options.terminalWidth });
  const lateStdout = isStdout && isLate(format);
  return {
    ...(isStdout ? { ...(lateStdout ? {} : { stdout: stdoutText() }), colour } : {}),
    files,
    ...(lateStdout || targets.some((t) => isLate(t.format))
      ? {
          afterEvidence: () => ({
            files: targets.filter((t) => isLate(t.format)).map(document),
            ...(lateStdout ? { stdout: stdoutText() } : {}),
          }),
        }
      : {}),
    ...(options.evidence !== undefined
      ? {
          evidence: {
            dir: options.evidence,
            write: async (sink: PackSink) => {
              const manifest = await writeEvidencePack(
                {
                  report,
                  catalogue: result.catalogue,
                  sources: result.sources,
                  traces: result.evaluation.traces,
                  previous,
                  ...(pseudonymiser ? { pseudonymiser } : {}),
                },
                sink,
              );
              if (packExtras?.signingKey) signPack(sink, packExtras.signingKey);
              oscal.packWritten(manifest, sink);
              return manifest;
            },
          },
        }
      : {}),
    problems,
    notes,
    outcome: { command: 'report', kpis: report.kpis, failOn: options.failOn },
  };
}

/**
 * The catalogue's warnings (control references outside Annex A 2022) as one line on standard error: the
 * first, located, and how many more; `validate` and `audit-catalogue` list each of them.
 */
function catalogueWarningOnce(warnings: readonly Problem[]): Problem | undefined {
  const [first, ...more] = warnings;
  if (!first || more.length === 0) return first;
  return {
    ...first,
    message: `${first.message} (and ${plural(more.length, 'more control reference')} like it; isms-kpi validate lists them)`,
  };
}

/** The --baseline report, unless its period had not ended when it was computed (then a warning says so). */
async function readBaseline(
  file: string | undefined,
  io: Io,
  problems: Problem[],
): Promise<Report | undefined> {
  if (file === undefined) return undefined;
  const baseline = await readReportFile(io, file, {
    missing: '--baseline: not found',
    prefix: '--baseline: ',
  });
  const incomplete = incompleteReason(baseline);
  if (!incomplete) return baseline;
  problems.push(incompleteSkipped(file, 'not used as --baseline: ', incomplete, 'a baseline'));
  return undefined;
}

/** --kpi, --owner, --tag and --control narrow the report; all given filters must match. */
async function kpiFilter(
  options: ReportOptions,
  io: Io,
): Promise<{ ids: Set<string>; catalogue: Catalogue } | undefined> {
  if (options.kpi.length === 0 && !options.owner && options.tag.length === 0 && options.control.length === 0)
    return undefined;
  const catalogue = await loadCatalogue(io, options.catalogue, options.tz);
  const known = new Set(catalogue.kpis.map((k) => k.config.id));
  for (const id of options.kpi) {
    if (!known.has(id))
      throw new IsmsKpiError(problem('usage', `--kpi: unknown KPI ${quote(id)}; see isms-kpi list`));
  }
  const lower = (s: string) => s.toLowerCase();
  const selected = catalogue.kpis.filter((k) => {
    const c = k.config;
    if (options.kpi.length > 0 && !options.kpi.includes(c.id)) return false;
    // A retired KPI is reported only when named with --kpi.
    if (c.lifecycle === 'retired' && !options.kpi.includes(c.id)) return false;
    if (options.owner && !lower(c.owner).includes(lower(options.owner))) return false;
    if (
      options.tag.length > 0 &&
      !options.tag.some((t) => c.tags.map(lower).includes(lower(t)) || lower(c.area ?? '') === lower(t))
    )
      return false;
    if (
      options.control.length > 0 &&
      !options.control.some((ctl) =>
        c.controls.some((x) => lower(x) === lower(ctl) || lower(x).startsWith(`${lower(ctl)}.`)),
      )
    )
      return false;
    return true;
  });
  if (selected.length === 0)
    throw new IsmsKpiError(problem('usage', 'no KPI matches the filters (--kpi, --owner, --tag, --control)'));
  return { ids: new Set(selected.map((k) => k.config.id)), catalogue };
}
