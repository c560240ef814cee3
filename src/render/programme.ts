/**
 * The measurement programme in a report's words: exceptions of a KPI ("accepted until 2026-12-31") for
 * the table, Markdown and HTML renderers. Plain text; each renderer makes it safe for its format.
 */
import { MIN_FORECAST_POINTS } from '../engine/forecast.js';
import type { KpiResult, Report } from '../report/model.js';
import { formatBand, formatBands, formatNumber, formatValue, plural, STATUS_LABEL } from './format.js';

type Exception = NonNullable<KpiResult['exceptions']>[number];

/** `accepted until 2026-12-31` or `exception expired 2026-06-30`, with the segment when it has one. */
export function exceptionHead(e: Exception): string {
  const what = e.segment === undefined ? '' : `segment ${e.segment} `;
  return e.state === 'accepted'
    ? `${what}accepted until ${e.expires}`
    : `${what}exception expired ${e.expires}`;
}

/** The whole note: head, approver and risk reference, reason; an expired one says it no longer counts. */
export function exceptionText(e: Exception): string {
  const by = [`approved by ${e.approver}`, ...(e.risk !== undefined ? [`risk ${e.risk}`] : [])].join(', ');
  const counts = e.state === 'expired' ? '; it no longer counts' : '';
  return `${exceptionHead(e)} (${by}): ${e.reason}${counts}`;
}

/** `segment Plant 2: own target >= 80 (amber >= 70): 83.3 %, green`, per segment with thresholds of its own. */
export function segmentTargetTexts(kpi: KpiResult): string[] {
  return kpi.segments.flatMap((s) =>
    s.thresholds
      ? [
          `segment ${s.key}: own target ${formatBands({ thresholds: s.thresholds, unit: kpi.unit })}: ${formatValue(kpi, s.value)}, ${STATUS_LABEL[s.status]}`,
        ]
      : [],
  );
}

type Manual = NonNullable<KpiResult['manual']>[number];

/** `manual: downtime_minutes 2026-Q3 = 42, entered by J. Doe, evidence INC-1234 (from the outage log)`. */
export function manualText(m: Manual): string {
  const note = m.note !== undefined ? ` (${m.note})` : '';
  // As entered: its own decimals (up to 6), with thousands separators.
  const decimals = Math.min(6, (String(m.value).split('.')[1] ?? '').length);
  return `manual: ${m.measure} ${m.period} = ${formatNumber(m.value, decimals)}, entered by ${m.enteredBy}, evidence ${m.evidence}${note}`;
}

/**
 * Every note of the programme for a KPI: its segments' own targets, its exceptions, then the values
 * entered by hand that it read.
 */
export function programmeNotes(kpi: KpiResult): string[] {
  return [
    ...segmentTargetTexts(kpi),
    ...(kpi.exceptions ?? []).map(exceptionText),
    ...(kpi.manual ?? []).map(manualText),
  ];
}

type Objective = NonNullable<Report['objectives']>[number];
type ObjectiveKpi = Objective['kpis'][number];

const FORECAST_TEXT: Record<NonNullable<ObjectiveKpi['forecast']>['state'], string> = {
  met: 'target met',
  'on-track': 'on track',
  'off-track': 'OFF TRACK',
  'too-few-points': 'no forecast',
};

/**
 * `owner CISO; target >= 95 %; due 2027-06-30`. The target carries the unit its KPIs share (`unit`);
 * KPIs of different units: the bare number (issue 18: every number through src/report/numbers.ts).
 */
export function objectiveFacts(o: Objective, unit = '#'): string {
  return `owner ${o.owner}${o.target ? `; target ${formatBand(o.target, unit)}` : ''}; due ${o.due}`;
}

/** The unit every KPI of an objective shares ('#', shown bare, when they differ or are not in the report). */
export function objectiveUnit(o: Objective, report: Pick<Report, 'kpis'>): string {
  const units = new Set(o.kpis.map((k) => report.kpis.find((r) => r.id === k.id)?.unit ?? '#'));
  return units.size === 1 ? [...units][0]! : '#';
}

/** `meeting the target: 1 of 2 KPIs; OFF TRACK` (without a target: `green: ...`). */
export function objectiveProgress(o: Objective): string {
  const n = o.kpis.length;
  return `${o.target ? 'meeting the target' : 'green'}: ${formatNumber(o.meeting, 0)} of ${plural(n, 'KPI')}${o.offTrack ? '; OFF TRACK' : ''}`;
}

/** `Contain ... (owner CISO; target >= 95; due 2027-06-30): meeting the target: 1 of 2 KPIs; OFF TRACK`. */
export function objectiveHead(o: Objective, unit = '#'): string {
  return `${o.statement} (${objectiveFacts(o, unit)}): ${objectiveProgress(o)}`;
}

/** `IR-02 87.5 %, amber; forecast: expected 2027-03-31 from 5 periods, on track`. */
export function objectiveKpiText(o: Objective, k: ObjectiveKpi, kpi: KpiResult | undefined): string {
  const value = formatValue(kpi ?? { unit: '#' }, k.value);
  const target = o.target ? formatBand(o.target, kpi?.unit ?? '#') : '';
  const f = k.forecast;
  const forecastText = !f
    ? ''
    : f.state === 'too-few-points'
      ? `; no forecast from ${plural(f.points, 'period')} (it needs ${MIN_FORECAST_POINTS})`
      : f.state === 'met'
        ? ''
        : `; forecast from ${plural(f.points, 'period')}: ${f.expected ? `reaches ${target} on ${f.expected}` : `does not move towards ${target}`}, ${FORECAST_TEXT[f.state]}`;
  return `${k.id} ${value}, ${STATUS_LABEL[k.status]}${k.meetsTarget === true && o.target ? ', meets the target' : ''}${forecastText}`;
}

/** The objectives of a report as lines (an objective, then its KPIs indented); none: no lines. */
export function objectiveLines(report: Report, indent = '  '): string[] {
  const byId = new Map(report.kpis.map((k) => [k.id, k]));
  return (report.objectives ?? []).flatMap((o) => [
    `${indent}${o.id} ${objectiveHead(o, objectiveUnit(o, report))}`,
    ...o.kpis.map((k) => `${indent}${indent}${objectiveKpiText(o, k, byId.get(k.id))}`),
  ]);
}
