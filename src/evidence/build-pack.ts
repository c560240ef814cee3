/**
 * The audit evidence pack (ISO 27001 clause 7.5, documented information) as a list of files:
 * - manifest.json: tool, catalogue sha256, period, and per source file its size, sha256, row counts and
 *   time range (the same manifest the JSON report carries), plus the files of the pack with their sha256;
 * - kpis/<ID>.csv: per KPI, every row that entered each aggregate of its formula, with file and line;
 * - rejected/<source>.csv: per source, the rows rejected at intake with the reasons.
 * File names keep letters, digits, ".", "_" and "-" of the id (others become "_"), get "~2", "~3" when
 * two ids differ only in case, and a leading "_" when Windows would read them as a device (CON, NUL, ...).
 * Pure: the CLI writes the files.
 */
import { createHash } from 'node:crypto';
import type { Catalogue } from '../catalogue/compile.js';
import type { KpiTrace } from '../engine/evaluate.js';
import type { Report } from '../report/model.js';
import { partOfRow } from '../sources/intake.js';
import type { LoadedSource } from '../sources/load-source.js';
import { type Column, cellValue } from '../sources/table.js';
import { jsonText } from '../text.js';
import { type CsvValue, csvDocument } from '../util/csv-writer.js';
import { EVIDENCE_PACK_VERSION, MANIFEST_FILE, type PackFile, type PackManifest } from './pack-manifest.js';

export interface EvidenceInput {
  report: Report;
  catalogue: Catalogue;
  sources: ReadonlyMap<string, LoadedSource | { missing: string }>;
  /** From run({ trace: true }): the rows each aggregate matched. */
  traces: ReadonlyMap<string, KpiTrace>;
}

export interface EvidenceFile {
  /** Relative path inside the pack, with forward slashes. */
  path: string;
  content: string;
}

export const KPI_ROW_COLUMNS = ['kpi', 'aggregate', 'role', 'source', 'file', 'line'] as const;
export const REJECTED_ROW_COLUMNS = ['source', 'file', 'line', 'end_line', 'record', 'reasons'] as const;

export function buildEvidencePack(input: EvidenceInput): EvidenceFile[] {
  const { report } = input;
  const files: EvidenceFile[] = [];
  const listed: PackFile[] = [];
  const byId = new Map(input.catalogue.kpis.map((k) => [k.config.id, k]));
  // Each row's file as the manifest names it: relative to the catalogue's folder, not the working directory.
  // A source read from several files names each of its files (`files`), in read order.
  const fileOf = new Map(report.sources.map((s) => [s.name, s.files?.map((f) => f.file) ?? s.file]));
  const kpiNames = new UniqueNames();
  for (const kpi of report.kpis) {
    const path = `kpis/${kpiNames.take(kpi.id)}.csv`;
    const { content, rows } = kpiRows(kpi.id, input.traces.get(kpi.id), input.sources, fileOf);
    const uses = byId.get(kpi.id)?.formula.kpis ?? [];
    files.push({ path, content });
    listed.push({
      path,
      kind: 'kpi-rows',
      kpi: kpi.id,
      rows,
      ...(uses.length > 0 ? { usesKpis: [...uses] } : {}),
      sha256: sha256(content),
    });
  }
  const sourceNames = new UniqueNames();
  for (const [name, loaded] of input.sources) {
    if ('missing' in loaded) continue;
    const path = `rejected/${sourceNames.take(name)}.csv`;
    const content = rejectedRows(loaded, fileOf.get(name) ?? loaded.stats.file);
    files.push({ path, content });
    listed.push({
      path,
      kind: 'rejected-rows',
      source: name,
      rows: loaded.rejectedRows.length,
      rejected: loaded.stats.rejected,
      sha256: sha256(content),
    });
  }
  const manifest: PackManifest = {
    evidencePack: EVIDENCE_PACK_VERSION,
    tool: report.tool,
    organisation: report.organisation,
    catalogue: report.catalogue,
    period: report.period,
    asOf: report.asOf,
    ...(report.generatedAt ? { generatedAt: report.generatedAt } : {}),
    sources: report.sources,
    files: listed,
  };
  return [{ path: MANIFEST_FILE, content: jsonText(manifest) }, ...files];
}

function kpiRows(
  id: string,
  trace: KpiTrace | undefined,
  sources: EvidenceInput['sources'],
  fileOf: ReadonlyMap<string, string | string[]>,
): { content: string; rows: number } {
  const aggregates = (trace?.aggregates ?? []).map((agg) => {
    const loaded = sources.get(agg.source);
    return { agg, loaded: loaded && !('missing' in loaded) ? loaded : undefined };
  });
  // The union of the canonical fields of the sources the KPI reads, in the order they first appear.
  const fields: string[] = [];
  for (const { loaded } of aggregates)
    for (const f of loaded?.source.fields ?? []) if (!fields.includes(f.name)) fields.push(f.name);
  const table: CsvValue[][] = [[...KPI_ROW_COLUMNS, ...fields]];
  for (const { agg, loaded } of aggregates) {
    if (!loaded) continue;
    const columns = fields.map((f) => loaded.table.columns.get(f));
    // Which aggregate each row fed, numbered as explain numbers them; the role is numerator or
    // denominator only where the KPI's value is their ratio, else `value`.
    const label = `aggregate ${agg.index + 1} of ${aggregates.length}: ${agg.text}`;
    const file = fileOf.get(agg.source) ?? loaded.stats.file;
    for (const row of agg.matched) {
      table.push([
        id,
        label,
        agg.role,
        agg.source,
        typeof file === 'string' ? file : file[partOfRow(loaded.files!, row)]!,
        loaded.table.line[row]!,
        ...columns.map((column) => (column ? evidenceValue(column, row) : null)),
      ]);
    }
  }
  return { content: csvDocument(table), rows: table.length - 1 };
}

/** A cell as an auditor reads it: datetimes in ISO 8601 UTC, lists joined with ", ". */
function evidenceValue(column: Column, row: number): CsvValue {
  const value = cellValue(column, row);
  if (value === null) return null;
  if (column.type === 'datetime' && typeof value === 'number' && Math.abs(value) <= 8.64e15)
    return new Date(value).toISOString();
  return Array.isArray(value) ? value.join(', ') : value;
}

function rejectedRows(loaded: LoadedSource, file: string | string[]): string {
  const isCsv = loaded.stats.format === 'csv';
  const width = isCsv ? Math.max(loaded.header.length, ...loaded.rejectedRows.map((r) => r.cells.length)) : 1;
  const rawColumns = isCsv
    ? Array.from({ length: width }, (_, i) => loaded.header[i] ?? `(extra ${i + 1 - loaded.header.length})`)
    : ['raw_record'];
  const table: CsvValue[][] = [[...REJECTED_ROW_COLUMNS, ...rawColumns]];
  for (const r of loaded.rejectedRows) {
    table.push([
      loaded.name,
      typeof file === 'string' ? file : file[r.part ?? 0]!,
      r.line,
      r.endLine,
      r.record,
      r.reasons.join('; '),
      ...Array.from({ length: width }, (_, i) => r.cells[i] ?? null),
    ]);
  }
  return csvDocument(table);
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Names Windows reserves for devices, whatever the extension (`con.csv`, `nul.txt.csv`, `LPT1.csv`
 * open the device, not a file): such a name gets a `_` in front (`_con.csv`).
 */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i;

/**
 * File names from ids, unique even on case-insensitive file systems (AC-1 and ac-1), and never a
 * Windows device name.
 */
export class UniqueNames {
  private readonly taken = new Set<string>();
  take(id: string): string {
    const safe = id.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
    const base = WINDOWS_DEVICE.test(safe) ? `_${safe}` : safe;
    let name = base;
    for (let n = 2; this.taken.has(name.toLowerCase()); n++) name = `${base}~${n}`;
    this.taken.add(name.toLowerCase());
    return name;
  }
}
