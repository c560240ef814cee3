/**
 * docs/troubleshooting.md promises every error message and exit code with its fix. This keeps it
 * honest: a new Problem code, a new fixed message, a new command or a new exit code that the page
 * does not mention fails here. (Messages built from values, like `unknown field "x"`, cannot be
 * matched literally; their codes are.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const doc = readFileSync(path.join(REPO, 'docs', 'troubleshooting.md'), 'utf8');
const read = (file: string) => readFileSync(path.join(REPO, file), 'utf8');

/** The members of the ProblemCode union in src/problems.ts. */
function problemCodes(): string[] {
  const union = /export type ProblemCode =([^;]+);/.exec(read('src/problems.ts'))?.[1] ?? '';
  return [...union.matchAll(/'([a-z-]+)'/g)].map((m) => m[1]!);
}

/** Messages written as one fixed string: `problem('code', 'message'` and `fail('code', file, 'message'`. */
function fixedMessages(): { file: string; code: string; message: string }[] {
  const files = readdirSync(path.join(REPO, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join('src', f));
  return files.flatMap((file) =>
    [
      ...read(file).matchAll(/\b(?:problem|fail)\(\s*'([a-z-]+)',\s*(?:[A-Za-z.]+,\s*)?'((?:[^'\\]|\\.)*)'/g),
    ].map((m) => ({ file, code: m[1]!, message: m[2]!.replace(/\\(.)/g, '$1') })),
  );
}

describe('docs/troubleshooting.md', () => {
  it('has a section for every Problem code', () => {
    const codes = problemCodes();
    expect(codes.length).toBeGreaterThan(20);
    const missing = codes.filter((code) => !new RegExp(`^#{3,4} \`${code}\``, 'm').test(doc));
    expect(missing, 'add a "#### `code`" section with the messages, cause and fix').toEqual([]);
  });

  it('quotes every fixed error message', () => {
    const messages = fixedMessages();
    expect(messages.length).toBeGreaterThan(10);
    const missing = messages
      .filter((m) => !doc.includes(m.message))
      .map((m) => `${m.file} ${m.code}: ${m.message}`);
    expect(missing).toEqual([]);
  });

  it('explains exit codes 0, 1 and 2, and names every command', () => {
    for (const code of [0, 1, 2]) expect(doc).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
    const commands = [...read('src/cli/commands.ts').matchAll(/\.command\('([a-z-]+)'\)/g)].map((m) => m[1]!);
    expect(commands).toContain('report');
    const exitSection = doc.slice(doc.indexOf('## Exit codes'), doc.indexOf('## Installation'));
    const missing = commands.filter((c) => !exitSection.includes(`\`${c}\``));
    expect(missing, 'name the command in the "Exit codes" section').toEqual([]);
  });

  it('matches the exit codes of the exit policy', () => {
    const exitCodes = read('src/app/exit-policy.ts');
    expect(exitCodes).toMatch(/EXIT_OK = 0\b/);
    expect(exitCodes).toMatch(/EXIT_FAIL_LEVEL = 1\b/);
    expect(exitCodes).toMatch(/EXIT_ERROR = 2\b/);
  });

  it('covers installation, --debug and unexpected failures', () => {
    expect(doc).toMatch(/^## Installation$/m);
    expect(doc).toContain('--debug');
    expect(doc).toContain('error: unexpected failure:');
  });
});
