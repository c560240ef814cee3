/**
 * `isms-kpi completion bash|zsh`: the scripts are generated from the commander program tree, so they are
 * checked by running them: the bash script is sourced in bash and asked what it completes, the zsh
 * script is parsed by zsh. The CLI runs in-process.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Argument, Command, Option } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionScript } from '../../src/cli/completion.js';
import { runCli } from '../helpers/cli.js';

const hasShell = (shell: string) => spawnSync(shell, ['-c', 'exit 0']).status === 0;
const HAS_BASH = hasShell('bash');
const HAS_ZSH = hasShell('zsh');

async function cli(args: string[]) {
  const { status, stdout, stderr } = await runCli(args);
  return { code: status, stdout, stderr };
}

/** `work` is the folder completions run in; the scripts are kept elsewhere so they are not completed. */
let work: string;
let scripts: string;
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-completion-'));
  scripts = mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-completion-scripts-'));
  writeFileSync(path.join(work, 'q2.json'), '{}');
  writeFileSync(path.join(work, 'q3.json'), '{}');
  mkdirSync(path.join(work, 'reports'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(scripts, { recursive: true, force: true });
});

/**
 * Sources `script` in bash and returns what it completes for each command line; the last word of each
 * line is the one being completed ("" for a new word).
 */
function bashComplete(script: string, lines: string[][]): string[][] {
  const file = path.join(scripts, `completion-${Math.random().toString(36).slice(2)}.bash`);
  writeFileSync(file, script);
  const quote = (w: string) => `'${w.replaceAll("'", `'\\''`)}'`;
  const calls = lines.map(
    (words) =>
      `COMP_WORDS=(${words.map(quote).join(' ')}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); ` +
      `"$(complete -p ${words[0]} | sed -E 's/.*-F ([^ ]+).*/\\1/')"; printf '%s\\n' "\${COMPREPLY[*]}"`,
  );
  const result = spawnSync('bash', ['--norc', '-c', `source ${quote(file)}\n${calls.join('\n')}`], {
    cwd: work,
    encoding: 'utf8',
  });
  expect(result.stderr).toBe('');
  return result.stdout
    .split('\n')
    .slice(0, lines.length)
    .map((line) =>
      line
        .split(' ')
        .filter((w) => w !== '')
        .sort(),
    );
}

describe('the generator follows the program tree', () => {
  const program = () => {
    const p = new Command().name('toy').option('--debug', 'debug');
    p.command('fetch')
      .description("fetch things: it's quick")
      .addOption(new Option('-m, --mode <mode>', 'how').choices(['fast', 'slow']))
      .option('--out <file>', 'where')
      .argument('<dir>', 'a folder');
    p.command('send').addArgument(new Argument('<target>', 'where').choices(['mail', 'chat']));
    return p;
  };

  it.skipIf(!HAS_BASH)('bash completes commands, options, choices, files and folders of any program', () => {
    const [top, options, mode, out, dir, target] = bashComplete(completionScript(program(), 'bash'), [
      ['toy', ''],
      ['toy', 'fetch', '--'],
      ['toy', 'fetch', '--mode', ''],
      ['toy', 'fetch', '--out', ''],
      ['toy', 'fetch', '-m', 'fast', ''],
      ['toy', '--debug', 'send', ''],
    ]);
    expect(top).toEqual(['--debug', '--help', 'fetch', 'help', 'send']);
    expect(options).toEqual(['--debug', '--help', '--mode', '--out']);
    expect(mode).toEqual(['fast', 'slow']);
    expect(out).toEqual(['q2.json', 'q3.json', 'reports'].sort());
    expect(dir).toEqual(['reports']);
    expect(target).toEqual(['chat', 'mail']);
  });

  it.skipIf(!HAS_ZSH)('zsh parses the script, quotes included', () => {
    const file = path.join(scripts, '_toy');
    writeFileSync(file, completionScript(program(), 'zsh'));
    const result = spawnSync('zsh', ['-n', file], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('zsh gets every command with its description and every option with its values', async () => {
    const script = completionScript(program(), 'zsh');
    expect(script).toMatch(/^#compdef toy\n/);
    expect(script).toContain("'fetch:fetch things: it'\\''s quick'");
    expect(script).toContain("'(-m --mode)'{-m,--mode}'[how]:mode:(fast slow)'");
    expect(script).toContain("'--out[where]:file:_files'");
    expect(script).toContain("'1:dir:_files -/'");
    expect(script).toContain("'1:target:(mail chat)'");
  });
});

describe('isms-kpi completion', () => {
  const helpCommands = async () =>
    [...(await cli(['--help'])).stdout.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!).sort();

  it.skipIf(!HAS_BASH)(
    'bash completes every command that --help lists, and every option of each (each --help has examples)',
    async () => {
      const { code, stdout } = await cli(['completion', 'bash']);
      expect(code).toBe(0);
      const commands = await helpCommands();
      expect(commands).toContain('report');
      expect(commands).toContain('completion');
      const lines = [['isms-kpi', ''], ...commands.map((c) => ['isms-kpi', c, '--'])];
      const [top, ...perCommand] = bashComplete(stdout, lines);
      expect(top!.filter((w) => !w.startsWith('-'))).toEqual(commands);
      for (const [index, command] of commands.entries()) {
        // `help --help` is the program's own help, whose options (--version) belong before a command.
        if (command === 'help') continue;
        const help = (await cli([command, '--help'])).stdout;
        expect(help, `${command} --help has examples`).toMatch(
          new RegExp(`\\nExamples:\\n {2}\\$ (?:source <\\()?isms-kpi ${command}\\b`),
        );
        const longOptions = [
          ...new Set([...help.matchAll(/(?:^|[ ,])(--[a-z][a-z-]*)/gm)].map((m) => m[1]!)),
        ];
        const optionsSection = help.split(/^Options:$/m)[1]?.split(/^\S/m)[0] ?? '';
        const declared = longOptions.filter((o) => optionsSection.includes(o));
        expect(declared.length, `${command} has options`).toBeGreaterThan(0);
        for (const option of declared) expect(perCommand[index], `${command} ${option}`).toContain(option);
      }
    },
  );

  it.skipIf(!HAS_BASH)(
    'bash completes option values from the choices and files for file options',
    async () => {
      const { stdout } = await cli(['completion', 'bash']);
      const [formats, failOn, shells, catalogue, diffNew] = bashComplete(stdout, [
        ['isms-kpi', 'report', '--format', ''],
        ['isms-kpi', '--no-color', 'report', '--fail-on', 'a'],
        ['isms-kpi', 'completion', ''],
        ['isms-kpi', 'validate', '-c', 'q'],
        ['isms-kpi', 'diff', 'q2.json', 'q'],
      ]);
      expect(formats).toEqual([
        'ciso-assistant',
        'csv',
        'html',
        'json',
        'junit',
        'markdown',
        'oscal',
        'table',
      ]);
      expect(failOn).toEqual(['amber']);
      expect(shells).toEqual(['bash', 'zsh']);
      expect(catalogue).toEqual(['q2.json', 'q3.json']);
      expect(diffNew).toEqual(['q2.json', 'q3.json']);
    },
  );

  it('zsh: a #compdef script naming every command', async () => {
    const { code, stdout } = await cli(['completion', 'zsh']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^#compdef isms-kpi\n/);
    for (const command of await helpCommands()) expect(stdout).toContain(`\n    '${command}:`);
    if (HAS_ZSH) {
      const file = path.join(scripts, '_isms-kpi');
      writeFileSync(file, stdout);
      expect(spawnSync('zsh', ['-n', file], { encoding: 'utf8' }).status).toBe(0);
    }
  });

  it('an unknown shell is a usage error (exit 2) naming the choices', async () => {
    const { code, stdout, stderr } = await cli(['completion', 'fish']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain("'fish' is invalid for argument 'shell'. Allowed choices are bash, zsh.");
  });

  it('has examples in its --help', async () => {
    expect((await cli(['completion', '--help'])).stdout).toMatch(
      /Examples:\n {2}\$ source <\(isms-kpi completion bash\)/,
    );
  });
});
