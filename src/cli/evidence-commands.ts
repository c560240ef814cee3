/**
 * The commands that work on an evidence pack after `report --evidence` wrote it (issue 21): `reveal`
 * (the key holder re-identifies pseudonyms) and `sample` (an auditor's reproducible sample of a KPI's
 * population). Kept apart from commands.ts, which registers them.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Io } from '../app/io.js';
import type { CommandResult } from '../app/result.js';
import { reveal } from '../app/reveal.js';
import { SAMPLE_FORMATS, sample } from '../app/sample.js';
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

/** --size: a whole number of rows, 1 or more. */
function rows(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('expected a number of rows, 1 or more');
  return n;
}

export function sampleCommand(program: Command, { io, run }: { io: Io; run: Run }): void {
  program
    .command('sample')
    .argument('<kpi>', 'the KPI whose population (the rows it considered) to sample, e.g. AC-03', given)
    .description(
      "draw a reproducible random sample of a KPI's population from an evidence pack, for the auditor: written into the pack (samples/) with the seed and the population's size and SHA-256 (docs/sampling.md)",
    )
    .requiredOption('--evidence <dir>', 'the evidence pack (isms-kpi report --evidence DIR)', given)
    .requiredOption('-n, --size <n>', 'rows to draw (the whole population when it has fewer)', rows)
    .option(
      '--stratify <field>',
      'proportional allocation over the values of this field (largest remainder)',
      given,
    )
    .option('--seed <text>', "the seed (default: the SHA-256 of the pack's manifest.json)", given)
    .addOption(new Option('-f, --format <format>', 'output format').choices(SAMPLE_FORMATS).default('table'))
    .addHelpText(
      'after',
      `\nExamples:\n  $ isms-kpi sample AC-03 --size 25 --evidence audit/2026-Q3\n  $ isms-kpi sample BK-01 --size 40 --stratify job --evidence audit/2026-Q3\n  $ isms-kpi sample IR-02 --size 10 --seed "ISO 27001 audit 2026" --evidence audit/2026-Q3 --format csv\n\nThe same pack, KPI, size, field and seed always draw the same rows.\n\nExit codes:\n  0  drawn and written\n  2  unknown KPI, a changed or incomplete pack, an unknown field, or a usage error`,
    )
    .action((kpi: string, options) => run(() => sample(kpi, options, io)));
}
