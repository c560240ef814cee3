/**
 * `isms-kpi review`: the management review input document (ISO/IEC 27001 9.3.2) for a period, from the
 * exports, the saved reports of earlier periods (--history), the corrective actions and the audit
 * findings register (--audits, else the catalogue's source with the audit-findings preset:
 * src/app/audit-source.ts). Markdown on stdout; --output FILE writes .md, .html or .pdf (the HTML
 * printed by a local Chromium or Chrome, as `report` prints one). Exit 0: the document is an input to a
 * meeting, not a gate.
 */
import path from 'node:path';
import { MAX_CATALOGUE_BYTES } from '../catalogue/parse.js';
import { buildReview } from '../diff/review.js';
import { IsmsKpiError, problem } from '../problems.js';
import { renderReviewHtml, renderReviewMarkdown } from '../render/review.js';
import { terminalSafe } from '../text.js';
import { displayPath } from '../util/display-path.js';
import { fileProblem } from '../util/file-problem.js';
import { judgedReport, significanceOf } from './actions.js';
import { parseAuditFindings } from './audit-findings.js';
import { auditsFromCatalogue } from './audit-source.js';
import { findBrowser } from './browser.js';
import type { Io } from './io.js';
import { checkOutputFolders } from './report.js';
import type { PeriodOptions } from './request.js';
import type { CommandResult, Document } from './result.js';

export interface ReviewOptions extends PeriodOptions {
  catalogue: string;
  history: string[];
  actions?: string | undefined;
  audits?: string | undefined;
  significance?: number | 'off' | undefined;
  output?: string | undefined;
  browser?: string | undefined;
  quiet?: boolean | undefined;
}

const OUTPUTS = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
} as const;

export async function review(options: ReviewOptions, io: Io): Promise<CommandResult> {
  // The output is checked before any work is done, as report's are.
  const extension = options.output === undefined ? undefined : path.extname(options.output).toLowerCase();
  const format = extension === undefined ? 'markdown' : OUTPUTS[extension as keyof typeof OUTPUTS];
  if (options.output !== undefined && !format)
    throw new IsmsKpiError(
      problem('usage', `--output ${options.output}: write the review to a .md, .html or .pdf file`),
    );
  if (options.output !== undefined) await checkOutputFolders(io, [options.output]);
  const browser = format === 'pdf' ? await findBrowser(io, options.browser, options.output!) : undefined;

  const given = options.audits === undefined ? undefined : await readAudits(io, options.audits);
  const { report, history, actions, problems, catalogue, period } = await judgedReport(options, io);
  // Without --audits: the catalogue's audit-findings source, read as the report reads its sources.
  const fromCatalogue = given ? undefined : await auditsFromCatalogue(catalogue, period, io.cwd);
  if (fromCatalogue) problems.push(...fromCatalogue.problems);
  const audits = given ?? fromCatalogue?.register;
  const doc = buildReview({
    report,
    history,
    ...(actions.length > 0 ? { actions: report.actions ?? [] } : {}),
    ...(audits ? { audits } : {}),
    significance: significanceOf(options.significance, catalogue),
  });
  const content = terminalSafe(format === 'markdown' ? renderReviewMarkdown(doc) : renderReviewHtml(doc));
  if (options.output === undefined) return { stdout: content, problems, outcome: { command: 'done' } };
  const file: Document = {
    file: options.output,
    content,
    ...(browser ? { printWith: { browser } } : {}),
  };
  return {
    files: [file],
    problems,
    notes: options.quiet ? [] : [`wrote ${options.output} (${format})`],
    outcome: { command: 'done' },
  };
}

async function readAudits(io: Io, file: string) {
  const absolute = path.resolve(io.cwd, file);
  const shown = displayPath(absolute, io.cwd);
  const text = await io.readText(absolute, MAX_CATALOGUE_BYTES).catch((error: unknown) => {
    throw new IsmsKpiError(
      fileProblem(error, shown, {
        missing: '--audits: not found',
        directory: 'is a folder, not an audit findings file',
        tooLarge: `the audit findings file is larger than ${MAX_CATALOGUE_BYTES / 1024 / 1024} MB`,
      }),
    );
  });
  return { file: shown, via: '--audits', rows: parseAuditFindings(text, shown) };
}
