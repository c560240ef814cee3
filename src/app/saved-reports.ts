/**
 * Reading saved JSON reports for diff, trend, report --history and report --baseline. The files are read
 * through the Io; the one reader of their content is readReport (src/report/read.ts), so all four accept
 * and refuse the same files (a byte order mark or an unknown extra field is accepted).
 */
import path from 'node:path';
import { IsmsKpiError, type Problem, problem } from '../problems.js';
import type { Report } from '../report/model.js';
import { readReport } from '../report/read.js';
import { type FileWording, fileProblem } from '../util/file-problem.js';
import type { Io } from './io.js';

const isJsonName = (name: string) => name.toLowerCase().endsWith('.json');

/**
 * A saved report is read whole; this bounds the memory a file can take (a report of 50,000 KPIs with
 * their history is a few tens of MB), and keeps the text below V8's largest string.
 */
export const MAX_REPORT_BYTES = 256 * 1024 * 1024;

/** The text of a saved report (a regular file of at most MAX_REPORT_BYTES, in UTF-8). */
function readReportText(io: Io, file: string): Promise<string> {
  return io.readText(path.resolve(io.cwd, file), MAX_REPORT_BYTES);
}
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One saved report, `file` relative to io.cwd; a file that is not a report is an error. With a `prefix`
 * (`--baseline: `), every problem's message starts with it, whether the file could not be read or was
 * not a report (a missing file is worded by `wording.missing`, which names the option itself).
 */
export async function readReportFile(
  io: Io,
  file: string,
  wording: FileWording & { prefix?: string } = {},
): Promise<Report> {
  const prefixed = (p: Problem) => withPrefix(p, wording.prefix);
  const text = await readReportText(io, file).catch((error: unknown) => {
    throw new IsmsKpiError(prefixed(fileProblem(error, file, wording)));
  });
  const read = readReport(text, file);
  if (!read.ok) throw new IsmsKpiError(prefixed(read.problem));
  return read.report;
}

/** The problem with its message starting with `prefix` (once). */
function withPrefix(p: Problem, prefix: string | undefined): Problem {
  return prefix && !p.message.startsWith(prefix) ? { ...p, message: `${prefix}${p.message}` } : p;
}

/** The *.json files of a folder in name order, or a problem when the folder cannot be read. */
export async function jsonFilesIn(io: Io, dir: string, wording: FileWording = {}): Promise<string[]> {
  const entries = await io.readdir(path.resolve(io.cwd, dir)).catch((error: unknown) => {
    throw new IsmsKpiError(fileProblem(error, dir, wording));
  });
  return entries
    .map((e) => e.name)
    .filter(isJsonName)
    .sort(byName)
    .map((name) => path.join(dir, name));
}

/**
 * Why a saved report is no baseline and no history point, if it is not: its period had not ended when it
 * was computed (`period.complete: false`), so its values cover part of the period only.
 */
export function incompleteReason(report: Report): string | undefined {
  if (report.period.complete !== false) return undefined;
  return `${report.period.label} had not ended when this report was computed (${report.period.computedOn ?? 'day unknown'})`;
}

/** The warning for a report of an incomplete period that is left out: `why` ends the message. */
export function incompleteSkipped(file: string, prefix: string, reason: string, why: string): Problem {
  return problem(
    'incomplete-report',
    `${prefix}${reason}: an incomplete period is not ${why}`,
    { file },
    'warning',
  );
}

/**
 * Reports given with --history: files, or folders whose *.json reports are all read. A file named on the
 * command line must be a report; other JSON files in a folder are skipped with a warning, and so is a
 * report of a period that had not ended (incompleteReason).
 */
export async function readHistory(
  io: Io,
  paths: readonly string[],
): Promise<{ reports: Report[]; problems: Problem[] }> {
  const reports: Report[] = [];
  const problems: Problem[] = [];
  const wording = { missing: '--history: not found', prefix: '--history: ' };
  const add = (file: string, report: Report) => {
    const incomplete = incompleteReason(report);
    if (incomplete)
      problems.push(incompleteSkipped(file, 'skipped in --history: ', incomplete, 'a history point'));
    else reports.push(report);
  };
  for (const given of paths) {
    const info = await io.stat(path.resolve(io.cwd, given)).catch(() => undefined);
    if (!info?.isDirectory) {
      add(given, await readReportFile(io, given, wording));
      continue;
    }
    for (const file of await jsonFilesIn(io, given)) {
      const text = await readReportText(io, file).catch((error: unknown) => {
        throw new IsmsKpiError(withPrefix(fileProblem(error, file, wording), wording.prefix));
      });
      const read = readReport(text, file);
      if (read.ok) add(file, read.report);
      else problems.push(skipped(read.problem, 'skipped in --history: '));
    }
  }
  return { reports, problems };
}

/** A problem that made a file be left out, as a warning. */
export function skipped(p: Problem, prefix: string): Problem {
  return { ...p, severity: 'warning', message: `${prefix}${p.message}` };
}

/**
 * The saved reports of a folder for `trend`, one per period: of two reports of the same period the later
 * file name wins. Files that cannot be read, are not reports or report a period that had not ended are
 * skipped with a warning.
 */
export async function readReportFolder(
  io: Io,
  dir: string,
): Promise<{ reports: Report[]; problems: Problem[] }> {
  const files = await jsonFilesIn(io, dir, { missing: 'no such folder', notFolder: 'is not a folder' });
  const problems: Problem[] = [];
  const byPeriod = new Map<string, { file: string; report: Report }>();
  for (const file of files) {
    let text: string;
    try {
      text = await readReportText(io, file);
    } catch (error) {
      problems.push(skipped(fileProblem(error, file), 'skipped: '));
      continue;
    }
    const read = readReport(text, file);
    if (!read.ok) {
      problems.push(skipped(read.problem, 'skipped: '));
      continue;
    }
    const incomplete = incompleteReason(read.report);
    if (incomplete) {
      problems.push(incompleteSkipped(file, 'skipped: ', incomplete, 'a history point'));
      continue;
    }
    const key = `${read.report.period.start}/${read.report.period.end}`;
    const earlier = byPeriod.get(key);
    if (earlier)
      problems.push(
        problem(
          'duplicate-report',
          `skipped: ${file} reports the same period ${read.report.period.label}`,
          { file: earlier.file },
          'warning',
        ),
      );
    byPeriod.set(key, { file, report: read.report });
  }
  if (byPeriod.size === 0)
    // The skipped files come first, as warnings: they say why none of the files was a report.
    throw new IsmsKpiError([
      ...problems,
      problem('no-reports', 'no isms-kpi JSON reports in this folder', { file: dir }),
    ]);
  return { reports: [...byPeriod.values()].map((r) => r.report), problems };
}
