/**
 * The result of `isms-kpi validate` as a terminal text, as JSON (the same data, for programs), and as
 * GitHub Actions workflow commands (`::error file=F,line=L,col=C::message`), which the Actions log shows
 * as annotations on the lines of the files. docs/ci-recipes.md documents the JSON shape and an example.
 */
import { formatProblem, type Problem } from '../problems.js';
import type { SourceStats } from '../sources/load-source.js';
import { localDate } from '../time/zone.js';

interface SourceBase {
  name: string;
  /** The problems kept (the first ones, in file order), errors and warnings. */
  problems: Problem[];
  /** All problems found, including those not kept. */
  problemCount: number;
}

export type ValidatedSource =
  /** Read: its counts, and the earliest and latest time of its accepted rows (epoch ms, events only). */
  | (SourceBase & { state: 'read'; kind: 'events' | 'snapshot' } & Pick<
        SourceStats,
        | 'file'
        | 'rowsRead'
        | 'accepted'
        | 'rejected'
        | 'duplicates'
        | 'warnings'
        | 'timeField'
        | 'minTime'
        | 'maxTime'
      >)
  /** An optional source whose file is absent. */
  | (SourceBase & { state: 'missing'; missing: string })
  /** The source could not be read at all; its problems say why. */
  | (SourceBase & { state: 'error' });

export interface Validation {
  /** With the problems that stopped it from loading (then there are no sources and no period). */
  catalogue: { file: string; kpis: number; sources: number; problems: Problem[] };
  period: { label: string; timezone: string } | null;
  sources: ValidatedSource[];
  /** No source failed, no error was found and no row was rejected. */
  isValid: boolean;
}

export interface ValidateRenderOptions {
  /** Problems listed by the table and GitHub formats (JSON lists every problem kept). */
  maxProblems: number;
}

const VERDICT = {
  failed: 'validation failed: fix the problems above, or let on_invalid: reject leave those rows out',
  passed: 'validation passed',
};

/** Every problem line in source order: errors and warnings, and a note where problems were not kept. */
function problemLines(v: Validation): string[] {
  const lines = v.catalogue.problems.map(formatProblem);
  for (const s of v.sources) {
    for (const p of s.problems)
      lines.push(`${p.severity === 'warning' ? 'warning: ' : ''}${formatProblem(p)}`);
    if (s.state === 'read' && s.problemCount > s.problems.length)
      lines.push(`... ${s.problemCount - s.problems.length} more problems in ${s.file} not kept`);
  }
  return lines;
}

function sourceLine(s: ValidatedSource, v: Validation, width: number): string {
  const name = s.name.padEnd(width);
  if (s.state === 'error') return `${name}  ERROR`;
  if (s.state === 'missing') return `${name}  missing (optional): ${s.missing}`;
  const tz = v.period?.timezone ?? 'UTC';
  const time = s.timeField
    ? `; ${s.timeField} ${s.minTime === null ? '-' : localDate(tz, s.minTime)} .. ${s.maxTime === null ? '-' : localDate(tz, s.maxTime)}`
    : `; snapshot for ${v.period?.label ?? '-'}`;
  const extra = `${s.duplicates > 0 ? `, ${s.duplicates} duplicates dropped` : ''}${s.warnings > 0 ? `, ${s.warnings} warnings` : ''}`;
  return `${name}  ${s.file}: ${s.rowsRead} rows read, ${s.accepted} accepted, ${s.rejected} rejected${extra}${time}`;
}

function catalogueLine(v: Validation): string {
  const c = v.catalogue;
  return c.problems.length > 0
    ? `catalogue ${c.file}: cannot be loaded`
    : `catalogue ${c.file}: ${c.kpis} KPIs, ${c.sources} sources, formulas OK`;
}

export function renderValidateTable(v: Validation, options: ValidateRenderOptions): string {
  const lines = [catalogueLine(v)];
  const width = Math.max(0, ...v.sources.map((s) => s.name.length));
  for (const s of v.sources) lines.push(sourceLine(s, v, width));
  const problems = problemLines(v);
  if (problems.length > 0) {
    const shown = problems.slice(0, options.maxProblems);
    const count =
      shown.length < problems.length ? `first ${shown.length} of ${problems.length}` : problems.length;
    lines.push('', `problems (${count}):`, ...shown);
  }
  lines.push('', v.isValid ? VERDICT.passed : VERDICT.failed);
  return `${lines.join('\n')}\n`;
}

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
    return { ...rest, ...dates, problemCount, problems };
  });
  const all = [...v.catalogue.problems, ...v.sources.flatMap((s) => s.problems)];
  const data = {
    catalogue: v.catalogue,
    period: v.period,
    isValid: v.isValid,
    counts: {
      errors: all.filter((p) => p.severity === 'error').length,
      warnings: all.filter((p) => p.severity === 'warning').length,
      rejectedRows: v.sources.reduce((n, s) => n + (s.state === 'read' ? s.rejected : 0), 0),
    },
    sources,
  };
  return `${JSON.stringify(data, null, 2)}\n`;
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
  if (at.file !== undefined) properties.push(`file=${escapeProperty(at.file)}`);
  if (at.line !== undefined) properties.push(`line=${at.line}`);
  if (at.endLine !== undefined && at.endLine !== at.line) properties.push(`endLine=${at.endLine}`);
  if (at.col !== undefined) properties.push(`col=${at.col}`);
  // The annotation carries the position; the message keeps what the properties cannot say (column, KPI).
  const { file: _file, line: _line, endLine: _endLine, col: _col, record, ...rest } = at;
  if (at.line === undefined && record !== undefined) Object.assign(rest, { record });
  const message = [formatProblem({ ...p, location: rest }), ...(p.detail ?? [])].join('\n');
  const command = p.severity === 'warning' ? 'warning' : 'error';
  return `::${command}${properties.length > 0 ? ` ${properties.join(',')}` : ''}::${escapeData(message)}`;
}

export function renderValidateGithub(v: Validation, options: ValidateRenderOptions): string {
  const problems = [...v.catalogue.problems, ...v.sources.flatMap((s) => s.problems)];
  const shown = problems.slice(0, options.maxProblems);
  const lines = [catalogueLine(v), ...shown.map(githubAnnotation)];
  if (shown.length < problems.length)
    lines.push(`... ${problems.length - shown.length} more problems not shown`);
  lines.push(v.isValid ? VERDICT.passed : VERDICT.failed);
  return `${lines.join('\n')}\n`;
}

export const VALIDATE_RENDERERS = {
  table: renderValidateTable,
  json: (v: Validation) => renderValidateJson(v),
  github: renderValidateGithub,
} satisfies Record<string, (v: Validation, options: ValidateRenderOptions) => string>;

export type ValidateFormat = keyof typeof VALIDATE_RENDERERS;
export const VALIDATE_FORMATS = Object.keys(VALIDATE_RENDERERS) as ValidateFormat[];
