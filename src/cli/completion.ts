// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the scripts are shell code, where ${...} is a parameter expansion.
/**
 * Shell completion scripts, generated from the commander program tree when they are asked for, so a
 * new command or option is completed without anyone remembering to update a hand-written script.
 * The functions return text; main.ts writes it.
 */
import type { Argument, Command, Option } from 'commander';

export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

/** What the value after an option (or a positional argument) is: completed as a file, a folder, a choice. */
type ValueKind =
  | { kind: 'none' }
  | { kind: 'file' }
  | { kind: 'dir' }
  | { kind: 'choices'; values: string[] };

interface ArgumentSpec {
  name: string;
  value: ValueKind;
  isVariadic: boolean;
}

interface OptionSpec {
  names: string[];
  description: string;
  takesValue: boolean;
  /** The option's placeholder (`file`, `period`), shown by zsh while a value is typed. */
  placeholder: string;
  isRepeatable: boolean;
  value: ValueKind;
}

interface CommandSpec {
  name: string;
  aliases: string[];
  description: string;
  options: OptionSpec[];
  /** The positional arguments, in order. */
  args: ArgumentSpec[];
}

interface ProgramSpec {
  name: string;
  options: OptionSpec[];
  commands: CommandSpec[];
}

/**
 * The placeholder in an option's flags says what it takes: `<file>`, `<report.json>` and `<file|dir>` are
 * paths, `<dir>` is a folder, anything else (`<period>`, `<n>`) is typed by hand.
 */
function valueKind(placeholder: string, choices: readonly string[] | undefined): ValueKind {
  if (choices && choices.length > 0) return { kind: 'choices', values: [...choices] };
  const name = placeholder.toLowerCase();
  if (name.includes('file') || /\.[a-z]+$/.test(name)) return { kind: 'file' };
  if (name.includes('dir') || name.includes('folder')) return { kind: 'dir' };
  return { kind: 'none' };
}

function optionSpec(option: Option): OptionSpec {
  const takesValue = option.required || option.optional;
  const placeholder = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1] ?? '';
  return {
    names: [option.short, option.long].filter((n): n is string => n !== undefined),
    description: option.description,
    takesValue,
    placeholder,
    isRepeatable: option.variadic || Array.isArray(option.defaultValue),
    value: takesValue ? valueKind(placeholder, option.argChoices) : { kind: 'none' },
  };
}

/** A positional argument's name is often a role (`<old>`), so its description says what it is as well. */
function argumentSpec(argument: Argument): ArgumentSpec {
  let value = valueKind(argument.name(), argument.argChoices);
  if (value.kind === 'none') {
    const description = argument.description.toLowerCase();
    if (/\b(folder|directory)\b/.test(description)) value = { kind: 'dir' };
    else if (/\b(file|json|csv|report|export)s?\b/.test(description)) value = { kind: 'file' };
  }
  return { name: argument.name(), value, isVariadic: argument.variadic };
}

/** The visible commands and options, as `--help` shows them (the help option and command included). */
export function describeProgram(program: Command): ProgramSpec {
  const help = program.createHelp();
  return {
    name: program.name(),
    options: help.visibleOptions(program).map(optionSpec),
    commands: help.visibleCommands(program).map((command) => ({
      name: command.name(),
      aliases: command.aliases(),
      description: command.description(),
      options: help.visibleOptions(command).map(optionSpec),
      args:
        command.name() === 'help'
          ? [
              {
                name: 'command',
                value: { kind: 'choices', values: help.visibleCommands(program).map((c) => c.name()) },
                isVariadic: false,
              },
            ]
          : command.registeredArguments.map(argumentSpec),
    })),
  };
}

export function completionScript(program: Command, shell: Shell): string {
  const spec = describeProgram(program);
  return shell === 'bash' ? bashScript(spec) : zshScript(spec);
}

/** The program's own options that also work after a command (--no-color, --debug; not --version or --help). */
const inherited = (options: readonly OptionSpec[]) =>
  options.filter((o) => !o.names.includes('--version') && !o.names.includes('--help'));

// ---------------------------------------------------------------- bash

/** A word list for `compgen -W`, single-quoted for the shell. */
const words = (list: readonly string[]) => shellQuote(list.join(' '));
const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
const functionName = (name: string) => `_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;

function bashValue(value: ValueKind, fn: string): string {
  switch (value.kind) {
    case 'choices':
      return `COMPREPLY=($(compgen -W ${words(value.values)} -- "$cur"))`;
    case 'file':
      return `${fn}_paths -f`;
    case 'dir':
      return `${fn}_paths -d`;
    case 'none':
      return 'COMPREPLY=()';
  }
}

/** `case "$prev"` branches completing the value of each option that takes one. */
function bashOptionValues(options: readonly OptionSpec[], indent: string, fn: string): string[] {
  return options
    .filter((o) => o.takesValue)
    .map((o) => `${indent}${o.names.join('|')}) ${bashValue(o.value, fn)}; return ;;`);
}

function bashCommand(command: CommandSpec, global: readonly OptionSpec[], fn: string): string[] {
  const options = [...command.options, ...inherited(global)];
  const names = options.flatMap((o) => o.names.filter((n) => n.startsWith('--')));
  const args = command.args;
  const lines = [`    ${[command.name, ...command.aliases].join('|')})`, '      case "$prev" in'];
  lines.push(...bashOptionValues(options, '        ', fn));
  lines.push('      esac');
  lines.push(
    `      if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W ${words(names)} -- "$cur")); return; fi`,
  );
  if (args.length === 0) {
    lines.push('      COMPREPLY=()');
  } else {
    // Positional arguments are counted after the command word, skipping options and their values.
    const valueOptions = options.filter((o) => o.takesValue).flatMap((o) => o.names);
    lines.push(`      ${fn}_position ${words(valueOptions)}`);
    lines.push('      case "$position" in');
    args.forEach((arg, index) => {
      const isLast = index === args.length - 1;
      lines.push(`        ${isLast && arg.isVariadic ? '*' : String(index)}) ${bashValue(arg.value, fn)} ;;`);
    });
    if (!args.at(-1)?.isVariadic) lines.push('        *) COMPREPLY=() ;;');
    lines.push('      esac');
  }
  lines.push('      ;;');
  return lines;
}

function bashScript(spec: ProgramSpec): string {
  const fn = functionName(spec.name);
  const topWords = [
    ...spec.commands.flatMap((c) => [c.name, ...c.aliases]),
    ...spec.options.flatMap((o) => o.names.filter((n) => n.startsWith('--'))),
  ];
  const globalValueOptions = spec.options.filter((o) => o.takesValue).flatMap((o) => o.names);
  const lines = [
    `# bash completion for ${spec.name}, generated by \`${spec.name} completion bash\`.`,
    `# Load it in the current shell:   source <(${spec.name} completion bash)`,
    `# or for every new shell:         ${spec.name} completion bash > ~/.local/share/bash-completion/completions/${spec.name}`,
    '',
    `${fn}_paths() {`,
    "  local IFS=$'\\n'",
    '  compopt -o filenames 2>/dev/null',
    '  COMPREPLY=($(compgen "$1" -- "$cur"))',
    '}',
    '',
    '# Sets $position: how many positional arguments precede the word being completed.',
    `${fn}_position() {`,
    '  local value_options=" $1 " i word skip=0',
    '  position=0',
    '  for ((i = cmd_index + 1; i < COMP_CWORD; i++)); do',
    '    word="${COMP_WORDS[i]}"',
    '    if ((skip)); then skip=0; continue; fi',
    '    case "$word" in',
    '      --*=*) ;;',
    '      -*) [[ "$value_options" == *" $word "* ]] && skip=1 ;;',
    '      *) position=$((position + 1)) ;;',
    '    esac',
    '  done',
    '}',
    '',
    `${fn}() {`,
    '  local cur prev cmd="" cmd_index=0 position i skip=0',
    '  cur="${COMP_WORDS[COMP_CWORD]}"',
    '  prev="${COMP_WORDS[COMP_CWORD-1]}"',
    `  local global_value_options=${shellQuote(` ${globalValueOptions.join(' ')} `)}`,
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    if ((skip)); then skip=0; continue; fi',
    '    case "${COMP_WORDS[i]}" in',
    '      -*) [[ "$global_value_options" == *" ${COMP_WORDS[i]} "* ]] && skip=1 ;;',
    '      *) cmd="${COMP_WORDS[i]}"; cmd_index=$i; break ;;',
    '    esac',
    '  done',
    '  case "$cmd" in',
    '    "")',
    '      case "$prev" in',
    ...bashOptionValues(spec.options, '        ', fn),
    '      esac',
    `      COMPREPLY=($(compgen -W ${words(topWords)} -- "$cur"))`,
    '      ;;',
    ...spec.commands.flatMap((c) => bashCommand(c, spec.options, fn)),
    '  esac',
    '}',
    '',
    `complete -F ${fn} ${spec.name}`,
    '',
  ];
  return lines.join('\n');
}

// ---------------------------------------------------------------- zsh

/** Text inside single quotes; `[`, `]` and `\\` are escaped for _arguments, and `:` where it separates. */
const zshText = (text: string, isColonSpecial = false) =>
  text.replace(isColonSpecial ? /[\\[\]:']/g : /[\\[\]']/g, (c) => (c === "'" ? `'\\''` : `\\${c}`));

function zshValue(value: ValueKind, label: string): string {
  switch (value.kind) {
    case 'choices':
      return `:${label}:(${value.values.map((v) => zshText(v, true)).join(' ')})`;
    case 'file':
      return `:${label}:_files`;
    case 'dir':
      return `:${label}:_files -/`;
    case 'none':
      return `:${label}: `;
  }
}

function zshOption(option: OptionSpec): string {
  const description = zshText(option.description.split('\n')[0] ?? '');
  const value = option.takesValue ? zshValue(option.value, zshText(option.placeholder, true)) : '';
  const repeat = option.isRepeatable ? '*' : '';
  if (option.names.length === 1) return `'${repeat}${option.names[0]}[${description}]${value}'`;
  const exclusion = option.isRepeatable ? '' : `(${option.names.join(' ')})`;
  const braces = `{${option.names.join(',')}}`;
  return `'${exclusion}${repeat}'${braces}'[${description}]${value}'`;
}

function zshScript(spec: ProgramSpec): string {
  const fn = functionName(spec.name);
  const commandEntries = spec.commands.flatMap((c) =>
    [c.name, ...c.aliases].map((name) => `    '${zshText(name, true)}:${zshText(c.description)}'`),
  );
  const lines = [
    `#compdef ${spec.name}`,
    `# zsh completion for ${spec.name}, generated by \`${spec.name} completion zsh\`.`,
    `# Load it in the current shell:   source <(${spec.name} completion zsh)`,
    `# or for every new shell:         ${spec.name} completion zsh > "\${fpath[1]}/_${spec.name}"`,
    '',
    `${fn}() {`,
    '  local curcontext="$curcontext" state line',
    '  typeset -A opt_args',
    '  local -a commands',
    '  commands=(',
    ...commandEntries,
    '  )',
    '  _arguments -C \\',
    ...spec.options.map((o) => `    ${zshOption(o)} \\`),
    "    '1: :->command' \\",
    "    '*:: :->args'",
    '  case $state in',
    '    command)',
    `      _describe -t commands '${spec.name} command' commands`,
    '      ;;',
    '    args)',
    '      case $line[1] in',
  ];
  const globals = inherited(spec.options);
  for (const command of spec.commands) {
    const specs = [
      ...command.options.map(zshOption),
      ...globals.map(zshOption),
      ...command.args.map(
        (arg, index) =>
          `'${arg.isVariadic ? '*' : String(index + 1)}${zshValue(arg.value, zshText(arg.name, true))}'`,
      ),
    ];
    lines.push(`        ${[command.name, ...command.aliases].join('|')})`);
    lines.push(`          _arguments \\`);
    specs.forEach((s, index) => {
      lines.push(`            ${s}${index < specs.length - 1 ? ' \\' : ''}`);
    });
    lines.push('          ;;');
  }
  lines.push(
    '      esac',
    '      ;;',
    '  esac',
    '}',
    '',
    `if [ "$funcstack[1]" = "${fn}" ]; then`,
    `  ${fn} "$@"`,
    'else',
    `  compdef ${fn} ${spec.name}`,
    'fi',
    '',
  );
  return lines.join('\n');
}
