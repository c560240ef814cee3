/**
 * The files a source reads: its `path:` is one file, a glob (`exports/snow-changes-*.csv`), or a list of
 * paths (each may be a glob, and any may hold `{period}`). Decisions (docs/catalogue.md, 2.1 "Many files
 * per source"):
 * - Glob syntax: `*` any characters within one folder name, `?` one character, `**` any number of
 *   folders (none included). Nothing else is special (no braces or classes), letter case counts, and
 *   names starting with `.` are matched only by a pattern that starts with `.` (as in a shell).
 * - The files are read in the order of their paths relative to the catalogue's folder, sorted by code
 *   point (so `a-10.csv` before `a-9.csv`: name pages with zero-padded numbers or dates), whatever the
 *   order of the list and of the folder; a file matched twice is read once.
 * - A glob that matches nothing is a missing file (`file-missing`, so an optional source is reported
 *   missing), listing the files that do exist in the folder the pattern looks in.
 * - A compressed archive entry (`exports/*.zip#scan.csv`) is matched on the archive's path.
 */
import path from 'node:path';
import { IsmsKpiError, problem } from '../problems.js';
import { quote } from '../text.js';
import type { Period } from '../time/period.js';
import { displayPath } from '../util/display-path.js';
import { folderEntries } from './decode.js';
import { packingOf } from './inflate.js';
import { type ResolvedSource, sourcePaths } from './resolve.js';

/** One file of a source, absolute. */
export type InputFile = string;

export function hasGlob(pathTemplate: string): boolean {
  return /[*?]/.test(packingOf(pathTemplate).file);
}

/** Whether a source may read several files (a glob or a list), so its rows say which file they came from. */
export function isMultiFile(source: ResolvedSource): boolean {
  return source.pathTemplates.length > 1 || source.pathTemplates.some(hasGlob);
}

/** The files a source reads for a period, in read order, each also as users see it (relative to `cwd`). */
export async function sourceFiles(
  source: ResolvedSource,
  period: Period,
  cwd: string,
): Promise<{ path: string; displayPath: string }[]> {
  const shown = (absolute: string) => displayPath(absolute, cwd);
  const files = await expandInputs(sourcePaths(source, period), source.baseDir, shown);
  return files.map((file) => ({ path: file, displayPath: shown(file) }));
}

/** The absolute paths of a source for a period, after its tokens (already filled in `templates`). */
export async function expandInputs(
  templates: readonly string[],
  baseDir: string,
  shown: (absolute: string) => string,
): Promise<InputFile[]> {
  const files = new Set<string>();
  for (const template of templates) {
    const absolute = path.resolve(baseDir, template);
    if (!hasGlob(template)) {
      files.add(absolute);
      continue;
    }
    const packing = packingOf(absolute);
    const suffix = packing.kind === 'zip' && packing.entry !== undefined ? `#${packing.entry}` : '';
    const matched = await matchGlob(packing.file);
    if (matched.length === 0) throw await noMatch(packing.file, shown);
    for (const file of matched) files.add(file + suffix);
  }
  return [...files].sort((a, b) => {
    const x = path.relative(baseDir, a);
    const y = path.relative(baseDir, b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** Files (not folders) whose absolute path matches an absolute pattern. */
export async function matchGlob(pattern: string): Promise<string[]> {
  const parts = pattern.split(/[\\/]+/);
  // The folder before the first segment with a wildcard is where the walk starts.
  let fixed = 0;
  while (fixed < parts.length && !/[*?]/.test(parts[fixed]!)) fixed++;
  const root = parts.slice(0, fixed).join(path.sep) || path.sep;
  const segments = parts.slice(fixed).map((p) => (p === '**' ? GLOBSTAR : segmentRegex(p)));
  const out: string[] = [];
  await walk(root, segments, 0, 0, out, new Set());
  return out;
}

const GLOBSTAR = Symbol('**');
type Segment = RegExp | typeof GLOBSTAR;

function segmentRegex(segment: string): RegExp {
  let source = '';
  for (const c of segment)
    source += c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  // A leading wildcard does not match a leading dot (hidden files), as in a shell.
  return new RegExp(`^${segment.startsWith('.') ? '' : '(?!\\.)'}${source}$`, 'u');
}

/** Folders descended at most this deep for `**` (symbolic links to folders are not followed: no loops). */
const MAX_DEPTH = 32;

async function walk(
  dir: string,
  segments: Segment[],
  at: number,
  depth: number,
  out: string[],
  seen: Set<string>,
): Promise<void> {
  const segment = segments[at];
  if (segment === undefined) return;
  const key = `${dir}\u0000${at}`;
  if (seen.has(key)) return;
  seen.add(key);
  const entries = await folderEntries(dir);
  if (!entries) return;
  const isLast = at === segments.length - 1;
  if (segment === GLOBSTAR) {
    // `**` matches no folder (go on with the next segment here) or one more (stay on `**` below).
    if (isLast) {
      for (const e of entries) if (e.isFile && !e.name.startsWith('.')) out.push(path.join(dir, e.name));
    } else await walk(dir, segments, at + 1, depth, out, seen);
    if (depth < MAX_DEPTH)
      for (const e of entries)
        if (e.isDirectory && !e.name.startsWith('.'))
          await walk(path.join(dir, e.name), segments, at, depth + 1, out, seen);
    return;
  }
  for (const e of entries) {
    if (!segment.test(e.name)) continue;
    if (isLast) {
      if (e.isFile) out.push(path.join(dir, e.name));
    } else if (e.isDirectory) await walk(path.join(dir, e.name), segments, at + 1, depth, out, seen);
  }
}

/** A glob without a match: the same code as a missing file, with the files the folder does hold. */
async function noMatch(pattern: string, shown: (absolute: string) => string): Promise<IsmsKpiError> {
  const parts = pattern.split(/[\\/]+/);
  let fixed = 0;
  while (fixed < parts.length && !/[*?]/.test(parts[fixed]!)) fixed++;
  const folder = parts.slice(0, fixed).join(path.sep) || path.sep;
  const names = (await folderEntries(folder))
    ?.filter((e) => !e.name.startsWith('.'))
    .map((e) => (e.isDirectory ? `${e.name}/` : e.name));
  const where = shown(folder);
  const listing =
    names === undefined
      ? `the folder ${quote(where)} does not exist`
      : names.length === 0
        ? `the folder ${quote(where)} is empty`
        : `${quote(where)} holds ${names
            .slice(0, 12)
            .map((n) => quote(n))
            .join(', ')}${names.length > 12 ? ` and ${names.length - 12} more` : ''}`;
  return new IsmsKpiError(
    problem('file-missing', `no file matches the pattern; ${listing}`, { file: shown(pattern) }),
  );
}
