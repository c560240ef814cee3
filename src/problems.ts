/**
 * Expected failures are data, not exceptions: every problem has a closed code, a location and a
 * message. `formatProblem` is the one place that turns them into the one-line text users see.
 */
export type ProblemCode =
  // files
  | 'file-missing'
  | 'file-is-directory'
  | 'not-a-file'
  | 'file-unreadable'
  | 'file-empty'
  | 'file-too-large'
  | 'undecodable'
  | 'nul-byte'
  // CSV / JSON structure
  | 'no-header'
  | 'unterminated-quote'
  | 'stray-quote'
  | 'ragged-row'
  | 'json-syntax'
  | 'json-not-array'
  | 'json-too-deep'
  | 'column-missing'
  | 'no-file-for-period'
  | 'duplicate-row'
  // values
  | 'bad-value'
  | 'required-missing'
  // catalogue and formulas
  | 'catalogue-syntax'
  | 'catalogue-schema'
  | 'formula-syntax'
  | 'formula-unknown'
  | 'formula-type'
  | 'formula-unsafe'
  | 'kpi-cycle'
  // saved reports (diff, trend, --baseline, --history)
  | 'not-a-report'
  | 'report-version'
  | 'no-reports'
  | 'duplicate-report'
  | 'incomplete-report'
  | 'output'
  | 'usage';

export type Severity = 'error' | 'warning';

export interface Location {
  /** File path as the user gave it (relative to the working directory where possible). */
  file?: string;
  /** 1-based physical line where the record starts. */
  line?: number;
  /** 1-based physical line where a multi-line record ends. */
  endLine?: number;
  /** 1-based data record number (the header is record 0). */
  record?: number;
  /** 1-based column of a catalogue position. */
  col?: number;
  /** Source column (header name) or JSON path. */
  column?: string;
  /** KPI id or source name the problem belongs to. */
  kpi?: string;
  source?: string;
}

export interface Problem {
  code: ProblemCode;
  severity: Severity;
  message: string;
  location: Location;
  /** Extra lines shown under the message (a formula with a caret, a list of close matches). */
  detail?: string[];
}

export function problem(
  code: ProblemCode,
  message: string,
  location: Location = {},
  severity: Severity = 'error',
  detail?: string[],
): Problem {
  return detail ? { code, severity, message, location, detail } : { code, severity, message, location };
}

/** `file:line: column "X": message`, with the record number when a quoted field spans lines. */
export function formatProblem(p: Problem): string {
  const { location: at } = p;
  let where = at.file ?? '';
  if (at.line !== undefined) {
    where += `:${at.line}`;
    if (at.col !== undefined) where += `:${at.col}`;
  }
  const parts: string[] = [];
  if (where) parts.push(where);
  if (at.record !== undefined && at.endLine !== undefined && at.endLine !== at.line) {
    parts.push(`record ${at.record} (lines ${at.line}-${at.endLine})`);
  } else if (at.record !== undefined && at.line === undefined) {
    parts.push(`record ${at.record}`);
  }
  if (at.kpi) parts.push(`kpi ${at.kpi}`);
  if (at.column !== undefined) parts.push(`column "${at.column}"`);
  parts.push(p.message);
  return parts.join(': ');
}

/** Thrown only to abort a run; the CLI catches it once and prints the problem. */
export class IsmsKpiError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem | Problem[]) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.map(formatProblem).join('\n'));
    this.name = 'IsmsKpiError';
    this.problems = list;
  }
}
