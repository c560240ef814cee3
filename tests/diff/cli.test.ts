/**
 * `diff` and `trend` through the built CLI (run `npm run build` first) with NO_COLOR=1: exit codes,
 * stdout and the one-line errors. Expected values are read off fixtures/reports by hand.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(REPO, 'bin', 'isms-kpi.js');
const Q2 = 'fixtures/reports/2026-Q2.json';
const Q3 = 'fixtures/reports/2026-Q3.json';

function cli(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: REPO,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let tmp = '';
const write = (name: string, data: unknown) => {
  const file = path.join(tmp, name);
  writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data, null, 2));
  return file;
};
const read = (file: string) => JSON.parse(readFileSync(path.join(REPO, file), 'utf8'));
/** A copy of a fixture report that keeps only the given KPIs. */
const only = (file: string, ids: string[]) => {
  const report = read(file);
  report.kpis = report.kpis.filter((k: { id: string }) => ids.includes(k.id));
  return report;
};

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-diff-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('isms-kpi diff', () => {
  it('prints the comparison and exits 0 without --fail-on-regression or --strict', () => {
    const r = cli(['diff', Q2, Q3]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('2026-Q2 -> 2026-Q3 (tolerance 0.5 %)');
    expect(lines[1]).toBe(
      '3 worsened, 20 improved, 5 changed, 5 unchanged, 1 not comparable, 0 added, 0 retired; 2 with a worse status',
    );
    expect(lines[4]).toMatch(/^AC-01 +92\.3 % +81\.3 % +-11\.1 pp +-12\.0 % +▲ amber +✖ red +worsened$/);
    expect(r.stdout).toContain(
      '  dependabot (fixtures/acme/dependabot-alerts.json): snapshot file is identical in both reports',
    );
  });

  it('exits 1 with --fail-on-regression (AC-01 amber -> red) and with --strict', () => {
    expect(cli(['diff', Q2, Q3, '--fail-on-regression']).status).toBe(1);
    expect(cli(['diff', Q2, Q3, '--strict']).status).toBe(1);
    expect(cli(['diff', Q3, Q3, '--fail-on-regression', '--strict']).status).toBe(0);
  });

  it('--strict catches a worse value whose status held (AC-09: 4 -> 5, red both times)', () => {
    const oldFile = write('old-ac09.json', only(Q2, ['AC-09']));
    const newFile = write('new-ac09.json', only(Q3, ['AC-09']));
    expect(cli(['diff', oldFile, newFile, '--fail-on-regression']).status).toBe(0);
    expect(cli(['diff', oldFile, newFile, '--strict']).status).toBe(1);
    // 25 % worse is within a 30 % tolerance.
    expect(cli(['diff', oldFile, newFile, '--strict', '--tolerance', '30']).status).toBe(0);
  });

  it('does not count a KPI whose definition changed (IR-02 only, value 75 -> 87.5)', () => {
    const r = cli(['diff', Q2, 'fixtures/reports/2026-Q3-changed-definition.json', '--format', 'json']);
    expect(r.status).toBe(0);
    const diff = JSON.parse(r.stdout);
    const ir02 = diff.kpis.find((k: { id: string }) => k.id === 'IR-02');
    expect(ir02.verdict).toBe('not-comparable');
    expect(ir02.definitionChanges.map((c: { field: string }) => c.field)).toEqual(['formula']);
  });

  it('writes Markdown with the definition changes', () => {
    const r = cli(['diff', Q2, 'fixtures/reports/2026-Q3-changed-definition.json', '--format', 'markdown']);
    expect(r.stdout.split('\n')[0]).toBe('## KPI changes 2026-Q2 → 2026-Q3');
    expect(r.stdout).toContain('- **IR-02** (not comparable: definition changed)');
  });

  it('refuses reports of another schema version with one line and exit 2', () => {
    const v2 = write('v2.json', { ...read(Q3), schemaVersion: 2 });
    const r = cli(['diff', Q2, v2]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: cannot compare reports of schema versions 1 and 2\n');
  });

  it('refuses a file that is not a report, not JSON, or missing, with exit 2', () => {
    const notReport = cli(['diff', 'package.json', Q3]);
    expect(notReport.status).toBe(2);
    expect(notReport.stderr).toBe(
      'error: package.json: not an isms-kpi report (no schemaVersion or tool.name "isms-kpi")\n',
    );
    const notJson = write('broken.json', '{"schemaVersion": 1,');
    const r = cli(['diff', Q2, notJson]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: .*broken\.json: not valid JSON: .*\n$/);
    const missing = cli(['diff', Q2, 'nope.json']);
    expect([missing.status, missing.stderr]).toEqual([2, 'error: nope.json: no such file\n']);
  });

  it('refuses a bad tolerance as a usage error', () => {
    expect(cli(['diff', Q2, Q3, '--tolerance', 'abc']).status).toBe(2);
  });
});

describe('isms-kpi trend', () => {
  it('prints a KPI-by-period matrix over fixtures/reports, oldest period first', () => {
    const r = cli(['trend', 'fixtures/reports']);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('KPI        2026-Q2     2026-Q3');
    expect(lines).toContain('AC-01     92.3 % ▲    81.3 % ✖');
    expect(lines).toContain('IR-03     31.3 h ▲    18.2 h ✔');
    expect(lines).toContain('AW-01          – ∅         – ∅');
    // The changed-definition copy reports 2026-Q3 too: one of the two is skipped, with a warning.
    expect(r.stderr).toBe(
      'warning: skipped fixtures/reports/2026-Q3-changed-definition.json: fixtures/reports/2026-Q3.json reports the same period 2026-Q3\n',
    );
  });

  it('orders by period start, not file name, warns about non-reports, and marks other definitions', () => {
    const dir = mkdtempSync(path.join(tmp, 'trend-'));
    copyFileSync(path.join(REPO, Q2), path.join(dir, 'b.json'));
    copyFileSync(
      path.join(REPO, 'fixtures/reports/2026-Q3-changed-definition.json'),
      path.join(dir, 'a.json'),
    );
    writeFileSync(path.join(dir, 'notes.json'), '{"hello": 1}');
    const r = cli(['trend', dir, '--format', 'csv']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      `warning: skipped ${path.join(dir, 'notes.json')}: not an isms-kpi report (no schemaVersion or tool.name "isms-kpi")\n`,
    );
    const rows = r.stdout.replace(/^\uFEFF/, '').split('\r\n');
    expect(rows[0]).toBe('kpi_id,kpi_name,unit,2026-Q2,2026-Q2 status,2026-Q3,2026-Q3 status');
    expect(rows).toContain('AC-01,Leavers deprovisioned within 24 h,%,92.3076923076923,amber,81.25,red');
    const table = cli(['trend', dir]).stdout;
    // IR-02's 2026-Q2 value was measured with the old formula, so it is marked.
    expect(table.split('\n')).toContain('IR-02     75 % ✖ *    87.5 % ▲');
    expect(table).toContain('* definition differs from the newest report: not comparable');
  });

  it('exits 2 for a folder without reports', () => {
    const empty = mkdtempSync(path.join(tmp, 'empty-'));
    const r = cli(['trend', empty]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: ${empty}: no isms-kpi JSON reports in this folder\n`);
  });
});
