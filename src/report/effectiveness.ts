/**
 * Whether a corrective action worked (ISO/IEC 27001 10.2: "review the effectiveness of any corrective
 * action taken"), from the saved reports of earlier periods (--history) and the current report. Pure.
 *
 * Decisions (issue 20, docs/management-review.md "How a verdict is decided"):
 * - BEFORE is the KPI's value in the saved report of the period the action was opened in, else of the
 *   last period before it; only reports of periods that ended before the current one starts, and of
 *   about the same length (a quarter is not compared with a month), are candidates. An action opened
 *   during the current period is compared with the last period before it.
 * - NOW is the value in the current report. With a segment, both are the segment's values.
 * - The verdicts, first match wins:
 *   1. cancelled: the action's status;
 *   2. no-data: no value now (the KPI, or its segment, has no data);
 *   3. not-comparable: there is a BEFORE and the KPI's definitionHash differs between the two reports
 *      (formula, thresholds, unit or sources changed): neither "met" nor "improved" means the same;
 *   4. effective: the value now meets `expected`, or it moved toward it and the change is significant
 *      (src/report/significance.ts, the rule of diff and the trend verdicts);
 *   5. open: overdue when the due period (or day) ended on or before the current period's end, else
 *      not-yet-effective;
 *   6. done: before the due date it is not-yet-effective (effects lag); after, ineffective, or
 *      not-judged when there is no BEFORE to compare with (the change cannot be judged: `report` without
 *      --history; not "no data", since the KPI has a value now).
 * - Without a BEFORE nothing is claimed of a change: `effective` then rests on the value now meeting
 *   `expected`, and the reason says that the change was not measured.
 * - A change whose significance cannot be judged (a mean, a derived KPI) counts as not significant, and
 *   the reason says so.
 */
import type { Action } from '../catalogue/actions.js';
import type { BandOp } from '../catalogue/thresholds.js';
import { satisfies } from '../catalogue/thresholds.js';
import { type Problem, problem } from '../problems.js';
import { quote } from '../text.js';
import { localDayStart, type PeriodOptions, parsePeriod } from '../time/period.js';
import type { ActionVerdict, ActionVerdictName, KpiResult, Report } from './model.js';
import { formatBand, formatValue } from './numbers.js';

/** What a significance test needs of a KPI's saved values (src/report/significance.ts, SavedValues). */
export type Values = Pick<
  KpiResult,
  'value' | 'numerator' | 'denominator' | 'unit' | 'formula' | 'aggregates'
>;

export interface Significance {
  significant: boolean | null;
  method: string;
  pValue?: number;
  reason?: string;
}

export interface EffectivenessOptions extends PeriodOptions {
  /** The change from `before` to `after`: more than noise? (changeSignificance at the chosen level) */
  significance: (before: Values, after: Values) => Significance;
}

const DAY = 86_400_000;
/** Reports whose periods differ in length by more than this share are not compared. */
const LENGTH_TOLERANCE = 0.15;

/** The first instant and the first instant after a period label or a day, in the catalogue's zone. */
export function periodSpan(text: string, options: PeriodOptions): { start: number; end: number } | undefined {
  const day = localDayStart(text, options.tz);
  if (day !== undefined) {
    const next = new Date(Date.parse(`${text.trim()}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
    return { start: day, end: localDayStart(next, options.tz)! };
  }
  const parsed = parsePeriod(text, options);
  return parsed.ok ? { start: parsed.period.start, end: parsed.period.end } : undefined;
}

const spanOf = (r: Report) => ({ start: Date.parse(r.period.start), end: Date.parse(r.period.end) });

/**
 * The saved reports of periods that ended before `current` starts and are of about its length (a quarter
 * is not compared with a month), oldest first: the candidates for BEFORE, and the review's "previous".
 */
export function earlierReports(current: Report, history: readonly Report[]): Report[] {
  const now = spanOf(current);
  const length = now.end - now.start;
  return history
    .filter((r) => {
      const s = spanOf(r);
      return s.end <= now.start && Math.abs(s.end - s.start - length) <= LENGTH_TOLERANCE * length;
    })
    .sort((a, b) => spanOf(a).start - spanOf(b).start);
}

/** The saved report BEFORE is read from (see the header), or undefined. */
export function reportBefore(
  opened: { start: number },
  current: Report,
  history: readonly Report[],
): Report | undefined {
  const candidates = earlierReports(current, history);
  const containing = candidates.filter((r) => {
    const s = spanOf(r);
    return s.start <= opened.start && opened.start < s.end;
  });
  if (containing.length > 0) return containing.at(-1);
  return candidates.filter((r) => spanOf(r).end <= opened.start).at(-1);
}

/** The KPI's values in a report, or its segment's (with the KPI's formula and aggregates). */
function valuesIn(report: Report, action: Action): { kpi: KpiResult; values: Values } | undefined {
  const kpi = report.kpis.find((k) => k.id === action.kpi);
  if (!kpi) return undefined;
  if (action.segment === undefined) return { kpi, values: kpi };
  const segment = kpi.segments.find((s) => s.key === action.segment);
  if (!segment) return undefined;
  return {
    kpi,
    values: {
      value: segment.value,
      ...(segment.numerator !== undefined ? { numerator: segment.numerator } : {}),
      ...(segment.denominator !== undefined ? { denominator: segment.denominator } : {}),
      unit: kpi.unit,
      formula: kpi.formula,
      aggregates: kpi.aggregates,
    },
  };
}

/** Whether `after` is closer than `before` to meeting a band with operator `op` and bound `bound`. */
export function isTowardTarget(op: BandOp, bound: number, before: number, after: number): boolean {
  if (op === '>=' || op === '>') return after > before;
  if (op === '<=' || op === '<') return after < before;
  return Math.abs(after - bound) < Math.abs(before - bound);
}

function significanceWords(s: Significance): string {
  const p = s.pValue === undefined ? '' : `, p ${s.pValue < 0.001 ? '< 0.001' : `= ${s.pValue.toFixed(3)}`}`;
  if (s.significant === null) return `significance not judged: ${s.reason ?? s.method}`;
  return `${s.significant ? 'significant' : 'not significant'} (${s.method}${p})`;
}

/** The verdicts of every action (in the order given), and warnings for segments without data. */
export function actionVerdicts(
  actions: readonly Action[],
  current: Report,
  history: readonly Report[],
  options: EffectivenessOptions,
): { verdicts: ActionVerdict[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const verdicts = actions.map((action) => {
    const kpi = current.kpis.find((k) => k.id === action.kpi);
    if (action.segment !== undefined && kpi && !kpi.segments.some((s) => s.key === action.segment))
      problems.push(
        problem(
          'bad-value',
          `action ${action.id}: KPI ${action.kpi} has no segment ${quote(action.segment)} in ${current.period.label}${kpi.segments.length > 0 ? ` (its segments: ${kpi.segments.map((s) => s.key).join(', ')})` : ''}`,
          action.at,
          'warning',
        ),
      );
    return actionVerdict(action, current, history, options);
  });
  return { verdicts, problems };
}

export function actionVerdict(
  action: Action,
  current: Report,
  history: readonly Report[],
  options: EffectivenessOptions,
): ActionVerdict {
  const label = current.period.label;
  const nowValues = valuesIn(current, action);
  const opened = periodSpan(action.opened, options)!;
  const due = periodSpan(action.due, options)!;
  const earlier = reportBefore(opened, current, history);
  const beforeValues = earlier ? valuesIn(earlier, action) : undefined;
  const unit = nowValues?.kpi ?? beforeValues?.kpi ?? { unit: '' };
  const show = (v: number | null) => formatValue(unit, v);
  const what = action.segment === undefined ? action.kpi : `${action.kpi} (${action.segment})`;
  const base: Omit<ActionVerdict, 'verdict' | 'reason' | 'met'> = {
    id: action.id,
    kpi: action.kpi,
    ...(action.segment !== undefined ? { segment: action.segment } : {}),
    owner: action.owner,
    description: action.description,
    status: action.status,
    opened: action.opened,
    due: action.due,
    expected: action.expectedBand.text,
    links: action.links,
    ...(earlier && beforeValues
      ? { before: { period: earlier.period.label, value: beforeValues.values.value } }
      : {}),
    ...(nowValues ? { now: { period: label, value: nowValues.values.value } } : {}),
  };
  const now = nowValues?.values.value ?? null;
  const met = now === null ? null : satisfies(action.expectedBand, now);
  const done = (verdict: ActionVerdictName, reason: string, extra: Partial<ActionVerdict> = {}) => ({
    ...base,
    met,
    ...extra,
    verdict,
    reason,
  });

  if (action.status === 'cancelled') return done('cancelled', 'cancelled');
  if (now === null || !nowValues)
    return done(
      'no-data',
      `${what} has no value in ${label}${nowValues ? ` (${nowValues.kpi.status})` : ''}`,
    );
  if (earlier && beforeValues && beforeValues.kpi.definitionHash !== nowValues.kpi.definitionHash)
    return done(
      'not-comparable',
      `the definition of ${action.kpi} (formula, thresholds, unit or sources) changed between ${earlier.period.label} and ${label}: the values cannot be compared`,
    );
  const expected = formatBand(action.expectedBand.text, unit.unit);
  const before = beforeValues?.values.value ?? null;
  let significance: Significance | undefined;
  let improved = false;
  if (earlier && beforeValues && before !== null) {
    significance = options.significance(beforeValues.values, nowValues.values);
    improved =
      significance.significant === true &&
      isTowardTarget(action.expectedBand.op, action.expectedBand.value, before, now);
  }
  const sig = significance ? { significance } : {};
  const change =
    earlier && before !== null
      ? `${show(before)} in ${earlier.period.label} to ${show(now)} in ${label}, ${significanceWords(significance!)}`
      : undefined;
  const unmeasured = earlier
    ? `${what} has no value in ${earlier.period.label} to compare with`
    : `no saved report of ${action.opened} or earlier to compare with (--history)`;
  if (met)
    return done(
      'effective',
      `${show(now)} meets ${expected} in ${label}${change ? '' : `; the change was not measured: ${unmeasured}`}`,
      sig,
    );
  if (improved) return done('effective', `improved toward ${expected}: ${change}`, sig);
  const isDue = due.end <= Date.parse(current.period.end);
  const notMet = `${expected} not met (${show(now)} in ${label})`;
  const since = change ? `; ${change}` : '';
  if (action.status === 'open')
    return isDue
      ? done('overdue', `open, due ${action.due}: ${notMet}${since}`, sig)
      : done('not-yet-effective', `open, due ${action.due}: ${notMet} yet${since}`, sig);
  if (!isDue) return done('not-yet-effective', `done, due ${action.due}: ${notMet} yet${since}`, sig);
  if (!change) return done('not-judged', `done, due ${action.due}: ${notMet}, and ${unmeasured}`);
  return done(
    'ineffective',
    `done, due ${action.due}: ${notMet}, no significant improvement: ${change}`,
    sig,
  );
}
