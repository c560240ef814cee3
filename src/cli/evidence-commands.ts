/**
 * The commands that work on an evidence pack after `report --evidence` wrote it (issue 21): `reveal`
 * (the key holder re-identifies pseudonyms) and `sample` (an auditor's reproducible sample of a KPI's
 * population). Kept apart from commands.ts, which registers them.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Io } from '../app/io.js';
import type { CommandResult } from '../app/result.js';
import { reveal } from '../app/reveal.js';
import { REVEAL_FORMATS } from '../render/reveal.js';

type Run = (task: () => Promise<CommandResult> | CommandResult) => Promise<void>;

/** A value that must say something (an empty --field would match nothing, silently). */
function given(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('the value is empty');
  return value;
}

export function revealCommand(program: Command, { io, run }: { io: Io; run: Run }): void {
  program
    .command('reveal')
    .argument('<pack|csv>', 'a pseudonymised evidence pack (its folder) or one CSV file of it', given)
    .description(
      'the key holder re-identifies the pseudonyms of a pseudonymised evidence pack: recomputes the pseudonyms of candidate identifiers and prints those found (nothing is written)',
    )
    .requiredOption(
      '--candidates <file>',
      'identifiers to try: a CSV (the HR export, the original source, a list of names) or a JSON file',
      given,
    )
    .option(
      '--field <name>',
      'only this column of the CSV (or key path of the JSON records), e.g. upn',
      given,
    )
    .option(
      '--pseudonym-key-file <file>',
      'the key the pack was pseudonymised with (default: the environment variable ISMS_KPI_PSEUDONYM_KEY)',
      given,
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(REVEAL_FORMATS).default('table'))
    .addHelpText(
      'after',
      `\nExamples:\n  $ isms-kpi reveal audit/2026-Q3 --candidates hr/leavers.csv --field upn --pseudonym-key-file ~/.isms/pseudonym.key\n  $ isms-kpi reveal audit/2026-Q3/kpis/AC-01.csv --candidates exports/entra-users.csv --format csv\n\nThe mapping is printed, never written to a file. A pack whose manifest names another key\nfingerprint is refused.\n\nExit codes:\n  0  printed (pseudonyms without a candidate are listed as such)\n  2  no key, the wrong key, a missing or unreadable file, or a usage error`,
    )
    .action((target: string, options) => run(() => reveal(target, options, io)));
}
