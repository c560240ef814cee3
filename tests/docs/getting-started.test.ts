/**
 * docs/getting-started.md is run, so the guide cannot drift from the tool. Every line of a ```sh block
 * that starts with `isms-kpi` (or `$ isms-kpi`) is run in order, through the CLI in-process (its words
 * split as a shell would: quotes, `# comments`, `dir/*` globs), in a fresh temporary folder; `mkdir` and
 * `cd` lines are followed too.
 * Other lines (installing Node.js or the package, copying files from your Downloads folder) are not run.
 *
 * A command must exit 0 unless its line says otherwise in a comment: `# exits 1: some KPIs are red`.
 * The reader's own exports are stood in for by the vendor samples in fixtures/presets/, copied to
 * where the guide tells the reader to put theirs (OWN_EXPORTS below).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../helpers/cli.js';

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

/**
 * The words of a command line as a shell would pass them: a `# comment` ends it, quotes group, and a
 * word with `*` in its last part is expanded to the matching names in that folder (sorted).
 */
function shellWords(command: string, cwd: string): string[] {
  const words: string[] = [];
  for (const m of command.replace(/(^|\s)#.*$/, '').matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) {
    const word = m[1] ?? m[2] ?? m[3]!;
    if (m[3] === undefined || !word.includes('*')) {
      words.push(word);
      continue;
    }
    const dir = path.dirname(word);
    const pattern = new RegExp(
      `^${path
        .basename(word)
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    const names = readdirSync(path.resolve(cwd, dir)).filter((n) => !n.startsWith('.') && pattern.test(n));
    words.push(...names.sort().map((n) => (dir === '.' ? n : `${dir}/${n}`)));
  }
  return words;
}

let root: string;
let cwd: string;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-guide-'));
  cwd = root;
  const exports = path.join(root, OWN_EXPORTS);
  mkdirSync(exports, { recursive: true });
  for (const sample of SAMPLES)
    copyFileSync(path.join(REPO, 'fixtures', 'presets', sample), path.join(exports, sample));
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

  it.each(steps)('line $line: $command', async ({ command, expectedExit }) => {
    const cd = /^cd\s+(\S+)\s*(#.*)?$/.exec(command);
    if (cd) {
      const target = path.resolve(cwd, cd[1]!);
      expect(path.relative(root, target).startsWith('..'), 'the guide stays in its folder').toBe(false);
      expect(existsSync(target), `${cd[1]} exists`).toBe(true);
      cwd = target;
      return;
    }
    const [program, ...args] = shellWords(command, cwd);
    if (program === 'mkdir') {
      for (const dir of args.filter((a) => !a.startsWith('-')))
        mkdirSync(path.resolve(cwd, dir), { recursive: true });
      return;
    }
    expect(program).toBe('isms-kpi');
    const result = await runCli(args, { cwd });
    const output = `\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
    expect(result.status, `exit code of \`${command}\`${output}`).toBe(expectedExit);
    // An error line is expected only where the guide says the command fails with an error (exit 2).
    if (expectedExit !== 2) expect(result.stderr, output).not.toMatch(/^error:/m);
  });
});

describe('extracting the commands', () => {
  it('splits a command line into words as a shell does', () => {
    expect(shellWords(`isms-kpi report --owner "SOC lead" --period 2026-Q2   # exits 1`, REPO)).toEqual([
      'isms-kpi',
      'report',
      '--owner',
      'SOC lead',
      '--period',
      '2026-Q2',
    ]);
    expect(shellWords('isms-kpi detect fixtures/reports/2026-Q*', REPO)).toEqual([
      'isms-kpi',
      'detect',
      'fixtures/reports/2026-Q2.json',
      'fixtures/reports/2026-Q3-changed-definition.json',
      'fixtures/reports/2026-Q3.json',
    ]);
  });

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
