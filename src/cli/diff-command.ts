/** `diff` and `trend`: read saved JSON reports, compare them, print. Input problems abort with exit 2. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_TOLERANCE, diffExitCode, diffReports } from '../diff/compare.js';
import { buildTrend } from '../diff/trend.js';
import { IsmsKpiError, problem } from '../problems.js';
import { DIFF_RENDERERS, type DiffFormat } from '../render/diff.js';
import { TREND_RENDERERS, type TrendFormat } from '../render/trend.js';
import type { Report } from '../report/model.js';
import { asReport, schemaMismatch, schemaVersionOf } from '../report/read.js';
import { EXIT_OK } from './exit-code.js';
import { err, out } from './output.js';

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new IsmsKpiError(problem('file-missing', 'no such file', { file }));
    if (code === 'EISDIR')
      throw new IsmsKpiError(problem('file-is-directory', 'is a folder, not a report', { file }));
    throw new IsmsKpiError(problem('file-unreadable', `cannot read: ${(error as Error).message}`, { file }));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new IsmsKpiError(problem('json-syntax', `not valid JSON: ${(error as Error).message}`, { file }));
  }
}

export interface DiffOptions {
  format: DiffFormat;
  tolerance?: number;
  failOnRegression?: boolean;
  strict?: boolean;
}

export async function diffCommand(oldFile: string, newFile: string, options: DiffOptions): Promise<number> {
  const data = [await readJson(oldFile), await readJson(newFile)] as const;
  const files = [oldFile, newFile] as const;
  const versions = data.map((d, i) => {
    const v = schemaVersionOf(d);
    if (typeof v === 'string') throw new IsmsKpiError(problem('bad-value', v, { file: files[i]! }));
    return v;
  });
  const mismatch = schemaMismatch(versions[0]!, versions[1]!);
  if (mismatch) throw new IsmsKpiError(problem('usage', mismatch));
  const reports = data.map((d, i) => {
    const r = asReport(d);
    if (typeof r === 'string') throw new IsmsKpiError(problem('bad-value', r, { file: files[i]! }));
    return r;
  });
  const diff = diffReports(reports[0]!, reports[1]!, { tolerance: options.tolerance ?? DEFAULT_TOLERANCE });
  out(DIFF_RENDERERS[options.format](diff));
  return diffExitCode(diff, options);
}

export async function trendCommand(dir: string, options: { format: TrendFormat }): Promise<number> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.json')).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new IsmsKpiError(
      problem(
        code === 'ENOENT' ? 'file-missing' : 'file-unreadable',
        code === 'ENOENT'
          ? 'no such folder'
          : code === 'ENOTDIR'
            ? 'is not a folder'
            : 'cannot read the folder',
        { file: dir },
      ),
    );
  }
  // Keyed by period: of two reports of the same period the later file name wins, with a warning.
  const byPeriod = new Map<string, { file: string; report: Report }>();
  for (const name of names) {
    const file = path.join(dir, name);
    let data: unknown;
    try {
      data = await readJson(file);
    } catch (error) {
      if (!(error instanceof IsmsKpiError)) throw error;
      err(`warning: skipped ${file}: ${error.problems[0]!.message}`);
      continue;
    }
    const report = asReport(data);
    if (typeof report === 'string') {
      err(`warning: skipped ${file}: ${report}`);
      continue;
    }
    const key = `${report.period.start}/${report.period.end}`;
    const earlier = byPeriod.get(key);
    if (earlier)
      err(`warning: skipped ${earlier.file}: ${file} reports the same period ${report.period.label}`);
    byPeriod.set(key, { file, report });
  }
  const reports = [...byPeriod.values()].map((r) => r.report);
  if (reports.length === 0)
    throw new IsmsKpiError(problem('file-missing', 'no isms-kpi JSON reports in this folder', { file: dir }));
  out(TREND_RENDERERS[options.format](buildTrend(reports)));
  return EXIT_OK;
}
