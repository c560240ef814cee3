/**
 * docs/getting-started.md is run, so the guide cannot drift from the tool. Every line of a ```sh block
 * that starts with `isms-kpi` (or `$ isms-kpi`) is run in order, by bash, against the built CLI (an
 * `isms-kpi` shim first on PATH), in a fresh temporary folder; `mkdir` and `cd` lines are followed too.
 * Other lines (installing Node.js or the package, copying files from your Downloads folder) are not run.
 *
 * A command must exit 0 unless its line says otherwise in a comment: `# exits 1: some KPIs are red`.
 * The reader's own exports are stood in for by the vendor samples in fixtures/presets/, copied to
 * where the guide tells the reader to put theirs (OWN_EXPORTS below).
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const GUIDE = path.join(REPO, 'docs', 'getting-started.md');

/** Where the guide tells readers to put their exports, relative to the folder the guide starts in. */
const OWN_EXPORTS = 'my-kpis/exports';
/** The samples that stand in for them: one export each of a ticketing, identity and scanning tool. */
const SAMPLES = ['jira-issues.csv', 'entra-users.csv', 'aws-iam-credential-report.csv', 'nessus.csv'];

interface Step {
  /** 1-based line in the guide, for messages. */
  line: number;
  command: string;
  expectedExit: number;
}

/** The runnable lines of the guide's ```sh blocks, with the exit code each is documented to have. */
function extractSteps(markdown: string): Step[] {
  const steps: Step[] = [];
  const lines = markdown.split('\n');
  /** undefined outside a fenced block; inside, whether it is a shell block. */
  let isShell: boolean | undefined;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (isShell === undefined) {
      const opening = /^\s*```\s*([\w-]*)/.exec(text);
      if (opening) isShell = ['sh', 'shell', 'bash'].includes(opening[1]!);
      continue;
    }
    if (/^\s*```\s*$/.test(text)) {
      isShell = undefined;
      continue;
    }
    if (!isShell) continue;
    let command = text.trim().replace(/^\$\s+/, '');
    const start = i + 1;
    while (command.endsWith('\\') && i + 1 < lines.length)
      command = `${command.slice(0, -1)} ${lines[++i]!.trim()}`;
    if (!/^(isms-kpi|mkdir|cd)(\s|$)/.test(command)) continue;
    const exits = /#\s*exits\s+(\d+)/.exec(command);
    steps.push({ line: start, command, expectedExit: exits ? Number(exits[1]) : 0 });
  }
  return steps;
}

const steps = extractSteps(readFileSync(GUIDE, 'utf8'));

let root: string;
let cwd: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-guide-'));
  cwd = root;
  const shims = path.join(root, '.bin');
  mkdirSync(shims);
  const shim = path.join(shims, 'isms-kpi');
  writeFileSync(
    shim,
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(REPO, 'bin', 'isms-kpi.js'))} "$@"\n`,
  );
  chmodSync(shim, 0o755);
  const exports = path.join(root, OWN_EXPORTS);
  mkdirSync(exports, { recursive: true });
  for (const sample of SAMPLES)
    copyFileSync(path.join(REPO, 'fixtures', 'presets', sample), path.join(exports, sample));
  env = { ...process.env, PATH: `${shims}${path.delimiter}${process.env.PATH ?? ''}`, NO_COLOR: '1' };
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('docs/getting-started.md', () => {
  it('has commands to run, including init and report', () => {
    const commands = steps.map((s) => s.command);
    expect(commands.length).toBeGreaterThanOrEqual(5);
    expect(commands.some((c) => /^isms-kpi init\b/.test(c))).toBe(true);
    expect(commands.some((c) => /^isms-kpi report\b/.test(c))).toBe(true);
  });

  it.each(steps)('line $line: $command', ({ command, expectedExit }) => {
    const cd = /^cd\s+(\S+)\s*(#.*)?$/.exec(command);
    if (cd) {
      const target = path.resolve(cwd, cd[1]!);
      expect(path.relative(root, target).startsWith('..'), 'the guide stays in its folder').toBe(false);
      expect(existsSync(target), `${cd[1]} exists`).toBe(true);
      cwd = target;
      return;
    }
    const result = spawnSync('bash', ['-c', command], { cwd, env, encoding: 'utf8', timeout: 60_000 });
    const output = `\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
    expect(result.status, `exit code of \`${command}\`${output}`).toBe(expectedExit);
    // An error line is expected only where the guide says the command fails with an error (exit 2).
    if (expectedExit !== 2) expect(result.stderr, output).not.toMatch(/^error:/m);
  });
});

describe('extracting the commands', () => {
  it('reads sh blocks only, joins continued lines, strips "$ " and reads the documented exit code', () => {
    const markdown = [
      '```yaml',
      'isms-kpi report',
      '```',
      '```sh',
      '$ isms-kpi report --period 2026-Q2   # exits 1: some KPIs are red',
      'npm install -g isms-kpi',
      'isms-kpi validate \\',
      '  --max-problems 5',
      '```',
    ].join('\n');
    expect(extractSteps(markdown)).toEqual([
      {
        line: 5,
        command: 'isms-kpi report --period 2026-Q2   # exits 1: some KPIs are red',
        expectedExit: 1,
      },
      { line: 7, command: 'isms-kpi validate  --max-problems 5', expectedExit: 0 },
    ]);
  });
});
