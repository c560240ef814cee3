/**
 * The browser that prints `report --output FILE.pdf`: a locally installed Chromium or Chrome, named by
 * `--browser`, else by ISMS_KPI_BROWSER, else the first of BROWSER_NAMES found on PATH. isms-kpi never
 * downloads one. Found before any work is done, so a missing browser fails the run at once (exit 2,
 * nothing written).
 */
import path from 'node:path';
import { IsmsKpiError, problem } from '../problems.js';
import type { Io } from './io.js';

/** Looked for on PATH, in this order. */
export const BROWSER_NAMES = [
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
  'chrome',
] as const;

/** The browser's path; `file` is the PDF it is for, named in the error. */
export async function findBrowser(io: Io, option: string | undefined, file: string): Promise<string> {
  if (option !== undefined) return named(io, option, `--browser ${option}`, file);
  const fromEnv = io.env.ISMS_KPI_BROWSER;
  if (fromEnv !== undefined && fromEnv.trim() !== '')
    return named(io, fromEnv, `ISMS_KPI_BROWSER=${fromEnv}`, file);
  for (const name of BROWSER_NAMES) {
    const found = await onPath(io, name);
    if (found) return found;
  }
  throw new IsmsKpiError(
    problem(
      'browser',
      'no Chromium or Chrome found on PATH (chromium, chromium-browser, google-chrome, google-chrome-stable, chrome); install one, or name it with --browser PATH or ISMS_KPI_BROWSER',
      { file },
    ),
  );
}

/** A path (relative to the working directory) or, without a folder in it, a program name on PATH. */
async function named(io: Io, value: string, label: string, file: string): Promise<string> {
  const hasFolder = /[/\\]/.test(value);
  const found = hasFolder ? await regularFile(io, path.resolve(io.cwd, value)) : await onPath(io, value);
  if (found) return found;
  throw new IsmsKpiError(
    problem(
      'browser',
      `${label}: ${hasFolder ? 'no such file' : 'not found on PATH'}; give the path of a Chromium or Chrome program`,
      { file },
    ),
  );
}

async function onPath(io: Io, name: string): Promise<string | undefined> {
  const folders = (io.env.PATH ?? '').split(path.delimiter).filter((f) => f !== '');
  const names = process.platform === 'win32' && !/\.exe$/i.test(name) ? [`${name}.exe`, name] : [name];
  for (const folder of folders) {
    for (const n of names) {
      const found = await regularFile(io, path.resolve(io.cwd, folder, n));
      if (found) return found;
    }
  }
  return undefined;
}

async function regularFile(io: Io, file: string): Promise<string | undefined> {
  const info = await io.stat(file).catch(() => undefined);
  return info?.isFile ? file : undefined;
}
