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

describe('per-segment targets', () => {
  const catalogue = (thresholds: string) => `organisation: Test GmbH
timezone: UTC
sources:
  backups:
    path: backups.csv
    kind: events
    time_field: started
    fields:
      started: { type: datetime }
      ok: { type: boolean }
      site: { type: enum, values: [Plant 1, Plant 2] }
kpis:
  - id: BK
    name: Backup success
    owner: Infra
    cadence: quarterly
    unit: "%"
    formula: pct(count(backups, ok), count(backups))
    thresholds: { green: ">= 95", amber: ">= 90" }
    segment_by: site
${thresholds}`;
  // Plant 1: 4 of 4 (100 %); Plant 2: 4 of 5 (80 %); together 8 of 9.
  const rows = csv([
    ['started', 'ok', 'site'],
    ...[1, 2, 3, 4].map((d) => [`2026-07-0${d}T01:00:00Z`, 'true', 'Plant 1']),
    ...[1, 2, 3, 4].map((d) => [`2026-08-0${d}T01:00:00Z`, 'true', 'Plant 2']),
    ['2026-09-05T01:00:00Z', 'false', 'Plant 2'],
  ]);
  async function segments(thresholds: string) {
    const dir = writeProject({ 'metrics.yaml': catalogue(thresholds), 'backups.csv': rows });
    try {
      const r = (await run({ catalogue: 'metrics.yaml', cwd: dir, period: '2026-Q3' })).report;
      return r.kpis[0]!;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it("a segment with thresholds of its own is judged by them; the others and the KPI by the KPI's", async () => {
    const kpi = await segments(
      '    segment_thresholds:\n      Plant 2: { green: ">= 80", amber: ">= 70" }\n',
    );
    expect(kpi.segments.map((s) => [s.key, s.status, s.thresholds?.green])).toEqual([
      ['Plant 1', 'green', undefined],
      ['Plant 2', 'green', '>= 80'],
    ]);
    expect(kpi.status).toBe('red');
    // Without them, Plant 2 is red.
    const plain = await segments('');
    expect(plain.segments.map((s) => s.status)).toEqual(['green', 'red']);
    // They define what the status means: the definition hash changes with them.
    expect(plain.definitionHash).not.toBe(kpi.definitionHash);
  });

  it('a segment the KPI cannot have: a located error', async () => {
    const dir = writeProject({
      'metrics.yaml': catalogue('    segment_thresholds:\n      Plant 3: { green: ">= 80" }\n'),
      'backups.csv': rows,
    });
    try {
      await expect(run({ catalogue: 'metrics.yaml', cwd: dir, period: '2026-Q3' })).rejects.toMatchObject({
        problems: [
          {
            message:
              'kpi BK: segment_thresholds: unknown segment "Plant 3": site is one of "Plant 1", "Plant 2" (did you mean "Plant 1"?)',
            location: { file: 'metrics.yaml', line: 22, col: 16 },
          },
        ],
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
