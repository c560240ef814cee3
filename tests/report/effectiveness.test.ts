/**
 * Effectiveness verdicts of corrective actions (src/report/effectiveness.ts), one test per verdict, over
 * the saved example reports (fixtures/reports: 2026-Q2 as history, 2026-Q3 as the current report). The
 * significance test is injected here, so each case controls it; tests/report/effectiveness-stats.test.ts
 * runs the same verdicts with the real test.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Action, actionTargets, parseActionsYaml } from '../../src/catalogue/actions.js';
import {
  actionVerdict,
  actionVerdicts,
  isTowardTarget,
  periodSpan,
  reportBefore,
  type Significance,
} from '../../src/report/effectiveness.js';
import type { Report } from '../../src/report/model.js';

const REPORTS = path.resolve(import.meta.dirname, '../../fixtures/reports');
const load = (name: string): Report => JSON.parse(readFileSync(path.join(REPORTS, name), 'utf8')) as Report;
const q2 = load('2026-Q2.json');
const q3 = load('2026-Q3.json');
const changed = load('2026-Q3-changed-definition.json');
const TZ = { tz: 'Europe/Berlin' };

const significant: Significance = { significant: true, method: 'fake test', pValue: 0.001 };
const noise: Significance = { significant: false, method: 'fake test', pValue: 0.4 };
const options = (s: Significance = noise) => ({ ...TZ, significance: () => s });

const targets = actionTargets(
  q3.kpis.map((k) => ({ id: k.id, ...(k.segmentBy ? { segment_by: k.segmentBy } : {}) }) as never),
);

function action(fields: string): Action {
  const text = `actions:\n  - { id: CA-1, owner: CISO, description: fix it, ${fields} }\n`;
  const parsed = parseActionsYaml(text, 'actions.yaml', targets);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  return parsed.actions[0]!;
}

describe('effectiveness verdicts', () => {
  it('effective: the expected value is met now (IR-05 5 -> 2, expected <= 2)', () => {
    const a = action('kpi: IR-05, expected: "<= 2", opened: 2026-Q2, due: 2026-Q3, status: done');
    const v = actionVerdict(a, q3, [q2], options());
    expect(v).toMatchObject({
      verdict: 'effective',
      met: true,
      before: { period: '2026-Q2', value: 5 },
      now: { period: '2026-Q3', value: 2 },
    });
    expect(v.reason).toBe('2 meets <= 2 in 2026-Q3');
  });

  it('effective: not met, but a significant improvement toward it (BK-01 96.0 -> 98.5 %, expected >= 99)', () => {
    const a = action('kpi: BK-01, expected: ">= 99", opened: 2026-Q2, due: 2026-Q3, status: done');
    const v = actionVerdict(a, q3, [q2], options(significant));
    expect(v.verdict).toBe('effective');
    expect(v.met).toBe(false);
    expect(v.reason).toBe(
      'improved toward >= 99 %: 96.0 % in 2026-Q2 to 98.5 % in 2026-Q3, significant (fake test, p = 0.001)',
    );
    // The same numbers with a change that is noise: done and due, so ineffective.
    expect(actionVerdict(a, q3, [q2], options(noise)).verdict).toBe('ineffective');
  });

  it('a significant change away from the expected value is no improvement', () => {
    // AC-01 got worse (92.3 -> 81.3 %): significant or not, it is not effective.
    const a = action('kpi: AC-01, expected: ">= 95", opened: 2026-Q2, due: 2026-Q3, status: done');
    const v = actionVerdict(a, q3, [q2], options(significant));
    expect(v.verdict).toBe('ineffective');
    expect(v.significance).toEqual(significant);
  });

  it('not yet effective: open, not due, not met (AC-06, due 2026-Q4)', () => {
    const a = action('kpi: AC-06, expected: ">= 95", opened: 2026-Q2, due: 2026-Q4, status: open');
    const v = actionVerdict(a, q3, [q2], options());
    expect(v.verdict).toBe('not-yet-effective');
    expect(v.reason).toBe(
      'open, due 2026-Q4: >= 95 % not met (84.6 % in 2026-Q3) yet; 70.0 % in 2026-Q2 to 84.6 % in 2026-Q3, not significant (fake test, p = 0.400)',
    );
    // Done before its due date: still waiting for the effect.
    const doneEarly = action('kpi: AC-06, expected: ">= 95", opened: 2026-Q2, due: 2026-12-31, status: done');
    expect(actionVerdict(doneEarly, q3, [q2], options()).verdict).toBe('not-yet-effective');
  });

  it('overdue: open past its due period or day (AC-09 4 -> 5, expected == 0)', () => {
    for (const due of ['2026-Q3', '2026-09-30', '2026-08-15', '2026-Q2']) {
      const a = action(`kpi: AC-09, expected: "== 0", opened: 2026-05-12, due: ${due}, status: open`);
      expect(actionVerdict(a, q3, [q2], options()).verdict, due).toBe('overdue');
    }
    // Due the day after the period ends: not yet.
    const a = action('kpi: AC-09, expected: "== 0", opened: 2026-05-12, due: 2026-10-01, status: open');
    expect(actionVerdict(a, q3, [q2], options()).verdict).toBe('not-yet-effective');
  });

  it('ineffective: done and due, not met, no significant improvement (VM-02 62.5 -> 40 %)', () => {
    const a = action('kpi: VM-02, expected: "<= 20", opened: 2026-Q2, due: 2026-Q3, status: done');
    const v = actionVerdict(a, q3, [q2], options(noise));
    expect(v).toMatchObject({ verdict: 'ineffective', met: false, significance: noise });
    expect(v.reason).toBe(
      'done, due 2026-Q3: <= 20 % not met (40.0 % in 2026-Q3), no significant improvement: 62.5 % in 2026-Q2 to 40.0 % in 2026-Q3, not significant (fake test, p = 0.400)',
    );
  });

  it('a change whose significance cannot be judged counts as no improvement, and says so', () => {
    const a = action('kpi: GV-01, expected: "<= 2", opened: 2026-Q2, due: 2026-Q3, status: done');
    const unknown: Significance = { significant: null, method: 'none', reason: 'a derived value' };
    const v = actionVerdict(a, q3, [q2], options(unknown));
    expect(v.verdict).toBe('ineffective');
    expect(v.reason).toContain('significance not judged: a derived value');
  });

  it('cancelled, whatever the values', () => {
    const a = action('kpi: IR-05, expected: "<= 2", opened: 2026-Q2, due: 2026-Q3, status: cancelled');
    expect(actionVerdict(a, q3, [q2], options()).verdict).toBe('cancelled');
  });

  it('no data: the KPI has no value now (AW-03: 78 % in 2026-Q2, manual and not entered for 2026-Q3)', () => {
    const a = action('kpi: AW-03, expected: ">= 90", opened: 2026-Q2, due: 2026-Q3, status: open');
    const v = actionVerdict(a, q3, [q2], options());
    expect(v).toMatchObject({ verdict: 'no-data', met: null });
    expect(v.reason).toBe('AW-03 has no value in 2026-Q3 (no-data)');
  });

  it('not judged: a done action past its due date, not met, with nothing to compare with', () => {
    const b = action('kpi: VM-02, expected: "<= 20", opened: 2026-Q2, due: 2026-Q3, status: done');
    const w = actionVerdict(b, q3, [], options(significant));
    expect(w).toMatchObject({ verdict: 'not-judged', met: false });
    expect(w.before).toBeUndefined();
    expect(w.significance).toBeUndefined();
    expect(w.reason).toBe(
      'done, due 2026-Q3: <= 20 % not met (40.0 % in 2026-Q3), and no saved report of 2026-Q2 or earlier to compare with (--history)',
    );
    // With the history the same action is judged (ineffective: the change is not significant).
    expect(actionVerdict(b, q3, [q2], options(noise)).verdict).toBe('ineffective');
    // An open action needs no comparison to be overdue.
    const c = action('kpi: VM-02, expected: "<= 20", opened: 2026-Q2, due: 2026-Q3, status: open');
    expect(actionVerdict(c, q3, [], options()).verdict).toBe('overdue');
  });

  it('effective without a before rests on the value now only, and says the change was not measured', () => {
    const a = action('kpi: IR-05, expected: "<= 2", opened: 2026-Q2, due: 2026-Q3, status: done');
    const alone = actionVerdict(a, q3, [], options(significant));
    expect(alone).toMatchObject({ verdict: 'effective', met: true });
    expect(alone.significance).toBeUndefined();
    expect(alone.reason).toBe(
      '2 meets <= 2 in 2026-Q3; the change was not measured: no saved report of 2026-Q2 or earlier to compare with (--history)',
    );
    // An action that only moved toward its target is not effective without a before.
    const b = action('kpi: BK-01, expected: ">= 99", opened: 2026-Q2, due: 2026-Q4, status: open');
    expect(actionVerdict(b, q3, [q2], options(significant)).verdict).toBe('effective');
    expect(actionVerdict(b, q3, [], options(significant)).verdict).toBe('not-yet-effective');
  });

  it('not comparable: the KPI definition changed between the two reports (IR-02, hand-edited copy)', () => {
    const a = action('kpi: IR-02, expected: ">= 95", opened: 2026-Q2, due: 2026-Q3, status: done');
    // The same action against the real 2026-Q3 report: comparable (ineffective: 75 -> 87.5 %, not met).
    expect(actionVerdict(a, q3, [q2], options()).verdict).toBe('ineffective');
    const v = actionVerdict(a, changed, [q2], options(significant));
    expect(v.verdict).toBe('not-comparable');
    expect(v.reason).toBe(
      'the definition of IR-02 (formula, thresholds, unit or sources) changed between 2026-Q2 and 2026-Q3: the values cannot be compared',
    );
    expect(v.significance).toBeUndefined();
  });

  it('not comparable in the real history: CH-03 had another amber band in 2026-Q2', () => {
    const a = action('kpi: CH-03, expected: "<= 5", opened: 2026-Q2, due: 2026-Q3, status: done');
    expect(actionVerdict(a, q3, [q2], options()).verdict).toBe('not-comparable');
  });

  it("a segment's values: IR-02 at Leipzig (100 -> 66.7 %)", () => {
    const a = action(
      'kpi: IR-02, segment: Leipzig, expected: ">= 95", opened: 2026-Q2, due: 2026-Q4, status: open',
    );
    const v = actionVerdict(a, q3, [q2], options());
    expect(v).toMatchObject({
      segment: 'Leipzig',
      before: { period: '2026-Q2', value: 100 },
      verdict: 'not-yet-effective',
    });
    expect(v.now?.value).toBeCloseTo(66.667, 3);
    const unknown = action(
      'kpi: IR-02, segment: Hamburg, expected: ">= 95", opened: 2026-Q2, due: 2026-Q4, status: open',
    );
    const { verdicts, problems } = actionVerdicts([unknown], q3, [q2], options());
    expect(verdicts[0]!.verdict).toBe('no-data');
    expect(problems.map((p) => [p.severity, p.message])).toEqual([
      [
        'warning',
        'action CA-1: KPI IR-02 has no segment "Hamburg" in 2026-Q3 (its segments: Bremen, Brno, Leipzig)',
      ],
    ]);
  });
});

describe('the report before the action', () => {
  const opened = (text: string) => periodSpan(text, TZ)!;
  const month = { ...q2, period: { ...q2.period, label: '2026-06', start: '2026-05-31T22:00:00.000Z' } };

  it('is the report of the period the action was opened in, else the last before; never the current one', () => {
    expect(reportBefore(opened('2026-Q2'), q3, [q2, q3])?.period.label).toBe('2026-Q2');
    expect(reportBefore(opened('2026-05-12'), q3, [q3, q2])?.period.label).toBe('2026-Q2');
    // Opened during the current period: the last period before it.
    expect(reportBefore(opened('2026-08-01'), q3, [q2, q3])?.period.label).toBe('2026-Q2');
    // Opened before any saved report: nothing to compare with.
    expect(reportBefore(opened('2026-Q1'), q3, [q2])).toBeUndefined();
    // A report of a month is not compared with a quarter.
    expect(reportBefore(opened('2026-06'), q3, [month])).toBeUndefined();
  });

  it('periods and days are read in the catalogue time zone', () => {
    expect(periodSpan('2026-Q3', TZ)).toEqual({
      start: Date.parse('2026-06-30T22:00:00Z'),
      end: Date.parse('2026-09-30T22:00:00Z'),
    });
    expect(periodSpan('2026-09-30', TZ)).toEqual({
      start: Date.parse('2026-09-29T22:00:00Z'),
      end: Date.parse('2026-09-30T22:00:00Z'),
    });
  });

  it('"toward" follows the expected comparison', () => {
    expect(isTowardTarget('>=', 95, 80, 90)).toBe(true);
    expect(isTowardTarget('<=', 5, 8, 9)).toBe(false);
    expect(isTowardTarget('==', 0, 4, 2)).toBe(true);
    expect(isTowardTarget('==', 0, 2, 4)).toBe(false);
  });
});
