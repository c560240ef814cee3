/**
 * The commands, options and help texts (commander). Each command's action calls its use case in
 * src/app/ and hands the result to `run`; main.ts writes it and turns its outcome into the exit code.
 */
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { actionsCommand } from '../app/actions.js';
import { auditCatalogue } from '../app/audit.js';
import { diff, trend } from '../app/compare.js';
import { detect } from '../app/detect.js';
import { checkPackOptions } from '../app/evidence-options.js';
import { explain } from '../app/explain.js';
import { init } from '../app/init.js';
import { list } from '../app/list.js';
import { presets } from '../app/presets.js';
import { report, reportTargets } from '../app/report.js';
import { type ReportPeriodsOptions, reportPeriods } from '../app/report-periods.js';
import type { CommandResult } from '../app/result.js';
import { review } from '../app/review.js';
import { validate } from '../app/validate.js';
import { ACTIONS_FORMATS } from '../render/actions.js';
import { AUDIT_FORMATS } from '../render/audit.js';
import { DETECT_FORMATS } from '../render/detect.js';
import { DIFF_FORMATS } from '../render/diff.js';
import { FORMATS } from '../render/index.js';
import { LIST_FORMATS } from '../render/list.js';
import { PRESETS_FORMATS } from '../render/presets.js';
import { DEFAULT_WIDTH } from '../render/table.js';
import { TREND_FORMATS } from '../render/trend.js';
import { type RejectedTolerance, VALIDATE_FORMATS } from '../render/validate.js';
import { terminalSafe } from '../text.js';
import { TOOL_VERSION } from '../version.js';
import { completionScript, SHELLS, type Shell } from './completion.js';
import { revealCommand, sampleCommand } from './evidence-commands.js';
import { checkEvidenceTarget } from './evidence-output.js';
import type { CliIo } from './output.js';
import { progressPrinter } from './progress.js';
import { SIGNIFICANCE_HELP, significanceLevel } from './significance.js';
import { isColorTerminal, MIN_WIDTH, terminalWidth } from './terminal.js';
import { verifyCommand } from './verify-command.js';

const EXIT_CODES_HELP = `
Exit codes:
  0  the run completed and no KPI reached the --fail-on level
  1  at least one KPI is at or beyond the --fail-on level (default: red)
  2  usage, catalogue or input error (nothing is written)`;

/**
 * Refuses an empty value, which would otherwise mean something else: `--history ''` read the current
 * folder, `--period ""` the default period, `trend ''` the current folder.
 */
function nonEmpty(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('the value is empty');
  return value;
}

function integer(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError('expected a whole number');
  return n;
}

/** --width: a whole number of columns; below MIN_WIDTH no table fits. */
function width(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < MIN_WIDTH)
    throw new InvalidArgumentError(`expected a number of columns, ${MIN_WIDTH} or more`);
  return n;
}

function percent(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError('expected a percentage of 0 or more, e.g. 0.5');
  return n;
}

/** --max-rejected: `5` (rows) or `2%` (of the rows read), per source. */
function rejectedTolerance(value: string): RejectedTolerance {
  const text = value.trim();
  const match = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  if (match) {
    const percent = Number(match[1]);
    if (percent <= 100) return { percent };
  } else if (/^\d+$/.test(text)) {
    return { rows: Number(text) };
  }
  throw new InvalidArgumentError(
    'expected a number of rows, e.g. 5, or a percentage of the rows read, e.g. 2%',
  );
}

const collect = (value: string, previous: string[]) => [...previous, nonEmpty(value)];

function periodOptions(command: Command): Command {
  return command
    .option('-c, --catalogue <file>', 'the KPI catalogue', nonEmpty, 'metrics.yaml')
    .option(
      '-p, --period <period>',
      "reporting period: 2026-Q3, 2026-09, 2026-H2, 2026, 2026-W38, FY2026-Q1 (default: the catalogue's, else the last complete quarter)",
      nonEmpty,
    )
    .option('--from <date>', 'first day of a custom period (yyyy-MM-dd)', nonEmpty)
    .option('--to <date>', 'last day of a custom period (yyyy-MM-dd)', nonEmpty)
    .option('--tz <zone>', "time zone for periods and zone-less dates (default: the catalogue's)", nonEmpty)
    .option(
      '--as-of <date>',
      'date the snapshot exports reflect, for snapshots whose catalogue entry does not say (docs/catalogue.md, "As of")',
      nonEmpty,
    )
    .option(
      '--today <date>',
      'take this day (yyyy-MM-dd) as today: the default period, and whether the period has ended (default: the clock)',
      nonEmpty,
    );
}

/** Runs one command's use case and keeps its result; `main` writes it once parsing is done. */
export type Run = (task: () => Promise<CommandResult> | CommandResult) => Promise<void>;

/** What each command's wiring needs: the Io, where results go, and whether stdout gets colours. */
export interface Context {
  io: CliIo;
  run: Run;
  colorWanted: (command: Command) => boolean;
}

export function buildProgram(io: CliIo, run: Run): Command {
  const program = new Command();
  // Set before the subcommands are added: commander copies these settings into each of them, so a usage
  // error after a subcommand also exits 2 (not 1, which means "a KPI is red").
  program.exitOverride();
  // Commander quotes what was typed ("unknown option '...'"): made inert like every other output.
  program.configureOutput({
    writeOut: (text) => io.stdout.write(terminalSafe(text)),
    writeErr: (text) => io.stderr.write(terminalSafe(text)),
  });
  const colorWanted = (command: Command): boolean =>
    command.optsWithGlobals().color !== false && isColorTerminal(io.env, io.stdout.isTTY);
  program
    .name('isms-kpi')
    .description(
      'Measure ISO 27001 KPIs (clause 9.1) from the exports of your ticketing, identity, backup and vulnerability tools.',
    )
    .version(TOOL_VERSION, '-V, --version')
    .option('--no-color', 'plain output without colours (also NO_COLOR=1)')
    .option('--debug', 'show stack traces for unexpected errors')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `\nExamples:\n  $ isms-kpi report                       # the catalogue's period, as a table\n  $ isms-kpi report --period 2026-Q3 --output q3.json\n  $ isms-kpi validate                     # check the catalogue and every export\n  $ isms-kpi explain IR-02                # how one number was computed\n${EXIT_CODES_HELP}`,
    );

  const context: Context = { io, run, colorWanted };
  for (const add of [
    reportCommand,
    validateCommand,
    listCommand,
    explainCommand,
    diffCommand,
    trendCommand,
    auditCommand,
    actionsCommandSpec,
    reviewCommandSpec,
    initCommand,
    detectCommand,
    presetsCommand,
    verifyCommand,
    revealCommand,
    sampleCommand,
    completionCommand,
  ])
    add(program, context);
  return program;
}

function reportCommand(program: Command, context: Context): void {
  const command = periodOptions(
    program.command('report').description('evaluate the KPIs for a period and print or save the report'),
  )
    .addOption(
      // The choices (help, shell completion) are the formats stdout takes; `pdf` passes the parser only
      // to be refused by report() with the message that says to use --output.
      new Option('-f, --format <format>', 'format printed to stdout (a PDF only with --output)')
        .choices(FORMATS)
        .argParser((value: string) => {
          if (value === 'pdf' || (FORMATS as readonly string[]).includes(value)) return value;
          throw new InvalidArgumentError(`Allowed choices are ${FORMATS.join(', ')}.`);
        }),
    )
    .option(
      '-o, --output <file>',
      'write the report to a file, format from the extension: .txt (table), .json, .csv, .md (markdown), .html, .xml (junit), .oscal.json (OSCAL assessment results), .ciso-assistant.csv (CISO Assistant import), .pdf (the HTML printed by Chromium or Chrome); repeatable',
      collect,
      [],
    )
    .option(
      '--periods <first..last>',
      'a saved JSON report for each period of a range, e.g. 2025-Q1..2026-Q3 (months, quarters, halves or years), written to --output-dir as <period>.json',
      nonEmpty,
    )
    .option('--output-dir <dir>', 'the folder --periods writes its reports to (created if missing)', nonEmpty)
    .option(
      '--browser <path>',
      'the Chromium or Chrome that prints .pdf outputs (default: ISMS_KPI_BROWSER, else chromium, chromium-browser, google-chrome, google-chrome-stable or chrome on PATH)',
      nonEmpty,
    );
  evidenceOptions(command)
    .option(
      '--history <file|dir>',
      'an earlier saved JSON report, or a folder of them, drawn in the trend lines of the HTML report; the one of the previous period gives the trend verdicts (repeatable)',
      collect,
      [],
    )
    .option(
      '--baseline <report.json>',
      "a saved JSON report to show each KPI's change since (instead of the catalogue's baseline)",
      nonEmpty,
    )
    .option(
      '--actions <file>',
      "corrective actions (.yaml or .csv) whose effectiveness verdicts go into the report (default: actions.yaml beside the catalogue, else the catalogue's actions: block or actions: { file })",
      nonEmpty,
    )
    .option('-k, --kpi <id>', 'only this KPI (repeatable)', collect, [])
    .option('--owner <text>', 'only KPIs whose owner contains this text', nonEmpty)
    .option('--tag <tag>', 'only KPIs with this tag or area (repeatable)', collect, [])
    .option(
      '--control <ref>',
      'only KPIs mapped to this control, e.g. A.5.24 or A.8 (repeatable)',
      collect,
      [],
    )
    .addOption(
      new Option(
        '--fail-on <level>',
        'exit 1 when any KPI is at this level or worse; JUnit failures and the Markdown verdict count the same KPIs',
      )
        .choices(['red', 'amber', 'never'])
        .default('red'),
    )
    .option(
      '--oscal-findings',
      'OSCAL output: add a finding per Annex A control, satisfied or not-satisfied from the worst status of its KPIs (docs/report-format.md)',
    )
    .option(
      '--timestamp',
      'record the time of the run in the report (reports are otherwise byte-for-byte reproducible)',
    )
    .option('-q, --quiet', 'no progress or "wrote" messages on stderr')
    .option(
      '--width <columns>',
      `characters per line of the table format (default: the terminal's width, else $COLUMNS, else ${DEFAULT_WIDTH}); also for .txt files`,
      width,
    )
    .option('--significance <level|off>', SIGNIFICANCE_HELP, significanceLevel)
    .option(
      '--intervals',
      'show each value with its confidence interval in the table, Markdown and HTML: 87.5 % [52.9-97.8] (the JSON report always has them)',
    )
    .addHelpText(
      'after',
      `\nExamples:\n  $ isms-kpi report --period 2026-Q2\n  $ isms-kpi report --format json > q3.json\n  $ isms-kpi report --output reports/2026-Q3.json --output reports/2026-Q3.html\n  $ isms-kpi report --output review-2026-Q3.pdf                # A4, printed by a local Chromium or Chrome\n  $ isms-kpi report --format markdown >> "$GITHUB_STEP_SUMMARY"\n  $ isms-kpi report --output kpis.xml --fail-on amber          # JUnit for the CI server: failures = KPIs that fail the run\n  $ isms-kpi report --evidence audit/2026-Q3 --output audit/2026-Q3.json\n  $ isms-kpi report --evidence audit/2026-Q3 --previous audit/2026-Q2 --sign isms-kpi-signing.pem   # chained and signed (docs/evidence.md)\n  $ isms-kpi report --evidence audit/2026-Q3 --output audit/2026-Q3.oscal.json --oscal-findings   # OSCAL assessment results\n  $ isms-kpi report --output audit-2026-Q3.ciso-assistant.csv   # for CISO Assistant's data import (ISO/IEC 27001:2022 audit)\n  $ isms-kpi report --control A.8.13 --fail-on amber\n  $ isms-kpi report --periods 2025-Q1..2026-Q3 --output-dir reports/   # history: one JSON report per quarter (exit 0; --fail-on does not apply)\n${EXIT_CODES_HELP}`,
    )
    .action((options, command: Command) => context.run(() => runReport(options, command, context)));
}

/** `report --evidence DIR` and what the pack can be: chained, signed, pseudonymised. */
function evidenceOptions(command: Command): Command {
  return command
    .option(
      '--evidence <dir>',
      'write the audit evidence pack to this folder: manifest.json, the rows behind each KPI, the rejected rows of each source',
      nonEmpty,
    )
    .option(
      '--previous <manifest>',
      "with --evidence: the previous pack's manifest.json (or its folder), whose sha256 the new manifest records, so the packs form a chain that isms-kpi verify checks",
      nonEmpty,
    )
    .option(
      '--sign <key.pem>',
      'with --evidence: sign manifest.json with this Ed25519 private key (PKCS#8 PEM; passphrase of an encrypted key in ISMS_KPI_SIGNING_PASSPHRASE), writing manifest.json.sig',
      nonEmpty,
    )
    .option(
      '--pseudonymise',
      'in the --evidence pack, replace the values of personal fields (user names, e-mail addresses, ...) with keyed pseudonyms (docs/evidence-privacy.md)',
    )
    .option(
      '--pseudonym-key-file <file>',
      'the key of --pseudonymise (default: the environment variable ISMS_KPI_PSEUDONYM_KEY)',
      nonEmpty,
    );
}

async function runReport(
  options: Omit<ReportPeriodsOptions, 'color'>,
  command: Command,
  { io, colorWanted }: Context,
) {
  checkPackOptions(options);
  if (options.periods !== undefined || options.outputDir !== undefined) {
    const progress = progressPrinter(io.stderr, options.quiet === true || io.env.TERM === 'dumb');
    try {
      return await reportPeriods(
        {
          ...options,
          color: false,
          ...(progress.onProgress ? { onProgress: progress.onProgress } : {}),
        },
        io,
      );
    } finally {
      progress.done();
    }
  }
  const targets = await reportTargets(options, io);
  if (options.evidence !== undefined) await checkEvidenceTarget(options.evidence, io.cwd);
  const progress = progressPrinter(io.stderr, options.quiet === true || io.env.TERM === 'dumb');
  try {
    const columns = terminalWidth(io.env, io.stdout);
    return await report(
      {
        ...options,
        ...(columns !== undefined ? { terminalWidth: columns } : {}),
        color: colorWanted(command),
        ...(progress.onProgress ? { onProgress: progress.onProgress } : {}),
      },
      targets,
      io,
    );
  } finally {
    progress.done();
  }
}

function validateCommand(program: Command, { io, run }: Context): void {
  periodOptions(
    program
      .command('validate')
      .description('check the catalogue and every source export; list rejected rows with file and line'),
  )
    .option('--max-problems <n>', 'problems to list (table and github formats)', integer, 20)
    .option(
      '--max-rejected <n|p%>',
      'rejected rows tolerated per source before exit 1: a number of rows (5) or a percentage of the rows read (2%)',
      rejectedTolerance,
    )
    .option(
      '--catalogue-only',
      'check the catalogue (schema, presets, formulas) without reading any export: exit 0 or 2',
    )
    .option('-q, --quiet', 'no progress on stderr while exports are read')
    .addOption(
      new Option(
        '-f, --format <format>',
        'output format: table, json (the sources, counts and problems as data), github (workflow annotations)',
      )
        .choices(VALIDATE_FORMATS)
        .default('table'),
    )
    .addHelpText(
      'after',
      `\nExamples:\n  $ isms-kpi validate\n  $ isms-kpi validate --period 2026-Q2 --max-problems 100\n  $ isms-kpi validate --max-rejected 1%       # tolerate up to 1 % rejected rows in each export\n  $ isms-kpi validate --catalogue-only        # a pull request that changes metrics.yaml\n  $ isms-kpi validate --format github         # annotations on the lines of the exports in a GitHub Actions run\n\nExit codes:\n  0  the catalogue and every export are valid (rejected rows within --max-rejected)\n  1  data problems in an export: rejected rows beyond --max-rejected, rows with more or fewer\n     cells than the header, an export that is missing or cannot be read (a required column is\n     missing, ...); a missing optional column is a warning that passes\n  2  the catalogue has errors, or a usage error`,
    )
    .action((options) =>
      run(async () => {
        const progress = progressPrinter(io.stderr, options.quiet === true);
        try {
          return await validate(
            { ...options, ...(progress.onProgress ? { onProgress: progress.onProgress } : {}) },
            io,
          );
        } finally {
          progress.done();
        }
      }),
    );
}

function listCommand(program: Command, { io, run }: Context): void {
  program
    .command('list')
    .description('list the KPIs of the catalogue: id, name, owner, cadence, controls, sources')
    .option('-c, --catalogue <file>', 'the KPI catalogue', nonEmpty, 'metrics.yaml')
    .addOption(new Option('-f, --format <format>', 'output format').choices(LIST_FORMATS).default('table'))
    .addHelpText('after', '\nExamples:\n  $ isms-kpi list\n  $ isms-kpi list --format json')
    .action((options) => run(() => list(options, io)));
}

function explainCommand(program: Command, { io, run }: Context): void {
  periodOptions(
    program
      .command('explain')
      .argument('<id>', 'KPI id, e.g. IR-02', nonEmpty)
      .description(
        'show how a KPI was computed: its formula, the rows each step counted and the rows it did not count (with the reason), and the KPIs it uses',
      ),
  )
    .option('--sample <n>', 'rows to list of those counted and of those not counted, per step', integer, 5)
    .option('--all', 'list every row counted and not counted (instead of --sample rows)')
    .option('--significance <level|off>', SIGNIFICANCE_HELP, significanceLevel)
    .addHelpText(
      'after',
      '\nExamples:\n  $ isms-kpi explain IR-02\n  $ isms-kpi explain AC-01 --period 2026-Q2 --sample 20\n  $ isms-kpi explain AC-02 --all',
    )
    .action((id: string, options) => run(() => explain(id, options, io)));
}

function diffCommand(program: Command, { io, run }: Context): void {
  program
    .command('diff')
    .argument('<old>', 'the earlier saved JSON report', nonEmpty)
    .argument('<new>', 'the later saved JSON report', nonEmpty)
    .description(
      'compare two saved JSON reports: values, statuses, segments, definition and evidence drift (docs/diff.md)',
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(DIFF_FORMATS).default('table'))
    .option(
      '--tolerance <pct>',
      'changes within this percent are "unchanged" (relative; absolute for |old value| < 1)',
      percent,
      0.5,
    )
    .option('--fail-on-regression', "exit 1 when a comparable KPI's status got worse (green > amber > red)")
    .option(
      '--strict',
      "exit 1 when a comparable KPI's value got worse beyond the tolerance and the change is significant (or cannot be tested)",
    )
    .option('--significance <level|off>', SIGNIFICANCE_HELP, significanceLevel)
    .addHelpText(
      'after',
      `\nExamples:\n  $ isms-kpi diff reports/2026-Q2.json reports/2026-Q3.json\n  $ isms-kpi diff q2.json q3.json --format markdown --fail-on-regression\n\nExit codes:\n  0  compared (and nothing regressed where asked)\n  1  --fail-on-regression: a status got worse; --strict: a value got worse beyond the tolerance,\n     significantly (docs/diff.md)\n  2  a file is missing, not JSON, not an isms-kpi report, or of another schema version`,
    )
    .action((oldFile: string, newFile: string, options) => run(() => diff(oldFile, newFile, options, io)));
}

function trendCommand(program: Command, { io, run }: Context): void {
  program
    .command('trend')
    .argument('<dir>', 'a folder of saved JSON reports', nonEmpty)
    .description('a KPI-by-period matrix of values and statuses from the saved JSON reports in a folder')
    .addOption(new Option('-f, --format <format>', 'output format').choices(TREND_FORMATS).default('table'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ isms-kpi trend reports/\n  $ isms-kpi trend reports/ --format csv > trend.csv',
    )
    .action((dir: string, options) => run(() => trend(dir, options, io)));
}

function auditCommand(program: Command, { io, run }: Context): void {
  program
    .command('audit-catalogue')
    .description(
      'check the measurement programme: Annex A coverage against a Statement of Applicability, overdue reviews of measures, vanity, never-measured and always-stale KPIs, the mix of measure types',
    )
    .option('-c, --catalogue <file>', 'the KPI catalogue', nonEmpty, 'metrics.yaml')
    .option(
      '--soa <file>',
      'a Statement of Applicability CSV: control, applicable (yes/no), justification',
      nonEmpty,
    )
    .option(
      '--history <file|dir>',
      'a saved JSON report, or a folder of them, for the vanity, never-data and always-stale checks (repeatable)',
      collect,
      [],
    )
    .option(
      '--today <date>',
      'take this day (yyyy-MM-dd) as today for the review checks (default: the clock)',
      nonEmpty,
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(AUDIT_FORMATS).default('table'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ isms-kpi audit-catalogue --soa soa.csv --history reports/\n  $ isms-kpi audit-catalogue --format markdown\n\nExit codes:\n  0  no warnings (information only)\n  1  warnings: see the findings\n  2  the catalogue, the SoA or a saved report cannot be read',
    )
    .action((options) => run(() => auditCatalogue(options, io)));
}

function initCommand(program: Command, { io, run }: Context): void {
  program
    .command('init')
    .description(
      'write a catalogue to start from: the example with its sample exports, or (--from DIR) a starter catalogue over your exports',
    )
    .option(
      '--from <dir>',
      'a folder of exports: recognise each, declare it as a source with its preset, and add the built-in KPIs they can compute',
      nonEmpty,
    )
    .option('-o, --output <file>', 'the catalogue to write', nonEmpty, 'metrics.yaml')
    .option('--force', 'overwrite files that already exist')
    .addHelpText(
      'after',
      `\nWithout --from, writes the bundled example catalogue (metrics.yaml, the KPIs of a fictional\nmanufacturer) and the example exports it reads into ./exports/. With --from, writes a starter\ncatalogue whose owners and thresholds are placeholders (TODO:, "# review:") to review.\n\nExamples:\n  $ isms-kpi init                                # the example, then: isms-kpi report\n  $ isms-kpi init --from exports/                # a starter catalogue over your exports\n  $ isms-kpi init --from exports/ --output isms/metrics.yaml --force\n\nExit codes:\n  0  written\n  2  a file already exists (without --force), no export was recognised, or a file cannot be written`,
    )
    .action((options) => run(() => init(options, io)));
}

function detectCommand(program: Command, { io, run }: Context): void {
  program
    .command('detect')
    .argument('<file...>', 'vendor exports (CSV or JSON) to recognise')
    .description(
      'recognise vendor exports: the preset that reads each file, how sure that is, missing and extra columns, and a source to paste into metrics.yaml',
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(DETECT_FORMATS).default('table'))
    .addHelpText(
      'after',
      `\nExamples:\n  $ isms-kpi detect exports/nessus-2026-Q3.csv\n  $ isms-kpi detect exports/*.csv exports/*.json\n  $ isms-kpi detect users.json --format json\n\nA confidence of 90% or more means every column that identifies the export is present.\nPresets and their fields: isms-kpi presets, docs/presets.md.\n\nExit codes:\n  0  every file matched a preset\n  1  at least one file matched no preset\n  2  a file is missing, empty or not CSV/JSON, or a usage error`,
    )
    .action((files: string[], options) => run(() => detect(files, options, io)));
}

function presetsCommand(program: Command, { run }: Context): void {
  program
    .command('presets')
    .argument('[name]', 'a preset, e.g. nessus: show its fields and notes')
    .description('list the vendor exports isms-kpi reads without a mapping (preset: NAME in metrics.yaml)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(PRESETS_FORMATS).default('table'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ isms-kpi presets\n  $ isms-kpi presets nessus\n  $ isms-kpi presets jira-issues --format markdown\n\nExit codes:\n  0  listed\n  2  unknown preset or usage error',
    )
    .action((name: string | undefined, options) => run(() => presets(name, options)));
}

function completionCommand(program: Command, { run }: Context): void {
  // Generated from this program tree when asked, so every command and option added above is included.
  program
    .command('completion')
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(SHELLS))
    .description('print a shell completion script for isms-kpi (bash or zsh)')
    .addHelpText(
      'after',
      `\nExamples:\n  $ source <(isms-kpi completion bash)                 # this shell only\n  $ isms-kpi completion bash > ~/.local/share/bash-completion/completions/isms-kpi\n  $ isms-kpi completion zsh > "\${fpath[1]}/_isms-kpi"    # then start a new shell`,
    )
    .action((shell: Shell) =>
      run(() => ({ stdout: completionScript(program, shell), problems: [], outcome: { command: 'done' } })),
    );
}

function actionsCommandSpec(program: Command, { io, run }: Context): void {
  periodOptions(
    program
      .command('actions')
      .description(
        'the corrective actions and whether each worked: value before and now, significance, verdict (effective, not yet effective, overdue, ineffective, cancelled, no data, not comparable)',
      ),
  )
    .option(
      '--history <file|dir>',
      'saved JSON reports of earlier periods: the value before each action (repeatable)',
      collect,
      [],
    )
    .option('--significance <level|off>', SIGNIFICANCE_HELP, significanceLevel)
    .option(
      '--actions <file>',
      "the corrective actions, .yaml or .csv (default: actions.yaml beside the catalogue, else the catalogue's actions: block or actions: { file })",
      nonEmpty,
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(ACTIONS_FORMATS).default('table'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ isms-kpi actions --period 2026-Q3 --history reports/\n  $ isms-kpi actions --actions actions.csv --history reports/ --format markdown\n\nHow a verdict is decided: docs/management-review.md.\n\nExit codes:\n  0  judged (whatever the verdicts)\n  2  the catalogue, the actions file or a saved report cannot be read, or a usage error',
    )
    .action((options) => run(() => actionsCommand(options, io)));
}

function reviewCommandSpec(program: Command, { io, run }: Context): void {
  periodOptions(
    program
      .command('review')
      .description(
        'the management review input document (ISO/IEC 27001 9.3.2): actions and their verdicts, changes, KPI results with significance, objectives, audit findings, red KPIs without an action, and a blank Decisions section',
      ),
  )
    .option(
      '--history <file|dir>',
      'saved JSON reports of earlier periods: changes, significance, values before each action (repeatable)',
      collect,
      [],
    )
    .option('--significance <level|off>', SIGNIFICANCE_HELP, significanceLevel)
    .option(
      '--actions <file>',
      "the corrective actions, .yaml or .csv (default: actions.yaml beside the catalogue, else the catalogue's actions: block or actions: { file })",
      nonEmpty,
    )
    .option(
      '--audits <file>',
      "the audit findings register (CSV, the audit-findings preset's layout; default: the catalogue's source with preset audit-findings)",
      nonEmpty,
    )
    .option(
      '-o, --output <file>',
      'write the document to a file: .md, .html, or .pdf (the HTML printed by Chromium or Chrome)',
      nonEmpty,
    )
    .option('--browser <path>', 'the Chromium or Chrome that prints a .pdf output', nonEmpty)
    .option('-q, --quiet', 'no "wrote" message on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n  $ isms-kpi review --period 2026-Q3 --history reports/\n  $ isms-kpi review --period 2026-Q3 --history reports/ --audits audit-findings.csv\n  $ isms-kpi review --period 2026-Q3 --history reports/ --output review-2026-Q3.pdf\n\nExit codes:\n  0  written\n  2  the catalogue, an export, the actions or audits file or a saved report cannot be read, or a usage error',
    )
    .action((options) => run(() => review(options, io)));
}
