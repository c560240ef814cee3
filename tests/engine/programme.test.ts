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

async function report(kpis?: Set<string>) {
  const dir = writeProject({
    'metrics.yaml': `organisation: Test GmbH\ntimezone: UTC\n${SOURCES}${KPIS}`,
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
