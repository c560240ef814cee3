/**
 * validate's exit codes (issue 14, point 7): 0 valid, 1 a data problem in an export, 2 a catalogue or
 * usage error; --max-rejected N|P% tolerates rejected rows per source; --catalogue-only reads no export.
 * Each project is a small catalogue in a temporary folder, with exact counts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_ERROR, EXIT_FAIL_LEVEL, EXIT_OK, exitCode } from '../../src/app/exit-policy.js';
import { allowedRejected } from '../../src/render/validate.js';
import { runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'isms-validate-exit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const KPIS = `kpis:
  - id: EV-01
    name: Events
    owner: Tester
    cadence: quarterly
    unit: count
    formula: count(events)
`;

function catalogue(sources: string, kpis = KPIS): string {
  return `organisation: Test GmbH\ntimezone: UTC\nperiod: 2026-Q3\nsources:\n${sources}${kpis}`;
}

const EVENTS = `  events:
    path: data/events.csv
    kind: events
    time_field: opened
    fields:
      id: { column: id, required: true }
      opened: { column: opened, type: datetime }
      score: { column: score, type: number }
`;

/** Four rows, the third with a score that is not a number (rejected at line 4). */
const ONE_BAD_OF_FOUR =
  'id,opened,score\nA1,2026-07-01,1\nA2,2026-07-02,2\nA3,2026-07-03,lots\nA4,2026-07-04,4\n';
const CLEAN = 'id,opened,score\nA1,2026-07-01,1\nA2,2026-07-02,2\n';

let count = 0;
function project(metrics: string, files: Record<string, string> = {}): string {
  const dir = path.join(tmp, `p${++count}`);
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  writeFileSync(path.join(dir, 'metrics.yaml'), metrics);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

const validate = (dir: string, ...args: string[]) => runCli(['validate', ...args], { cwd: dir });

describe('validate exit codes', () => {
  it('exit policy: valid 0, data problems 1, catalogue error 2', () => {
    expect(exitCode({ command: 'validate', verdict: 'valid' })).toBe(EXIT_OK);
    expect(exitCode({ command: 'validate', verdict: 'data-problems' })).toBe(EXIT_FAIL_LEVEL);
    expect(exitCode({ command: 'validate', verdict: 'catalogue-error' })).toBe(EXIT_ERROR);
  });

  it('exits 0 when the catalogue and every export are clean', async () => {
    const r = await validate(project(catalogue(EVENTS), { 'data/events.csv': CLEAN }));
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('validation passed');
  });

  it('exits 1, not 2, for a rejected row, and names what the user can do', async () => {
    const r = await validate(project(catalogue(EVENTS), { 'data/events.csv': ONE_BAD_OF_FOUR }));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('data/events.csv:4: column "score": expected a number, got "lots"');
    expect(r.stdout).toContain(
      'validation failed (exit 1): data problems in 1 source: events (1 rejected row)\n- rejected rows: correct them in the export',
    );
    expect(r.stdout).toContain('--max-rejected N or N% tolerates a few per source');
    expect(r.stdout).toContain('- to check only the catalogue (a change to metrics.yaml): --catalogue-only');
    // on_invalid: reject is already the default: suggesting it helps nobody.
    expect(r.stdout).not.toContain('on_invalid');
  });

  it('exits 1 for a short row; trailing empty cells and stray quotes are listed but pass', async () => {
    const short = await validate(
      project(catalogue(EVENTS), { 'data/events.csv': `${CLEAN}A3,2026-07-03\n` }),
    );
    expect(short.status).toBe(1);
    expect(short.stdout).toContain(
      'warning: data/events.csv:4: row has 2 cells but the header has 3; missing cells are empty',
    );
    expect(short.stdout).toContain('data problems in 1 source: events (1 short row)');
    expect(short.stdout).toContain('- short rows: a row with fewer cells than the header');

    // Excel's trailing delimiters lose nothing; a stray quote is read as a character.
    const benign = await validate(
      project(catalogue(EVENTS), { 'data/events.csv': `${CLEAN}A3,2026-07-03,3,,\nA"4,2026-07-04,4\n` }),
    );
    expect(benign.stdout).toContain(
      'row has 5 cells but the header has 3; the extra cells are empty and ignored',
    );
    expect(benign.stdout).toContain('quote inside an unquoted field');
    expect(benign.status).toBe(0);

    // Presets map columns that only some versions of an export have: their absence is no data problem.
    // A KPI that reads the field gets a warning (its values are all empty) ...
    const SUM_SCORE = KPIS.replace('formula: count(events)', 'formula: sum(events, score)');
    const noScore = await validate(
      project(catalogue(EVENTS, SUM_SCORE), { 'data/events.csv': 'id,opened\nA1,2026-07-01\n' }),
    );
    expect(noScore.status).toBe(0);
    expect(noScore.stdout).toContain(
      'warning: data/events.csv:1: column "score" (field score) is not in the header',
    );
    expect(noScore.stdout).not.toContain('info:');
    expect(noScore.stdout.trimEnd().split('\n').at(-1)).toBe('validation passed');
    const json = JSON.parse(
      (
        await validate(
          project(catalogue(EVENTS, SUM_SCORE), { 'data/events.csv': 'id,opened\nA1,2026-07-01\n' }),
          '--format',
          'json',
        )
      ).stdout,
    );
    expect(json.sources[0]).toMatchObject({
      warnings: 1,
      emptyFields: ['score'],
      unusedAbsent: [],
      isValid: true,
    });
  });

  it('lists an absent optional column no KPI reads on one info line, not as a warning (issue 17)', async () => {
    const dir = project(catalogue(EVENTS), { 'data/events.csv': 'id,opened\nA1,2026-07-01\n' });
    const table = await validate(dir);
    expect(table.status).toBe(0);
    expect(table.stdout).not.toContain('warning');
    expect(table.stdout).not.toContain('problems (');
    expect(table.stdout).toContain(
      '\ninfo: events: 1 optional column is not in the header and no KPI reads it: "score" (score)\n',
    );
    const json = JSON.parse((await validate(dir, '--format', 'json')).stdout);
    expect(json.counts.warnings).toBe(0);
    expect(json.sources[0]).toMatchObject({
      warnings: 0,
      emptyFields: ['score'],
      unusedAbsent: [{ field: 'score', column: 'score' }],
    });
    const github = await validate(dir, '--format', 'github');
    expect(github.stdout).toContain(
      '::notice file=data/events.csv::events: 1 optional column is not in the header and no KPI reads it',
    );
    expect(github.stdout).not.toContain('::warning');
  });

  it('exits 1 for a missing required column and for a missing export: data, reported with the others', async () => {
    const twoSources = catalogue(
      `${EVENTS}  more:\n    path: data/more.csv\n    kind: snapshot\n    fields:\n      id: { column: id, required: true }\n`,
    );
    const noId = await validate(
      project(twoSources, { 'data/events.csv': 'opened,score\n2026-07-01,1\n', 'data/more.csv': 'id\nX\n' }),
    );
    expect(noId.status).toBe(1);
    expect(noId.stdout).toContain('required column "id" (field id) is not in the header');
    expect(noId.stdout).toContain('data problems in 1 source: events (cannot be read)');
    expect(noId.stdout).toMatch(/^more +data\/more\.csv: 1 row read, 1 accepted, 0 rejected/m);

    const missing = await validate(project(twoSources, { 'data/events.csv': CLEAN }));
    expect(missing.status).toBe(1);
    expect(missing.stdout).toContain('data/more.csv: file not found');
    expect(missing.stdout).toContain('data problems in 1 source: more (cannot be read)');
  });

  it('exits 2 for a catalogue that does not load, in every format', async () => {
    const dir = project(catalogue(EVENTS, KPIS.replace('count(events)', 'count(events, scor > 1)')), {
      'data/events.csv': CLEAN,
    });
    const table = await validate(dir);
    expect(table.status).toBe(2);
    expect(table.stderr).toMatch(/^error: metrics\.yaml:\d+:\d+: kpi EV-01: /);
    const json = await validate(dir, '--format', 'json');
    expect(json.status).toBe(2);
    expect(JSON.parse(json.stdout).verdict).toBe('catalogue-error');
    const github = await validate(dir, '--format', 'github');
    expect(github.status).toBe(2);
    expect(github.stdout.trimEnd().split('\n').at(-1)).toBe(
      'validation failed (exit 2): the catalogue does not load',
    );
  });
});

describe('validate --max-rejected', () => {
  const dir = () => project(catalogue(EVENTS), { 'data/events.csv': ONE_BAD_OF_FOUR });

  it('tolerates up to N rejected rows per source, and says so', async () => {
    const within = await validate(dir(), '--max-rejected', '1');
    expect(within.status).toBe(0);
    expect(within.stdout).toMatch(
      /^events +data\/events\.csv: 4 rows read, 3 accepted, 1 rejected \(within --max-rejected 1\);/m,
    );
    expect(within.stdout.trimEnd().split('\n').at(-1)).toBe(
      'validation passed: 1 rejected row within --max-rejected 1 (events 1)',
    );
    const over = await validate(dir(), '--max-rejected', '0');
    expect(over.status).toBe(1);
    expect(over.stdout).toContain('1 rejected (over --max-rejected 0)');
  });

  it('tolerates up to P % of the rows read, rounded down to whole rows', async () => {
    const within = await validate(dir(), '--max-rejected', '25%');
    expect(within.status).toBe(0);
    expect(within.stdout).toContain('1 rejected (within --max-rejected 25%: 1 of 4 rows)');
    const over = await validate(dir(), '--max-rejected', '24.9%');
    expect(over.status).toBe(1);
    expect(over.stdout).toContain('1 rejected (over --max-rejected 24.9%: 0 of 4 rows)');
    expect(allowedRejected({ percent: 3 }, 100)).toBe(3);
    expect(allowedRejected({ percent: 0.5 }, 1000)).toBe(5);
    expect(allowedRejected({ rows: 7 }, 2)).toBe(7);
    expect(allowedRejected(null, 1000)).toBe(0);
  });

  it('does not tolerate short rows, and is in the JSON', async () => {
    const r = await validate(
      project(catalogue(EVENTS), { 'data/events.csv': `${ONE_BAD_OF_FOUR}A5,2026-07-05\n` }),
      '--max-rejected',
      '5',
      '--format',
      'json',
    );
    expect(r.status).toBe(1);
    const data = JSON.parse(r.stdout);
    expect(data.maxRejected).toBe('5');
    expect(data.verdict).toBe('data-problems');
    expect(data.sources[0]).toMatchObject({
      rejected: 1,
      allowedRejected: 5,
      warnings: 1,
      dataWarnings: 1,
      isValid: false,
    });
  });

  it('refuses values that are not a count or a percentage (exit 2)', async () => {
    for (const bad of ['x', '-1', '1.5', '101%', '%']) {
      const r = await validate(dir(), '--max-rejected', bad);
      expect(r.status, bad).toBe(2);
      expect(r.stderr).toContain(
        'expected a number of rows, e.g. 5, or a percentage of the rows read, e.g. 2%',
      );
    }
  });
});

describe('validate --catalogue-only', () => {
  it('checks the catalogue without reading any export (exit 0)', async () => {
    // No data folder content at all: the exports would be missing, and nothing tries to read them.
    const r = await validate(project(catalogue(EVENTS)), '--catalogue-only');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      'catalogue metrics.yaml: 1 KPIs, 1 sources, formulas OK\nexports not read (--catalogue-only)\n\ncatalogue valid; exports not read (--catalogue-only)\n',
    );
    const json = JSON.parse(
      (await validate(project(catalogue(EVENTS)), '--catalogue-only', '--format', 'json')).stdout,
    );
    expect(json).toMatchObject({ catalogueOnly: true, verdict: 'valid', isValid: true, sources: [] });
  });

  it('exits 2 for a broken formula, an unknown preset or a schema error', async () => {
    const formula = await validate(
      project(catalogue(EVENTS, KPIS.replace('count(events)', 'count(events, scor > 1)'))),
      '--catalogue-only',
    );
    expect(formula.status).toBe(2);
    expect(formula.stderr).toContain('kpi EV-01: ');
    const preset = await validate(
      project(catalogue('  events:\n    path: data/x.csv\n    preset: no-such-preset\n')),
      '--catalogue-only',
    );
    expect(preset.status).toBe(2);
    expect(preset.stderr).toContain('no-such-preset');
    const schema = await validate(
      project(catalogue(EVENTS.replace('kind: events', 'kind: event'))),
      '--catalogue-only',
    );
    expect(schema.status).toBe(2);
  });

  it('refuses --max-rejected, which is about rows of exports (exit 2)', async () => {
    const r = await validate(project(catalogue(EVENTS)), '--catalogue-only', '--max-rejected', '1');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: --max-rejected is about rows of exports; --catalogue-only reads none\n');
  });
});

describe('validate reads through report intake', () => {
  const WITH_NOTE = EVENTS.replace('      score:', '      note: { column: note }\n      score:');

  it('checks every field on every row, also optional text no formula reads', async () => {
    // Report does not even look at "note" (no formula reads it); validate must still find the NUL byte.
    const dir = project(catalogue(WITH_NOTE), {
      'data/events.csv': 'id,opened,note,score\nA1,2026-07-01,fine,1\nA2,2026-07-02,bad\u0000,2\n',
    });
    const r = await validate(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('data/events.csv:3: column "note": contains a NUL byte');
    expect(r.stdout).toMatch(/data\/events\.csv: 2 rows read, 1 accepted, 1 rejected/);
  });

  it('shows progress per source on a terminal and erases it; --quiet and a pipe show none', async () => {
    const twoSources = catalogue(
      `${EVENTS}  more:\n    path: data/more.csv\n    kind: snapshot\n    fields:\n      id: { column: id, required: true }\n`,
    );
    const dir = project(twoSources, { 'data/events.csv': CLEAN, 'data/more.csv': 'id\nX\nY\nZ\n' });
    const terminal = await runCli(['validate'], { cwd: dir, isTTY: true });
    expect(terminal.status).toBe(0);
    expect(terminal.stderr).toMatch(/reading events +█+ 100 % {2}2 rows/);
    expect(terminal.stderr).toMatch(/reading more +█+ 100 % {2}3 rows/);
    // The last thing written moves the cursor back up over the progress lines and clears them.
    expect(terminal.stderr).toMatch(/\x1b\[2A\x1b\[0J$/);
    const piped = await validate(dir);
    expect(piped.stderr).toBe('');
    // The same result on stdout with or without the progress display.
    expect(piped.stdout).toBe(terminal.stdout);
    const quiet = await runCli(['validate', '--quiet'], { cwd: dir, isTTY: true });
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toBe(terminal.stdout);
  });
});
