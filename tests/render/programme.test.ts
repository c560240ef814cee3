/** The programme in a report's words: objectives with their forecast, and exceptions. */
import { describe, expect, it } from 'vitest';
import { exceptionText, objectiveHead, objectiveKpiText } from '../../src/render/programme.js';

const objective = {
  id: 'OBJ-1',
  statement: 'Contain incidents',
  owner: 'CISO',
  target: '>= 95',
  due: '2026-12-31',
  kpis: [],
  meeting: 1,
  offTrack: true,
};
const kpi = (forecast?: object) => ({
  id: 'K',
  value: 80,
  status: 'red' as const,
  meetsTarget: false,
  ...(forecast ? { forecast } : {}),
});

describe('objectives', () => {
  it('the head: statement, owner, target, due, progress, and OFF TRACK when a KPI is', () => {
    expect(objectiveHead({ ...objective, kpis: [kpi(), kpi()] } as never)).toBe(
      'Contain incidents (owner CISO; target >= 95; due 2026-12-31): meeting the target: 1 of 2 KPIs; OFF TRACK',
    );
  });

  it('a KPI line for each forecast state', () => {
    const line = (forecast?: object) =>
      objectiveKpiText(objective as never, kpi(forecast) as never, undefined);
    expect(line()).toBe('K 80, red');
    expect(line({ state: 'too-few-points', points: 2 })).toBe(
      'K 80, red; no forecast from 2 periods (it needs 4)',
    );
    expect(line({ state: 'on-track', points: 5, expected: '2026-11-02', slopePerDay: 0.1 })).toBe(
      'K 80, red; forecast from 5 periods: reaches >= 95 on 2026-11-02, on track',
    );
    expect(line({ state: 'off-track', points: 5, slopePerDay: -0.1 })).toBe(
      'K 80, red; forecast from 5 periods: does not move towards >= 95, OFF TRACK',
    );
  });
});

describe('exceptions', () => {
  it('accepted until a date, or expired and no longer counting', () => {
    const e = { reason: 'migration', approver: 'CISO', expires: '2026-12-31', state: 'accepted' as const };
    expect(exceptionText(e)).toBe('accepted until 2026-12-31 (approved by CISO): migration');
    expect(exceptionText({ ...e, segment: 'Plant 2', risk: 'R-1', state: 'expired' })).toBe(
      'segment Plant 2 exception expired 2026-12-31 (approved by CISO, risk R-1): migration; it no longer counts',
    );
  });
});
