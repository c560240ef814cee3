/**
 * `isms-kpi init` through the CLI (in-process; an installed copy of the package is spawned), in temporary folders: the
 * starter catalogue over fixtures/presets validates and reports with numbers worked out by hand from
 * those files, the bundled example reports exactly what the repository's catalogue reports, also from
 * an installed copy of the package, and nothing is overwritten without --force.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli, spawnCli } from '../helpers/cli.js';

const PRESET_FIXTURES = path.join(REPO, 'fixtures', 'presets');

/** In-process, or the given binary (an installed copy of the package) in a child process. */
async function cli(args: string[], cwd: string, bin?: string) {
  return bin ? spawnCli(args, { cwd, bin }) : await runCli(args, { cwd });
}

interface JsonKpi {
  id: string;
  name: string;
  value: number | null;
  status: string;
  numerator?: number;
  denominator?: number;
}

async function report(
  cwd: string,
  args: string[] = [],
  bin?: string,
): Promise<{ status: number | null; kpis: JsonKpi[] }> {
  const r = await cli(['report', '--format', 'json', ...args], cwd, bin);
  expect(r.stderr).toBe('');
  return { status: r.status, kpis: (JSON.parse(r.stdout) as { kpis: JsonKpi[] }).kpis };
}

let tmp = '';

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'isms-init-'));
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const freshDir = (name: string) => mkdtempSync(path.join(tmp, `${name}-`));

/** When the sample exports were taken: the end of 2026-Q3 (their file times say so; init offers them as as_of). */
const TAKEN = new Date(Date.UTC(2026, 8, 30, 17, 5));

/** A folder with a copy of fixtures/presets in exports/, without the files the filter leaves out. */
function withPresetExports(name: string, keep: (file: string) => boolean = () => true): string {
  const dir = freshDir(name);
  mkdirSync(path.join(dir, 'exports'));
  for (const file of readdirSync(PRESET_FIXTURES).filter(keep)) {
    cpSync(path.join(PRESET_FIXTURES, file), path.join(dir, 'exports', file));
    utimesSync(path.join(dir, 'exports', file), TAKEN, TAKEN);
  }
  return dir;
}

describe('init --from DIR', { timeout: 120_000 }, () => {
  it('writes a starter catalogue over fixtures/presets that validates and reports', async () => {
    const dir = withPresetExports('from-all');
    writeFileSync(path.join(dir, 'exports', 'notes.txt'), 'meeting notes\n');
    const r = await cli(['init', '--from', 'exports'], dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^wrote metrics\.yaml: \d+ KPIs over \d+ sources$/m);
    expect(r.stdout).toContain('not recognised: exports/notes.txt');
    expect(r.stdout).toMatch(/^ {2}isms-kpi validate/m);
    expect(r.stdout).toMatch(/^ {2}isms-kpi report/m);
    const text = readFileSync(path.join(dir, 'metrics.yaml'), 'utf8');
    expect(text).toContain('    path: exports/aws-iam-credential-report.csv');
    expect(text).toContain('  # not recognised: exports/notes.txt (header: meeting notes)');

    const validate = await cli(['validate', '--period', '2026-Q3'], dir);
    expect(validate.stdout).toMatch(/^catalogue metrics\.yaml: \d+ KPIs, \d+ sources, formulas OK$/m);
    // The samples are clean; the Entra sample's never-quoted job title holds a quote: a warning that passes.
    expect(validate.stdout).toContain('column "jobTitle": quote inside an unquoted field');
    expect(validate.stdout.trimEnd().split('\n').at(-1)).toBe('validation passed');
    expect(validate.status).toBe(0);

    const { status, kpis } = await report(dir, ['--period', '2026-Q3']);
    expect([0, 1]).toContain(status);
    expect(kpis.filter((k) => k.value !== null).length).toBeGreaterThan(kpis.length / 2);
  });

  it('validates without errors when every export is clean', async () => {
    // Without the Jira sample, whose row 11 has more cells than its header (tests/presets/jira.test.ts).
    const dir = withPresetExports(
      'from-clean',
      (f) => !f.startsWith('veeam-em-sessions') && f !== 'jira-issues.csv',
    );
    expect((await cli(['init', '--from', 'exports'], dir)).status).toBe(0);
    const validate = await cli(['validate', '--period', '2026-Q3'], dir);
    expect(validate.stdout).toContain('validation passed');
    expect(validate.status).toBe(0);
  });

  it('computes the numbers worked out by hand from the sample exports (2026-Q3, UTC)', async () => {
    const dir = withPresetExports('from-values');
    expect((await cli(['init', '--from', 'exports'], dir)).status).toBe(0);
    const { kpis } = await report(dir, ['--period', '2026-Q3']);
    const byName = (name: string) => {
      const kpi = kpis.find((k) => k.name === name);
      expect(kpi, name).toBeDefined();
      return kpi!;
    };
    // aws-iam-credential-report.csv: console users ops-mira (MFA), dev-tomas (no MFA), audit-readonly (MFA).
    expect(byName('AWS console users with MFA')).toMatchObject({ numerator: 2, denominator: 3 });
    expect(byName('AWS console users with MFA').value).toBeCloseTo(66.667, 2);
    // The root user signed in on 2026-09-02.
    expect(byName('AWS root account used in the period')).toMatchObject({ value: 1, status: 'red' });
    // ops-mira key 1 rotated 2026-04-02, ci-deployer key 1 2024-11-03 (key 2: 2026-08-21, recent).
    expect(byName('Active AWS access keys not rotated in 90 days').value).toBe(2);
    // dev-tomas never signed in, audit-readonly last on 2025-12-31.
    expect(byName('Dormant AWS console users (no sign-in for 90 days)').value).toBe(2);
    // hr-joiners-leavers.csv: Q3 leavers Inês (31.08, revoked 02.09 09:12, 57.2 h) and Hannah (15.09, not revoked).
    expect(byName('Leavers whose access was revoked within 24 h')).toMatchObject({
      value: 0,
      numerator: 0,
      denominator: 2,
    });
    expect(byName('Median time to revoke the access of leavers').value).toBeCloseTo(57.2, 6);
    expect(byName('Leavers without a recorded access revocation').value).toBe(1);
    // nessus-subset.csv: plugin 166555 is Critical on 192.0.2.11 (two CVE rows) and on 192.0.2.12.
    expect(byName('Open critical vulnerabilities — nessus').value).toBe(2);
    // jira-issues.csv: Q3 issues SEC-145 and SEC-148 are tasks; incidents SEC-146 (resolved after
    // 2 h 41 min 46 s), SEC-147 (14/Jul 10:05 AM to 17/Jul 5:55 PM, 79 h 50 min) and SEC-149 (open).
    expect(byName('Incidents — incidents').value).toBe(3);
    expect(byName('Incidents resolved within 5 days — incidents')).toMatchObject({
      numerator: 2,
      denominator: 3,
    });
    expect(byName('Mean time to resolve incidents — incidents').value).toBeCloseTo(
      (2 + 41 / 60 + 46 / 3600 + 79 + 50 / 60) / 2,
      6,
    );
    expect(byName('Incidents still open at the end of the period — incidents').value).toBe(1);
    // servicenow-change-labels.csv (first of the three change samples by name): 4 changes opened in Q3,
    // CHG0040112 an emergency. servicenow-change.csv and .json are more exports of the same preset: their
    // KPIs are not written twice (issue 17).
    expect(byName('Changes').value).toBe(4);
    expect(byName('Emergency changes')).toMatchObject({ value: 25, numerator: 1, denominator: 4 });
    expect(kpis.filter((k) => k.name.startsWith('Changes —')).length).toBe(0);
    // lms-training.csv: Marek's course due in Q3 is done, Inês's is not. knowbe4-phishing-recipients.json:
    // 4 messages delivered in Q3, 2 clicked, 3 reported.
    expect(byName('Assigned security training completed — lms_training')).toMatchObject({
      value: 50,
      numerator: 1,
      denominator: 2,
    });
    expect(byName('Phishing simulation click rate')).toMatchObject({
      value: 50,
      numerator: 2,
      denominator: 4,
    });
    expect(byName('Phishing simulation report rate')).toMatchObject({
      value: 75,
      numerator: 3,
      denominator: 4,
    });
  });

  it('refuses a folder that holds no recognisable export', async () => {
    const dir = freshDir('from-empty');
    mkdirSync(path.join(dir, 'exports'));
    writeFileSync(path.join(dir, 'exports', 'notes.txt'), 'meeting notes\n');
    const r = await cli(['init', '--from', 'exports'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: exports: --from: no file in this folder matches a preset/);
    expect(existsSync(path.join(dir, 'metrics.yaml'))).toBe(false);
    expect((await cli(['init', '--from', 'missing'], dir)).stderr).toBe(
      'error: missing: --from: no such folder\n',
    );
    expect((await cli(['init', '--from', 'exports/notes.txt'], dir)).stderr).toBe(
      'error: exports/notes.txt: --from: not a folder\n',
    );
  });

  it('writes --output elsewhere, with source paths relative to the catalogue', async () => {
    const dir = withPresetExports('from-output', (f) => f.startsWith('aws-'));
    mkdirSync(path.join(dir, 'isms'));
    const r = await cli(['init', '--from', 'exports', '--output', 'isms/kpis.yaml'], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('isms-kpi validate -c isms/kpis.yaml');
    expect(readFileSync(path.join(dir, 'isms', 'kpis.yaml'), 'utf8')).toContain(
      '    path: ../exports/aws-iam-credential-report.csv',
    );
    expect((await cli(['validate', '-c', 'isms/kpis.yaml', '--period', '2026-Q3'], dir)).status).toBe(0);
  });
});

describe('init (the bundled example)', { timeout: 120_000 }, () => {
  let bundled: JsonKpi[] = [];
  beforeAll(async () => {
    bundled = (await report(REPO)).kpis;
  });

  const values = (kpis: JsonKpi[]) => kpis.map((k) => ({ id: k.id, value: k.value, status: k.status }));

  it('writes metrics.yaml and the exports it reads, and reports what the repository reports', async () => {
    const dir = freshDir('example');
    const r = await cli(['init'], dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('wrote metrics.yaml');
    const text = readFileSync(path.join(dir, 'metrics.yaml'), 'utf8');
    expect(text).not.toContain('fixtures/acme/');
    expect(text).toContain('path: exports/entra-users-{period}.csv');
    // Both quarters of the {period} exports are copied, byte for byte.
    for (const file of ['entra-users-2026-Q2.csv', 'entra-users-2026-Q3.csv', 'veeam-sessions.csv'])
      expect(readFileSync(path.join(dir, 'exports', file))).toEqual(
        readFileSync(path.join(REPO, 'fixtures', 'acme', file)),
      );
    expect(readdirSync(path.join(dir, 'exports'))).not.toContain('generate.mjs');
    const copied = await report(dir);
    expect(copied.status).toBe(1);
    expect(values(copied.kpis)).toEqual(values(bundled));
    expect(values((await report(dir, ['--period', '2026-Q2'])).kpis)).toEqual(
      values((await report(REPO, ['--period', '2026-Q2'])).kpis),
    );
  });

  it('works from an installed copy of the package (the files npm would pack)', async () => {
    const pkgDir = freshDir('installed');
    // What `npm pack` puts in the tarball, so a file missing from package.json "files" fails here.
    const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: REPO,
      encoding: 'utf8',
    });
    expect(packed.status).toBe(0);
    const files = (JSON.parse(packed.stdout) as { files: { path: string }[] }[])[0]!.files;
    for (const { path: file } of files) {
      mkdirSync(path.dirname(path.join(pkgDir, file)), { recursive: true });
      cpSync(path.join(REPO, file), path.join(pkgDir, file));
    }
    symlinkSync(path.join(REPO, 'node_modules'), path.join(pkgDir, 'node_modules'));
    const dir = freshDir('installed-user');
    const bin = path.join(pkgDir, 'bin', 'isms-kpi.js');
    expect((await cli(['init'], dir, bin)).status).toBe(0);
    expect(values((await report(dir, [], bin)).kpis)).toEqual(values(bundled));
  });

  it('overwrites nothing without --force: lists the files, exits 2 and writes nothing', async () => {
    const dir = freshDir('no-overwrite');
    writeFileSync(path.join(dir, 'metrics.yaml'), 'keep me\n');
    const r = await cli(['init'], dir);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: metrics\.yaml: already exists; nothing was written \(use --force/m);
    expect(readFileSync(path.join(dir, 'metrics.yaml'), 'utf8')).toBe('keep me\n');
    expect(existsSync(path.join(dir, 'exports'))).toBe(false);

    // An existing export counts too, and the catalogue is then not written either.
    rmSync(path.join(dir, 'metrics.yaml'));
    mkdirSync(path.join(dir, 'exports'));
    writeFileSync(path.join(dir, 'exports', 'hr-leavers.csv'), 'mine\n');
    const again = await cli(['init'], dir);
    expect(again.status).toBe(2);
    expect(again.stderr.trim().split('\n')).toEqual([
      'error: exports/hr-leavers.csv: already exists; nothing was written (use --force to overwrite)',
    ]);
    expect(existsSync(path.join(dir, 'metrics.yaml'))).toBe(false);
    expect(readdirSync(path.join(dir, 'exports'))).toEqual(['hr-leavers.csv']);
  });

  it('--force overwrites', async () => {
    const dir = freshDir('force');
    writeFileSync(path.join(dir, 'metrics.yaml'), 'keep me\n');
    const r = await cli(['init', '--force'], dir);
    expect(r.status).toBe(0);
    expect(readFileSync(path.join(dir, 'metrics.yaml'), 'utf8')).toBe(
      readFileSync(path.join(REPO, 'metrics.yaml'), 'utf8').replaceAll('fixtures/acme/', 'exports/'),
    );

    const from = withPresetExports('force-from', (f) => f.startsWith('aws-'));
    writeFileSync(path.join(from, 'metrics.yaml'), 'keep me\n');
    expect((await cli(['init', '--from', 'exports'], from)).status).toBe(2);
    expect(readFileSync(path.join(from, 'metrics.yaml'), 'utf8')).toBe('keep me\n');
    expect((await cli(['init', '--from', 'exports', '--force'], from)).status).toBe(0);
    expect(readFileSync(path.join(from, 'metrics.yaml'), 'utf8')).toContain(
      'preset: aws-iam-credential-report',
    );
  });

  it('--help shows examples', async () => {
    const r = await cli(['init', '--help'], REPO);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--from <dir>');
    expect(r.stdout).toContain('--force');
    expect(r.stdout).toContain('$ isms-kpi init --from exports/');
  });
});
