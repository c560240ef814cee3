/**
 * The measurement programme in a report (issue 19): the measure fields are carried into the JSON report,
 * retired KPIs are left out, and a draft KPI never fails --fail-on.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { failsRun } from '../../src/engine/status.js';
import { reportSchema } from '../../src/report/model.js';
import { csv, writeProject } from '../formula/harness.js';
import { run } from '../helpers/run.js';

const SOURCES = `sources:
  incidents:
    path: incidents.csv
    kind: events
    time_field: opened
    fields:
      id: { required: true }
      opened: { type: datetime }
`;

const KPIS = `kpis:
  - id: A
    name: Incidents
    owner: SOC lead
    cadence: quarterly
    unit: count
    formula: count(incidents)
    thresholds: { green: "<= 1" }
    information_need: How many incidents do we have?
    objective: OBJ-1
    measure_type: effectiveness
    method: objective
    interpretation: Fewer is better
    decision: { red: corrective action within 10 days }
    roles: { collector: Jira admin, reviewer: ISMS manager }
    review_every: annual
    last_reviewed: 2026-03-02
  - id: R
    name: Old measure
    owner: SOC lead
    cadence: quarterly
    unit: count
    formula: count(incidents)
    lifecycle: retired
  - id: D
    name: Trial measure
    owner: SOC lead
    cadence: quarterly
    unit: count
    formula: count(incidents)
    thresholds: { green: "== 0" }
    lifecycle: draft
objectives:
  - id: OBJ-1
    statement: Fewer incidents
    owner: CISO
    due: 2027-06-30
`;

const ROWS = csv([
  ['id', 'opened'],
  ['I-1', '2026-07-03T10:00:00Z'],
  ['I-2', '2026-08-03T10:00:00Z'],
]);

async function report(kpis?: Set<string>, more = '') {
  const dir = writeProject({
    'metrics.yaml': `organisation: Test GmbH\ntimezone: UTC\n${SOURCES}${KPIS}${more}`,
    'incidents.csv': ROWS,
  });
  try {
    return (await run({ catalogue: 'metrics.yaml', cwd: dir, period: '2026-Q3', ...(kpis ? { kpis } : {}) }))
      .report;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the measure in the report', () => {
  it('carries the measure fields, leaves the retired KPI out and marks the draft one', async () => {
    const r = await report();
    expect(r.kpis.map((k) => k.id)).toEqual(['A', 'D']);
    expect(r.summary.total).toBe(2);
    const a = r.kpis[0]!;
    expect(a).toMatchObject({
      informationNeed: 'How many incidents do we have?',
      objective: 'OBJ-1',
      measureType: 'effectiveness',
      method: 'objective',
      interpretation: 'Fewer is better',
      decision: { red: 'corrective action within 10 days' },
      roles: { collector: 'Jira admin', reviewer: 'ISMS manager' },
      reviewEvery: 'annual',
      lastReviewed: '2026-03-02',
    });
    expect(a.lifecycle).toBeUndefined();
    const d = r.kpis[1]!;
    expect(d.lifecycle).toBe('draft');
    expect(d.status).toBe('red');
    // The saved report is a valid schemaVersion 1 report.
    expect(reportSchema.safeParse(JSON.parse(JSON.stringify(r))).success).toBe(true);
  });

  it('a draft or retired KPI never fails the run; the same KPI active does', async () => {
    const d = (await report()).kpis.find((k) => k.id === 'D')!;
    expect(failsRun(d, 'red')).toBe(false);
    expect(failsRun(d, 'amber')).toBe(false);
    expect(failsRun({ ...d, lifecycle: 'active' }, 'red')).toBe(true);
    expect(failsRun({ ...d, lifecycle: undefined }, 'red')).toBe(true);
    expect(failsRun({ ...d, lifecycle: 'retired' }, 'red')).toBe(false);
  });

  it('a retired KPI asked for by id is computed, and says it is retired', async () => {
    const r = await report(new Set(['R']));
    expect(r.kpis.map((k) => [k.id, k.lifecycle, k.value])).toEqual([['R', 'retired', 2]]);
  });
});

describe('exceptions in a report', () => {
  /** An exception for KPI A (red: 2 incidents, green is "<= 1") expiring on `expires`. */
  const exception = (expires: string, segment = '') =>
    `exceptions:\n  - kpi: A\n${segment}    reason: migration to the new SOC\n    approver: CISO\n    risk: RISK-042\n    expires: ${expires}\n`;
  const a = async (more: string) => (await report(undefined, more)).kpis.find((k) => k.id === 'A')!;

  it('while valid, the KPI keeps its status and value but does not fail --fail-on', async () => {
    const kpi = await a(exception('2026-12-31'));
    expect([kpi.status, kpi.value]).toEqual(['red', 2]);
    expect(kpi.exceptions).toEqual([
      {
        reason: 'migration to the new SOC',
        approver: 'CISO',
        risk: 'RISK-042',
        expires: '2026-12-31',
        state: 'accepted',
      },
    ]);
    expect(failsRun(kpi, 'red')).toBe(false);
    expect(failsRun(kpi, 'amber')).toBe(false);
  });

  it('expiring on the last day of the period: accepted for that period (expires is inclusive)', async () => {
    const kpi = await a(exception('2026-09-30'));
    expect(kpi.exceptions?.[0]?.state).toBe('accepted');
    expect(failsRun(kpi, 'red')).toBe(false);
  });

  it('expired the day before the last day of the period: reported as expired, and it no longer counts', async () => {
    const kpi = await a(exception('2026-09-29'));
    expect(kpi.exceptions?.[0]?.state).toBe('expired');
    expect(kpi.status).toBe('red');
    expect(failsRun(kpi, 'red')).toBe(true);
  });

  it('an exception for one segment does not change whether the KPI fails', () => {
    const kpi = {
      status: 'red' as const,
      exceptions: [
        { segment: 'High', reason: 'r', approver: 'a', expires: '2027-01-01', state: 'accepted' as const },
      ],
    };
    expect(failsRun(kpi, 'red')).toBe(true);
    expect(failsRun({ ...kpi, exceptions: [{ ...kpi.exceptions[0]!, segment: undefined }] }, 'red')).toBe(
      false,
    );
  });

  it('KPIs without an exception have no exceptions field', async () => {
    const r = await report(undefined, exception('2026-12-31'));
    expect(r.kpis.find((k) => k.id === 'D')!.exceptions).toBeUndefined();
    expect(reportSchema.safeParse(JSON.parse(JSON.stringify(r))).success).toBe(true);
  });
});
