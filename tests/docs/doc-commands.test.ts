/**
 * The guides quote many `isms-kpi` commands that the tests cannot run as they are (they need a CI
 * server, a browser, or your exports). This checks what can be checked without running them: every
 * quoted command exists, and every option it uses is one that command (or the program) declares in
 * its --help. Runs the CLI in-process for the help texts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../helpers/cli.js';

const DOCS = [
  'README.md',
  'docs/getting-started.md',
  'docs/ci-recipes.md',
  'docs/management-review.md',
  'docs/troubleshooting.md',
  'docs/catalogue.md',
  'docs/evidence.md',
];

/** The --help text of the program ('') and of each command, read once before the tests. */
const helpCache = new Map<string, string>();
function help(command?: string): string {
  return helpCache.get(command ?? '') ?? '';
}

const commands = () => [...help().matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!);

beforeAll(async () => {
  helpCache.set('', (await runCli(['--help'])).stdout);
  for (const command of commands()) helpCache.set(command, (await runCli([command, '--help'])).stdout);
});
const options = (text: string) =>
  new Set([...text.matchAll(/(?:^|[ ,])(--?[a-zA-Z][a-z-]*)/gm)].map((m) => m[1]!));

interface Use {
  doc: string;
  line: number;
  command: string;
  options: string[];
}

/** The code of a markdown document: fenced blocks and inline code spans, each with its line. */
function codeLines(markdown: string): { line: number; code: string }[] {
  const out: { line: number; code: string }[] = [];
  let isFenced = false;
  markdown.split('\n').forEach((text, index) => {
    if (/^\s*```/.test(text)) {
      isFenced = !isFenced;
      return;
    }
    if (isFenced) out.push({ line: index + 1, code: text });
    else for (const m of text.matchAll(/`([^`]+)`/g)) out.push({ line: index + 1, code: m[1]! });
  });
  return out;
}

/**
 * Each `isms-kpi COMMAND ...` that starts a shell command: at the start of the code, or after `;`,
 * `&&`, `||` or `|`, optionally after `$ `, a YAML `- ` or `run: `, or `npx`. Quoted values and `$(...)`
 * are arguments, not options, and are blanked first; a redirection or comment ends the command.
 */
function uses(doc: string): Use[] {
  const markdown = readFileSync(path.join(REPO, doc), 'utf8').replace(/\\\n\s*/g, ' ');
  return codeLines(markdown).flatMap(({ line, code }) =>
    code
      .replace(/\$\([^)]*\)|"[^"]*"|'[^']*'/g, 'VALUE')
      .split(/;|&&|\|\||\|/)
      .map((segment) => segment.replace(/^\s*(?:\$\s+|-\s+|run:\s+)?(?:npx\s+(?:--yes\s+)?)?/, ''))
      .flatMap((segment) => {
        const m = /^isms-kpi(?:@[\d.]+)?\s+([a-z][a-z-]*)([^>#]*)/.exec(segment);
        if (!m) return [];
        const options = [...m[2]!.matchAll(/(?:^|\s)(--?[a-zA-Z][a-z-]*)/g)].map((o) => o[1]!);
        return [{ doc, line, command: m[1]!, options }];
      }),
  );
}

describe('isms-kpi commands quoted in the documentation', () => {
  const all = DOCS.flatMap(uses);

  it('are found', () => {
    expect(all.length).toBeGreaterThan(40);
  });

  it('name existing commands', () => {
    const known = new Set(commands());
    expect(known.has('report')).toBe(true);
    const unknown = all.filter((u) => !known.has(u.command)).map((u) => `${u.doc}:${u.line}: ${u.command}`);
    expect(unknown).toEqual([]);
  });

  it('use only options their command declares', () => {
    const global = options(help().split(/^Commands:$/m)[0]!);
    const wrong = all.flatMap((u) => {
      const declared = options(help(u.command).split(/^Examples:$/m)[0]!);
      return u.options
        .filter((o) => !declared.has(o) && !global.has(o))
        .map((o) => `${u.doc}:${u.line}: isms-kpi ${u.command} ${o}`);
    });
    expect(wrong).toEqual([]);
  });
});
