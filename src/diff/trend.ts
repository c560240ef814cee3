/**
 * A KPI-by-period matrix from several saved reports, oldest period first. A cell whose KPI definition
 * differs from the newest report's is marked, because its value measures something else.
 */
import type { Report, Status } from '../report/model.js';

export interface TrendCell {
  value: number | null;
  status: Status;
  /** The KPI's definitionHash differs from the one in the newest report that has the KPI. */
  isOtherDefinition: boolean;
}

export interface TrendRow {
  id: string;
  name: string;
  unit: string;
  decimals?: number;
  /** One per period; null where the report lacks the KPI. */
  cells: (TrendCell | null)[];
}

export interface Trend {
  periods: { label: string; start: string }[];
  rows: TrendRow[];
}

export function buildTrend(reports: readonly Report[]): Trend {
  const sorted = [...reports].sort((a, b) =>
    a.period.start < b.period.start ? -1 : a.period.start > b.period.start ? 1 : 0,
  );
  // KPI order: the newest report's catalogue order, then KPIs only older reports have.
  const order: string[] = [];
  for (const r of [...sorted].reverse()) for (const k of r.kpis) if (!order.includes(k.id)) order.push(k.id);
  const rows = order.map((id): TrendRow => {
    const latest = [...sorted].reverse().flatMap((r) => r.kpis.filter((k) => k.id === id))[0]!;
    return {
      id,
      name: latest.name,
      unit: latest.unit,
      ...(latest.decimals !== undefined ? { decimals: latest.decimals } : {}),
      cells: sorted.map((r) => {
        const k = r.kpis.find((x) => x.id === id);
        return k
          ? {
              value: k.value,
              status: k.status,
              isOtherDefinition: k.definitionHash !== latest.definitionHash,
            }
          : null;
      }),
    };
  });
  return { periods: sorted.map((r) => ({ label: r.period.label, start: r.period.start })), rows };
}
