/**
 * Manually collected measures (issue 19): values entered by hand per period in the catalogue's `manual:`
 * block, read by formulas with manual("measure"), checked with located errors, and marked as manual in
 * every output (JSON, table, Markdown, HTML, explain, the evidence manifest). Expected values are
 * worked out by hand from the small project below.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileCatalogue } from '../../src/catalogue/compile.js';
import { parseCatalogue } from '../../src/catalogue/parse.js';
import { formatProblem } from '../../src/problems.js';
import { csv, writeProject } from '../formula/harness.js';
import { runCli } from '../helpers/cli.js';

const NOW = Date.parse('2027-01-15T12:00:00Z');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// Line numbers: `manual:` is line 10; entry 1 (with a note) is lines 11-16, entry 2 17-21, entry 3 22-26;
// `kpis:` is line 27, KPI DT 28-34, KPI COST from 35 (its formula on line 40).
const HEAD = `organisation: Test GmbH
timezone: UTC
sources:
  incidents:
    path: incidents.csv
    kind: events
    time_field: opened
    fields:
      opened: { type: datetime }
`;

const entry = (measure: string, period: string, value: string, extra = '') =>
  `  - measure: ${measure}\n    period: ${period}\n    value: ${value}\n    entered_by: J. Doe\n    evidence: INC-1234${extra}\n`;

const MANUAL = `manual:
${entry('downtime_minutes', '"2026-Q3"', '42.5', '\n    note: from the outage log')}${entry('downtime_minutes', '"2026-07"', '30')}${entry('incident_cost', '"2026-Q2"', '1000')}`;

const KPIS = `kpis:
  - id: DT
    name: Downtime
    owner: IT ops
    cadence: quarterly
    unit: minutes
    formula: manual("downtime_minutes") + count(incidents)
    thresholds: { green: "<= 60" }
  - id: COST
    name: Incident cost
    owner: CISO
    cadence: quarterly
    unit: count
    formula: manual("incident_cost")
`;

const ROWS = csv([['opened'], ['2026-07-03T10:00:00Z'], ['2026-08-03T10:00:00Z']]);

function project(text = HEAD + MANUAL + KPIS): string {
  const dir = writeProject({ 'metrics.yaml': text, 'incidents.csv': ROWS });
  dirs.push(dir);
  return dir;
}

function messages(text: string): string[] {
  const parsed = parseCatalogue({ file: 'metrics.yaml', text });
  if (!parsed.ok) return parsed.problems.map(formatProblem);
  const compiled = compileCatalogue(parsed.catalogue, '/nowhere');
  if (compiled.ok) throw new Error('expected problems, the catalogue compiled');
  return compiled.problems.map(formatProblem);
}

const report = (dir: string, ...args: string[]) =>
  runCli(['report', '--period', '2026-Q3', ...args], { cwd: dir, now: NOW });

describe('the manual: block is checked, each problem located', () => {
  it('an unknown measure used by a formula, with the closest name', () => {
    const text = HEAD + MANUAL + KPIS.replace('manual("incident_cost")', 'manual("incident_costs")');
    expect(messages(text)).toEqual([
      'metrics.yaml:40:21: kpi COST: unknown manual measure "incident_costs" (did you mean "incident_cost"?)',
    ]);
  });

  it('manual() without a manual: block says so', () => {
    const text = HEAD + KPIS.replace('manual("downtime_minutes") + ', '');
    expect(messages(text)[0]).toMatch(
      /^metrics\.yaml:\d+:\d+: kpi COST: unknown manual measure "incident_cost": the catalogue has no manual: block$/,
    );
  });

  it('a second value for the same measure and period (also when written differently)', () => {
    const text = `${HEAD}${MANUAL}${entry('downtime_minutes', '"2026-q3"', '1')}${KPIS}`;
    expect(messages(text)).toEqual([
      'metrics.yaml:28:13: manual 4 (measure downtime_minutes): a second value of downtime_minutes for 2026-Q3 (the first is manual entry 1); give one value per measure and period',
    ]);
  });

  it('a period label that is not one', () => {
    const text = HEAD + MANUAL.replace('"2026-Q2"', '"2026-Q5"') + KPIS;
    const [message] = messages(text);
    expect(message).toMatch(
      /^metrics\.yaml:23:13: manual 3 \(measure incident_cost\): period: unknown period "2026-Q5"/,
    );
  });

  it('a value that is not a number', () => {
    const text = HEAD + MANUAL.replace('value: 1000', 'value: "a lot"') + KPIS;
    const [message] = messages(text);
    expect(message).toMatch(
      /^metrics\.yaml:24:12: manual 3 \(measure incident_cost\): value: .*expected number/,
    );
  });

  it('entered_by and evidence are required', () => {
    const text =
      HEAD + MANUAL.replace('    evidence: INC-1234\n', '').replace('    entered_by: J. Doe\n', '') + KPIS;
    expect(messages(text)).toEqual([
      'metrics.yaml:11:5: manual 1 (measure downtime_minutes): entered_by: missing required key "entered_by"',
      'metrics.yaml:11:5: manual 1 (measure downtime_minutes): evidence: missing required key "evidence"',
    ]);
  });

  it('manual() is not allowed inside an aggregate', () => {
    const text =
      HEAD + MANUAL + KPIS.replace('count(incidents)\n', 'count(incidents, manual("incident_cost") > 1)\n');
    expect(messages(text).join('\n')).toContain(
      'manual() gives the value entered for the period and cannot be used inside an aggregate',
    );
  });
});

describe('a KPI reads the value entered for the reported period', () => {
  it('the value, marked as manual in the JSON; no value for the period: no data with the reason', async () => {
    const r = await report(project(), '--format', 'json');
    expect(r.stderr).toBe('');
    const kpis = JSON.parse(r.stdout).kpis as Record<string, unknown>[];
    const dt = kpis.find((k) => k.id === 'DT')!;
    // 42.5 entered for 2026-Q3, plus the 2 incidents in the quarter.
    expect(dt.value).toBe(44.5);
    expect(dt.status).toBe('green');
    expect(dt.manual).toEqual([
      {
        measure: 'downtime_minutes',
        period: '2026-Q3',
        value: 42.5,
        enteredBy: 'J. Doe',
        evidence: 'INC-1234',
        note: 'from the outage log',
      },
    ]);
    const cost = kpis.find((k) => k.id === 'COST')!;
    // incident_cost has a value for 2026-Q2 only: never 0, never the other quarter's.
    expect(cost.value).toBeNull();
    expect(cost.status).toBe('no-data');
    expect(cost.reason).toBe('no manual value of incident_cost for 2026-Q3');
    expect(cost.manual).toBeUndefined();
  });

  it('the value of another period when that period is reported', async () => {
    const r = await runCli(['report', '--period', '2026-Q2', '--format', 'json'], {
      cwd: project(),
      now: NOW,
    });
    const cost = (JSON.parse(r.stdout).kpis as Record<string, unknown>[]).find((k) => k.id === 'COST')!;
    expect(cost.value).toBe(1000);
  });

  it('a monthly window takes its own entry, else has no value', async () => {
    const text = HEAD + MANUAL + KPIS.replace('cadence: quarterly', 'cadence: monthly');
    const r = await report(project(text), '--format', 'json');
    const dt = (JSON.parse(r.stdout).kpis as Record<string, unknown>[]).find((k) => k.id === 'DT')!;
    const windows = dt.windows as { label: string; value: number | null }[];
    // July: 30 entered + 1 incident; August and September: no entry for the month.
    expect(windows.map((w) => [w.label, w.value])).toEqual([
      ['2026-07', 31],
      ['2026-08', null],
      ['2026-09', null],
    ]);
    expect(dt.value).toBe(44.5);
  });
});

describe('every output marks the KPI as manual', () => {
  const note =
    'manual: downtime_minutes 2026-Q3 = 42.5, entered by J. Doe, evidence INC-1234 (from the outage log)';

  it('table, Markdown and HTML show who entered the value and the evidence', async () => {
    const dir = project();
    const table = await report(dir);
    expect(table.stdout).toContain(`DT ${note}`);
    const markdown = await report(dir, '--format', 'markdown');
    expect(markdown.stdout).toContain(`- **DT** ${note.replace('downtime_minutes', 'downtime\\_minutes')}`);
    const html = await report(dir, '--format', 'html');
    expect(html.stdout).toContain('Manual');
    expect(html.stdout).toContain('downtime_minutes 2026-Q3 = 42.5, entered by J. Doe, evidence INC-1234');
  });

  it('explain', async () => {
    const r = await runCli(['explain', 'DT', '--period', '2026-Q3'], { cwd: project(), now: NOW });
    expect(r.stdout.split('\n')).toContain(note);
  });

  it('the evidence manifest lists the manual values with their KPI', async () => {
    const dir = project();
    const r = await report(dir, '--format', 'json', '--evidence', 'pack');
    expect(r.status).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'pack', 'manifest.json'), 'utf8'));
    expect(manifest.manual).toEqual([
      {
        kpi: 'DT',
        measure: 'downtime_minutes',
        period: '2026-Q3',
        value: 42.5,
        enteredBy: 'J. Doe',
        evidence: 'INC-1234',
        note: 'from the outage log',
      },
    ]);
  });
});
