/** The KPIs of a catalogue as `isms-kpi list` prints them: a table, or JSON. */
import { jsonText, safeText } from '../text.js';
import { layoutTable } from './layout.js';

export interface ListedKpi {
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
  const rows = list.kpis.map((k) => [
    k.id,
    k.name,
    k.owner,
    k.cadence,
    k.controls.join(', '),
    [...k.sources, ...(k.uses ?? []).map((u) => `kpi ${u}`)].join(', '),
  ]);
  const table = layoutTable(rows, {
    head: ['ID', 'KPI', 'Owner', 'Cadence', 'Controls', 'Sources'],
    widths: [null, 40, 20, null, 16, 24],
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
