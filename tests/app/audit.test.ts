/**
 * `isms-kpi audit-catalogue` (issue 19): the findings over the bundled catalogue with the bundled SoA and
 * saved reports, each check on a synthetic case, the SoA's located errors, and the exit codes.
 */
import { describe, expect, it } from 'vitest';
import { auditFindings, reviewDue, VANITY_PERIODS } from '../../src/app/audit.js';
import { parseSoa } from '../../src/app/soa.js';
import type { Catalogue } from '../../src/catalogue/compile.js';
import { formatProblem, IsmsKpiError } from '../../src/problems.js';
import type { Report } from '../../src/report/model.js';
import { REPO, runCli } from '../helpers/cli.js';
import { loadCatalogue } from '../helpers/run.js';

const header = 'control,applicable,justification\n';

function soaErrors(text: string): string[] {
  try {
    parseSoa(text, 'soa.csv');
  } catch (error) {
    if (error instanceof IsmsKpiError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error('expected the SoA to be refused');
}

describe('the Statement of Applicability', () => {
  it('reads control, applicable and justification, in any column order', () => {
    const rows = parseSoa(
      'Justification;Control;Applicable\nin scope;A.5.1;yes\nno outsourcing;A.8.30;No\n',
      's.csv',
    );
    expect(rows).toEqual([
      { control: 'A.5.1', applicable: true, justification: 'in scope', line: 2 },
      { control: 'A.8.30', applicable: false, justification: 'no outsourcing', line: 3 },
    ]);
  });

  it('refuses, at the line, a control outside Annex A, a control twice, an applicable that is not yes or no, a missing column', () => {
    expect(soaErrors(`${header}A.5.1,yes,\nA.12.1.1,yes,\nA.5.1,no,\nA.5.2,maybe,\n`)).toEqual([
      'soa.csv:3: "A.12.1.1" is not an ISO/IEC 27001:2022 Annex A control (A.5.1-A.8.34)',
      'soa.csv:4: A.5.1 is listed twice (first on line 2)',
      'soa.csv:5: A.5.2: applicable is "maybe"; write yes or no',
    ]);
    expect(soaErrors('control,justification\nA.5.1,x\n')).toEqual([
      'soa.csv:1: Statement of Applicability: no column "applicable" in the header (it needs control, applicable, justification)',
    ]);
  });
});

describe('reviewDue', () => {
  it('adds the review cadence; a month end stays in its month', () => {
    expect(reviewDue('2025-06-16', 'annual')).toBe('2026-06-16');
    expect(reviewDue('2026-08-31', 'quarterly')).toBe('2026-11-30');
    expect(reviewDue('2026-01-31', 'monthly')).toBe('2026-02-28');
    expect(reviewDue('2026-12-29', 'weekly')).toBe('2027-01-05');
  });
});

describe('findings', () => {
  const bundled = () => loadCatalogue({ catalogue: 'metrics.yaml', cwd: REPO });
  const codes = (findings: { code: string }[]) => findings.map((f) => f.code);

  it('on the bundled catalogue and SoA: uncovered themes, the not-applicable A.8.9, AC-01 overdue', async () => {
    const catalogue = await bundled();
    const soa = parseSoa(
      (await import('node:fs')).readFileSync(`${REPO}/fixtures/acme/soa.csv`, 'utf8'),
      'soa.csv',
    );
    expect(soa).toHaveLength(93);
    const findings = auditFindings({
      catalogue,
      soa: { file: 'soa.csv', rows: soa },
      history: [],
      today: '2026-10-15',
    });
    expect(codes(findings)).toEqual([
      'soa-uncovered',
      'soa-uncovered',
      'soa-uncovered',
      'soa-uncovered',
      'soa-not-applicable',
      'review-overdue',
      'measure-types',
      'measure-coverage',
      'frameworks',
    ]);
    const physical = findings.find((f) => f.message.startsWith('physical'))!;
    expect(physical.controls).toHaveLength(14);
    expect(findings.find((f) => f.code === 'soa-not-applicable')).toMatchObject({
      controls: ['A.8.9'],
      kpis: ['CH-01'],
      line: 69,
    });
    expect(findings.find((f) => f.code === 'review-overdue')?.message).toBe(
      'AC-01: review overdue since 2026-06-16 (last reviewed 2025-06-16, review_every annual)',
    );
    // The day before the review is due, it is not overdue.
    expect(codes(auditFindings({ catalogue, history: [], today: '2026-06-16' }))).not.toContain(
      'review-overdue',
    );
    expect(findings.find((f) => f.code === 'frameworks')?.message).toContain('nist-csf 2');
  });

  /** A saved report of `label` with one KPI K of this value and status. */
  const saved = (i: number, value: number | null, status: string) =>
    ({
      period: { label: `P${i}`, start: `2026-0${i}-01T00:00:00.000Z` },
      kpis: [{ id: 'IR-01', value, status }],
    }) as unknown as Report;

  it(`vanity: green at the same value in each of the last ${VANITY_PERIODS} periods`, async () => {
    const catalogue: Catalogue = await bundled();
    const history = (values: (number | null)[], status = 'green') =>
      values.map((v, i) => saved(i + 1, v, status));
    const run = (h: Report[]) =>
      auditFindings({ catalogue, history: h, today: '2026-01-01' }).filter((f) => f.kpis?.includes('IR-01'));
    expect(codes(run(history([5, 5, 5, 5])))).toEqual(['vanity']);
    expect(codes(run(history([7, 5, 5, 5, 5])))).toEqual(['vanity']);
    // One change, too few periods, or not green: no finding.
    expect(codes(run(history([5, 5, 6, 5])))).toEqual([]);
    expect(codes(run(history([5, 5, 5])))).toEqual([]);
    expect(codes(run(history([5, 5, 5, 5], 'amber')))).toEqual([]);
    // Never a value; always stale.
    expect(codes(run(history([null, null], 'no-data')))).toEqual(['never-data']);
    expect(codes(run(history([1, 2], 'stale')))).toEqual(['always-stale']);
    expect(codes(run(history([1], 'stale')))).toEqual([]);
  });
});

describe('audit-catalogue on the command line', { timeout: 60_000 }, () => {
  it('prints the findings and exits 1 on warnings; JSON and Markdown carry the same findings', async () => {
    const args = [
      'audit-catalogue',
      '--soa',
      'fixtures/acme/soa.csv',
      // AW-03 (manual) has no value in 2026-Q3; it had one (78 %) in 2026-Q2, see the last run below
      '--history',
      'fixtures/reports/2026-Q3.json',
      '--today',
      '2026-10-15',
    ];
    const table = await runCli(args);
    expect(table.status).toBe(1);
    expect(table.stdout).toContain('Audit of metrics.yaml on 2026-10-15; SoA fixtures/acme/soa.csv');
    expect(table.stdout).toMatch(/never-data +│ AW-03: no value in any of the 1 saved report \(2026-Q3\)/);
    expect(table.stdout).toContain('7 warnings, 3 for information');
    const json = JSON.parse((await runCli([...args, '--format', 'json'])).stdout);
    expect(json.findings.map((f: { code: string }) => f.code)).toContain('never-data');
    expect(json.findings).toHaveLength(10);
    const markdown = (await runCli([...args, '--format', 'markdown'])).stdout;
    expect(markdown).toContain('| ⚠ warning | `soa-not-applicable` | A.8.9 Configuration management');
    // With both saved reports AW-03 had a value once: not never-data (the 2026-Q3 copy with the changed
    // definition reports the same period and counts once)
    const both = await runCli(
      args.map((a) => (a === 'fixtures/reports/2026-Q3.json' ? 'fixtures/reports' : a)),
    );
    expect(both.status).toBe(1);
    expect(both.stdout).not.toContain('never-data');
    expect(both.stdout).toContain('6 warnings, 3 for information');
  });

  it('a SoA that cannot be read or parsed stops with exit 2 and a located message', async () => {
    const missing = await runCli(['audit-catalogue', '--soa', 'nowhere.csv']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('nowhere.csv');
    const bad = await runCli(['audit-catalogue', '--soa', 'fixtures/acme/hr-leavers.csv']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('fixtures/acme/hr-leavers.csv:1: Statement of Applicability: no column');
  });
});

describe('the Statement of Applicability with implementation status (issue 22)', () => {
  it('reads the optional status, owner and last_verified columns; without them the rows are as before', () => {
    const rows = parseSoa(
      [
        'control,applicable,justification,status,owner,last_verified',
        'A.5.1,yes,in scope,Partially Implemented,ISMS coordinator,2026-09-01',
        'A.8.30,no,no outsourcing,,,',
        'A.8.8,yes,in scope,planned,IT operations lead,',
      ].join('\n'),
      's.csv',
    );
    expect(rows).toEqual([
      {
        control: 'A.5.1',
        applicable: true,
        justification: 'in scope',
        status: 'partially implemented',
        owner: 'ISMS coordinator',
        lastVerified: '2026-09-01',
        line: 2,
      },
      { control: 'A.8.30', applicable: false, justification: 'no outsourcing', line: 3 },
      {
        control: 'A.8.8',
        applicable: true,
        justification: 'in scope',
        status: 'planned',
        owner: 'IT operations lead',
        line: 4,
      },
    ]);
  });

  it('refuses, at the line, a status or a last_verified date it does not know', () => {
    expect(
      soaErrors(
        'control,applicable,justification,status,last_verified\nA.5.1,yes,,done,\nA.5.2,yes,,implemented,01.09.2026\nA.5.3,yes,,implemented,2026-02-30\n',
      ),
    ).toEqual([
      'soa.csv:2: A.5.1: status is "done"; write implemented, partially implemented, planned, not implemented, or leave it empty',
      'soa.csv:3: A.5.2: last_verified is "01.09.2026"; write a date like 2026-09-30 (yyyy-MM-dd)',
      'soa.csv:4: A.5.3: last_verified is "2026-02-30"; write a date like 2026-09-30 (yyyy-MM-dd)',
    ]);
  });

  it('reads the bundled SoA: every applicable control has a status and an owner, the others none', async () => {
    const { readFile } = await import('node:fs/promises');
    const file = `${REPO}/fixtures/acme/soa.csv`;
    const rows = parseSoa(await readFile(file, 'utf8'), file);
    expect(rows).toHaveLength(93);
    for (const row of rows) {
      if (row.applicable) expect(row.status && row.owner, row.control).toBeTruthy();
      else
        expect([row.status, row.owner, row.lastVerified], row.control).toEqual([
          undefined,
          undefined,
          undefined,
        ]);
    }
  });
});
