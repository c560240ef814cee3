/**
 * The one way tests run the CLI.
 *
 * - `runCli(args, { cwd, env })` runs `main()` of src/cli/main.ts IN-PROCESS, with the given working
 *   directory and environment passed through the Io (nothing changes process.cwd() or process.env), and
 *   captures stdout, stderr and the exit code. Fast, and it tests the sources, not a build.
 * - `spawnCli(args, { cwd, env })` runs the built binary `bin/isms-kpi.js` (which loads dist/; `npm test`
 *   builds first) in a child process, for the few end-to-end tests of the real process: --version, a
 *   report, worker threads, a closed pipe.
 *
 * Both set NO_COLOR=1 and drop FORCE_COLOR, COLUMNS and TERM (which decide colours and the table's
 * width) unless the caller's env says otherwise. Unless the arguments
 * include --debug, both fail the test when any output holds a stack trace.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { nodeIo } from '../../src/app/node-io.js';
import { type CliIo, main } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = path.join(REPO, 'bin', 'isms-kpi.js');

export interface CliResult {
  /** The exit code. */
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Working directory (default: the repository root). */
  cwd?: string;
  /** Added to (in-process: replaces) the environment; NO_COLOR=1 unless given. */
  env?: Record<string, string | undefined>;
  /** In-process only: whether stdout and stderr claim to be a terminal (default false). */
  isTTY?: boolean;
  /** In-process only: the width stdout reports as a terminal. */
  columns?: number;
  /** In-process only: a fixed clock. */
  now?: number;
  /** In-process only: the writer behind stdout (e.g. one that fails like a full disk); default captured. */
  stdout?: Output;
}

function environment(extra: CliOptions['env'] = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...extra };
  for (const name of ['FORCE_COLOR', 'COLUMNS', 'TERM']) if (!(name in extra)) delete env[name];
  return env;
}

function noStackTrace(args: readonly string[], result: CliResult): CliResult {
  if (!args.includes('--debug')) {
    expect(result.stdout, `stdout of ${args.join(' ')}`).not.toContain('    at ');
    expect(result.stderr, `stderr of ${args.join(' ')}`).not.toContain('    at ');
  }
  return result;
}

/** Runs the CLI in this process; `status` is the exit code main() returned. */
export async function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const isTTY = options.isTTY === true;
  const io: CliIo = {
    ...nodeIo({
      cwd: options.cwd ?? REPO,
      env: environment(options.env),
      ...(options.now !== undefined ? { now: options.now } : {}),
    }),
    stdout: options.stdout ?? {
      write: (text) => {
        stdout += text;
      },
      isTTY,
      ...(options.columns !== undefined ? { columns: options.columns } : {}),
    },
    stderr: {
      write: (text) => {
        stderr += text;
      },
      isTTY,
    },
  };
  const status = await main(args, io);
  return noStackTrace(args, { status, stdout, stderr });
}

/** Runs the built binary (or `bin`, e.g. of an installed copy) in a child process; build first. */
export function spawnCli(
  args: readonly string[],
  options: Omit<CliOptions, 'isTTY' | 'columns' | 'now' | 'stdout'> & { bin?: string } = {},
): CliResult {
  const r = spawnSync(process.execPath, [options.bin ?? BIN, ...args], {
    cwd: options.cwd ?? REPO,
    env: environment(options.env) as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return noStackTrace(args, { status: r.status, stdout: r.stdout, stderr: r.stderr });
}
