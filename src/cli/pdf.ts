/**
 * Prints the HTML report to PDF with a local Chromium or Chrome: the browser's own command line
 * (`--headless --print-to-pdf`), spawned with plain child_process; no DevTools client, no runtime
 * dependency, nothing downloaded.
 *
 * Decisions (issue 18):
 * - The running header and "page X of Y" come from the report's CSS page-margin boxes (html-style.ts),
 *   which Chromium prints since version 131; the browser's own header and footer (date, file URL) are
 *   switched off (`--no-pdf-header-footer`).
 * - The browser runs with a fresh profile in a temporary folder (removed afterwards, and on Ctrl-C), no
 *   first-run, no background networking, component updates or sync: it contacts nothing. As root,
 *   Chromium refuses to start without `--no-sandbox`, which is then added.
 * - A browser that has not finished after PRINT_TIMEOUT_MS is killed and the run fails (exit 2, nothing
 *   written); so does one that exits with an error or writes no PDF. The last line it wrote on stderr is
 *   shown.
 * - A PDF is never written to standard output (`--format pdf` is refused in src/app/report.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { IsmsKpiError, problem } from '../problems.js';

export const PRINT_TIMEOUT_MS = 120_000;

export interface PdfRequest {
  /** The browser program (src/app/browser.ts found it). */
  browser: string;
  html: string;
  /** The PDF being made, as the user named it: the location of any problem. */
  file: string;
  timeoutMs?: number;
  /** Told the temporary folder as soon as it exists (an interrupted run removes it). */
  onTemporary?: (dir: string) => void;
}

/** Headless, and nothing contacted: the browser tests and the screenshot script start Chromium so too. */
export const HEADLESS_FLAGS: readonly string[] = [
  '--headless',
  '--disable-gpu',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--disable-default-apps',
  '--disable-quic',
  '--mute-audio',
];

/** The flags every print runs with; the profile folder and the output are added per run. */
export function browserArgs(profile: string, pdf: string, isRoot: boolean): string[] {
  return [
    ...HEADLESS_FLAGS,
    ...(isRoot ? ['--no-sandbox'] : []),
    `--user-data-dir=${profile}`,
    '--no-pdf-header-footer',
    `--print-to-pdf=${pdf}`,
  ];
}

export async function printPdf(request: PdfRequest): Promise<Uint8Array> {
  const fail = (message: string) => new IsmsKpiError(problem('browser', message, { file: request.file }));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'isms-kpi-pdf-'));
  request.onTemporary?.(dir);
  try {
    const page = path.join(dir, 'report.html');
    const pdf = path.join(dir, 'report.pdf');
    await writeFile(page, request.html);
    const args = [
      ...browserArgs(path.join(dir, 'profile'), pdf, process.getuid?.() === 0),
      pathToFileURL(page).href,
    ];
    const timeoutMs = request.timeoutMs ?? PRINT_TIMEOUT_MS;
    const outcome = await run(request.browser, args, timeoutMs);
    const who = `the browser (${request.browser})`;
    if (outcome.kind === 'spawn-error') throw fail(`${who} could not be started: ${outcome.message}`);
    if (outcome.kind === 'timeout')
      throw fail(`${who} did not finish printing within ${timeoutMs / 1000} s and was stopped`);
    const said = outcome.lastLine ? `: ${outcome.lastLine}` : '';
    if (outcome.code !== 0)
      throw fail(
        `${who} failed (${outcome.signal ? `signal ${outcome.signal}` : `exit code ${outcome.code}`})${said}`,
      );
    const bytes = await readFile(pdf).catch(() => Buffer.alloc(0));
    if (!bytes.subarray(0, 5).equals(Buffer.from('%PDF-'))) throw fail(`${who} wrote no PDF${said}`);
    return bytes;
  } finally {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  }
}

type Outcome =
  | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null; lastLine: string }
  | { kind: 'timeout' }
  | { kind: 'spawn-error'; message: string };

/** Runs the browser; keeps the end of its stderr (Chromium logs freely there) to explain a failure. */
function run(program: string, args: string[], timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
    let tail = '';
    let isTimedOut = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      tail = (tail + chunk).slice(-4096);
    });
    const timer = setTimeout(() => {
      isTimedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ kind: 'spawn-error', message: error.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (isTimedOut) return resolve({ kind: 'timeout' });
      resolve({ kind: 'exit', code, signal, lastLine: lastMeaningfulLine(tail) });
    });
  });
}

/** The last line of stderr that is not one of Chromium's routine complaints (D-Bus, GPU). */
function lastMeaningfulLine(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/dbus|gpu|bytes written to file/i.test(l));
  const last = lines.at(-1) ?? '';
  return last.length > 300 ? `${last.slice(0, 300)}…` : last;
}
