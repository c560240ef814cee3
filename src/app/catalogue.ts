/** Reading metrics.yaml through the Io, then parsing and compiling it (src/catalogue/ never reads files). */
import path from 'node:path';
import { readActionsCsv, readActionsYaml } from '../catalogue/actions.js';
import { type Catalogue, compileCatalogue } from '../catalogue/compile.js';
import { MAX_CATALOGUE_BYTES, type ParsedCatalogue, parseCatalogue } from '../catalogue/parse.js';
import type { ActionConfig } from '../catalogue/schema.js';
import { IsmsKpiError, problem } from '../problems.js';
import { quote } from '../text.js';
import { isValidTimeZone } from '../time/zone.js';
import { displayPath } from '../util/display-path.js';
import { fileProblem } from '../util/file-problem.js';
import { parseExceptionsFile } from './exceptions-file.js';
import type { Io } from './io.js';

/**
 * The catalogue at `file` (relative to io.cwd); `tz` overrides its time zone (--tz). The file must be a
 * regular file of at most 5 MB in valid UTF-8 (a Latin-1 catalogue is refused at its first non-UTF-8
 * byte, as exports are, instead of being read with replacement characters).
 */
export async function loadCatalogue(io: Io, file: string, tz?: string): Promise<Catalogue> {
  const absolute = path.resolve(io.cwd, file);
  const shown = displayPath(absolute, io.cwd);
  if (tz !== undefined && !isValidTimeZone(tz))
    throw new IsmsKpiError(
      problem(
        'usage',
        `--tz: unknown time zone ${quote(tz)} (use an IANA name such as Europe/Berlin or UTC)`,
      ),
    );
  const text = await io.readText(absolute, MAX_CATALOGUE_BYTES).catch((error: unknown) => {
    throw new IsmsKpiError(
      fileProblem(error, shown, {
        missing:
          'catalogue not found; give its path with --catalogue FILE, or run the command in the folder that holds metrics.yaml',
        directory: 'is a directory, not a catalogue file',
        tooLarge: `catalogue is larger than ${MAX_CATALOGUE_BYTES / 1024 / 1024} MB`,
      }),
    );
  });
  const parsed = parseCatalogue({ file: shown, text: text.replace(/^\uFEFF/, '') });
  if (!parsed.ok) throw new IsmsKpiError(parsed.problems);
  if (tz) parsed.catalogue.config.timezone = tz;
  await readExceptionsFile(io, parsed.catalogue, path.dirname(absolute));
  const actionsFile = await readActionsFile(io, parsed.catalogue, path.dirname(absolute));
  const compiled = compileCatalogue(parsed.catalogue, path.dirname(absolute));
  if (!compiled.ok) throw new IsmsKpiError(compiled.problems);
  if (actionsFile !== undefined) compiled.catalogue.actionsFile = actionsFile;
  return compiled.catalogue;
}

/**
 * `exceptions: { file: FILE }`: the register's rows that name a KPI become the block's entries (one model,
 * src/app/exceptions-file.ts), and the catalogue's checks of an entry are located at its row of the file.
 */
async function readExceptionsFile(io: Io, parsed: ParsedCatalogue, dir: string): Promise<void> {
  const given = parsed.config.exceptions;
  if (Array.isArray(given)) return;
  const absolute = path.resolve(dir, given.file);
  const shown = displayPath(absolute, io.cwd);
  const text = await io.readText(absolute, MAX_CATALOGUE_BYTES).catch((error: unknown) => {
    throw new IsmsKpiError(
      fileProblem(error, shown, {
        missing: `exceptions register not found (exceptions: { file: ${given.file} } in ${parsed.file}, relative to the catalogue's folder)`,
        directory: 'is a directory, not an exceptions register',
        tooLarge: `exceptions register is larger than ${MAX_CATALOGUE_BYTES / 1024 / 1024} MB`,
      }),
    );
  });
  const { entries, locations } = parseExceptionsFile(text.replace(/^\uFEFF/, ''), shown);
  parsed.config.exceptions = entries;
  const locate = parsed.locate.bind(parsed);
  parsed.locate = (at) =>
    at[0] === 'exceptions' && typeof at[1] === 'number' ? (locations[at[1]] ?? locate(at)) : locate(at);
}

/**
 * `actions: { file: FILE }`: the actions file (.yaml as actions.yaml is written, or .csv with the
 * `corrective-actions` preset's columns) becomes the block, read with the same schema as the block
 * (src/catalogue/actions.ts); the catalogue's checks of an action (an unknown KPI, an id used twice) are
 * located at its line of the file. Returns the file's absolute path, or undefined for a written list.
 */
async function readActionsFile(io: Io, parsed: ParsedCatalogue, dir: string): Promise<string | undefined> {
  const given = parsed.config.actions;
  if (Array.isArray(given)) return undefined;
  const absolute = path.resolve(dir, given.file);
  const shown = displayPath(absolute, io.cwd);
  const text = await io.readText(absolute, MAX_CATALOGUE_BYTES).catch((error: unknown) => {
    throw new IsmsKpiError(
      fileProblem(error, shown, {
        missing: `actions file not found (actions: { file: ${given.file} } in ${parsed.file}, relative to the catalogue's folder)`,
        directory: 'is a directory, not an actions file',
        tooLarge: `actions file is larger than ${MAX_CATALOGUE_BYTES / 1024 / 1024} MB`,
      }),
    );
  });
  const read = /\.csv$/i.test(absolute) ? readActionsCsv(text, shown) : readActionsYaml(text, shown);
  if (!read.ok) throw new IsmsKpiError(read.problems);
  parsed.config.actions = read.configs;
  const locate = parsed.locate.bind(parsed);
  parsed.locate = (at) =>
    at[0] === 'actions' && typeof at[1] === 'number' && typeof at[2] === 'string'
      ? read.locate(at[1], at[2] as keyof ActionConfig)
      : locate(at);
  return absolute;
}
