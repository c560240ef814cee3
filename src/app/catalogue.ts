/** Reading metrics.yaml through the Io, then parsing and compiling it (src/catalogue/ never reads files). */
import path from 'node:path';
import { type Catalogue, compileCatalogue } from '../catalogue/compile.js';
import { parseCatalogue } from '../catalogue/parse.js';
import { IsmsKpiError } from '../problems.js';
import { displayPath } from '../util/display-path.js';
import { fileProblem } from '../util/file-problem.js';
import type { Io } from './io.js';

/** The catalogue at `file` (relative to io.cwd); `tz` overrides its time zone (--tz). */
export async function loadCatalogue(io: Io, file: string, tz?: string): Promise<Catalogue> {
  const absolute = path.resolve(io.cwd, file);
  const shown = displayPath(absolute, io.cwd);
  const text = await io.readText(absolute).catch((error: unknown) => {
    throw new IsmsKpiError(
      fileProblem(error, shown, {
        missing:
          'catalogue not found; give its path with --catalogue FILE, or run the command in the folder that holds metrics.yaml',
        directory: 'is a directory, not a catalogue file',
      }),
    );
  });
  const parsed = parseCatalogue({ file: shown, text: text.replace(/^\uFEFF/, '') });
  if (!parsed.ok) throw new IsmsKpiError(parsed.problems);
  if (tz) parsed.catalogue.config.timezone = tz;
  const compiled = compileCatalogue(parsed.catalogue, path.dirname(absolute));
  if (!compiled.ok) throw new IsmsKpiError(compiled.problems);
  return compiled.catalogue;
}
