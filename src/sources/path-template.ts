/**
 * Period tokens in a source path, so that an export saved once per period is found for each period however
 * it is named: `nessus-{period}.csv`, `data/q{quarter}/aws.csv`, `nessus-{year}Q{quarter}.csv`,
 * `users-{period_end:yyyyMMdd}.csv`. The one module that knows the tokens: what they are, how a period
 * fills them, which period a path names (a snapshot read through it is as of that period's end,
 * src/engine/as-of.ts), and which files on disk a template matches (for messages).
 *
 * Decisions (docs/catalogue.md, 2.7):
 * - A path names one period, the reported one, and its label fills every token. A path whose tokens name
 *   another unit than the reported period (`{quarter}` for a month, `{year}` alone for a quarter) is
 *   refused, with the files that do match it, unless the source says `one_file_per: quarter`: then the
 *   file of the quarter that holds the period's last day is read, and that quarter is the period the path
 *   names. Guessing would read a quarter's file for a month without a word.
 * - With `one_file_per:`, an events source refuses a period longer than the unit (a quarter from one file
 *   per month): one file would cover part of it. A snapshot takes the last unit's file, the state at the
 *   period's end.
 * - `{year}`, `{half}`, `{quarter}` and `{month}` are the parts of the label: fiscal in a fiscal label
 *   (FY2026-Q1: 2026 and 1), calendar otherwise; `{month}` has two digits, `{quarter}` and `{half}` one.
 * - `{period_end:FORMAT}` is the period's last day in date-fns `format` tokens (default `yyyy-MM-dd`); the
 *   format may not hold a folder separator (use `{year}/...` for folders).
 * - Text in braces that looks like a token but is none (`{quater}`) is an error, not part of a file name.
 * - `period_offset: -1` (snapshots only) names the file of the period before the one the path would name
 *   (with `one_file_per:`, the unit before), so two snapshots of one register can be compared in a formula
 *   (the current one and the previous review's); the snapshot is as of that earlier period's end.
 * A later glob (several files per source) takes the same parts: `templatePattern` is its per-name matcher.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { type FileUnit, KIND_RANK, type Period, periodContaining, previousPeriod } from '../time/period.js';
import { utcToLocal } from '../time/zone.js';
import { closest } from '../util/closest.js';

/** Every token a source path may hold, as written between braces. */
export const PERIOD_PATH_TOKENS = ['period', 'period_end', 'year', 'half', 'quarter', 'month'] as const;
export type PathToken = (typeof PERIOD_PATH_TOKENS)[number];

/** A template as text and tokens; `format` only for period_end. */
export type TemplatePart = string | { token: PathToken; format?: string };

const DEFAULT_END_FORMAT = 'yyyy-MM-dd';

/** `{name}` or `{name:format}`: anything a user could have meant as a token. */
const TOKEN_SYNTAX = /\{([A-Za-z_]+)(?::([^{}]*))?\}/g;

const PART_UNIT: Readonly<Record<'year' | 'half' | 'quarter' | 'month', FileUnit>> = {
  year: 'year',
  half: 'half',
  quarter: 'quarter',
  month: 'month',
};

const isToken = (name: string): name is PathToken => (PERIOD_PATH_TOKENS as readonly string[]).includes(name);

/** The template split into text and tokens, or what is wrong with its tokens. */
export function parsePathTemplate(template: string): { parts: TemplatePart[] } | { error: string } {
  const parts: TemplatePart[] = [];
  let at = 0;
  for (const m of template.matchAll(TOKEN_SYNTAX)) {
    const [whole, name = '', format] = m;
    if (m.index > at) parts.push(template.slice(at, m.index));
    at = m.index + whole.length;
    if (!isToken(name)) {
      const near = closest(name.toLowerCase(), PERIOD_PATH_TOKENS);
      return {
        error: `unknown token {${name}} in the path${near ? ` (did you mean {${near}}?)` : ''}; ${TOKEN_LIST}`,
      };
    }
    if (format !== undefined && name !== 'period_end')
      return { error: `{${name}:${format}}: only {period_end:FORMAT} takes a format` };
    if (name === 'period_end') {
      const problem = endFormatProblem(format ?? DEFAULT_END_FORMAT);
      if (problem) return { error: `{period_end:${format ?? ''}}: ${problem}` };
      parts.push({ token: name, format: format ?? DEFAULT_END_FORMAT });
    } else parts.push({ token: name });
  }
  if (at < template.length) parts.push(template.slice(at));
  return { parts };
}

const TOKEN_LIST =
  'the tokens are {period}, {year}, {half}, {quarter}, {month} and {period_end:FORMAT} (date-fns tokens, e.g. {period_end:yyyyMMdd})';

/** The tokens a path holds, in the order of PERIOD_PATH_TOKENS (none for a fixed path, or one with a bad token). */
export function periodTokensIn(template: string): PathToken[] {
  const parsed = parsePathTemplate(template);
  if ('error' in parsed) return [];
  const found = new Set(parsed.parts.flatMap((p) => (typeof p === 'string' ? [] : [p.token])));
  return PERIOD_PATH_TOKENS.filter((t) => found.has(t));
}

/** Whether a text holds something a source path would read as a token (a file named `{x}.csv`). */
export function hasTokenSyntax(text: string): boolean {
  return new RegExp(TOKEN_SYNTAX.source).test(text);
}

/**
 * The unit the path's part tokens name (the shortest of them), when it has some: `quarter` for
 * `{year}/q{quarter}.csv`; undefined for a path with only {period}, {period_end} or no token.
 */
export function templateUnit(template: string): FileUnit | undefined {
  let unit: FileUnit | undefined;
  for (const token of periodTokensIn(template)) {
    if (token === 'period' || token === 'period_end') continue;
    const u = PART_UNIT[token];
    if (unit === undefined || KIND_RANK[u] < KIND_RANK[unit]) unit = u;
  }
  return unit;
}

// --- filling a template for a period -------------------------------------------------------------

export interface PathSource {
  pathTemplate: string;
  kind: 'events' | 'snapshot';
  oneFilePer: FileUnit | undefined;
  fiscalYearStart: number;
  /** `period_offset:` (-1 to -12): the file of that many periods before the one the path would name. */
  periodOffset?: number | undefined;
}

export type PathChoice =
  /** `file` is the template filled in (relative, as written); `named` the period the path names. */
  { ok: true; file: string; named: Period } | { ok: false; reason: string };

/** The file a source reads for a period, and the period that file stands for. */
export function fillPathTemplate(source: PathSource, period: Period): PathChoice {
  const parsed = parsePathTemplate(source.pathTemplate);
  if ('error' in parsed) return { ok: false, reason: parsed.error };
  const { parts } = parsed;
  if (parts.every((p) => typeof p === 'string'))
    return { ok: true, file: source.pathTemplate, named: period };
  const unit = source.oneFilePer;
  const options = { tz: period.tz, fiscalYearStartMonth: source.fiscalYearStart };
  let named = unit ? periodContaining(period.end - 1, unit, options) : period;
  // period_offset: the same file of an earlier period (the previous review's snapshot of a register).
  for (let back = source.periodOffset ?? 0; back < 0; back++) named = previousPeriod(named, options);
  if (unit && source.kind === 'events' && named.start > period.start)
    return {
      ok: false,
      reason: `the events of ${period.label} are in more than one file (one_file_per: ${unit}), and a source reads one file per period: report one ${unit} at a time (${named.label}, ...)`,
    };
  const label = labelParts(named.label);
  const tokens = parts.flatMap((p) => (typeof p === 'string' ? [] : [p.token]));
  const finest = templateUnit(source.pathTemplate);
  const namesWhole = tokens.includes('period') || tokens.includes('period_end');
  const lacking = tokens
    .flatMap((t) => (t === 'period' || t === 'period_end' ? [] : [t]))
    .find((t) => label[t] === undefined);
  if (lacking !== undefined || (!namesWhole && finest !== undefined && finest !== named.kind)) {
    const part = lacking !== undefined ? PART_UNIT[lacking] : finest!;
    return { ok: false, reason: mismatch(part, named, unit) };
  }
  const file = parts
    .map((p) => {
      if (typeof p === 'string') return p;
      if (p.token === 'period') return named.label;
      if (p.token === 'period_end') return formatLastDay(named, p.format ?? DEFAULT_END_FORMAT);
      return label[p.token]!;
    })
    .join('');
  return { ok: true, file, named };
}

const KIND_WORD: Readonly<Record<Period['kind'], string>> = {
  week: 'a week',
  month: 'a month',
  quarter: 'a quarter',
  half: 'a half-year',
  year: 'a year',
  custom: 'a custom period',
};

function mismatch(part: FileUnit, named: Period, unit: FileUnit | undefined): string {
  const what = `the path names ${KIND_WORD[part]} ({${part}}), and ${named.label} is ${KIND_WORD[named.kind]}`;
  if (unit !== undefined) return `${what}; one_file_per: ${unit} does not fit the path`;
  if (KIND_RANK[part] > KIND_RANK[named.kind])
    return `${what}: add one_file_per: ${part} to the source to read the file of the ${part} ${named.label} falls in`;
  return `${what}: report ${KIND_WORD[part].replace(/^an? /, '')}s, one at a time, or (for a snapshot) add one_file_per: ${part} to read the last ${part}'s file`;
}

/** The parts of a period label: `2026-Q3`, `FY2026-H1`, `2026-09`, `2026`, `2026-W38` (ISO year only). */
function labelParts(label: string): Partial<Record<'year' | 'half' | 'quarter' | 'month', string>> {
  const m = /^(?:FY)?(\d{4})(?:-(?:(\d{2})|Q(\d)|H(\d)|W\d{2}))?$/.exec(label);
  if (!m) return {};
  const [, year, month, quarter, half] = m;
  return {
    year,
    ...(month !== undefined ? { month } : {}),
    ...(quarter !== undefined ? { quarter } : {}),
    ...(half !== undefined ? { half } : {}),
  };
}

type Format = typeof import('date-fns/format').format;
let dateFnsFormat: Format | undefined;

/** date-fns `format`, loaded the first time a path needs it (most catalogues never do). */
function loadFormat(): Format {
  dateFnsFormat ??= (createRequire(import.meta.url)('date-fns/format') as typeof import('date-fns/format'))
    .format;
  return dateFnsFormat;
}

/** The last day of the period (in its zone) in a date-fns format; a Date at local midnight carries it. */
function formatLastDay(period: Period, format: string): string {
  const day = utcToLocal(period.tz, period.end - 1);
  return loadFormat()(new Date(day.year, day.month - 1, day.day), format);
}

function endFormatProblem(format: string): string | undefined {
  if (format.trim() === '') return 'the format is empty';
  if (/[/\\]/.test(format)) return 'the format may not hold / or \\ (use {year}/... for folders)';
  try {
    loadFormat()(new Date(2026, 8, 30), format);
  } catch (error) {
    return `not a date format: ${(error as Error).message}`;
  }
  return undefined;
}

// --- the files a template matches ----------------------------------------------------------------

const TOKEN_PATTERN: Readonly<Record<Exclude<PathToken, 'period_end'>, string>> = {
  period: '[^/\\\\]+?',
  year: '\\d{4}',
  half: '[12]',
  quarter: '[1-4]',
  month: '(?:0[1-9]|1[0-2])',
};

/** One name (a file or folder name, no separator) of a template as a regex; tokens match what they could be. */
export function templatePattern(parts: readonly TemplatePart[]): RegExp {
  const source = parts
    .map((p) => {
      if (typeof p === 'string') return p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return p.token === 'period_end' ? '[^/\\\\]+?' : TOKEN_PATTERN[p.token];
    })
    .join('');
  return new RegExp(`^${source}$`, process.platform === 'win32' ? 'i' : '');
}

export interface FolderEntry {
  name: string;
  isDirectory: boolean;
}

/**
 * The files that exist and match a template (folders with tokens included), as absolute paths in sorted
 * order, at most `limit`. `list` reads a folder ([] when it cannot).
 */
export async function filesMatching(
  template: string,
  baseDir: string,
  list: (dir: string) => Promise<FolderEntry[]>,
  limit = 20,
): Promise<string[]> {
  const absolute = path.resolve(baseDir, template);
  const root = path.parse(absolute).root;
  const names = absolute
    .slice(root.length)
    .split(path.sep)
    .filter((n) => n !== '');
  let dirs = [root];
  for (let i = 0; i < names.length && dirs.length > 0; i++) {
    const parsed = parsePathTemplate(names[i]!);
    if ('error' in parsed) return [];
    const isLast = i === names.length - 1;
    const isFixed = parsed.parts.every((p) => typeof p === 'string');
    if (isFixed && !isLast) {
      dirs = dirs.map((d) => path.join(d, names[i]!));
      continue;
    }
    const pattern = templatePattern(parsed.parts);
    const next: string[] = [];
    for (const dir of dirs) {
      const entries = (await list(dir)).filter((e) => e.isDirectory !== isLast && pattern.test(e.name));
      for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)))
        next.push(path.join(dir, e.name));
      if (next.length >= limit * 5) break;
    }
    dirs = next;
  }
  return dirs.slice(0, limit);
}
