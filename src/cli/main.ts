/**
 * The entry point: parses the command line (commands.ts), writes the use case's result (files
 * atomically, text on stdout, problems on stderr) and returns the exit code from the exit policy.
 * `main` does not exit and takes its streams and Io as arguments, so tests run the CLI in-process.
 * Errors are caught here, once: expected ones print one `error:` line per problem; anything else prints
 * one short line (a stack only with --debug).
 */
import { CommanderError } from 'commander';
import { type ExitCode, exitCode } from '../app/exit-policy.js';
import { nodeIo } from '../app/node-io.js';
import type { CommandResult, Document } from '../app/result.js';
import { formatDetail, formatProblem, IsmsKpiError, type Problem } from '../problems.js';
import { terminalSafe } from '../text.js';
import { stdoutProblem } from '../util/file-problem.js';
import { allocationProblem, isAllocationFailure } from '../util/memory.js';
import { buildProgram } from './commands.js';
import { stageEvidence } from './evidence-output.js';
import { processInterrupts, Temporaries } from './interrupt.js';
import {
  type CliIo,
  checkTargets,
  createFolders,
  guardedOutput,
  isClosedPipe,
  line,
  type Output,
  processStderr,
  processStdout,
  type Staged,
  stageFiles,
} from './output.js';
import { type PdfRequest, printPdf } from './pdf.js';

export type { CliIo };

/** Prints HTML to PDF (src/cli/pdf.ts); tests may pass another printer in the CliIo. */
type Printer = (request: PdfRequest) => Promise<Uint8Array>;

export function processIo(): CliIo {
  return { ...nodeIo(), stdout: processStdout(), stderr: processStderr(), onInterrupt: processInterrupts };
}

/**
 * Runs the command line `args` (without the node and script paths) and returns the exit code. Nothing
 * here exits the process or changes its working directory; bin/isms-kpi.js sets process.exitCode.
 * A failure to write stdout (a full disk behind `> q3.json`) is one `error: stdout: ...` line and exit 2,
 * whatever the command; a reader that went away (`| head`) is not an error.
 */
export async function main(args: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  const isDebug = args.includes('--debug');
  const stdout = guardedOutput(io.stdout);
  const cli: CliIo = { ...io, stdout };
  let result: CommandResult | undefined;
  const program = buildProgram(cli, async (task) => {
    result = await task();
  });
  let code: ExitCode;
  try {
    await program.parseAsync([...args], { from: 'user' });
    if (result) {
      await emit(result, cli);
      code = exitCode(result.outcome);
    } else code = exitCode({ command: 'done' });
  } catch (error) {
    code = handleError(error, io.stderr, isDebug);
  }
  const failure = await stdout.failure();
  if (failure === undefined || isClosedPipe(failure)) return code;
  printProblem(io.stderr, stdoutProblem(failure), 'error');
  if (isDebug && failure instanceof Error) line(io.stderr, failure.stack ?? '');
  return exitCode({ command: 'error' });
}

/**
 * Writes a use case's result: the files and the evidence pack (all or none: everything is staged under
 * temporary names, then moved into place), then stdout and stderr. An interrupted write phase removes
 * what it staged (interrupt.ts).
 */
async function emit(result: CommandResult, io: CliIo): Promise<void> {
  if (result.files) await checkTargets(result.files, io.cwd);
  if (result.folders) await createFolders(result.folders, io.cwd);
  const temporaries = new Temporaries();
  let stdout = result.stdout;
  const guard = io.onInterrupt?.(() => temporaries.removeAllSync());
  try {
    let evidence: Staged | undefined;
    let files: Staged | undefined;
    try {
      if (result.evidence)
        evidence = await stageEvidence(result.evidence.dir, result.evidence.write, io.cwd, temporaries);
      const late = result.afterEvidence?.();
      if (late?.stdout !== undefined) stdout = late.stdout;
      const documents = [...(result.files ?? []), ...(late?.files ?? [])];
      if (documents.length > 0)
        files = await stageFiles(
          await printed(documents, io.printPdf ?? printPdf, temporaries),
          io.cwd,
          temporaries,
        );
      if (evidence || files) await pauseForTests(io);
    } catch (error) {
      await evidence?.abort();
      await files?.abort();
      throw error;
    }
    const commit = async () => {
      try {
        await files?.commit();
      } catch (error) {
        await evidence?.abort();
        throw error;
      }
      await evidence?.commit();
    };
    await (guard ? guard.critical(commit) : commit());
  } finally {
    guard?.release();
  }
  // The last guard (src/text.ts): no control character leaves but line breaks, tabs and our colours.
  if (stdout !== undefined) io.stdout.write(terminalSafe(stdout, { colour: result.colour === true }));
  for (const p of result.problems) printProblem(io.stderr, p, p.severity === 'warning' ? 'warning' : 'error');
  for (const note of result.notes ?? []) line(io.stderr, note);
}

/** The documents with their PDFs printed (the browser's temporary folder is removed on Ctrl-C too). */
async function printed(
  files: readonly Document[],
  print: Printer,
  temporaries: Temporaries,
): Promise<Document[]> {
  const out: Document[] = [];
  for (const doc of files) {
    if (!doc.printWith || typeof doc.content !== 'string') {
      out.push(doc);
      continue;
    }
    let dir: string | undefined;
    try {
      const content = await print({
        browser: doc.printWith.browser,
        html: doc.content,
        file: doc.file,
        onTemporary: (d) => {
          dir = d;
          temporaries.add(d);
        },
      });
      out.push({ file: doc.file, content });
    } finally {
      if (dir) temporaries.delete(dir);
    }
  }
  return out;
}

/**
 * A test hook (tests/cli/signals.test.ts): with ISMS_KPI_TEST_PAUSE_MS set, the write phase says so on
 * stderr and waits that long (at most a minute) between staging the output and moving it into place, so
 * a test can interrupt it there. It changes nothing else.
 */
async function pauseForTests(io: CliIo): Promise<void> {
  const ms = Number(io.env.ISMS_KPI_TEST_PAUSE_MS);
  if (!(ms > 0)) return;
  line(io.stderr, 'paused before moving the output into place (ISMS_KPI_TEST_PAUSE_MS)');
  await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 60_000)));
}

function printProblem(stderr: Output, p: Problem, label: 'error' | 'warning'): void {
  line(stderr, `${label}: ${formatProblem(p)}`);
  for (const detail of formatDetail(p)) line(stderr, detail);
}

function handleError(error: unknown, stderr: Output, isDebug: boolean): ExitCode {
  if (error instanceof CommanderError) {
    // Help and version are "errors" to commander; they exit 0.
    const isDone = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
    return exitCode({ command: isDone ? 'done' : 'error' });
  }
  if (isAllocationFailure(error)) error = allocationProblem();
  if (error instanceof IsmsKpiError) {
    for (const p of error.problems) printProblem(stderr, p, p.severity === 'warning' ? 'warning' : 'error');
    if (isDebug) line(stderr, error.stack ?? '');
    return exitCode({ command: 'error' });
  }
  const message = error instanceof Error ? error.message : String(error);
  line(
    stderr,
    `error: unexpected failure: ${message}${isDebug ? '' : ' (run with --debug for details, and please report it)'}`,
  );
  if (isDebug && error instanceof Error) line(stderr, error.stack ?? '');
  return exitCode({ command: 'error' });
}
