/**
 * The CLI run in-process (tests/helpers/cli.ts) from the repository root with NO_COLOR=1, asserting
 * stdout, stderr and the exit code. Expected numbers come from fixtures/acme/README.md and metrics.yaml,
 * not from the engine. tests/cli/end-to-end.test.ts runs the built binary.
 */
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO, runCli } from '../helpers/cli.js';

const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };

interface CatalogueKpi {
  id: string;
  owner: string;
  area?: string;
  controls?: string[];
}
const catalogueKpis = (
  parse(readFileSync(path.join(REPO, 'metrics.yaml'), 'utf8')) as { kpis: CatalogueKpi[] }
).kpis;
const ALL_IDS = catalogueKpis.map((k) => k.id);
/** The KPIs a report shows: all but the retired ones (IR-11). */
const REPORTED_IDS = catalogueKpis
  .filter((k) => (k as { lifecycle?: string }).lifecycle !== 'retired')
  .map((k) => k.id);

const cli = (args: string[], cwd = REPO) => runCli(args, { cwd });

async function jsonReport(args: string[]): Promise<{
  status: number | null;
  report: { kpis: { id: string; value: number | null; status: string }[] } & Record<string, unknown>;
}> {
  const r = await cli(['report', '--format', 'json', ...args]);
  expect(r.stderr).toBe('');
  return { status: r.status, report: JSON.parse(r.stdout) };
}

const ids = (report: { kpis: { id: string }[] }) => report.kpis.map((k) => k.id).sort();

let tmp = '';

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'isms-cli-'));
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function freshDir(name: string): string {
  const dir = path.join(tmp, name);
  rmSync(dir, { recursive: true, force: true });
  return mkdtempSync(`${dir}-`);
}

describe('help and version', { timeout: 120_000 }, () => {
  it('--help lists the commands and the exit codes', async () => {
    const r = await cli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: isms-kpi /);
    for (const command of ['report', 'validate', 'list', 'explain'])
      expect(r.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(r.stdout).toContain('Exit codes:');
    expect(r.stdout).toMatch(/^ {2}0 {2}the run completed/m);
    expect(r.stdout).toMatch(/^ {2}1 {2}at least one KPI/m);
    expect(r.stdout).toMatch(/^ {2}2 {2}usage, catalogue or input error/m);
  });

  it('--version and -V print the package.json version', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await cli([flag]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${pkg.version}\n`);
      expect(r.stderr).toBe('');
    }
  });
});

describe('report', { timeout: 120_000 }, () => {
  it('exits 1 because some KPIs are red, with the summary line and the evidence footer', async () => {
    const r = await cli(['report']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('ISMS KPI report 2026-Q3');
    expect(r.stdout).toMatch(/^56 KPIs: \d+ green, \d+ amber, [1-9]\d* red/m);
    // README: AC-01 is 13/16 = 81.25 % in Q3, red against >= 90.
    expect(r.stdout.split('\n').find((l) => l.includes('AC-01'))).toMatch(/81\.3 %.*red/);
    const evidence = r.stdout.slice(r.stdout.indexOf('\nEvidence\n'));
    expect(evidence.length).toBeGreaterThan(10);
    // Row counts documented in fixtures/acme/README.md.
    expect(evidence).toContain('fixtures/acme/jira-incidents.csv: 146 rows, 140 accepted, 6 rejected');
    expect(evidence).toContain('fixtures/acme/servicenow-changes.csv: 274 rows, 273 accepted, 1 rejected');
    expect(evidence).toContain(
      'fixtures/acme/veeam-sessions.csv: 1,919 rows, 1,881 accepted, 0 rejected, 38 duplicates dropped',
    );
    expect(evidence).toContain('fixtures/acme/nessus-2026-Q3.csv: 228 rows');
    expect(evidence).toContain('fixtures/acme/hr-leavers.csv: 31 rows');
    expect(evidence).toMatch(
      /phishing +fixtures\/acme\/knowbe4-phishing-recipients\.json: 236 rows, 236 accepted/,
    );
    expect(evidence).toContain('fixtures/acme/training-2026-Q3.csv: 147 rows');
  });

  it('--fail-on never exits 0 and --fail-on amber exits 1', async () => {
    const never = await cli(['report', '--fail-on', 'never']);
    expect(never.status).toBe(0);
    expect(never.stdout).toContain('56 KPIs:');
    // BK-01 is green in Q3 (916/930): only amber or red would fail.
    expect((await cli(['report', '--kpi', 'BK-01', '--fail-on', 'amber'])).status).toBe(0);
    // IR-02 is amber in Q3 (7/8 = 87.5 %).
    expect((await cli(['report', '--kpi', 'IR-02', '--fail-on', 'amber'])).status).toBe(1);
    expect((await cli(['report', '--kpi', 'IR-02'])).status).toBe(0);
  });

  it('--period 2026-Q2 reads the Q2 snapshots', async () => {
    const r = await cli(['report', '--period', '2026-Q2']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('ISMS KPI report 2026-Q2');
    expect(r.stdout).toContain('fixtures/acme/nessus-2026-Q2.csv: 239 rows');
    expect(r.stdout).toContain('fixtures/acme/entra-users-2026-Q2.csv: 86 rows');
    const { report } = await jsonReport(['--period', '2026-Q2', '--kpi', 'IR-02']);
    // README: 6 of 8 Q2 criticals contained within 4 h.
    expect(report.kpis[0]).toMatchObject({ id: 'IR-02', value: 75, status: 'red' });
  });

  it('--format json is valid JSON with schemaVersion and all 56 KPIs', async () => {
    const { status, report } = await jsonReport([]);
    expect(status).toBe(1);
    expect(report.schemaVersion).toBe(1);
    expect(report.kpis).toHaveLength(56);
    expect(REPORTED_IDS).toHaveLength(56);
    expect(ids(report)).toEqual([...REPORTED_IDS].sort());
    expect((report.period as { label: string }).label).toBe('2026-Q3');
    expect(report).not.toHaveProperty('generatedAt');
  });

  it('two runs give identical JSON bytes, on stdout and in files', async () => {
    const a = await cli(['report', '--format', 'json']);
    const b = await cli(['report', '--format', 'json']);
    expect(a.stdout.length).toBeGreaterThan(1000);
    expect(b.stdout).toBe(a.stdout);
    const dir = freshDir('twice');
    await cli(['report', '--output', path.join(dir, 'a.json')]);
    await cli(['report', '--output', path.join(dir, 'b.json')]);
    const fileA = readFileSync(path.join(dir, 'a.json'));
    expect(fileA.equals(readFileSync(path.join(dir, 'b.json')))).toBe(true);
    expect(fileA.toString('utf8')).toBe(a.stdout);
  });
});

describe('report --output', { timeout: 120_000 }, () => {
  it('writes the file atomically, replacing an older one, and says "wrote"', async () => {
    const dir = freshDir('out');
    const file = path.join(dir, 'r.json');
    writeFileSync(file, 'an older report');
    const r = await cli(['report', '--output', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`wrote ${file} (json)\n`);
    const report = JSON.parse(readFileSync(file, 'utf8'));
    expect(report.schemaVersion).toBe(1);
    expect(report.kpis).toHaveLength(56);
    // No temporary file is left next to it.
    expect(readdirSync(dir)).toEqual(['r.json']);
  });

  it('writes a table to .txt, and --quiet drops the "wrote" line', async () => {
    const dir = freshDir('txt');
    const file = path.join(dir, 'r.txt');
    const r = await cli(['report', '--quiet', '--output', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(readFileSync(file, 'utf8')).toMatch(/^56 KPIs:/m);
  });

  it('a missing folder: exit 2, one error line, nothing written', async () => {
    const dir = freshDir('missing');
    const target = path.join(dir, 'no-such-folder', 'r.json');
    const r = await cli(['report', '--output', target]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      `error: ${target}: folder "${path.dirname(target)}" does not exist; create it first`,
    );
    expect(existsSync(path.dirname(target))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an unknown extension is a usage error', async () => {
    const dir = freshDir('ext');
    const r = await cli(['report', '--output', path.join(dir, 'r.xlsx')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot tell the format from the extension');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a run that fails leaves an existing output file untouched', async () => {
    const dir = freshDir('fail');
    writeFileSync(path.join(dir, 'data.csv'), 'id\na\n');
    writeFileSync(
      path.join(dir, 'bad.yaml'),
      [
        'organisation: Broken',
        'sources:',
        '  things:',
        '    path: data.csv',
        '    kind: snapshot',
        '    fields:',
        '      id: id',
        'kpis:',
        '  - id: B-1',
        '    name: Broken formula',
        '    owner: QA',
        '    cadence: quarterly',
        '    unit: count',
        '    formula: count(thnigs)',
        '',
      ].join('\n'),
    );
    const file = path.join(dir, 'report.json');
    writeFileSync(file, 'previous report');
    const r = await cli(['report', '--catalogue', path.join(dir, 'bad.yaml'), '--output', file]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: .*bad\.yaml:14:\d+: kpi B-1: .*thnigs/);
    expect(readFileSync(file, 'utf8')).toBe('previous report');
    expect(readdirSync(dir).sort()).toEqual(['bad.yaml', 'data.csv', 'report.json']);

    // The same when the catalogue is fine but a source cannot be read.
    writeFileSync(
      path.join(dir, 'bad.yaml'),
      readFileSync(path.join(dir, 'bad.yaml'), 'utf8')
        .replace('thnigs', 'things')
        .replace('data.csv', 'gone.csv'),
    );
    const missing = await cli(['report', '--catalogue', path.join(dir, 'bad.yaml'), '--output', file]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^error: .*gone\.csv: file not found\n$/);
    expect(readFileSync(file, 'utf8')).toBe('previous report');
  });
});

describe('validate', { timeout: 120_000 }, () => {
  it('exits 1 and lists the planted bad rows with file:line as fixtures/acme/README.md gives them', async () => {
    const r = await cli(['validate']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines).toContain(
      'fixtures/acme/jira-incidents.csv:45: column "Custom field (Severity)": expected one of "Critical", "High", "Medium", "Low", got "Severe"',
    );
    expect(lines).toContain(
      'fixtures/acme/jira-incidents.csv:131: column "Issue key": required value is missing',
    );
    expect(lines).toContain(
      'fixtures/acme/jira-incidents.csv:191: column "Created": expected a date like "dd/MMM/yy h:mm a", got "31/Feb/26 1:00 PM"',
    );
    expect(lines).toContain(
      'fixtures/acme/servicenow-changes.csv:196: column "opened_at": expected a date like "yyyy-MM-dd HH:mm:ss" or "M/d/yyyy H:mm", got "2026-13-05 10:00:00"',
    );
    // README: lines 10, 51 and 117 of the Jira file have 34 cells, the extra one a watcher's name: rows
    // that may have shifted, so they are rejected (issue 14.3).
    for (const line of [10, 51, 117]) {
      expect(lines).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^fixtures/acme/jira-incidents\\.csv:${line}: row has 34 cells but the header has 33, and extra cell 34 is not empty \\("[^"]+"\\): values may be under the wrong columns`,
          ),
        ),
      );
    }
    // Nothing else is flagged.
    const cited = [...r.stdout.matchAll(/^(?:warning: )?(fixtures\/acme\/[^:]+):(\d+):/gm)].map(
      (m) => `${m[1]}:${m[2]}`,
    );
    expect(cited.sort()).toEqual(
      [
        'fixtures/acme/jira-incidents.csv:10',
        'fixtures/acme/jira-incidents.csv:45',
        'fixtures/acme/jira-incidents.csv:51',
        'fixtures/acme/jira-incidents.csv:117',
        'fixtures/acme/jira-incidents.csv:131',
        'fixtures/acme/jira-incidents.csv:191',
        'fixtures/acme/servicenow-changes.csv:196',
      ].sort(),
    );
    expect(r.stdout).toMatch(
      /^incidents +fixtures\/acme\/jira-incidents\.csv: 146 rows read, 140 accepted, 6 rejected/m,
    );
    expect(r.stdout).toMatch(/^validation failed/m);
  });
});

describe('list and explain', { timeout: 120_000 }, () => {
  it('list shows every KPI of the catalogue', async () => {
    const r = await cli(['list']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    for (const id of ALL_IDS) expect(r.stdout).toMatch(new RegExp(`│ ${id} `));
    expect(r.stdout).toContain('57 KPIs, 20 sources');
    // The retired IR-11 is listed, and marked.
    expect(r.stdout).toContain('IR-11 (retired)');
  });

  it('explain IR-02 shows the formula and the counts', async () => {
    const r = await cli(['explain', 'IR-02']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const formula = catalogueKpis.find((k) => k.id === 'IR-02') as CatalogueKpi & { formula: string };
    expect(r.stdout).toContain(`formula: ${formula.formula}`);
    // README: Q3 has 66 valid incidents, 8 of them Critical, 7 contained within 4 h.
    expect(r.stdout).toContain(
      '66 rows of incidents (fixtures/acme/jira-incidents.csv) in scope, 7 counted -> 7',
    );
    expect(r.stdout).toContain(
      '66 rows of incidents (fixtures/acme/jira-incidents.csv) in scope, 8 counted -> 8',
    );
    expect(r.stdout).toMatch(/^value: 87\.5 % \(7 \/ 8\); status: amber/m);
    const q2 = await cli(['explain', 'IR-02', '--period', '2026-Q2']);
    expect(q2.status).toBe(0);
    expect(q2.stdout).toMatch(/^value: 75.0 % \(6 \/ 8\); status: red/m);
  });

  it('explain of an unknown KPI exits 2', async () => {
    const r = await cli(['explain', 'XX-99']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: unknown KPI "XX-99"; see isms-kpi list\n');
  });
});

describe('usage errors', { timeout: 120_000 }, () => {
  it('an unknown global option exits 2', async () => {
    const r = await cli(['--bogus']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("error: unknown option '--bogus'");
  });

  it.each([
    [['report', '--bogus'], "unknown option '--bogus'"],
    [['report', '--format', 'xml'], "argument 'xml' is invalid"],
    [['report', '--fail-on', 'sometimes'], "argument 'sometimes' is invalid"],
    [['validate', '--max-problems', 'abc'], 'expected a whole number'],
  ])('a usage error after a subcommand exits 2, not 1 (%s)', async (args, message) => {
    const r = await cli(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  it('a bad --period exits 2 and names the accepted forms', async () => {
    const r = await cli(['report', '--period', '2026-Q5']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: --period: unknown period "2026-Q5": use 2026-Q3, 2026-09, 2026-H2, 2026, 2026-W38 or FY2026-Q1\n',
    );
  });

  it('a missing catalogue exits 2 with a hint', async () => {
    const r = await cli(['report', '--catalogue', 'nope.yaml']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: nope\.yaml: catalogue not found; give its path with --catalogue FILE/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    // Run from a folder without metrics.yaml.
    const elsewhere = await cli(['list'], freshDir('empty'));
    expect(elsewhere.status).toBe(2);
    expect(elsewhere.stderr).toMatch(/^error: metrics\.yaml: catalogue not found/);
  });

  it('--debug adds the stack trace, and only then', async () => {
    const r = await cli(['--debug', 'report', '--catalogue', 'nope.yaml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: nope\.yaml: catalogue not found/);
    expect(r.stderr).toContain('    at ');
  });
});

describe('KPI filters', { timeout: 120_000 }, () => {
  it('--kpi (repeatable)', async () => {
    const { report } = await jsonReport(['--kpi', 'IR-02', '--kpi', 'BK-01']);
    expect(ids(report)).toEqual(['BK-01', 'IR-02']);
  });

  it('--kpi with an unknown id exits 2', async () => {
    const r = await cli(['report', '--kpi', 'NOPE-1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: --kpi: unknown KPI "NOPE-1"; see isms-kpi list\n');
  });

  it('--owner matches part of the owner, case-insensitively', async () => {
    const expected = catalogueKpis.filter((k) => k.owner.toLowerCase().includes('iam lead')).map((k) => k.id);
    expect(expected).toEqual(['AC-01', 'AC-02', 'AC-06', 'AC-07', 'AC-08']);
    expect(ids((await jsonReport(['--owner', 'iam LEAD'])).report)).toEqual(expected);
  });

  it('--tag matches a tag or the area', async () => {
    expect(ids((await jsonReport(['--tag', 'backup and recovery'])).report)).toEqual([
      'BK-01',
      'BK-02',
      'BK-03',
      'BK-04',
      'BK-05',
    ]);
  });

  it('--control matches a control or a control family', async () => {
    expect(ids((await jsonReport(['--control', 'A.8.13'])).report)).toEqual([
      'BK-01',
      'BK-02',
      'BK-03',
      'BK-05',
    ]);
    expect(ids((await jsonReport(['--control', 'A.5.30', '--control', 'A.8.14'])).report)).toEqual([
      'BK-03',
      'BK-04',
    ]);
    const family = catalogueKpis
      .filter((k) => (k.controls ?? []).some((c) => c.startsWith('A.8.')))
      .map((k) => k.id);
    expect(family.length).toBeGreaterThan(5);
    expect(ids((await jsonReport(['--control', 'A.8'])).report)).toEqual([...family].sort());
  });

  it('filters combine, and no match exits 2', async () => {
    expect(ids((await jsonReport(['--owner', 'Infrastructure lead', '--control', 'A.5.30'])).report)).toEqual(
      ['BK-03'],
    );
    const r = await cli(['report', '--owner', 'nobody at all']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('error: no KPI matches the filters (--kpi, --owner, --tag, --control)\n');
  });
});

describe('report --history with a folder', () => {
  it('reads every saved report in the folder, skips other JSON with a warning, and draws their periods', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-history-'));
    try {
      copyFileSync(path.join(REPO, 'fixtures/reports/2026-Q2.json'), path.join(dir, '2026-Q2.json'));
      writeFileSync(path.join(dir, 'notes.json'), '{"not": "a report"}');
      const withHistory = await cli(['report', '--history', dir, '--format', 'html', '--fail-on', 'never']);
      const without = await cli(['report', '--format', 'html', '--fail-on', 'never']);
      expect(withHistory.status).toBe(0);
      expect(withHistory.stderr).toContain(
        `warning: ${path.join(dir, 'notes.json')}: skipped in --history: not an isms-kpi report`,
      );
      // the 2026-Q2 values appear as trend points only when the folder was read
      const count = (html: string) => html.split('2026-Q2').length - 1;
      expect(count(withHistory.stdout)).toBeGreaterThan(count(without.stdout));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('report --baseline', () => {
  it('shows the change since a saved report under the table', async () => {
    const r = await cli(['report', '--baseline', 'fixtures/reports/2026-Q2.json', '--fail-on', 'never']);
    expect(r.status).toBe(0);
    // IR-02: 7 of 8 contained in 2026-Q3 (87.5 %) against 6 of 8 (75 %) in the saved 2026-Q2 report
    expect(r.stdout).toContain('IR-02: +12.5 pp since the baseline (75.0 % in 2026-Q2)');
  });

  it('a missing baseline file is a usage error', async () => {
    const r = await cli(['report', '--baseline', 'nope.json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('nope.json');
  });

  it('every error about the baseline file names --baseline (never --history)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-baseline-'));
    try {
      writeFileSync(path.join(dir, 'text.json'), 'nope');
      writeFileSync(path.join(dir, 'other.json'), '{"a": 1}');
      writeFileSync(path.join(dir, 'v9.json'), '{"schemaVersion": 9, "tool": {"name": "isms-kpi"}}');
      const cases: [string, string][] = [
        ['missing.json', '--baseline: not found'],
        ['.', '--baseline: is a directory, not a file'],
        ['text.json', '--baseline: not valid JSON'],
        ['other.json', '--baseline: not an isms-kpi report'],
        ['v9.json', '--baseline: report schemaVersion 9; this isms-kpi reads schemaVersion 1'],
      ];
      for (const [file, message] of cases) {
        const r = await cli(['report', '--baseline', path.join(dir, file)]);
        expect(r.status, file).toBe(2);
        expect(r.stderr, file).toContain(`error: ${path.join(dir, file)}: ${message}`);
        expect(r.stderr, file).not.toContain('--history');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
