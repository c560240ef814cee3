/** Runs the built CLI (npm test builds it first) with NO_COLOR=1 and returns stdout, stderr and the exit code. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO } from './bundled.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], cwd = REPO): CliResult {
  const result = spawnSync(process.execPath, [path.join(REPO, 'bin', 'isms-kpi.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
