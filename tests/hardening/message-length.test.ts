/**
 * Issue 15.11: no message quotes a whole header or value. `path: /proc/self/environ` printed the whole
 * environment in "the header has ..." (every CI secret in the log); non-regular files are refused now, but
 * any file whose first line is huge did the same. Each quoted value is cut at QUOTE_MAX characters, a list
 * of names at LIST_MAX ("... and N more"), and formatProblem cuts any message at MESSAGE_MAX: the lines
 * stay short whatever the file holds, in every format of validate and in report's errors.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIST_MAX, MESSAGE_MAX, QUOTE_MAX } from '../../src/text.js';
import { writeProject } from '../formula/harness.js';
import { runCli } from '../helpers/cli.js';

/** A line of output: the message, its location (a short file name, a column cut at 2 * QUOTE_MAX), a prefix. */
const LONGEST_LINE = MESSAGE_MAX + 4 * QUOTE_MAX + 100;

const SECRET = 'AWS_SECRET_ACCESS_KEY=';
const MB = 1024 * 1024;

function catalogue(file: string, fields: string): string {
  return `organisation: T
timezone: UTC
sources:
  s:
    path: ${file}
    kind: snapshot
    as_of: 2026-09-30
    fields:
${fields}
kpis:
  - id: K-1
    name: K
    owner: o
    cadence: quarterly
    unit: count
    formula: count(s)
`;
}

const MISSING = '      a: { column: nothere, required: true }\n      b: { column: nothere2 }';

let dir: string;
beforeAll(() => {
  const wide = Array.from({ length: 5000 }, (_, i) => `col${i}_${'w'.repeat(200)}`);
  dir = writeProject({
    // one header cell of 1 MB: a file that is not an export at all (an environment dump, a log)
    'big-header.csv': `${SECRET}${'x'.repeat(MB)}\n1\n`,
    'big-header.yaml': catalogue('big-header.csv', MISSING),
    // 5,000 columns of 205 characters
    'wide.csv': `${wide.join(',')}\n${wide.map(() => '1').join(',')}\n`,
    'wide.yaml': catalogue('wide.csv', MISSING),
    // a number column holding 1 MB of text
    'big-value.csv': `n\n${SECRET}${'v'.repeat(MB)}\n`,
    'big-value.yaml': catalogue('big-value.csv', '      n: { column: n, type: number }'),
    // an object where records were expected: its keys and message are shown, cut short
    'big-object.json': JSON.stringify({ [`${SECRET}${'k'.repeat(MB)}`]: 1, message: 'm'.repeat(MB) }),
    'big-object.yaml': catalogue('big-object.json', '      a: { column: a }'),
  });
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function expectShort(text: string, what: string): void {
  const lines = text.split('\n');
  const longest = Math.max(...lines.map((l) => l.length));
  expect(longest, `${what}: longest line`).toBeLessThanOrEqual(LONGEST_LINE);
  expect(text.length, `${what}: all output`).toBeLessThan(12_000);
  // The tail of a huge value never appears: at most QUOTE_MAX characters of it are quoted.
  expect(text, what).not.toMatch(/[xvkmw]{400}/);
}

describe('messages quote at most a few names and a short piece of each value (issue 15.11)', () => {
  it.each(['big-header', 'wide', 'big-value', 'big-object'])(
    '%s: validate in every format, report',
    async (name) => {
      const catalogueFile = `${name}.yaml`;
      for (const args of [
        ['validate', '-c', catalogueFile, '--period', '2026-Q3'],
        ['validate', '-c', catalogueFile, '--period', '2026-Q3', '-f', 'json'],
        ['validate', '-c', catalogueFile, '--period', '2026-Q3', '-f', 'github'],
        ['report', '-c', catalogueFile, '--period', '2026-Q3', '--fail-on', 'never'],
      ]) {
        const r = await runCli(args, { cwd: dir });
        // Something was reported about the file (or the run would prove nothing).
        expect(`${r.stdout}${r.stderr}`, args.join(' ')).toMatch(/header|expected|keys|rejected/);
        expectShort(`${r.stdout}${r.stderr}`, args.join(' '));
      }
    },
  );

  it('what the short messages say: the header cut, the first names of a wide header and how many more', async () => {
    const big = await runCli(['report', '-c', 'big-header.yaml', '--period', '2026-Q3'], { cwd: dir });
    expect(big.status).toBe(2);
    expect(big.stderr).toContain(
      `required column "nothere" (field a) is not in the header; the header has "${SECRET}${'x'.repeat(QUOTE_MAX - SECRET.length)}..."`,
    );
    const wide = await runCli(['report', '-c', 'wide.yaml', '--period', '2026-Q3'], { cwd: dir });
    expect(wide.stderr).toContain(`"col0_${'w'.repeat(QUOTE_MAX - 5)}...", `);
    expect(wide.stderr).toContain(`, ... and ${(5000 - LIST_MAX).toLocaleString('en-US')} more`);
    const value = await runCli(['validate', '-c', 'big-value.yaml', '--period', '2026-Q3'], { cwd: dir });
    expect(value.stdout).toContain(
      `expected a number, got "${SECRET}${'v'.repeat(QUOTE_MAX - SECRET.length)}..."`,
    );
    // The JSON format carries the same messages, and the location's column cut as formatProblem cuts it.
    const json = JSON.parse(
      (await runCli(['validate', '-c', 'big-header.yaml', '--period', '2026-Q3', '-f', 'json'], { cwd: dir }))
        .stdout,
    );
    const messages = json.sources.flatMap((s: { problems: { message: string }[] }) =>
      s.problems.map((p) => p.message),
    );
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) expect(message.length).toBeLessThanOrEqual(MESSAGE_MAX + 40);
  });

  it('a message longer than MESSAGE_MAX by itself (a long list in the catalogue) is cut, saying how much', async () => {
    const fields = Array.from({ length: 400 }, (_, i) => `      field_${i}_${'f'.repeat(20)}: c${i}`).join(
      '\n',
    );
    const project = writeProject({
      'metrics.yaml': catalogue('x.csv', fields).replace(
        'formula: count(s)',
        'formula: count(s, nothere > 1)',
      ),
    });
    try {
      const r = await runCli(['validate', '--catalogue-only'], { cwd: project });
      expect(r.status).toBe(2);
      const text = `${r.stdout}${r.stderr}`;
      expect(text).toMatch(
        /unknown field "nothere" in source s; its fields are field_0_f+, .*\.\.\. \([\d,]+ more characters\)/,
      );
      expectShort(text, 'validate --catalogue-only');
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});
