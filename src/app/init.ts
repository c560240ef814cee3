/**
 * `isms-kpi init`: a catalogue to start from. With --from DIR, a starter catalogue over the exports found
 * in DIR (src/init/starter-catalogue.ts); without it, the bundled example catalogue and the example
 * exports it reads, copied into ./exports/. Nothing is written when any target exists, unless --force;
 * the CLI writes all files or none.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { MAX_CATALOGUE_BYTES } from '../catalogue/parse.js';
import { type StarterFile, starterCatalogue } from '../init/starter-catalogue.js';
import { detectFile } from '../presets/detect.js';
import { IsmsKpiError, type Problem, problem } from '../problems.js';
import { parsePathTemplate, templatePattern } from '../sources/path-template.js';
import { safeText } from '../text.js';
import type { Io } from './io.js';
import { checkOutputFolders } from './report.js';
import type { CommandResult, Document } from './result.js';

export interface InitOptions {
  from?: string | undefined;
  output: string;
  force?: boolean | undefined;
}

/** The installed package (dist/app/init.js, or src/app/ in development): two folders up. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLE_CATALOGUE = 'metrics.yaml';
const EXAMPLE_DATA = 'fixtures/acme/';
const EXPORTS = 'exports';
/** The bundled example exports are a few hundred KB each. */
const MAX_EXAMPLE_BYTES = 64 * 1024 * 1024;

const toPosix = (p: string) => p.split(path.sep).join('/');

interface Plan {
  files: Document[];
  summary: string[];
}

export async function init(options: InitOptions, io: Io): Promise<CommandResult> {
  const catalogue = options.output;
  const plan =
    options.from === undefined
      ? await examplePlan(catalogue, io)
      : await starterPlan(options.from, catalogue, io);
  // The catalogue's folder must exist; the exports folder inside it is created.
  await checkOutputFolders(io, [catalogue]);
  await checkTargets(
    io,
    plan.files.map((f) => f.file),
    options.force === true,
  );
  const isDefault = path.resolve(io.cwd, catalogue) === path.resolve(io.cwd, 'metrics.yaml');
  const flag = isDefault ? '' : ` -c ${catalogue}`;
  const review = options.from === undefined ? '' : ' (review the TODO owners and thresholds first)';
  const lines = [
    ...plan.summary,
    '',
    'next:',
    `  isms-kpi validate${flag}     # check the catalogue and read every export`,
    `  isms-kpi report${flag}       # the KPI report${review}`,
  ];
  return {
    files: plan.files,
    folders: [...new Set(plan.files.map((f) => path.dirname(f.file)))],
    stdout: `${lines.join('\n')}\n`,
    problems: [],
    outcome: { command: 'done' },
  };
}

/** No target may be a folder, and none may exist unless `force`. */
async function checkTargets(io: Io, files: readonly string[], force: boolean): Promise<void> {
  const existing: Problem[] = [];
  for (const file of files) {
    const info = await io.stat(path.resolve(io.cwd, file)).catch(() => undefined);
    if (!info) continue;
    if (force && info.isDirectory)
      throw new IsmsKpiError(problem('output', 'is a folder; give a file name', { file }));
    if (!force)
      existing.push(
        problem('output', 'already exists; nothing was written (use --force to overwrite)', { file }),
      );
  }
  if (existing.length > 0) throw new IsmsKpiError(existing);
}

// --- without --from: the bundled example ---------------------------------------------------------

/** A path's file name with period tokens as a pattern over the file names of its folder. */
function periodPattern(name: string): RegExp {
  const parsed = parsePathTemplate(name);
  return templatePattern('error' in parsed ? [name] : parsed.parts);
}

async function examplePlan(catalogue: string, io: Io): Promise<Plan> {
  const source = path.join(PACKAGE_ROOT, EXAMPLE_CATALOGUE);
  const text = await io.readText(source, MAX_CATALOGUE_BYTES).catch(() => {
    throw new IsmsKpiError(
      problem('file-missing', 'the bundled example catalogue is missing from the installed package', {
        file: source,
      }),
    );
  });
  const config = parse(text) as {
    sources?: Record<string, { path?: string }>;
    actions?: unknown;
    exceptions?: unknown;
  };
  const exportsDir = path.join(path.dirname(catalogue), EXPORTS);
  const files: Document[] = [];
  const seen = new Set<string>();
  for (const { path: given } of Object.values(config.sources ?? {})) {
    if (typeof given !== 'string' || !given.startsWith(EXAMPLE_DATA)) continue;
    const relative = given.slice(EXAMPLE_DATA.length);
    const folder = path.join(PACKAGE_ROOT, EXAMPLE_DATA, path.dirname(relative));
    const pattern = periodPattern(path.basename(relative));
    // A path with period tokens reads one file per period: every period's file is copied.
    const entries = await io.readdir(folder).catch(() => []);
    const names = entries
      .map((e) => e.name)
      .filter((n) => pattern.test(n))
      .sort();
    for (const name of names) {
      const target = path.join(path.dirname(relative), name);
      if (seen.has(target)) continue;
      seen.add(target);
      files.push({
        file: path.join(exportsDir, target),
        content: await io.readText(path.join(folder, name), MAX_EXAMPLE_BYTES),
      });
    }
  }
  // Files the catalogue names outside its sources (`actions: { file }`, `exceptions: { file }`) go along.
  for (const block of [config.actions, config.exceptions]) {
    const given = (block as { file?: unknown } | undefined)?.file;
    if (typeof given !== 'string' || !given.startsWith(EXAMPLE_DATA)) continue;
    const relative = given.slice(EXAMPLE_DATA.length);
    if (seen.has(relative)) continue;
    seen.add(relative);
    files.push({
      file: path.join(exportsDir, relative),
      content: await io.readText(path.join(PACKAGE_ROOT, given), MAX_EXAMPLE_BYTES),
    });
  }
  const rewritten = text.replaceAll(EXAMPLE_DATA, `${EXPORTS}/`);
  const summary = [
    `wrote ${catalogue} (the example catalogue of a fictional manufacturer) and ${files.length} example exports:`,
    ...files.map((f) => `  ${f.file}`),
  ];
  return { files: [{ file: catalogue, content: rewritten }, ...files], summary };
}

// --- with --from DIR: a starter catalogue over the exports found there ----------------------------

/** Folders below --from that are read; deeper ones are listed as not read. */
const MAX_DEPTH = 4;
/** Files looked at, at most (each is opened to detect its preset). */
const MAX_FILES = 500;

/**
 * The files under `dir`, its subfolders included (paths relative to it, sorted), and what was left out
 * and why: hidden files and folders (a name starting with "."), folders deeper than MAX_DEPTH, files
 * past MAX_FILES. The catalogue being written is no export.
 */
async function walkFolder(
  io: Io,
  dir: string,
  target: string,
): Promise<{ files: string[]; skipped: { path: string; reason: string }[] }> {
  const files: string[] = [];
  const skipped: { path: string; reason: string }[] = [];
  const visit = async (relative: string, depth: number): Promise<void> => {
    const entries = await io.readdir(path.join(dir, relative)).catch(() => undefined);
    if (!entries) {
      skipped.push({ path: relative, reason: 'the folder cannot be read' });
      return;
    }
    const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of sorted) {
      const name = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory) {
        if (depth >= MAX_DEPTH)
          skipped.push({ path: `${name}/`, reason: `deeper than ${MAX_DEPTH} folders` });
        else await visit(name, depth + 1);
      } else if (entry.isFile && path.join(dir, name) !== target) {
        if (files.length < MAX_FILES) files.push(name);
        else skipped.push({ path: name, reason: `more than ${MAX_FILES} files; give a smaller folder` });
      }
    }
  };
  await visit('', 0);
  return { files: files.sort(), skipped: skipped.slice(0, 20) };
}

/** The KPIs not written twice, one line per source. */
function repeatLines(repeats: readonly { id: string; source: string; sameAs: string }[]): string[] {
  const bySource = new Map<string, { ids: string[]; sameAs: string }>();
  for (const r of repeats) {
    const entry = bySource.get(r.source) ?? { ids: [], sameAs: r.sameAs };
    entry.ids.push(r.id);
    bySource.set(r.source, entry);
  }
  return [...bySource].map(
    ([source, { ids, sameAs }]) =>
      `  not repeated for ${source}: ${ids.join(', ')} (already over ${sameAs}, the same kind of export; copy a KPI with the other source if both count)`,
  );
}

async function starterPlan(from: string, catalogue: string, io: Io): Promise<Plan> {
  const dir = path.resolve(io.cwd, from);
  const info = await io.stat(dir).catch(() => undefined);
  if (!info?.isDirectory)
    throw new IsmsKpiError(
      problem('usage', info ? '--from: not a folder' : '--from: no such folder', { file: from }),
    );
  const catalogueDir = path.dirname(path.resolve(io.cwd, catalogue));
  const target = path.resolve(io.cwd, catalogue);
  const walk = await walkFolder(io, dir, target);
  const entries = walk.files;
  const files: StarterFile[] = [];
  for (const name of entries) {
    const absolute = path.join(dir, name);
    const modified = (await io.stat(absolute).catch(() => undefined))?.modified;
    files.push({
      path: toPosix(path.relative(catalogueDir, absolute)),
      detection: await detectFile(absolute, path.join(from, name)),
      ...(modified !== undefined ? { modified } : {}),
    });
  }
  const starter = starterCatalogue(files, from);
  if (starter.kpis.length === 0)
    throw new IsmsKpiError(
      problem(
        'usage',
        starter.sources.length === 0
          ? `--from: no file in this folder matches a preset (${entries.length} files looked at); \`isms-kpi presets\` lists the exports isms-kpi knows`
          : '--from: no KPI of the built-in library can be computed from the exports in this folder',
        { file: from },
      ),
    );
  const width = Math.max(...starter.sources.map((s) => s.name.length));
  const summary = [
    `wrote ${catalogue}: ${starter.kpis.length} KPIs over ${starter.sources.length} sources`,
    ...starter.sources.map((s) => {
      const count = starter.kpis.filter((k) => k.source === s.name).length;
      const family = s.family
        ? `; one file per ${s.family.unit}: ${s.family.files.length} files, ${s.family.labels.join(', ')}`
        : '';
      return `  ${s.name.padEnd(width)}  ${safeText(s.path)} (${s.preset}, ${count} KPIs${family})`;
    }),
    ...starter.skipped.map((s) => `  not recognised: ${safeText(s.path)}: ${safeText(s.reason)}`),
    ...repeatLines(starter.repeats),
    ...walk.skipped.map((s) => `  not read: ${safeText(s.path)}: ${s.reason}`),
    'owners and thresholds are placeholders (TODO:, "# review:"): review them before reporting on them',
  ];
  return { files: [{ file: catalogue, content: starter.text }], summary };
}
