/**
 * `diff` and `trend` through the CLI (in-process, NO_COLOR=1): exit codes, stdout and the one-line
 * errors. Expected values are read off fixtures/reports by hand.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../helpers/cli.js';

const Q2 = 'fixtures/reports/2026-Q2.json';
const Q3 = 'fixtures/reports/2026-Q3.json';

const cli = (args: string[]) => runCli(args);

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
  it('prints the comparison and exits 0 without --fail-on-regression or --strict', async () => {
    const r = await cli(['diff', Q2, Q3]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('2026-Q2 -> 2026-Q3 (tolerance 0.5 %, significance 0.05)');
    expect(lines[1]).toBe(
      '9 worsened, 32 improved, 9 changed, 5 unchanged, 1 not comparable, 0 added, 0 retired; 2 with a worse status; 38 of the changes not significant at 0.05',
    );
    // 12 of 13 leavers against 13 of 16: worse, but chance explains it (Fisher exact test)
    expect(lines[4]).toMatch(
      /^AC-01 +92\.3 % +81\.3 % +-11\.1 pp +-12\.0 % +▲ amber +✖ red +worsened, not significant$/,
    );
    // IR-03 (a mean) improved beyond the tolerance and cannot be tested: its verdict stands, and it is listed
    expect(r.stdout).toMatch(/^IR-03 .* improved$/m);
    expect(r.stdout).toContain(
      'Not tested for significance (judged by the tolerance alone): IR-03 (a mean (n = 66) is not tested)',
    );
    expect(r.stdout).toContain(
      '  dependabot (fixtures/acme/dependabot-alerts.json): snapshot file is identical in both reports',
    );
  });

  it('exits 1 with --fail-on-regression (AC-01 amber -> red); --strict only with --significance off', async () => {
    expect((await cli(['diff', Q2, Q3, '--fail-on-regression'])).status).toBe(1);
    // the nine worsenings (AC-01, AC-02, AC-09, SU-03, GV-12, GV-14, GV-15, GV-21, GV-22) are not significant
    expect((await cli(['diff', Q2, Q3, '--strict'])).status).toBe(0);
    expect((await cli(['diff', Q2, Q3, '--strict', '--significance', 'off'])).status).toBe(1);
    expect((await cli(['diff', Q3, Q3, '--fail-on-regression', '--strict'])).status).toBe(0);
  });

  it('--strict fails on a significant worsening (AC-01: 190 of 200 -> 130 of 200)', async () => {
    const withCounts = (file: string, numerator: number, denominator: number) => {
      const report = only(file, ['AC-01']);
      Object.assign(report.kpis[0], { value: (100 * numerator) / denominator, numerator, denominator });
      return report;
    };
    const oldFile = write('old-ac01.json', withCounts(Q2, 190, 200));
    const newFile = write('new-ac01.json', withCounts(Q3, 130, 200));
    const r = await cli(['diff', oldFile, newFile, '--strict', '--format', 'json']);
    expect(r.status).toBe(1);
    const ac01 = JSON.parse(r.stdout).kpis[0];
    expect(ac01.significance).toMatchObject({
      significant: true,
      method: 'two-proportion z-test',
      level: 0.05,
    });
    expect(ac01.significance.pValue).toBeLessThan(1e-6);
    // 19 of 20 -> 13 of 20: the same proportions of fewer leavers are not significant at 0.01
    const small = ['old-small.json', 'new-small.json'].map((name, i) =>
      write(name, withCounts(i === 0 ? Q2 : Q3, i === 0 ? 19 : 13, 20)),
    );
    expect((await cli(['diff', small[0]!, small[1]!, '--strict', '--significance', '0.01'])).status).toBe(0);
  });

  it('refuses a confidence level as --significance, and says why', async () => {
    const r = await cli(['diff', Q2, Q3, '--significance', '0.95']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'expected a significance level such as 0.05, not a confidence level (0.95); or off',
    );
  });

  it('--strict catches a worse value whose status held (AC-09: 4 -> 5, red both times)', async () => {
    const oldFile = write('old-ac09.json', only(Q2, ['AC-09']));
    const newFile = write('new-ac09.json', only(Q3, ['AC-09']));
    expect((await cli(['diff', oldFile, newFile, '--fail-on-regression'])).status).toBe(0);
    // 4 -> 5 accounts is chance: --strict fails on it only with --significance off
    expect((await cli(['diff', oldFile, newFile, '--strict'])).status).toBe(0);
    expect((await cli(['diff', oldFile, newFile, '--strict', '--significance', 'off'])).status).toBe(1);
    // 25 % worse is within a 30 % tolerance.
    expect(
      (await cli(['diff', oldFile, newFile, '--strict', '--significance', 'off', '--tolerance', '30']))
        .status,
    ).toBe(0);
  });

  it('does not count a KPI whose definition changed (IR-02 only, value 75 -> 87.5)', async () => {
    const r = await cli(['diff', Q2, 'fixtures/reports/2026-Q3-changed-definition.json', '--format', 'json']);
    expect(r.status).toBe(0);
    const diff = JSON.parse(r.stdout);
    const ir02 = diff.kpis.find((k: { id: string }) => k.id === 'IR-02');
    expect(ir02.verdict).toBe('not-comparable');
    expect(ir02.definitionChanges.map((c: { field: string }) => c.field)).toEqual(['formula']);
  });

  it('writes Markdown with the definition changes', async () => {
    const r = await cli([
      'diff',
      Q2,
      'fixtures/reports/2026-Q3-changed-definition.json',
      '--format',
      'markdown',
    ]);
    expect(r.stdout.split('\n')[0]).toBe('## KPI changes 2026-Q2 → 2026-Q3');
    expect(r.stdout).toContain('- **IR-02** (not comparable: definition changed)');
  });

  it('refuses reports of another schema version with one line and exit 2', async () => {
    const v2 = write('v2.json', { ...read(Q3), schemaVersion: 2 });
    const r = await cli(['diff', Q2, v2]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: ${v2}: report schemaVersion 2; this isms-kpi reads schemaVersion 1\n`);
  });

  it('accepts a report saved with a byte order mark or an unknown extra field, like report --baseline', async () => {
    const bom = write('bom.json', `\uFEFF${readFileSync(path.join(REPO, Q3), 'utf8')}`);
    const extra = write('extra.json', { ...read(Q2), comment: 'from a newer isms-kpi' });
    const r = await cli(['diff', extra, bom]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('2026-Q2 -> 2026-Q3 (tolerance 0.5 %, significance 0.05)');
  });

  it('refuses a file that is not a report, not JSON, or missing, with exit 2', async () => {
    const notReport = await cli(['diff', 'package.json', Q3]);
    expect(notReport.status).toBe(2);
    expect(notReport.stderr).toBe(
      'error: package.json: not an isms-kpi report (no schemaVersion or tool.name "isms-kpi")\n',
    );
    const notJson = write('broken.json', '{"schemaVersion": 1,');
    const r = await cli(['diff', Q2, notJson]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: .*broken\.json: not valid JSON: .*\n$/);
    const missing = await cli(['diff', Q2, 'nope.json']);
    expect([missing.status, missing.stderr]).toEqual([2, 'error: nope.json: no such file\n']);
  });

  it('refuses a bad tolerance as a usage error', async () => {
    expect((await cli(['diff', Q2, Q3, '--tolerance', 'abc'])).status).toBe(2);
  });
});

describe('isms-kpi trend', () => {
  it('prints a KPI-by-period matrix over fixtures/reports, oldest period first', async () => {
    const r = await cli(['trend', 'fixtures/reports']);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('KPI        2026-Q2     2026-Q3');
    expect(lines).toContain('AC-01     92.3 % ▲    81.3 % ✖');
    expect(lines).toContain('IR-03     31.3 h ▲    18.2 h ✔');
    // a KPI without data in a period shows – ∅ there: AW-03 (manual) in 2026-Q3, GV-16 in 2026-Q2
    expect(lines).toContain('AW-03     78.0 % ✖         – ∅');
    expect(lines).toContain('GV-16          – ∅    41.7 % ▲');
    // The changed-definition copy reports 2026-Q3 too: one of the two is skipped, with a warning.
    expect(r.stderr).toBe(
      'warning: fixtures/reports/2026-Q3-changed-definition.json: skipped: fixtures/reports/2026-Q3.json reports the same period 2026-Q3\n',
    );
  });

  it('orders by period start, not file name, warns about non-reports, and marks other definitions', async () => {
    const dir = mkdtempSync(path.join(tmp, 'trend-'));
    copyFileSync(path.join(REPO, Q2), path.join(dir, 'b.json'));
    copyFileSync(
      path.join(REPO, 'fixtures/reports/2026-Q3-changed-definition.json'),
      path.join(dir, 'a.json'),
    );
    writeFileSync(path.join(dir, 'notes.json'), '{"hello": 1}');
    const r = await cli(['trend', dir, '--format', 'csv']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      `warning: ${path.join(dir, 'notes.json')}: skipped: not an isms-kpi report (no schemaVersion or tool.name "isms-kpi")\n`,
    );
    const rows = r.stdout.replace(/^\uFEFF/, '').split('\r\n');
    expect(rows[0]).toBe('kpi_id,kpi_name,unit,2026-Q2,2026-Q2 status,2026-Q3,2026-Q3 status');
    expect(rows).toContain('AC-01,Leavers deprovisioned within 24 h,%,92.3076923076923,amber,81.25,red');
    const table = (await cli(['trend', dir])).stdout;
    // IR-02's 2026-Q2 value was measured with the old formula, so it is marked.
    expect(table.split('\n')).toContain('IR-02   75.0 % ✖ *    87.5 % ▲');
    expect(table).toContain('* definition differs from the newest report: not comparable');
  });

  it('exits 2 for a folder without reports', async () => {
    const empty = mkdtempSync(path.join(tmp, 'empty-'));
    const r = await cli(['trend', empty]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: ${empty}: no isms-kpi JSON reports in this folder\n`);
  });
});
