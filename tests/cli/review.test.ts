/**
 * `isms-kpi review` and `isms-kpi actions` over the example (metrics.yaml, fixtures/acme/actions.yaml,
 * fixtures/acme/audit-findings.csv, fixtures/reports as history), in-process. The Markdown golden
 * (tests/render/golden/review-2026-Q3.md) was read by hand against fixtures/acme/README.md and the
 * verdicts of docs/management-review.md.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionVerdict } from '../../src/report/model.js';
import { reportSchema } from '../../src/report/model.js';
import { runCli } from '../helpers/cli.js';
import { expectGolden } from '../render/bundled.js';

const EXAMPLE = [
  '--period',
  '2026-Q3',
  '--history',
  'fixtures/reports',
  '--actions',
  'fixtures/acme/actions.yaml',
];
const REVIEW = ['review', ...EXAMPLE, '--audits', 'fixtures/acme/audit-findings.csv'];

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'isms-review-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('isms-kpi review', () => {
  it('prints the document of the example as Markdown (golden, read by hand), the same bytes every run', async () => {
    const first = await runCli(REVIEW);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expectGolden('review-2026-Q3.md', first.stdout);
    expect((await runCli(REVIEW)).stdout).toBe(first.stdout);
  });

  it('is organised by the clause 9.3.2 inputs, with a blank Decisions section', async () => {
    const { stdout } = await runCli(REVIEW);
    const headings = stdout.split('\n').filter((l) => /^##? /.test(l));
    expect(headings).toEqual([
      '# ACME Precision Components GmbH (fictional) — Management review input 2026-Q3',
      '## 1. Status of actions from previous reviews (9.3.2 a)',
      '## 2. Changes in issues (9.3.2 b)',
      '## 3. Information security performance (9.3.2 d)',
      '## 4. Findings',
      '## 5. Opportunities for continual improvement (9.3.2 g)',
      '## 6. Decisions (9.3.3)',
    ]);
    const redWithout = stdout
      .split('### 4.1 Red KPIs without an open corrective action')[1]!
      .split('###')[0]!;
    // AC-09 is red with an open action (CA-2026-04); IR-09's action was cancelled.
    expect(redWithout).not.toContain('AC-09');
    expect(redWithout).toContain('IR-09');
    expect(redWithout).toContain('GV-21');
  });

  it('says what it could not judge without history, actions or audits', async () => {
    const { stdout, status } = await runCli(['review', '--period', '2026-Q3']);
    expect(status).toBe(0);
    expect(stdout).toContain('No saved report of the previous period was given (--history)');
    expect(stdout).toContain('No corrective actions were found');
    expect(stdout).toContain('No audit findings register was given (--audits FILE).');
    // Without actions, every red KPI is one without an open corrective action.
    expect(stdout.split('### 4.1 Red KPIs without an open corrective action')[1]).toMatch(/^\n\n- IR-09 /);
  });

  it('writes HTML with the same content, escaped', async () => {
    const file = path.join(tmp, 'review.html');
    const { status, stderr } = await runCli([...REVIEW, '--output', file]);
    expect([status, stderr]).toEqual([0, `wrote ${file} (html)\n`]);
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^<!DOCTYPE html>/);
    expect(text).toContain('Content-Security-Policy');
    expect(text).toContain('<h2>6. Decisions (9.3.3)</h2>');
    expect(text).toContain('<td>&lt;= 20 %</td>');
    expect(text).not.toContain('<script');
  });

  it('refuses an output it cannot write, before any work', async () => {
    const { status, stderr } = await runCli([...REVIEW, '--output', path.join(tmp, 'review.txt')]);
    expect(status).toBe(2);
    expect(stderr).toMatch(/--output .*review\.txt: write the review to a \.md, \.html or \.pdf file\n$/);
  });

  it('a bad audit findings register: one located line per problem, exit 2, nothing on stdout', async () => {
    const file = path.join(tmp, 'audits.csv');
    await writeFile(
      file,
      'id,reference,finding,severity,status,due\nF-1,A.5.1,x,critical,open,2026-09-30\nF-2,9.2,y,minor,open,30.09.2026\nF-3,9.2,z,minor,closed,\nF-3,9.3,z,minor,open,\n',
    );
    const { status, stdout, stderr } = await runCli([...REVIEW.slice(0, -1), file]);
    expect([status, stdout]).toEqual([2, '']);
    expect(stderr.split('\n').filter(Boolean)).toEqual([
      `error: ${file}:2: column "severity": severity "critical": write one of major, minor, observation, opportunity`,
      `error: ${file}:3: column "due": due "30.09.2026" is not a date written yyyy-MM-dd (like 2026-09-30)`,
      `error: ${file}:5: column "id": F-3 is listed twice (first on line 4)`,
    ]);
  });
});

describe('isms-kpi actions', () => {
  it('judges every action of the example: each verdict state occurs', async () => {
    const { stdout, status, stderr } = await runCli(['actions', ...EXAMPLE, '--format', 'json']);
    expect([status, stderr]).toEqual([0, '']);
    const verdicts = JSON.parse(stdout) as ActionVerdict[];
    expect(Object.fromEntries(verdicts.map((v) => [v.id, v.verdict]))).toEqual({
      'CA-2026-01': 'effective',
      'CA-2026-02': 'effective',
      'CA-2026-03': 'not-yet-effective',
      'CA-2026-04': 'overdue',
      'CA-2026-05': 'ineffective',
      'CA-2026-06': 'not-comparable',
      'CA-2026-07': 'no-data',
      'CA-2026-08': 'cancelled',
      'CA-2026-09': 'not-yet-effective',
    });
    // The real significance test: BK-01 902/940 -> 916/930 is significant, VM-02 15/24 -> 10/25 is not.
    const byId = new Map(verdicts.map((v) => [v.id, v]));
    expect(byId.get('CA-2026-02')!.significance).toMatchObject({
      significant: true,
      method: 'two-proportion z-test',
    });
    expect(byId.get('CA-2026-02')!.met).toBe(false);
    expect(byId.get('CA-2026-05')!.significance).toMatchObject({ significant: false });
  });

  it('--significance off: no change counts as an improvement, so BK-01 (not met) is ineffective', async () => {
    const { stdout } = await runCli(['actions', ...EXAMPLE, '--format', 'json', '--significance', 'off']);
    const bk01 = (JSON.parse(stdout) as ActionVerdict[]).find((v) => v.id === 'CA-2026-02')!;
    expect(bk01.verdict).toBe('ineffective');
    expect(bk01.reason).toContain('significance not judged: significance testing is off');
    const review = await runCli([...REVIEW, '--significance', '0.01']);
    expect(review.stdout).toContain('a change is called significant at the 0.01 level.');
  });

  it('prints a table, Markdown and CSV', async () => {
    const table = await runCli(['actions', ...EXAMPLE]);
    expect(table.stdout).toContain(
      '9 actions: 1 overdue, 1 ineffective, 1 not comparable, 1 no data, 2 not yet effective, 2 effective, 1 cancelled',
    );
    const markdown = await runCli(['actions', ...EXAMPLE, '--format', 'markdown']);
    expect(markdown.stdout).toContain(
      '| CA-2026-04 | AC-09 | Cloud platform lead | open | 2026-09-30 | == 0 | 4 (2026-Q2) | 5 (2026-Q3) | **overdue** |',
    );
    const csv = await runCli(['actions', ...EXAMPLE, '--format', 'csv']);
    const lines = csv.stdout.split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFFid,kpi,segment,owner,description,status,opened,due,expected,links,before_period,before_value,now_period,now_value,met,significant,significance_method,p_value,verdict,reason',
    );
    expect(lines[9]).toMatch(
      /^CA-2026-09,IR-02,Leipzig,.*,IA-2026-09,2026-Q2,100,2026-Q3,66\.6+7,false,false,Fisher exact test,/,
    );
  });

  it('reads the same actions from a CSV', async () => {
    const file = path.join(tmp, 'actions.csv');
    await writeFile(
      file,
      'id,kpi,segment,opened,owner,description,expected,due,status,links\nCA-1,VM-02,,2026-Q2,OT,Patch window,<= 20,2026-Q3,done,IA-2026-06\n',
    );
    const { stdout, status } = await runCli([
      'actions',
      ...EXAMPLE.slice(0, 4),
      '--actions',
      file,
      '--format',
      'json',
    ]);
    expect(status).toBe(0);
    expect((JSON.parse(stdout) as ActionVerdict[]).map((v) => [v.id, v.verdict])).toEqual([
      ['CA-1', 'ineffective'],
    ]);
  });

  it('a bad actions file: the located one-line message, exit 2', async () => {
    const file = path.join(tmp, 'bad-actions.yaml');
    await writeFile(
      file,
      'actions:\n  - { id: CA-1, kpi: VM-2, opened: 2026-Q2, owner: o, description: d, expected: "<= 20", due: 2026-Q3, status: done }\n',
    );
    const { stdout, status, stderr } = await runCli(['actions', ...EXAMPLE.slice(0, 4), '--actions', file]);
    expect([status, stdout]).toEqual([2, '']);
    expect(stderr).toBe(`error: ${file}:2:22: action CA-1: unknown KPI "VM-2" (did you mean "VM-02"?)\n`);
  });

  it('no actions anywhere is a usage error that says where they go', async () => {
    const { status, stderr } = await runCli(['actions', '--period', '2026-Q3']);
    expect(status).toBe(2);
    expect(stderr).toContain('no corrective actions: write them in actions.yaml beside the catalogue');
  });
});

describe('report --actions', () => {
  it('puts the verdicts into the JSON report, valid against the report schema', async () => {
    const { stdout } = await runCli(['report', ...EXAMPLE, '--format', 'json', '--fail-on', 'never']);
    const report = reportSchema.parse(JSON.parse(stdout));
    expect(report.actions?.map((a) => a.verdict)).toContain('not-comparable');
    // Without actions the report has no `actions` key at all (the bundled goldens stay as they were).
    const plain = await runCli(['report', '--period', '2026-Q3', '--format', 'json', '--fail-on', 'never']);
    expect(JSON.parse(plain.stdout)).not.toHaveProperty('actions');
  });
});
