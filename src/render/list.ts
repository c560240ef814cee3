/**
 * The KPIs of a catalogue as `isms-kpi list` prints them: a table, or JSON. The measure's description
 * (src/render/measure.ts) is in the JSON; the table marks draft and retired KPIs after their id and adds
 * a Type column (the measure type) and an Objective column when some KPI declares one.
 */
import { jsonText, safeText } from '../text.js';
import { layoutTable } from './layout.js';
import type { MeasureFacts } from './measure.js';

export interface ListedKpi extends MeasureFacts {
  id: string;
  name: string;
  owner: string;
  cadence: string;
  controls: string[];
  sources: string[];
  /** KPIs the formula uses. */
  uses?: string[];
}

export interface KpiList {
  organisation: string;
  /** The catalogue's file name (without its folder). */
  catalogueName: string;
  timezone: string;
  sourceCount: number;
  kpis: ListedKpi[];
}

export function renderListJson(list: KpiList): string {
  return jsonText(list.kpis);
}

export function renderListTable(list: KpiList): string {
  const hasType = list.kpis.some((k) => k.measureType);
  const hasObjective = list.kpis.some((k) => k.objective);
  const rows = list.kpis.map((k) => [
    k.lifecycle && k.lifecycle !== 'active' ? `${k.id} (${k.lifecycle})` : k.id,
    k.name,
    k.owner,
    k.cadence,
    ...(hasType ? [k.measureType ?? ''] : []),
    ...(hasObjective ? [k.objective ?? ''] : []),
    k.controls.join(', '),
    [...k.sources, ...(k.uses ?? []).map((u) => `kpi ${u}`)].join(', '),
  ]);
  const table = layoutTable(rows, {
    head: [
      'ID',
      'KPI',
      'Owner',
      'Cadence',
      ...(hasType ? ['Type'] : []),
      ...(hasObjective ? ['Objective'] : []),
      'Controls',
      'Sources',
    ],
    widths: [null, 40, 20, null, ...(hasType ? [null] : []), ...(hasObjective ? [12] : []), 16, 24],
  });
  const heading = safeText(`${list.organisation} — ${list.catalogueName} (${list.timezone})`);
  return `${heading}\n${table}\n${list.kpis.length} KPIs, ${list.sourceCount} sources\n`;
}

export const LIST_RENDERERS = { table: renderListTable, json: renderListJson } satisfies Record<
  string,
  (list: KpiList) => string
>;
export type ListFormat = keyof typeof LIST_RENDERERS;
export const LIST_FORMATS = Object.keys(LIST_RENDERERS) as ListFormat[];
