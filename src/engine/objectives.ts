/**
 * The objectives of the catalogue (ISO/IEC 27001 clause 6.2) in a report: per objective its KPIs (those
 * that name it in `objective:`), whether each meets the objective's target (or, without a target, is
 * green), and with a history of saved reports the forecast of when each will reach the target
 * (forecast.ts). An objective is off track when one of its KPIs is.
 */
import type { ObjectiveConfig } from '../catalogue/schema.js';
import { compileThresholds, satisfies } from '../catalogue/thresholds.js';
import type { KpiResult, Report } from '../report/model.js';
import { type ForecastPoint, forecast } from './forecast.js';

export type ObjectiveResult = NonNullable<Report['objectives']>[number];

/**
 * `points`: for a KPI, its values over the periods in time order with the current period last (from
 * --history); none: no forecast.
 */
export function objectiveResults(
  objectives: readonly ObjectiveConfig[],
  kpis: readonly KpiResult[],
  tz: string,
  points?: (id: string) => readonly ForecastPoint[] | undefined,
): ObjectiveResult[] {
  return objectives.map((objective) => {
    const band = objective.target === undefined ? undefined : compileThresholds({ green: objective.target });
    const target = typeof band === 'object' ? band.green : undefined;
    const own = kpis.filter((k) => k.objective === objective.id);
    const results = own.map((k) => {
      const meets = k.value === null ? null : target ? satisfies(target, k.value) : k.status === 'green';
      const series = target ? points?.(k.id) : undefined;
      return {
        id: k.id,
        value: k.value,
        status: k.status,
        meetsTarget: meets,
        ...(series && target ? { forecast: forecast(series, target, objective.due, tz) } : {}),
      };
    });
    return {
      id: objective.id,
      statement: objective.statement,
      owner: objective.owner,
      ...(target ? { target: target.text } : {}),
      due: objective.due,
      kpis: results,
      meeting: results.filter((r) => r.meetsTarget === true).length,
      offTrack: results.some((r) => r.forecast?.state === 'off-track'),
    };
  });
}

/** The parts of a saved report the forecast reads. */
export interface SavedPeriod {
  period: { start: string; end: string };
  kpis: readonly { id: string; value: number | null; definitionHash: string }[];
}

/**
 * A KPI's points for the forecast: its values in the saved reports of earlier periods (one report per
 * period, the same definition only, with a value) in time order, then the current value unless its
 * period has not ended; each at its period's end.
 */
export function forecastPoints(
  saved: readonly SavedPeriod[],
  current: SavedPeriod & { period: { complete?: boolean | undefined } },
): (id: string) => ForecastPoint[] {
  // A period that has not ended is no point: its value covers part of it (as for --history).
  const isComplete = current.period.complete !== false;
  const earlier = [...saved]
    .filter((s) => s.period.start < current.period.start)
    .sort((a, b) => (a.period.start < b.period.start ? -1 : a.period.start > b.period.start ? 1 : 0))
    .filter((s, i, all) => i === 0 || all[i - 1]!.period.start !== s.period.start);
  return (id) => {
    const now = current.kpis.find((k) => k.id === id);
    if (!now) return [];
    const points: ForecastPoint[] = [];
    for (const s of isComplete ? [...earlier, current] : earlier) {
      const k = s.kpis.find((x) => x.id === id && x.definitionHash === now.definitionHash);
      if (k && k.value !== null) points.push({ at: Date.parse(s.period.end), value: k.value });
    }
    return points;
  };
}
