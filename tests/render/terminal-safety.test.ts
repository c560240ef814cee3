/**
 * Issue 15.9: text that is not ours (catalogue texts, export file names, header names and values, saved
 * reports read by diff and trend, command-line values quoted in errors) never reaches any output with a
 * control character or bidi override a terminal would act on: no OSC 52 clipboard write, screen clear,
 * window title, foreign colour code, C1 CSI or "Trojan Source" reordering, in any format of any command,
 * in the files written, or in error and warning lines. With colours on, the only escape sequences left
 * are the colour codes the table renderer writes: the output without them is the output without colours.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEvidencePack } from '../../src/evidence/build-pack.js';
import { FORMATS, RENDERERS } from '../../src/render/index.js';
import { type CliResult, runCli } from '../helpers/cli.js';
import { run } from '../helpers/run.js';
import { EVIL, EVIL_EXPORT, rawControls, writeEvilProject } from './hostile-project.js';

/** How EVIL reads once made inert: its first characters as escapes. */
const SHOWN = '\\u001b]52;c;c2VjcmV0\\u0007\\u001b[2J';

let dir: string;
beforeAll(async () => {
  dir = writeEvilProject();
  // Two saved reports whose KPI ids, names, units and period labels carry EVIL, for diff and trend.
  fs.mkdirSync(path.join(dir, 'reports'));
  for (const period of ['2026-Q2', '2026-Q3']) {
    const file = path.join('reports', `${period}.json`);
    const r = await runCli(['report', '--period', period, '--fail-on', 'never', '-q', '-o', file], {
      cwd: dir,
    });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    report.period.label = `${period} ${EVIL}`;
    for (const kpi of report.kpis) {
      kpi.id = `${kpi.id} ${EVIL}`;
      kpi.name = `${kpi.name} ${EVIL}`;
    }
    // JSON.stringify leaves C1 and bidi characters raw: the file carries them as they are.
    fs.writeFileSync(path.join(dir, file), JSON.stringify(report, null, 2));
  }
  fs.writeFileSync(path.join(dir, 'broken.yaml'), `organisation: x\n${JSON.stringify(EVIL)}: 1\n`);
  fs.writeFileSync(path.join(dir, `not a report ${EVIL}.json`), '{"a": 1}');
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const Q3 = ['--period', '2026-Q3'];
const Q2 = path.join('reports', '2026-Q2.json');
const Q3_REPORT = path.join('reports', '2026-Q3.json');

/** Every command and format, and the errors and warnings that quote what is not ours. */
const COMMANDS: string[][] = [
  ...FORMATS.map((format) => ['report', ...Q3, '--fail-on', 'never', '-f', format]),
  ['report', ...Q3, '--baseline', Q2],
  ...['table', 'json', 'github'].map((format) => ['validate', ...Q3, '-f', format]),
  ['validate', '--catalogue-only'],
  ['list'],
  ['list', '-f', 'json'],
  ['explain', 'A-01', ...Q3, '--all'],
  ['explain', 'A-02', ...Q3],
  ...['table', 'markdown', 'json'].map((format) => ['diff', Q2, Q3_REPORT, '-f', format]),
  ...['table', 'markdown', 'csv'].map((format) => ['trend', 'reports', '-f', format]),
  ['detect', EVIL_EXPORT],
  ['detect', EVIL_EXPORT, '-f', 'json'],
  ['presets'],
  // errors and warnings
  ['presets', EVIL],
  ['report', '--period', EVIL],
  ['report', ...Q3, '--kpi', EVIL],
  ['report', ...Q3, '--baseline', `${EVIL}.json`],
  ['report', ...Q3, '-o', `q3${EVIL}`],
  ['report', '-c', `${EVIL}.yaml`],
  ['report', '-c', 'broken.yaml'],
  ['report', '-f', EVIL],
  ['report', `--${EVIL}`],
  [EVIL],
  ['diff', `not a report ${EVIL}.json`, Q2],
  ['detect', `missing ${EVIL}.csv`],
];

/** Runs in the hostile project: colours off (NO_COLOR, not a terminal), or on (a terminal, -q for no progress). */
const PROGRESS = new Set(['report', 'validate']);

function cli(args: string[], colour = false): Promise<CliResult> {
  return colour
    ? // report and validate draw progress lines on a terminal (their escapes are not output); -q: none.
      runCli(PROGRESS.has(args[0]!) ? [...args, '-q'] : args, {
        cwd: dir,
        isTTY: true,
        env: { NO_COLOR: '' },
      })
    : runCli(args, { cwd: dir });
}

/** Colour codes (SGR) as chalk writes them. */
const SGR = /\u001b\[[0-9;]*m/g;

describe('no raw control character in any output (issue 15.9)', () => {
  /** A test name without the hostile text itself (the test reporter would print it raw). */
  const title = (args: string[]) => args.join(' ').replaceAll(EVIL, '<EVIL>');
  it.each(COMMANDS.map((args) => [title(args), args]))('%s', async (_name, args) => {
    const r = await cli(args as string[]);
    expect(rawControls(r.stdout), 'stdout').toEqual([]);
    expect(rawControls(r.stderr), 'stderr').toEqual([]);
    // Something was printed, and the hostile text (or its name) reached it: otherwise this proves nothing.
    expect(`${r.stdout}${r.stderr}`.length).toBeGreaterThan(0);
  });

  it('the hostile texts reach the outputs, shown as escapes', async () => {
    for (const args of [
      ['report', ...Q3],
      ['validate', ...Q3],
      ['list'],
      ['explain', 'A-01', ...Q3],
      ['diff', Q2, Q3_REPORT],
      ['trend', 'reports'],
      ['detect', EVIL_EXPORT],
      ['report', '--period', EVIL],
    ]) {
      const r = await cli(args);
      expect(`${r.stdout}${r.stderr}`, args.join(' ')).toContain(SHOWN);
    }
  });

  it('report --output in every format and the --evidence pack: no raw control character in any file', async () => {
    const outputs = ['txt', 'json', 'csv', 'md', 'html', 'xml'].flatMap((ext) => ['-o', `out/q3.${ext}`]);
    fs.mkdirSync(path.join(dir, 'out'), { recursive: true });
    const r = await cli(['report', ...Q3, '--fail-on', 'never', '--evidence', 'pack', ...outputs]);
    expect(r.status, r.stderr).toBe(0);
    expect(rawControls(r.stderr)).toEqual([]);
    const files = (folder: string): string[] =>
      fs.readdirSync(path.join(dir, folder), { withFileTypes: true }).flatMap((entry) => {
        const file = path.join(folder, entry.name);
        return entry.isDirectory() ? files(file) : [file];
      });
    const written = [...files('out'), ...files('pack')];
    expect(written.length).toBeGreaterThan(6);
    for (const file of written)
      expect(rawControls(fs.readFileSync(path.join(dir, file), 'utf8')), file).toEqual([]);
    // The running header and footer of the printed HTML are CSS strings: a control character there is
    // U+FFFD (CSS escape \fffd) as in the page, not a CSS escape of itself the browser would print.
    const html = fs.readFileSync(path.join(dir, 'out', 'q3.html'), 'utf8');
    const margins = html.match(/@(top|bottom)-(left|right) \{ content: "[^"]*"/g) ?? [];
    expect(margins.join('\n')).toContain('Class \\fffd ]52;c;c2VjcmV0\\fffd \\fffd [2J');
    expect(margins.join('\n')).toContain('version V \\fffd ]52;');
    expect(margins.join('\n')).not.toMatch(/\\(1b|7|9b|202e|2066|2069|d|7f) /);
    // The JSON report is JSON text with the escapes: it reads back with the hostile text unchanged.
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'q3.json'), 'utf8'));
    expect(saved.organisation).toBe(`Org ${EVIL}`);
  });

  it('colours on: only our colour codes; without them, the output is the output with colours off', async () => {
    let coloured = 0;
    for (const args of COMMANDS) {
      const [on, off] = [await cli(args, true), await cli(PROGRESS.has(args[0]!) ? [...args, '-q'] : args)];
      const name = args.join(' ');
      if (on.stdout.includes('\u001b[')) coloured++;
      expect(rawControls(on.stdout.replace(SGR, '')), name).toEqual([]);
      expect(on.stdout.replace(SGR, ''), name).toBe(off.stdout);
      expect(on.stderr, name).toBe(off.stderr);
    }
    // The table report is coloured (the comparison above would prove nothing otherwise).
    expect(coloured).toBeGreaterThan(0);
  });
});

describe('the renderers themselves (without the CLI guard)', () => {
  it('every report format, the table with and without colours, and the evidence pack', async () => {
    const result = await run({ catalogue: 'metrics.yaml', cwd: dir, period: '2026-Q3', trace: true });
    const { report } = result;
    expect(report.organisation).toBe(`Org ${EVIL}`);
    for (const format of FORMATS) {
      const text = RENDERERS[format](report, { color: false });
      expect(rawControls(text), format).toEqual([]);
    }
    const coloured = RENDERERS.table(report, { color: true });
    expect(coloured).toContain('\u001b[');
    expect(coloured.replace(SGR, '')).toBe(RENDERERS.table(report, { color: false }));
    const pack = await buildEvidencePack({
      report,
      catalogue: result.catalogue,
      sources: result.sources,
      traces: result.evaluation.traces,
    });
    for (const file of pack) expect(rawControls(file.content), file.path).toEqual([]);
  });
});
