/**
 * When was a snapshot taken? Its as-of instant decides whether it describes the period being reported;
 * a snapshot whose as-of is unknown describes no period, and the KPIs that read it are stale.
 *
 * The rules, first that applies wins (docs/catalogue.md, "As of"):
 *   1. `as_of_field`: the latest value of that datetime field in the file                 -> field
 *   2. `as_of: 2026-09-30` (or a date-time) in the catalogue                              -> catalogue
 *   3. `--as-of 2026-09-30` on the command line                                           -> command-line
 *   4. a period token in the path (`{period}`, `{quarter}`, ...): the end of the period the path names
 *      (the reported period, or with `one_file_per:` the unit holding its last day)          -> path
 *      (`as_of: period_end` says the same; the catalogue refuses it for a path without a token)
 *   5. exactly one date in the file name (src/time/file-name-date.ts): the end of that day -> file-name
 *   6. `as_of: file_modified`: the file's modification time (opt-in: a copy resets it)    -> file-modified
 * otherwise unknown. A date without a time means the end of that day in the catalogue's zone.
 */
import { periodTokensIn } from '../sources/resolve.js';
import type { AsOfSource } from '../sources/schema.js';
import { dateInFileName } from '../time/file-name-date.js';
import { parseIsoDateTime } from '../time/parse-datetime.js';

const DAY = 86_400_000;

export interface AsOfInput {
  /** The source's name, for the reason when the as-of is unknown. */
  name: string;
  /** `as_of` in the catalogue: a date, a date-time, `period_end` or `file_modified`. */
  asOf?: string | undefined;
  /** `as_of_field` in the catalogue. */
  asOfField?: string | undefined;
  /** The latest value of the as_of_field in the file (epoch ms); null when it has none. */
  fieldLatest: number | null;
  /** `--as-of` on the command line. */
  commandLine?: string | undefined;
  /** The path as the catalogue writes it, tokens unreplaced. */
  pathTemplate: string;
  /** The file's modification time (epoch ms), when known. */
  modified: number | null;
  /** The period being reported. */
  period: { end: number };
  /** The period the path names, when it is not the reported one (`one_file_per:`, path-template.ts). */
  pathPeriod?: { end: number } | undefined;
  /** Zone of dates without a time. */
  tz: string;
}

export interface SnapshotAsOf {
  /** Epoch ms; null when unknown. */
  instant: number | null;
  how: AsOfSource;
  /** Why it is unknown, in words (the KPIs' stale reason starts with it). */
  unknown?: string;
}

/** A catalogue or command-line date: a date is the end of that day, a date-time that instant. */
export function asOfInstant(text: string, tz: string): number {
  const start = parseIsoDateTime(text, tz);
  return /^\s*\d{4}-\d{2}-\d{2}\s*$/.test(text) ? start + DAY : start;
}

export function snapshotAsOf(input: AsOfInput): SnapshotAsOf {
  const { asOf, tz } = input;
  if (input.asOfField !== undefined && input.fieldLatest !== null)
    return { instant: input.fieldLatest, how: 'field' };
  if (asOf !== undefined && asOf !== 'period_end' && asOf !== 'file_modified') {
    const instant = asOfInstant(asOf, tz);
    if (!Number.isNaN(instant)) return { instant, how: 'catalogue' };
  }
  if (input.commandLine !== undefined) {
    const instant = asOfInstant(input.commandLine, tz);
    if (!Number.isNaN(instant)) return { instant, how: 'command-line' };
  }
  if (periodTokensIn(input.pathTemplate).length > 0)
    return { instant: (input.pathPeriod ?? input.period).end, how: 'path' };
  const named = dateInFileName(input.pathTemplate);
  if (named !== undefined) return { instant: asOfInstant(named, tz), how: 'file-name' };
  if (asOf === 'file_modified' && input.modified !== null)
    return { instant: input.modified, how: 'file-modified' };
  const unknown =
    input.asOfField !== undefined
      ? `as_of_field ${input.asOfField} is empty in every row of the ${input.name} snapshot`
      : asOf === 'file_modified'
        ? `the modification time of the ${input.name} snapshot's file cannot be read`
        : `nothing says when the ${input.name} snapshot was taken (no as_of_field, as_of, as-of date given for the run, {period} in its path or date in its file name)`;
  return { instant: null, how: 'unknown', unknown };
}
