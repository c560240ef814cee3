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
import type { CommandResult } from '../app/result.js';
import { formatProblem, IsmsKpiError, type Problem } from '../problems.js';
import { buildProgram } from './commands.js';
import { stageEvidence } from './evidence-output.js';
import {
  type CliIo,
  createFolders,
  line,
  type Output,
  processStderr,
  processStdout,
  writeFilesAtomically,
} from './output.js';

export type { CliIo };

export function processIo(): CliIo {
  return { ...nodeIo(), stdout: processStdout(), stderr: processStderr() };
}

/**
 * Runs the command line `args` (without the node and script paths) and returns the exit code. Nothing
 * here exits the process or changes its working directory; bin/isms-kpi.js sets process.exitCode.
 */
export async function main(args: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  const isDebug = args.includes('--debug');
  let result: CommandResult | undefined;
  const program = buildProgram(io, async (task) => {
    result = await task();
  });
  try {
    await program.parseAsync([...args], { from: 'user' });
    if (!result) return exitCode({ command: 'done' });
    await emit(result, io);
    return exitCode(result.outcome);
  } catch (error) {
    return handleError(error, io.stderr, isDebug);
  }
}

/** Writes a use case's result: the files (all or none) and the evidence pack, then stdout and stderr. */
async function emit(result: CommandResult, io: CliIo): Promise<void> {
  if (result.folders) await createFolders(result.folders, io.cwd);
  // Everything is staged before anything is moved into place, so a failure leaves no partial output.
  const staged = result.evidence
    ? await stageEvidence(result.evidence.dir, result.evidence.files, io.cwd)
    : undefined;
  try {
    if (result.files && result.files.length > 0) await writeFilesAtomically(result.files, io.cwd);
  } catch (error) {
    await staged?.abort();
    throw error;
  }
  await staged?.commit();
  if (result.stdout !== undefined) io.stdout.write(result.stdout);
  for (const p of result.problems) printProblem(io.stderr, p, p.severity === 'warning' ? 'warning' : 'error');
  for (const note of result.notes ?? []) line(io.stderr, note);
}

function printProblem(stderr: Output, p: Problem, label: 'error' | 'warning'): void {
  line(stderr, `${label}: ${formatProblem(p)}`);
  for (const detail of p.detail ?? []) line(stderr, detail);
}

function handleError(error: unknown, stderr: Output, isDebug: boolean): ExitCode {
  if (error instanceof CommanderError) {
    // Help and version are "errors" to commander; they exit 0.
    const isDone = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
    return exitCode({ command: isDone ? 'done' : 'error' });
  }
  if (error instanceof IsmsKpiError) {
    for (const p of error.problems) printProblem(stderr, p, 'error');
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
