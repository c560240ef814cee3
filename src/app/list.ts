/** `isms-kpi list`: the KPIs of the catalogue. */
import path from 'node:path';
import type { Catalogue } from '../catalogue/compile.js';
import { measureDescription } from '../catalogue/measure.js';
import { type KpiList, LIST_RENDERERS, type ListFormat } from '../render/list.js';
import { loadCatalogue } from './catalogue.js';
import type { Io } from './io.js';
import type { CommandResult } from './result.js';

export async function kpiList(catalogueFile: string, io: Io): Promise<KpiList> {
  return listOf(await loadCatalogue(io, catalogueFile));
}

/** What `list` shows of a loaded catalogue. */
export function listOf(catalogue: Catalogue): KpiList {
  return {
    organisation: catalogue.organisation,
    catalogueName: path.basename(catalogue.file),
    timezone: catalogue.timezone,
    sourceCount: catalogue.sources.size,
    kpis: catalogue.kpis.map((k) => ({
      id: k.config.id,
      name: k.config.name,
      owner: k.config.owner,
      cadence: k.config.cadence,
      controls: k.config.controls,
      sources: k.formula.sources,
      ...(k.formula.kpis.length > 0 ? { uses: k.formula.kpis } : {}),
      ...measureDescription(k.config),
    })),
  };
}

export async function list(
  options: { catalogue: string; format: ListFormat },
  io: Io,
): Promise<CommandResult> {
  return {
    stdout: LIST_RENDERERS[options.format](await kpiList(options.catalogue, io)),
    problems: [],
    outcome: { command: 'done' },
  };
}
