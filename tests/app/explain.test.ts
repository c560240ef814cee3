/**
 * `isms-kpi explain` shows what counted (issue 14.10): per aggregate the rows counted and the rows in
 * scope not counted with the reason, each with file and line and the source's key first; datetimes to
 * the second with their offset; the value with its unit and decimals; the KPIs a derived KPI uses; and
 * numerator/denominator only where the value is their ratio (14.1). Expected texts are worked out by hand
 * from the small projects below; the bundled catalogue's numbers come from fixtures/acme/README.md.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeProject } from '../formula/harness.js';
import { runCli } from '../helpers/cli.js';
import { csvRecords } from '../render/csv-parse.js';

/** A fixed clock after every period used here. */
const NOW = Date.parse('2027-01-15T12:00:00Z');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = writeProject(files);
  dirs.push(dir);
  return dir;
}

const explain = (dir: string, args: string[]) =>
  runCli(['explain', ...args, '--period', '2026-Q3'], { cwd: dir, now: NOW });

function catalogue(sources: string, kpis: string): string {
  return `organisation: Test GmbH\ntimezone: Europe/Berlin\nsources:\n${sources}kpis:\n${kpis}`;
}

describe('explain shows the rows that counted and why the others did not', () => {
  /*
   * 2026-Q3 ends 2026-10-01 00:00 Berlin (+02:00); 90 days earlier is 2026-07-03 00:00 (+02:00).
   * u1 and u2 are 90 days and 2 s / 1 s old at the period end: older than 90 days. u3 is exactly 90 days
   * old: not older. u4 is disabled; u5 has no creation date, so its age has no value.
   */
  const accounts = () =>
    project({
      'metrics.yaml': catalogue(
        `  accounts:
    path: accounts.csv
    kind: snapshot
    as_of: 2026-09-30
    key: login
    fields:
      login: { required: true }
      created: { type: datetime }
      enabled: { type: boolean }
`,
        `  - id: OLD
    name: Enabled accounts older than 90 days
    owner: IAM lead
    cadence: quarterly
    unit: accounts
    formula: count(accounts, enabled and age(created) > 90)
    thresholds: { green: "== 0" }
`,
      ),
      'accounts.csv': [
        'login,created,enabled',
        'u1,2026-07-02T23:59:58+02:00,true',
        'u2,2026-07-02T23:59:59+02:00,true',
        'u3,2026-07-03T00:00:00+02:00,true',
        'u4,2026-01-01T00:00:00+01:00,false',
        'u5,,true',
        '',
      ].join('\n'),
    });

  it('on a red count KPI: the rows that made it red, then the others with the part of the condition that failed', async () => {
    const r = await explain(accounts(), ['OLD']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      [
        'OLD  Enabled accounts older than 90 days',
        'owner IAM lead; cadence quarterly; controls -; period 2026-Q3; times in Europe/Berlin',
        'formula: count(accounts, enabled and age(created) > 90)',
        '',
        'aggregate 1 of 1: count(accounts, enabled and age(created) > 90)',
        '    5 rows of accounts (accounts.csv) in scope, 2 counted -> 2',
        '    counted (all 2):',
        '      accounts.csv:2  login="u1" enabled=true created=2026-07-02 23:59:58 +02:00',
        '      accounts.csv:3  login="u2" enabled=true created=2026-07-02 23:59:59 +02:00',
        '    not counted (all 3):',
        '      accounts.csv:4  login="u3" enabled=true created=2026-07-03 00:00:00 +02:00',
        '        because age(created) > 90 is false (part 2 of 2 of the condition)',
        '      accounts.csv:5  login="u4" enabled=false created=2026-01-01 00:00:00 +01:00',
        '        because enabled is false (part 1 of 2 of the condition)',
        '      accounts.csv:6  login="u5" enabled=true created=(empty)',
        '        because age(created) > 90 has no value (part 2 of 2 of the condition)',
        '',
        'value: 2 accounts; status: red (misses green == 0)',
        // issue 20: the count's exact Poisson interval and what reaches green
        '95 % interval: 0.2-7.2 accounts (exact Poisson interval)',
        'path to green == 0 accounts: 2 fewer (0 accounts) would reach green',
        '',
      ].join('\n'),
    );
  });

  it('--sample N lists the first N rows of each list and says so; --sample 0 only the counts', async () => {
    const dir = accounts();
    const two = await explain(dir, ['OLD', '--sample', '2']);
    expect(two.stdout).toContain('    counted (all 2):\n');
    expect(two.stdout).toContain('    not counted (first 2 of 3):\n');
    expect(two.stdout).not.toContain('accounts.csv:6');
    expect(two.stdout).toMatch(
      /\n\(each list shows its first 2 rows: --all lists every row, --sample N another number\)\n$/,
    );
    const none = await explain(dir, ['OLD', '--sample', '0']);
    expect(none.stdout).toContain(
      '    5 rows of accounts (accounts.csv) in scope, 2 counted -> 2\n\nvalue: 2',
    );
  });

  /*
   * T-1 2 h, T-2 1 h 20 min, T-3 4 h: mean 22/9 h = 2.444 h, shown with the KPI's 2 decimals. T-4 has
   * no closing time; T-5 was opened before the period (2026-06-30 10:00 in Berlin).
   */
  it('a mean: the value with its unit and decimals, and a row left out for its missing value', async () => {
    const dir = project({
      'metrics.yaml': catalogue(
        `  tickets:
    path: tickets.csv
    kind: events
    time_field: opened
    key: ticket
    fields:
      ticket: { required: true }
      opened: { type: datetime }
      closed: { type: datetime }
`,
        `  - id: MTTR
    name: Mean time to close
    owner: Service desk
    cadence: quarterly
    unit: h
    decimals: 2
    formula: mean(tickets, hours(opened, closed))
    thresholds: { green: "<= 4" }
`,
      ),
      'tickets.csv': [
        'ticket,opened,closed',
        'T-1,2026-07-01T08:00:00Z,2026-07-01T10:00:00Z',
        'T-2,2026-07-02T08:00:00Z,2026-07-02T09:20:00Z',
        'T-3,2026-07-03T08:00:00Z,2026-07-03T12:00:00Z',
        'T-4,2026-07-04T08:00:00Z,',
        'T-5,2026-06-30T08:00:00Z,2026-06-30T09:00:00Z',
        // After the quarter: out of scope, but it shows the export covers the quarter to its end.
        'T-6,2026-10-02T08:00:00Z,2026-10-02T09:00:00Z',
        '',
      ].join('\n'),
    });
    const r = await explain(dir, ['MTTR']);
    expect(r.stdout.split('\n').slice(4)).toEqual([
      'aggregate 1 of 1: mean(tickets, hours(opened, closed))',
      '    4 rows of tickets (tickets.csv) in scope, 3 counted -> 2.44',
      '    counted (all 3):',
      '      tickets.csv:2  ticket="T-1" opened=2026-07-01 10:00:00 +02:00 closed=2026-07-01 12:00:00 +02:00',
      '      tickets.csv:3  ticket="T-2" opened=2026-07-02 10:00:00 +02:00 closed=2026-07-02 11:20:00 +02:00',
      '      tickets.csv:4  ticket="T-3" opened=2026-07-03 10:00:00 +02:00 closed=2026-07-03 14:00:00 +02:00',
      '    not counted (all 1):',
      '      tickets.csv:5  ticket="T-4" opened=2026-07-04 10:00:00 +02:00 closed=(empty)',
      '        because no value for hours(opened, closed)',
      '',
      'value: 2.44 h; status: green (meets green <= 4)',
      // issue 20: a mean has no interval; its n is the rows it was taken over
      'n: 3 rows (no interval for a statistic)',
      '',
    ]);
  });
});

describe('numerator and denominator in explain and the evidence pack (issue 14.1)', () => {
  const SOURCES = `  a:
    path: a.csv
    kind: snapshot
    as_of: 2026-09-30
    fields:
      id: { required: true }
      ok: { type: boolean }
  b:
    path: b.csv
    kind: snapshot
    as_of: 2026-09-30
    fields:
      id: { required: true }
      ok: { type: boolean }
`;
  const kpi = (formula: string) =>
    `  - id: K\n    name: K\n    owner: O\n    cadence: quarterly\n    unit: count\n    formula: ${formula}\n`;
  const files = (formula: string) => ({
    'metrics.yaml': catalogue(SOURCES, kpi(formula)),
    'a.csv': 'id,ok\n1,true\n2,false\n',
    'b.csv': 'id,ok\n1,true\n2,true\n3,true\n4,false\n',
  });

  it('a sum of two percentages: four aggregates, no numerator or denominator anywhere', async () => {
    const dir = project(files('pct(count(a, ok), count(a)) + pct(count(b, ok), count(b))'));
    const r = await explain(dir, ['K']);
    expect(r.status).toBe(0);
    const headings = r.stdout.split('\n').filter((l) => l.startsWith('aggregate '));
    expect(headings).toEqual([
      'aggregate 1 of 4: count(a, ok)',
      'aggregate 2 of 4: count(a)',
      'aggregate 3 of 4: count(b, ok)',
      'aggregate 4 of 4: count(b)',
    ]);
    // was "value: 125 (1 / 2)": the counts of the first pct(), which the value is not the ratio of
    expect(r.stdout).toMatch(/^value: 125; status: info/m);
    expect(r.stdout).not.toMatch(/numerator|denominator/);

    const report = await runCli(['report', '--period', '2026-Q3', '--evidence', 'pack'], {
      cwd: dir,
      now: NOW,
    });
    expect(report.status).toBe(0);
    const rows = csvRecords(readFileSync(path.join(dir, 'pack', 'kpis', 'K.csv'), 'utf8'));
    const fed = (label: string) => rows.filter((r) => r.aggregate === label).map((r) => [r.source, r.line]);
    expect(fed('aggregate 1 of 4: count(a, ok)')).toEqual([['a', '2']]);
    expect(fed('aggregate 2 of 4: count(a)')).toEqual([
      ['a', '2'],
      ['a', '3'],
    ]);
    expect(fed('aggregate 3 of 4: count(b, ok)')).toHaveLength(3);
    expect(fed('aggregate 4 of 4: count(b)')).toHaveLength(4);
    expect(rows).toHaveLength(10);
    expect(new Set(rows.map((r) => r.role))).toEqual(new Set(['value']));
  });

  it('a rounded percentage keeps its numerator and denominator, and lists what the denominator counted and the numerator did not', async () => {
    const dir = project(files('round(pct(count(b, ok), count(b)))'));
    const r = await explain(dir, ['K']);
    expect(r.stdout).toContain('aggregate 1 of 2: count(b, ok) (numerator)\n');
    expect(r.stdout).toContain('aggregate 2 of 2: count(b) (denominator)\n');
    expect(r.stdout).toContain(
      [
        '    counted by the denominator, not here (all 1):',
        '      b.csv:5  ok=false',
        '        because ok is false',
      ].join('\n'),
    );
    expect(r.stdout).toMatch(/^value: 75 \(3 \/ 4\); status: info/m);
  });
});

describe('explain of a KPI built from other KPIs', () => {
  it('shows each KPI it uses: id, name, value with unit, status, and how to explain it', async () => {
    const dir = project({
      'metrics.yaml': catalogue(
        `  b:
    path: b.csv
    kind: snapshot
    as_of: 2026-09-30
    fields:
      id: { required: true }
      ok: { type: boolean }
`,
        `  - id: FAILS
    name: Failed checks
    owner: O
    cadence: quarterly
    unit: count
    formula: count(b, not ok)
    thresholds: { green: "== 0" }
  - id: RATE
    name: Check pass rate
    owner: O
    cadence: quarterly
    unit: "%"
    formula: pct(count(b, ok), count(b))
    thresholds: { green: ">= 50" }
  - id: SCORE
    name: Score
    owner: O
    cadence: quarterly
    unit: points
    formula: kpi("RATE") - 10 * kpi("FAILS")
`,
      ),
      'b.csv': 'id,ok\n1,true\n2,true\n3,true\n4,false\n',
    });
    const r = await explain(dir, ['SCORE']);
    expect(r.stdout).toBe(
      [
        'SCORE  Score',
        'owner O; cadence quarterly; controls -; period 2026-Q3; times in Europe/Berlin',
        'formula: kpi("RATE") - 10 * kpi("FAILS")',
        '',
        'uses the values of other KPIs:',
        '  RATE  Check pass rate: 75.0 %, green; see isms-kpi explain RATE',
        '  FAILS  Failed checks: 1, red; see isms-kpi explain FAILS',
        '',
        'value: 65.0 points; status: info (informational: no thresholds)',
        '',
      ].join('\n'),
    );
  });

  it('the bundled GV-01 shows AC-02 (2 orphans, red) and AC-04 (3 old keys, amber)', async () => {
    const r = await runCli(['explain', 'GV-01'], { now: NOW });
    expect(r.stdout).toContain(
      '  AC-02  Orphan accounts (leavers still enabled): 2, red; see isms-kpi explain AC-02\n',
    );
    expect(r.stdout).toContain(
      '  AC-04  Active AWS access keys older than 90 days: 3, amber; see isms-kpi explain AC-04\n',
    );
    expect(r.stdout).toContain('  AC-09  ');
  });
});

describe('explain on the bundled catalogue', () => {
  it('AC-02 lists the two orphan accounts that make it red, with the leaver key first', async () => {
    const r = await runCli(['explain', 'AC-02'], { now: NOW });
    expect(r.stdout).toContain(
      [
        '    16 rows of leavers (fixtures/acme/hr-leavers.csv) in scope, 2 counted -> 2',
        '    counted (all 2):',
        '      fixtures/acme/hr-leavers.csv:21  person="dennis.pieper@acme-precision.example" effective=2026-07-31 00:00:00 +02:00',
        '      fixtures/acme/hr-leavers.csv:31  person="Tomas.Stastny@acme-precision.example" effective=2026-09-25 00:00:00 +02:00',
        '    not counted (first 5 of 14):',
        '      fixtures/acme/hr-leavers.csv:16  person="nadine.petersen@acme-precision.example" effective=2026-07-03 00:00:00 +02:00',
        '        because exists(entra, lower(entra.upn) == lower(leavers.person) and entra.enabled) is false',
      ].join('\n'),
    );
  });

  it('--all lists every row: IR-02 has 8 critical incidents among 66, 7 contained within 4 h', async () => {
    const r = await runCli(['explain', 'IR-02', '--all'], { now: NOW });
    expect(r.stdout).toContain('    counted (all 7):\n');
    expect(r.stdout).toContain('    counted (all 8):\n');
    expect(r.stdout).toContain('    not counted (all 58):\n');
    expect(r.stdout.match(/^ {8}because severity == "Critical" is false$/gm)).toHaveLength(58);
    // the one critical incident not contained in time: SEC-?? on line 59, 5.25 h (README)
    expect(r.stdout).toMatch(
      /counted by the denominator, not here \(all 1\):\n {6}fixtures\/acme\/jira-incidents\.csv:59 {2}id="SEC-\d+" opened=2026-08-03 15:49:00 \+02:00 severity="Critical" contained=2026-08-03 21:04:00 \+02:00\n {8}because hours\(opened, contained\) <= 4 is false \(part 2 of 2 of the condition\)\n/,
    );
    expect(r.stdout).not.toContain('(each list shows');
  });
});

describe('explain of cumulative(source)', () => {
  it('counts and lists the rows up to the period end, earlier periods included', async () => {
    const dir = project({
      'metrics.yaml': catalogue(
        `  leavers:
    path: leavers.csv
    kind: events
    time_field: effective
    key: person
    fields:
      person: { required: true }
      effective: { type: datetime }
  entra:
    path: entra.csv
    kind: snapshot
    as_of: 2026-09-30
    fields:
      upn: { required: true }
      enabled: { type: boolean }
`,
        `  - id: ORPHANS
    name: Leavers up to the quarter end still enabled
    owner: IAM lead
    cadence: quarterly
    unit: count
    formula: count(cumulative(leavers), exists(entra, entra.upn == leavers.person and entra.enabled))
`,
      ),
      'leavers.csv':
        'person,effective\na,2026-03-15T09:00:00Z\nb,2026-05-20T09:00:00Z\nc,2026-07-31T22:00:00Z\nd,2026-09-30T21:59:59Z\ne,2026-09-30T22:00:00Z\n',
      'entra.csv': 'upn,enabled\na,true\nb,false\nc,true\nd,true\ne,true\n',
    });
    const r = await explain(dir, ['ORPHANS']);
    expect(r.stdout.split('\n').slice(4, 14)).toEqual([
      'aggregate 1 of 1: count(cumulative(leavers), exists(entra, entra.upn == leavers.person and entra.enabled))',
      '    4 rows of leavers up to the period end (leavers.csv) in scope, 3 counted -> 3',
      '    counted (all 3):',
      '      leavers.csv:2  person="a" effective=2026-03-15 10:00:00 +01:00',
      '      leavers.csv:4  person="c" effective=2026-08-01 00:00:00 +02:00',
      '      leavers.csv:5  person="d" effective=2026-09-30 23:59:59 +02:00',
      '    not counted (all 1):',
      '      leavers.csv:3  person="b" effective=2026-05-20 11:00:00 +02:00',
      '        because exists(entra, entra.upn == leavers.person and entra.enabled) is false',
      '',
    ]);
  });
});

describe('an aggregate too large to compute', () => {
  it('is explained as overflowing, as the report says, not as Infinity', async () => {
    const dir = project({
      'metrics.yaml': catalogue(
        `  a:
    path: a.csv
    kind: snapshot
    as_of: 2026-09-30
    fields:
      v: { type: number }
`,
        `  - id: BIG
    name: Sum of huge values
    owner: o
    cadence: quarterly
    unit: count
    formula: sum(a, v) / 2
    thresholds: { green: ">= 1" }
`,
      ),
      'a.csv': 'v\n1.7e308\n1.7e308\n',
    });
    const result = await explain(dir, ['BIG']);
    expect(result.stdout).toContain('2 counted -> overflows (too large to compute)');
    expect(result.stdout).not.toContain('Infinity');
  });
});
