/**
 * `init --from` on exports as they arrive (issue 17): subfolders are read, per-quarter files of one export
 * family become one source with period tokens, a KPI is written once, and the catalogue validates with
 * no warning; what was left out is printed with the reason.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { periodTemplate } from '../../src/init/period-groups.js';
import { REPO, runCli } from '../helpers/cli.js';

const ACME = path.join(REPO, 'fixtures', 'acme');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'isms-init-periods-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** data/q2/, data/q3/ with the identity snapshots, data/nessus-q2.csv and -q3.csv, and a hidden folder. */
function layout(): string {
  const dir = mkdtempSync(path.join(tmp, 'p-'));
  for (const q of ['2', '3']) {
    mkdirSync(path.join(dir, 'data', `q${q}`), { recursive: true });
    cpSync(
      path.join(ACME, `aws-iam-credential-report-2026-Q${q}.csv`),
      path.join(dir, 'data', `q${q}`, 'aws-iam-credential-report.csv'),
    );
    cpSync(path.join(ACME, `entra-users-2026-Q${q}.csv`), path.join(dir, 'data', `q${q}`, 'entra-users.csv'));
    cpSync(path.join(ACME, `nessus-2026-Q${q}.csv`), path.join(dir, 'data', `nessus-q${q}.csv`));
  }
  mkdirSync(path.join(dir, 'data', '.cache'));
  writeFileSync(path.join(dir, 'data', '.cache', 'x.csv'), 'a,b\n1,2\n');
  return dir;
}

describe('init --from a folder of per-quarter exports', { timeout: 120_000 }, () => {
  it('writes one source per export family, no KPI twice, and validates with no warning', async () => {
    const dir = layout();
    const init = await runCli(['init', '--from', 'data'], { cwd: dir });
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
    expect(init.stdout).toContain(
      'data/nessus-q{quarter}.csv (nessus, 4 KPIs; one file per quarter: 2 files, Q2, Q3)',
    );
    const config = parse(readFileSync(path.join(dir, 'metrics.yaml'), 'utf8')) as {
      sources: Record<string, { path: string; one_file_per?: string; as_of?: string }>;
      kpis: { id: string; name: string; formula: string }[];
    };
    expect(Object.fromEntries(Object.entries(config.sources).map(([n, s]) => [n, s.path]))).toEqual({
      nessus: 'data/nessus-q{quarter}.csv',
      aws_iam: 'data/q{quarter}/aws-iam-credential-report.csv',
      entra_users: 'data/q{quarter}/entra-users.csv',
    });
    for (const s of Object.values(config.sources))
      expect(s).toMatchObject({ one_file_per: 'quarter', as_of: 'period_end' });
    const ids = config.kpis.map((k) => k.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.some((id) => /\.\d+$/.test(id))).toBe(false);
    // The Nessus export has CVSS v3 but not v2: the starter reads the score it has.
    expect(config.kpis.map((k) => k.formula)).toContain('mean(nessus, cvss3)');

    for (const period of ['2026-Q2', '2026-Q3']) {
      const validate = await runCli(['validate', '--period', period, '--format', 'json'], { cwd: dir });
      const data = JSON.parse(validate.stdout);
      expect(validate.status, period).toBe(0);
      expect(data.counts, period).toMatchObject({ errors: 0, warnings: 0 });
      expect(data.sources.map((s: { file: string }) => s.file)).toEqual([
        `data/nessus-q${period.at(-1)}.csv`,
        `data/q${period.at(-1)}/aws-iam-credential-report.csv`,
        `data/q${period.at(-1)}/entra-users.csv`,
      ]);
    }
  });

  it('prints what it left out and why: hidden folders are skipped silently, repeats are named', async () => {
    const dir = layout();
    cpSync(path.join(ACME, 'nessus-2026-Q3.csv'), path.join(dir, 'data', 'nessus-dmz.csv'));
    writeFileSync(path.join(dir, 'data', 'q3', 'notes.csv'), 'when,what\n2026-07-01,x\n');
    const init = await runCli(['init', '--from', 'data'], { cwd: dir });
    expect(init.status).toBe(0);
    expect(init.stdout).toMatch(/\n {2}not repeated for nessus_2: VM-01, .* \(already over nessus, /);
    expect(init.stdout).toContain('  not recognised: data/q3/notes.csv: header: when, what');
    expect(init.stdout).not.toContain('.cache');
  });
});

describe('periodTemplate', () => {
  it.each([
    ['data/q2/aws.csv', 'data/q{quarter}/aws.csv', 'quarter'],
    ['nessus-q3.csv', 'nessus-q{quarter}.csv', 'quarter'],
    ['nessus-2026Q3.csv', 'nessus-{year}Q{quarter}.csv', 'quarter'],
    ['jira-2026-Q2-export.csv', 'jira-{year}-Q{quarter}-export.csv', 'quarter'],
    ['entra-users-2026-09.csv', 'entra-users-{year}-{month}.csv', 'month'],
    ['q3/nessus-q3.csv', 'q{quarter}/nessus-q{quarter}.csv', 'quarter'],
  ])('%s -> %s', (file, template, unit) => {
    expect(periodTemplate(file)).toMatchObject({ template, unit });
  });

  it.each(['eq2.csv', 'nessus-2026-09-30.csv', 'v2026-091.csv', 'q2/nessus-q3.csv', 'users.csv', 'q5.csv'])(
    '%s has no period part',
    (file) => {
      expect(periodTemplate(file)).toBeUndefined();
    },
  );
});

describe('init --from takes what detect suggests', () => {
  it('reads a leavers-only HR list (no event column) that detect suggests as hr-joiners-leavers', async () => {
    const dir = mkdtempSync(path.join(tmp, 'hr-'));
    mkdirSync(path.join(dir, 'hr'));
    writeFileSync(
      path.join(dir, 'hr', 'leavers.csv'),
      'employee_id,upn,termination_date,account_disabled_at\nE1,a@example.com,2026-07-31,2026-07-31 18:00\nE2,b@example.com,2026-08-15,\n',
    );
    const detect = await runCli(['detect', 'hr/leavers.csv'], { cwd: dir });
    expect(detect.stdout).toContain('  preset:     hr-joiners-leavers');
    expect(detect.stdout).toContain('the preset may still read the file');
    const init = await runCli(['init', '--from', 'hr'], { cwd: dir });
    expect(init.stderr).toBe('');
    expect(init.stdout).toContain('  jml_events  hr/leavers.csv (hr-joiners-leavers, 3 KPIs)');
    const text = readFileSync(path.join(dir, 'metrics.yaml'), 'utf8');
    expect(text).toContain(
      '    # the export lacks event or event_type or jml or change_type or action or type: those fields stay empty',
    );
    expect(text).toContain('formula: count(jml_events, access_revoked == null)');
    const validate = await runCli(['validate', '--period', '2026-Q3', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(validate.stdout).counts).toMatchObject({ errors: 0, warnings: 0 });
    const report = JSON.parse(
      (await runCli(['report', '--period', '2026-Q3', '--format', 'json'], { cwd: dir })).stdout,
    );
    const byId = Object.fromEntries(report.kpis.map((k: { id: string; value: number }) => [k.id, k.value]));
    // E1 revoked 18 h after the start of the leaving day, E2 not at all.
    expect(byId).toMatchObject({ 'JML-01': 50, 'JML-02': 18, 'JML-03': 1 });
  });
});
