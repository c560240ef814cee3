/**
 * `isms-kpi review` and `isms-kpi actions` over the example (metrics.yaml, which names
 * fixtures/acme/actions.yaml and has the audit-findings source `audits` over
 * fixtures/acme/audit-findings.csv; fixtures/reports as history), in-process. The Markdown golden
 * (tests/render/golden/review-2026-Q3.md) was read by hand against fixtures/acme/README.md and the
 * verdicts of docs/management-review.md.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionVerdict } from '../../src/report/model.js';
import { reportSchema } from '../../src/report/model.js';
import { displayPath } from '../../src/util/display-path.js';
import { runCli } from '../helpers/cli.js';
import { expectGolden } from '../render/bundled.js';

const REPO = path.resolve(import.meta.dirname, '../..');
/** A file as messages name it (relative to the repository, where runCli runs, or absolute when far up). */
const shown = (file: string) => displayPath(file, REPO);

// The command of issue 20's "done when": no --actions, no --audits (the catalogue names both).
const EXAMPLE = ['--period', '2026-Q3', '--history', 'fixtures/reports'];
const REVIEW = ['review', ...EXAMPLE];

/** A catalogue of one KPI, without actions and without an audit findings source. */
const MINIMAL = `organisation: Test GmbH
timezone: UTC
sources:
  tickets:
    path: tickets.csv
    kind: events
    time_field: opened
    fields:
      id: id
      opened: { column: opened, type: datetime, required: true }
kpis:
  - id: T-01
    name: Tickets
    formula: count(tickets)
    unit: count
    owner: IT
    cadence: quarterly
    thresholds: { green: "<= 1", amber: "<= 5" }
`;

let tmp: string;
let minimal: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'isms-review-'));
  minimal = path.join(tmp, 'minimal', 'metrics.yaml');
  await mkdir(path.dirname(minimal));
  await writeFile(minimal, MINIMAL);
  await writeFile(path.join(tmp, 'minimal', 'tickets.csv'), 'id,opened\nT-1,2026-08-01\nT-2,2026-09-01\n');
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

  it('a KPI measured before and without data now is not "no longer red": it has its own list', async () => {
    const { stdout, status } = await runCli(REVIEW);
    expect(status).toBe(0);
    const section = (title: string) => {
      const start = stdout.indexOf(`### ${title}\n`);
      expect(start).toBeGreaterThan(0);
      return stdout.slice(start, stdout.indexOf('\n#', start + 4));
    };
    // AW-03 (manual) was red at 78.0 % in 2026-Q2 and has no value in 2026-Q3.
    expect(section('No longer red')).not.toContain('AW-03');
    expect(section('Now without data or stale')).toContain(
      'AW-03 Awareness pulse survey, staff who know how to report a suspicious e-mail: red 78.0 % in 2026-Q2, now no data',
    );
    // Every KPI listed as no longer red has a value that is judged now.
    for (const line of section('No longer red')
      .split('\n')
      .filter((l) => l.startsWith('- ')))
      expect(line).toMatch(/now (green|amber|info) /);
  });

  it('says what it could not judge without history, actions or audits', async () => {
    const { stdout, status } = await runCli(['review', '--period', '2026-Q3', '--catalogue', minimal]);
    expect(status).toBe(0);
    expect(stdout).toContain('No saved report of the previous period was given (--history)');
    expect(stdout).toContain('No corrective actions were found');
    expect(stdout).toContain(
      'No audit findings register was given (--audits FILE, or a source with the audit-findings preset in the catalogue).',
    );
  });

  it("takes the audit findings from the catalogue's audit-findings source, and says so", async () => {
    const { stdout } = await runCli(REVIEW);
    const audits = stdout.split('### 3.3 Audit results')[1]!.split('###')[0]!;
    expect(audits).toContain('From fixtures/acme/audit-findings.csv (source audits of metrics.yaml).');
    expect(audits).toContain(
      '| IA-2026-09 | Internal audit 2026-Q2 | A.5.26 | Critical incidents at Leipzig contained after more than 4 h | major | open | 2026-09-30 |   | CA-2026-09 |',
    );
    // The source machinery and the --audits reader agree on every row: only the "From" line differs.
    const given = await runCli([...REVIEW, '--audits', 'fixtures/acme/audit-findings.csv']);
    expect(given.stdout).toContain('From fixtures/acme/audit-findings.csv (--audits).');
    expect(given.stdout.replace('(--audits).', '(source audits of metrics.yaml).')).toBe(stdout);
  });

  it("a row the catalogue's audit source rejects is not listed, and the document and stderr say so", async () => {
    const dir = path.join(tmp, 'audit-source');
    await mkdir(dir);
    await writeFile(
      path.join(dir, 'metrics.yaml'),
      `${MINIMAL}  - id: T-02\n    name: Open findings\n    formula: count(audits, status != "closed")\n    unit: count\n    owner: IT\n    cadence: quarterly\n    thresholds: { green: "== 0", amber: "<= 2" }\n`.replace(
        'sources:\n',
        'sources:\n  audits:\n    preset: audit-findings\n    path: findings.csv\n',
      ),
    );
    await writeFile(path.join(dir, 'tickets.csv'), 'id,opened\nT-1,2026-08-01\n');
    await writeFile(
      path.join(dir, 'findings.csv'),
      'id,reference,finding,severity,status,due\nF-1,9.2,Audit programme incomplete,Minor,Open,2026-09-30\nF-2,A.5.1,Policy not reviewed,critical,open,2026-09-30\n',
    );
    const { stdout, stderr, status } = await runCli([
      'review',
      '--period',
      '2026-Q3',
      '--catalogue',
      path.join(dir, 'metrics.yaml'),
    ]);
    expect(status).toBe(0);
    const audits = stdout.split('### 3.3 Audit results')[1]!.split('###')[0]!;
    expect(audits).toMatch(
      /\(source audits of .*metrics\.yaml\)\. 1 row of it was rejected and is not listed/,
    );
    expect(audits).toContain('| F-1 |   | 9.2 | Audit programme incomplete | minor | open | 2026-09-30 |');
    expect(audits).not.toContain('F-2');
    expect(stderr).toMatch(/findings\.csv:3\b.*critical/);
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
    const { status, stdout, stderr } = await runCli([...REVIEW, '--audits', file]);
    expect([status, stdout]).toEqual([2, '']);
    expect(stderr.split('\n').filter(Boolean)).toEqual([
      `error: ${shown(file)}:2: column "severity": severity "critical": write one of major, minor, observation, opportunity`,
      `error: ${shown(file)}:3: column "due": due "30.09.2026" is not a date written yyyy-MM-dd (like 2026-09-30)`,
      `error: ${shown(file)}:5: column "id": F-3 is listed twice (first on line 4)`,
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
    expect(stderr).toBe(
      `error: ${shown(file)}:2:22: action CA-1: unknown KPI "VM-2" (did you mean "VM-02"?)\n`,
    );
  });

  it('no actions anywhere is a usage error that says where they go', async () => {
    const { status, stderr } = await runCli(['actions', '--period', '2026-Q3', '--catalogue', minimal]);
    expect(status).toBe(2);
    expect(stderr).toContain('no corrective actions: write them in actions.yaml beside the catalogue');
  });
});

describe('report --actions', () => {
  it('puts the verdicts into the JSON report, valid against the report schema', async () => {
    const { stdout } = await runCli(['report', ...EXAMPLE, '--format', 'json', '--fail-on', 'never']);
    const report = reportSchema.parse(JSON.parse(stdout));
    expect(report.actions?.map((a) => a.verdict)).toContain('not-comparable');
    // Without actions the report has no `actions` key at all.
    const plain = await runCli(['report', '--period', '2026-Q3', '--format', 'json', '--catalogue', minimal]);
    expect(JSON.parse(plain.stdout)).not.toHaveProperty('actions');
  });

  it("plain report (no --history): the catalogue's actions, judged honestly, the same as isms-kpi actions", async () => {
    const plain = await runCli(['report', '--format', 'json', '--fail-on', 'never']);
    const actions = reportSchema.parse(JSON.parse(plain.stdout)).actions!;
    const listed = await runCli(['actions', '--period', '2026-Q3', '--format', 'json']);
    expect(JSON.parse(listed.stdout)).toEqual(JSON.parse(JSON.stringify(actions)));
    // Nothing was measured before: no verdict rests on a change, none has a before or a significance.
    for (const a of actions) {
      expect(a.before).toBeUndefined();
      expect(a.significance).toBeUndefined();
      if (a.verdict === 'effective') {
        expect(a.met).toBe(true);
        expect(a.reason).toContain('the change was not measured');
      }
    }
    const byId = Object.fromEntries(actions.map((a) => [a.id, a.verdict]));
    // Done and due, not met: with history BK-01 was effective (a significant improvement) and VM-02
    // ineffective; without it neither can be judged, and "no data" would be wrong (both have a value).
    expect(byId['CA-2026-02']).toBe('not-judged');
    expect(byId['CA-2026-05']).toBe('not-judged');
    const table = await runCli(['actions', '--period', '2026-Q3']);
    expect(table.stdout).toMatch(/│ CA-2026-05 .*│ not judged: no earlier report │/);
  });
});
