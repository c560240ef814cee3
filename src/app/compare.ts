/** `isms-kpi diff OLD NEW` and `isms-kpi trend DIR`: saved reports in, a comparison or a matrix out. */
import { DEFAULT_TOLERANCE, diffReports, isRegression } from '../diff/compare.js';
import { buildTrend } from '../diff/trend.js';
import { DIFF_RENDERERS, type DiffFormat } from '../render/diff.js';
import { TREND_RENDERERS, type TrendFormat } from '../render/trend.js';
import type { Io } from './io.js';
import type { CommandResult } from './result.js';
import { readReportFile, readReportFolder } from './saved-reports.js';

export interface DiffOptions {
  format: DiffFormat;
  tolerance?: number | undefined;
  failOnRegression?: boolean | undefined;
  strict?: boolean | undefined;
  /** --significance: the level (alpha) changes are tested at, or 'off'; default 0.05. */
  significance?: number | 'off' | undefined;
}

const REPORT_FILE = { missing: 'no such file', directory: 'is a folder, not a report' };

export async function diff(
  oldFile: string,
  newFile: string,
  options: DiffOptions,
  io: Io,
): Promise<CommandResult> {
  const older = await readReportFile(io, oldFile, REPORT_FILE);
  const newer = await readReportFile(io, newFile, REPORT_FILE);
  const result = diffReports(older, newer, {
    tolerance: options.tolerance ?? DEFAULT_TOLERANCE,
    ...(options.significance !== undefined
      ? { significance: options.significance === 'off' ? 'off' : { level: options.significance } }
      : {}),
  });
  return {
    stdout: DIFF_RENDERERS[options.format](result),
    problems: [],
    outcome: {
      command: 'diff',
      isRegression: isRegression(result, {
        ...(options.failOnRegression ? { failOnRegression: true } : {}),
        ...(options.strict ? { strict: true } : {}),
      }),
    },
  };
}

export async function trend(dir: string, options: { format: TrendFormat }, io: Io): Promise<CommandResult> {
  const { reports, problems } = await readReportFolder(io, dir);
  return {
    stdout: TREND_RENDERERS[options.format](buildTrend(reports)),
    problems,
    outcome: { command: 'done' },
  };
}
