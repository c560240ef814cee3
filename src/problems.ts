/**
 * Expected failures are data, not exceptions: every problem has a closed code, a location and a
 * message. `formatProblem` is the one place that turns them into the one-line text users see: every part
 * made inert for a terminal (control characters and bidi overrides shown as escapes, src/text.ts), one
 * line, and cut short (a column name at twice QUOTE_MAX characters; a file name and the message at
 * MESSAGE_MAX).
 */
import { capMessage, MESSAGE_MAX, QUOTE_MAX, safeText, truncate } from './text.js';

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
  | 'file-changed'
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
  | 'ambiguous-date'
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
  // evidence packs: verify, report --previous, --sign, verify --key
  | 'not-a-pack'
  | 'key'
  // report --output FILE.pdf
  | 'browser'
  | 'usage'
  // resources
  | 'memory';

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

/** One part of a problem line: one line, inert, at most `max` characters. */
const part = (text: string, max: number) => safeText(truncate(text, max));

/**
 * `file:line: column "X": message`, with the record number when a quoted field spans lines. Every part
 * is one line of inert text (src/text.ts); the column is cut at twice QUOTE_MAX characters, the file
 * (a real path is rarely longer) and the message at MESSAGE_MAX.
 */
export function formatProblem(p: Problem): string {
  const { location: at } = p;
  let where = at.file === undefined ? '' : part(at.file, MESSAGE_MAX);
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
  if (at.kpi) parts.push(`kpi ${part(at.kpi, QUOTE_MAX)}`);
  if (at.column !== undefined) parts.push(`column "${part(at.column, 2 * QUOTE_MAX)}"`);
  parts.push(safeText(capMessage(p.message)));
  return parts.join(': ');
}

/** The lines shown under a problem's line (a formula with a caret): inert, each cut at MESSAGE_MAX. */
export function formatDetail(p: Problem): string[] {
  return (p.detail ?? []).map((line) => safeText(capMessage(line)));
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
