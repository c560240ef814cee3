/**
 * Persistence (issue 20): red or amber for `escalate_after` consecutive periods (this one included) flags
 * a KPI; gaps, other definitions and green periods end the run; the KPI's setting wins over the
 * catalogue's, which wins over the default of 2.
 */
import { describe, expect, it } from 'vitest';
import { addPersistence } from '../../src/app/report.js';
import type { Status } from '../../src/report/model.js';
import { DEFAULT_ESCALATE_AFTER, type PeriodStatus, persistenceOf } from '../../src/report/persistence.js';
import { catalogueYaml, csv, runProject } from '../formula/harness.js';

const QUARTERS = [
  ['2025-Q4', '2025-10-01', '2026-01-01'],
  ['2026-Q1', '2026-01-01', '2026-04-01'],
  ['2026-Q2', '2026-04-01', '2026-07-01'],
  ['2026-Q3', '2026-07-01', '2026-10-01'],
] as const;

/** One period's status of KPI K (definition "h" unless said). */
function at(quarter: number, status: Status, definitionHash = 'h'): PeriodStatus {
  const [label, start, end] = QUARTERS[quarter]!;
  return { period: { label, start, end }, kpi: { id: 'K', status, definitionHash } };
}

describe('persistenceOf', () => {
  it('counts the run of red or amber periods ending with this one', () => {
    const earlier = [at(0, 'green'), at(1, 'amber'), at(2, 'red')];
    expect(persistenceOf(at(3, 'red'), earlier, 2)).toEqual({
      periods: 3,
      since: '2026-Q1',
      escalateAfter: 2,
    });
    expect(persistenceOf(at(3, 'amber'), earlier, 3)).toEqual({
      periods: 3,
      since: '2026-Q1',
      escalateAfter: 3,
    });
    expect(persistenceOf(at(3, 'red'), earlier, 4)).toBeUndefined();
    // the order of the saved reports does not matter
    expect(persistenceOf(at(3, 'red'), [...earlier].reverse(), 2)?.periods).toBe(3);
  });

  it('a green current period, a gap, another definition or a stale period ends the run', () => {
    expect(persistenceOf(at(3, 'green'), [at(2, 'red')], 1)).toBeUndefined();
    // 2026-Q2 missing: 2026-Q1 does not count
    expect(persistenceOf(at(3, 'red'), [at(1, 'red')], 2)).toBeUndefined();
    expect(persistenceOf(at(3, 'red'), [at(2, 'red', 'other')], 2)).toBeUndefined();
    expect(persistenceOf(at(3, 'red'), [at(1, 'red'), at(2, 'stale')], 2)).toBeUndefined();
    // escalate_after 1: this period alone
    expect(persistenceOf(at(3, 'amber'), [], 1)).toEqual({ periods: 1, since: '2026-Q3', escalateAfter: 1 });
    expect(DEFAULT_ESCALATE_AFTER).toBe(2);
  });
});

describe('escalate_after in the catalogue', () => {
  const SOURCES = `  tickets:
    path: tickets.csv
    kind: events
    time_field: opened
    fields:
      opened: { type: datetime }
`;
  // 3 tickets in each quarter of 2026: red against <= 1 every time
  const rows = [
    ['opened'],
    ...['01', '02', '03', '04', '05', '06', '07', '08', '09'].map((m) => [`2026-${m}-10T10:00:00Z`]),
  ];
  const kpi = (id: string) => ({
    id,
    formula: 'count(tickets)',
    thresholds: { green: '<= 0', amber: '<= 1' },
  });

  it("the KPI's setting wins over the catalogue's, which wins over the default", async () => {
    const yaml = catalogueYaml(SOURCES, [kpi('A'), kpi('B')], 'UTC')
      .replace('  - id: B\n', '  - id: B\n    escalate_after: 2\n')
      .concat('escalate_after: 3\n');
    const files = { 'metrics.yaml': yaml, 'tickets.csv': csv(rows) };
    const q2 = (await runProject(files, '2026-Q2')).report;
    const { report, catalogue } = await runProject(files, '2026-Q3');
    addPersistence(report, [q2], catalogue);
    const byId = new Map(report.kpis.map((k) => [k.id, k]));
    // two red quarters: A (catalogue: 3) is not flagged yet, B (its own: 2) is
    expect(byId.get('A')!.persistent).toBeUndefined();
    expect(byId.get('B')!.persistent).toEqual({ periods: 2, since: '2026-Q2', escalateAfter: 2 });
    const q1 = (await runProject(files, '2026-Q1')).report;
    addPersistence(report, [q1, q2], catalogue);
    expect(byId.get('A')!.persistent).toEqual({ periods: 3, since: '2026-Q1', escalateAfter: 3 });
  });
});

describe('report --history', () => {
  it('flags the KPIs red or amber in 2026-Q2 and 2026-Q3, in JSON, table and Markdown', async () => {
    const { runCli } = await import('../helpers/cli.js');
    const args = [
      'report',
      '--period',
      '2026-Q3',
      '--history',
      'fixtures/reports/2026-Q2.json',
      '--fail-on',
      'never',
    ];
    const json = JSON.parse((await runCli([...args, '--format', 'json'])).stdout) as {
      kpis: { id: string; persistent?: unknown }[];
    };
    const byId = new Map(json.kpis.map((k) => [k.id, k]));
    // AC-01: amber in 2026-Q2, red in 2026-Q3; AC-07: green
    expect(byId.get('AC-01')!.persistent).toEqual({ periods: 2, since: '2026-Q2', escalateAfter: 2 });
    expect(byId.get('AC-07')!.persistent).toBeUndefined();
    const table = (await runCli([...args, '--width', '140'])).stdout;
    expect(table).toMatch(/│ AC-01 │.*│ ✖ red ↻ +│/);
    expect(table).toContain(
      'AC-01 ↻ persistent: red or amber for 2 consecutive periods since 2026-Q2 (escalate after 2)',
    );
    const markdown = (await runCli([...args, '--format', 'markdown'])).stdout;
    expect(markdown).toContain('| 🔴 red ↻ | AC-01 |');
    // without --history nothing is persistent
    const plain = JSON.parse(
      (await runCli(['report', '--period', '2026-Q3', '--format', 'json', '--fail-on', 'never'])).stdout,
    );
    expect(plain.kpis.some((k: { persistent?: unknown }) => k.persistent)).toBe(false);
  });
});

describe('escalate_after errors', () => {
  it('refuses 0 or a fraction, located', async () => {
    const { runError } = await import('../formula/harness.js');
    const yaml = (value: string) =>
      catalogueYaml(
        '  t:\n    path: t.csv\n    kind: snapshot\n    fields:\n      id: id\n',
        [{ id: 'K', formula: 'count(t)' }],
        'UTC',
      ).concat(`escalate_after: ${value}\n`);
    for (const value of ['0', '1.5']) {
      const error = await runError({ 'metrics.yaml': yaml(value), 't.csv': 'id\na\n' });
      expect(error.problems[0]!.message).toMatch(/^escalate_after: expected a (whole )?number of periods/);
      expect(error.message).toMatch(/metrics.yaml:\d+:\d+/);
    }
  });
});
