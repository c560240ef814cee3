/**
 * The result of `isms-kpi validate` as a terminal text, as JSON (the same data, for programs), and as
 * GitHub Actions workflow commands (`::error file=F,line=L,col=C::message`), which the Actions log shows
 * as annotations on the lines of the files. docs/ci-recipes.md documents the JSON shape and an example.
 * Names, files and problems are made inert (safeText, formatProblem); the JSON is jsonText, with each
 * problem's message cut as formatProblem cuts it.
 */
import { formatDetail, formatProblem, type Problem } from '../problems.js';
import type { SourceStats } from '../sources/load-source.js';
import { capMessage, jsonText, QUOTE_MAX, quote, safeText, truncate } from '../text.js';
import { localDate } from '../time/zone.js';
import { formatCount, plural } from './format.js';

/** One line of inert text (src/text.ts). */
const t = (text: string) => safeText(text);

interface SourceBase {
  name: string;
  /** The problems kept (the first ones, in file order), errors and warnings. */
  problems: Problem[];
  /** All problems found, including those not kept. */
  problemCount: number;
  /** No data problem: readable, no warning, and no more rejected rows than --max-rejected allows. */
  isValid: boolean;
}

export type ValidatedSource =
  /** Read: its counts, and the earliest and latest time of its accepted rows (epoch ms, events only). */
  | (SourceBase & {
      state: 'read';
      kind: 'events' | 'snapshot';
      /** Rejected rows tolerated in this source (--max-rejected; 0 without it). */
      allowedRejected: number;
      /** Optional fields whose column is not in the header: empty for every row, a warning but no data problem. */
      emptyFields: string[];
      /** The empty fields no KPI reads: an info line, not a warning (the catalogue does not need them). */
      unusedAbsent: { field: string; column: string }[];
    } & Pick<
        SourceStats,
        | 'file'
        | 'rowsRead'
        | 'accepted'
        | 'rejected'
        | 'duplicates'
        | 'warnings'
        | 'dataWarnings'
        | 'timeField'
        | 'minTime'
        | 'maxTime'
      >)
  /** An optional source whose file is absent. */
  | (SourceBase & { state: 'missing'; missing: string })
  /** The source could not be read at all; its problems say why. */
  | (SourceBase & { state: 'error' });

/** What validate found; the exit policy maps it to 0, 1 and 2. */
export type ValidateVerdict = 'valid' | 'data-problems' | 'catalogue-error';

/** --max-rejected: rejected rows tolerated per source, as a number of rows or a percentage of the rows read. */
export type RejectedTolerance = { rows: number } | { percent: number };

export interface Validation {
  /** With the problems that stopped it from loading (then there are no sources and no period). */
  catalogue: { file: string; kpis: number; sources: number; problems: Problem[] };
  period: { label: string; timezone: string } | null;
  /** --catalogue-only: no export was read. */
  catalogueOnly: boolean;
  maxRejected: RejectedTolerance | null;
  sources: ValidatedSource[];
  verdict: ValidateVerdict;
  /** The verdict is valid: the catalogue loads and no source has a data problem. */
  isValid: boolean;
}

export interface ValidateRenderOptions {
  /** Problems listed by the table and GitHub formats (JSON lists every problem kept). */
  maxProblems: number;
}

/** Rejected rows a source may have under --max-rejected: N rows, or P % of its rows read (rounded down). */
export function allowedRejected(tolerance: RejectedTolerance | null, rowsRead: number): number {
  if (!tolerance) return 0;
  if ('rows' in tolerance) return tolerance.rows;
  // The epsilon keeps 3 % of 100 rows at 3 despite 0.03 * 100 = 3.0000000000000004 and its kin.
  return Math.floor((tolerance.percent * rowsRead) / 100 + 1e-9);
}

/** The option as the user wrote it: `5` or `2%`. */
export function toleranceText(tolerance: RejectedTolerance): string {
  return 'rows' in tolerance ? String(tolerance.rows) : `${tolerance.percent}%`;
}

/** What is wrong with one source, in a few words; empty when nothing is. */
function sourceFindings(s: ValidatedSource): string[] {
  if (s.state === 'error') return ['cannot be read'];
  if (s.state === 'missing') return [];
  const findings: string[] = [];
  if (s.rejected > s.allowedRejected) findings.push(plural(s.rejected, 'rejected row'));
  if (s.dataWarnings > 0) findings.push(plural(s.dataWarnings, 'short row'));
  return findings;
}

/**
 * The verdict, and for data problems the ways out: a hint that names what the user can actually do
 * (rejected rows are already left out of every KPI by default; that is not a remedy).
 */
function verdictLines(v: Validation): string[] {
  if (v.verdict === 'catalogue-error') return ['validation failed (exit 2): the catalogue does not load'];
  if (v.verdict === 'valid') {
    if (v.catalogueOnly) return ['catalogue valid; exports not read (--catalogue-only)'];
    const tolerated = v.sources.filter((s) => s.state === 'read' && s.rejected > 0);
    if (tolerated.length === 0 || !v.maxRejected) return ['validation passed'];
    const total = tolerated.reduce((n, s) => n + (s.state === 'read' ? s.rejected : 0), 0);
    const each = tolerated.map((s) => `${t(s.name)} ${s.state === 'read' ? s.rejected : 0}`).join(', ');
    return [
      `validation passed: ${plural(total, 'rejected row')} within --max-rejected ${toleranceText(v.maxRejected)} (${each})`,
    ];
  }
  const failing = v.sources.filter((s) => !s.isValid);
  const found = failing.map((s) => `${t(s.name)} (${sourceFindings(s).join(', ')})`).join(', ');
  const todo: string[] = [];
  if (failing.some((s) => s.state === 'read' && s.rejected > s.allowedRejected))
    todo.push(
      "- rejected rows: correct them in the export (or the field's type, format or values in metrics.yaml when the export is right); report leaves them out of every KPI and lists them; --max-rejected N or N% tolerates a few per source",
    );
  if (failing.some((s) => s.state === 'read' && s.dataWarnings > 0))
    todo.push(
      '- short rows: a row with fewer cells than the header leaves fields without values, or its values under the wrong columns: correct the export (quote cells that hold the delimiter)',
    );
  if (failing.some((s) => s.state === 'error'))
    todo.push(
      '- exports that cannot be read: see their problems above (a missing file, a missing column, ...)',
    );
  todo.push('- to check only the catalogue (a change to metrics.yaml): --catalogue-only');
  return [
    `validation failed (exit 1): data problems in ${plural(failing.length, 'source')}: ${found}`,
    ...todo,
  ];
}

/** Every problem line in source order: errors and warnings, and a note where problems were not kept. */
function problemLines(v: Validation): string[] {
  const lines = v.catalogue.problems.map(
    (p) => `${p.severity === 'warning' ? 'warning: ' : ''}${formatProblem(p)}`,
  );
  for (const s of v.sources) {
    // A problem's detail lines (the files a period template does match) stay with it: one entry.
    for (const p of s.problems)
      lines.push(
        [`${p.severity === 'warning' ? 'warning: ' : ''}${formatProblem(p)}`, ...formatDetail(p)].join('\n'),
      );
    if (s.state === 'read' && s.problemCount > s.problems.length)
      lines.push(
        `... ${plural(s.problemCount - s.problems.length, 'more problem')} in ${t(s.file)} not kept`,
      );
  }
  return lines;
}

/** One line per source whose absent optional columns no KPI reads (no warning: nothing depends on them). */
function infoLines(v: Validation): string[] {
  const lines: string[] = [];
  for (const s of v.sources) {
    if (s.state !== 'read' || s.unusedAbsent.length === 0) continue;
    lines.push(`info: ${t(s.name)}: ${unusedAbsentText(s.unusedAbsent)}`);
  }
  return lines;
}

function unusedAbsentText(absent: readonly { field: string; column: string }[]): string {
  const shown = absent.slice(0, 12).map((a) => `${quote(a.column)} (${t(a.field)})`);
  const more = absent.length > shown.length ? `, ... and ${absent.length - shown.length} more` : '';
  const n = absent.length;
  return `${n} optional column${n === 1 ? ' is' : 's are'} not in the header and no KPI reads ${n === 1 ? 'it' : 'them'}: ${shown.join(', ')}${more}`;
}

function sourceLine(s: ValidatedSource, v: Validation, width: number): string {
  const name = t(s.name.padEnd(width));
  if (s.state === 'error') return `${name}  ERROR`;
  if (s.state === 'missing') return `${name}  missing (optional): ${t(s.missing)}`;
  const tz = v.period?.timezone ?? 'UTC';
  const time = s.timeField
    ? `; ${t(s.timeField)} ${s.minTime === null ? '-' : localDate(tz, s.minTime)} .. ${s.maxTime === null ? '-' : localDate(tz, s.maxTime)}`
    : `; snapshot for ${t(v.period?.label ?? '-')}`;
  const extra = `${s.duplicates > 0 ? `, ${plural(s.duplicates, 'duplicate')} dropped` : ''}${s.warnings > 0 ? `, ${plural(s.warnings, 'warning')}` : ''}`;
  return `${name}  ${t(s.file)}: ${plural(s.rowsRead, 'row')} read, ${formatCount(s.accepted)} accepted, ${formatCount(s.rejected)} rejected${toleranceNote(s, v)}${extra}${time}`;
}

/** Whether a source's rejected rows are within --max-rejected, and what that allows for it. */
function toleranceNote(s: ValidatedSource & { state: 'read' }, v: Validation): string {
  if (!v.maxRejected || s.rejected === 0) return '';
  const option = `--max-rejected ${toleranceText(v.maxRejected)}`;
  const allows =
    'percent' in v.maxRejected ? `: ${formatCount(s.allowedRejected)} of ${plural(s.rowsRead, 'row')}` : '';
  return ` (${s.rejected > s.allowedRejected ? 'over' : 'within'} ${option}${allows})`;
}

function catalogueLine(v: Validation): string {
  const c = v.catalogue;
  // A catalogue that loads may carry warnings (control references outside Annex A 2022).
  const warnings = c.problems.filter((p) => p.severity === 'warning').length;
  return c.problems.length > warnings
    ? `catalogue ${t(c.file)}: cannot be loaded`
    : `catalogue ${t(c.file)}: ${c.kpis} KPIs, ${c.sources} sources, formulas OK${warnings > 0 ? `; ${plural(warnings, 'warning')}` : ''}`;
}

export function renderValidateTable(v: Validation, options: ValidateRenderOptions): string {
  const lines = [catalogueLine(v)];
  const width = Math.max(0, ...v.sources.map((s) => s.name.length));
  for (const s of v.sources) lines.push(sourceLine(s, v, width));
  if (v.catalogueOnly) lines.push('exports not read (--catalogue-only)');
  const info = infoLines(v);
  if (info.length > 0) lines.push('', ...info);
  const problems = problemLines(v);
  if (problems.length > 0) {
    const shown = problems.slice(0, options.maxProblems);
    const count =
      shown.length < problems.length ? `first ${shown.length} of ${problems.length}` : problems.length;
    lines.push('', `problems (${count}):`, ...shown);
  }
  lines.push('', ...verdictLines(v));
  return `${lines.join('\n')}\n`;
}

/** A problem whose message is cut as formatProblem cuts it (a 1 MB header name stays out of the JSON too). */
const capped = (p: Problem): Problem => ({
  ...p,
  message: capMessage(p.message),
  location: {
    ...p.location,
    ...(p.location.column === undefined ? {} : { column: truncate(p.location.column, 2 * QUOTE_MAX) }),
  },
});

/** The validation as data: the sources with their counts and problems, and the verdict. */
export function renderValidateJson(v: Validation): string {
  const tz = v.period?.timezone ?? 'UTC';
  const sources = v.sources.map((s) => {
    const { problems, problemCount, ...rest } = s;
    const dates =
      s.state === 'read'
        ? {
            minTime: s.minTime === null ? null : localDate(tz, s.minTime),
            maxTime: s.maxTime === null ? null : localDate(tz, s.maxTime),
          }
        : {};
    return { ...rest, ...dates, problemCount, problems: problems.map(capped) };
  });
  const all = [...v.catalogue.problems, ...v.sources.flatMap((s) => s.problems)];
  const data = {
    catalogue: { ...v.catalogue, problems: v.catalogue.problems.map(capped) },
    period: v.period,
    catalogueOnly: v.catalogueOnly,
    maxRejected: v.maxRejected ? toleranceText(v.maxRejected) : null,
    verdict: v.verdict,
    isValid: v.isValid,
    counts: {
      errors: all.filter((p) => p.severity === 'error').length,
      warnings: all.filter((p) => p.severity === 'warning').length,
      rejectedRows: v.sources.reduce((n, s) => n + (s.state === 'read' ? s.rejected : 0), 0),
    },
    sources,
  };
  return jsonText(data);
}

/** GitHub's escaping of a workflow command's message. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** GitHub's escaping of a workflow command's property value (file=..., title=...). */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One workflow command: `::error file=F,line=L,col=C::message` (the location goes into the properties). */
export function githubAnnotation(p: Problem): string {
  const at = p.location;
  const properties: string[] = [];
  if (at.file !== undefined) properties.push(`file=${escapeProperty(t(at.file))}`);
  if (at.line !== undefined) properties.push(`line=${at.line}`);
  if (at.endLine !== undefined && at.endLine !== at.line) properties.push(`endLine=${at.endLine}`);
  if (at.col !== undefined) properties.push(`col=${at.col}`);
  // The annotation carries the position; the message keeps what the properties cannot say (column, KPI).
  const { file: _file, line: _line, endLine: _endLine, col: _col, record, ...rest } = at;
  if (at.line === undefined && record !== undefined) Object.assign(rest, { record });
  const message = [formatProblem({ ...p, location: rest }), ...formatDetail(p)].join('\n');
  const command = p.severity === 'warning' ? 'warning' : 'error';
  return `::${command}${properties.length > 0 ? ` ${properties.join(',')}` : ''}::${escapeData(message)}`;
}

export function renderValidateGithub(v: Validation, options: ValidateRenderOptions): string {
  const problems = [...v.catalogue.problems, ...v.sources.flatMap((s) => s.problems)];
  const shown = problems.slice(0, options.maxProblems);
  const notices = v.sources.flatMap((s) =>
    s.state === 'read' && s.unusedAbsent.length > 0
      ? [
          `::notice file=${escapeProperty(t(s.file))}::${escapeData(`${t(s.name)}: ${unusedAbsentText(s.unusedAbsent)}`)}`,
        ]
      : [],
  );
  const lines = [catalogueLine(v), ...notices, ...shown.map(githubAnnotation)];
  if (shown.length < problems.length)
    lines.push(`... ${problems.length - shown.length} more problems not shown`);
  lines.push(...verdictLines(v));
  return `${lines.join('\n')}\n`;
}

export const VALIDATE_RENDERERS = {
  table: renderValidateTable,
  json: (v: Validation) => renderValidateJson(v),
  github: renderValidateGithub,
} satisfies Record<string, (v: Validation, options: ValidateRenderOptions) => string>;

export type ValidateFormat = keyof typeof VALIDATE_RENDERERS;
export const VALIDATE_FORMATS = Object.keys(VALIDATE_RENDERERS) as ValidateFormat[];
