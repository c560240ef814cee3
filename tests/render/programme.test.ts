/** The programme in a report's words: objectives with their forecast, and exceptions. */
import { describe, expect, it } from 'vitest';
import { statusChip } from '../../src/render/html-summary.js';
import { exceptionText, objectiveHead, objectiveKpiText } from '../../src/render/programme.js';
import { renderTable } from '../../src/render/table.js';
import { runBundled } from './bundled.js';

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

describe('the programme through the number formatter and the layout (merge with issue 18)', () => {
  it('targets carry the unit of the KPIs, values their thousands separators', () => {
    expect(objectiveHead({ ...objective, kpis: [kpi()] } as never, '%')).toBe(
      'Contain incidents (owner CISO; target >= 95 %; due 2026-12-31): meeting the target: 1 of 1 KPI; OFF TRACK',
    );
    const hours = { ...objective, target: '<= 1200' };
    const shown = { unit: 'h', decimals: undefined } as never;
    expect(
      objectiveKpiText(
        hours as never,
        { ...kpi({ state: 'on-track', points: 5, expected: '2027-01-04' }), value: 1234.5 } as never,
        shown,
      ),
    ).toBe('K 1,234.5 h, red; forecast from 5 periods: reaches <= 1,200 h on 2027-01-04, on track');
  });

  it('the page-1 matrix says "accepted until" for an exception in force for the whole KPI only', () => {
    const chip = (exceptions: object[]) =>
      String(statusChip({ status: 'red', judgement: undefined, exceptions } as never, true));
    const accepted = { state: 'accepted', expires: '2026-12-31', reason: 'r', approver: 'CISO' };
    expect(chip([accepted])).toBe(
      '<span class="chip">✖ red</span> <span class="accepted">accepted until<br>2026-12-31</span>',
    );
    expect(chip([{ ...accepted, state: 'expired' }])).toBe('<span class="chip">✖ red</span>');
    expect(chip([{ ...accepted, segment: 'Leipzig' }])).toBe('<span class="chip">✖ red</span>');
    // The tiles (without showAccepted) show the exception in their details instead.
    expect(String(statusChip({ status: 'red', exceptions: [accepted] } as never))).toBe(
      '<span class="chip">✖ red</span>',
    );
  });

  it('the terminal table wraps objectives and notes to the width, never inside a figure', async () => {
    const { report } = await runBundled();
    for (const width of [60, 72, 80]) {
      const text = renderTable(report, { color: false, width });
      const lines = text.split('\n');
      expect(lines.filter((l) => l.length > width)).toEqual([]);
      const objectives = lines.slice(lines.indexOf('Objectives'), lines.indexOf('Evidence'));
      expect(objectives.length).toBeGreaterThan(3);
      // A comparison, its number and its unit are on one line wherever the line breaks.
      for (const line of objectives) expect(line).not.toMatch(/(>=|<=)$|^\s*(%|h)\b/);
      expect(objectives.join(' ')).toContain('target >= 95 %');
    }
  });
});
