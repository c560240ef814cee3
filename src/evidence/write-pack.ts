/**
 * Writes the evidence pack (build-pack.ts describes its files) row by row, so its memory is bounded by
 * the columns a run keeps, not by rows x fields.
 *
 * Decision (issue 16): the report keeps only the fields its formulas read, and the evaluation keeps,
 * per aggregate, only the indexes of the rows it matched (KpiTrace). The pack lists every mapped field
 * of those rows, so each source file that contributed rows is read a second time (scanSource), in
 * pieces of CHUNK_ROWS rows with every field, and each piece's matched rows are written out before
 * the next piece is read. Reading again is sound because the intake is deterministic: the same bytes
 * give the same accepted rows in the same order, and the second read's sha256 (the one in the
 * manifest) and row count must equal the first's, else the run stops (`file-changed`) and nothing is
 * written. The cost is a second read of each contributing export (measured in docs/performance.md).
 *
 * A KPI's file lists its aggregates one after the other, but one read of a source meets the rows of
 * all its aggregates together: the first aggregate of each KPI is written straight into the KPI's
 * file, the others into part files beside it (`.parts/`), appended to the KPI's file in order once
 * every source has been read, and removed. Text waits in buffers of at most BUFFER_BYTES per file and
 * TOTAL_BUFFER_BYTES in all before it is appended. The sha256 of each file is computed from exactly
 * the bytes written, in order.
 */
import { createHash, type Hash } from 'node:crypto';
import path from 'node:path';
import type { Catalogue } from '../catalogue/compile.js';
import type { KpiTrace } from '../engine/evaluate.js';
import { IsmsKpiError, problem } from '../problems.js';
import type { Report } from '../report/model.js';
import { partOfRow } from '../sources/intake.js';
import { type LoadedSource, scanSource } from '../sources/load-source.js';
import { type Column, cellValue } from '../sources/table.js';
import { jsonText } from '../text.js';
import { type CsvValue, csvCell } from '../util/csv-writer.js';
import { checkMemory } from '../util/memory.js';
import {
  EVIDENCE_PACK_VERSION,
  MANIFEST_FILE,
  type PackFile,
  type PackManifest,
  type PreviousPack,
} from './pack-manifest.js';
import {
  FINGERPRINT_TEXT,
  PSEUDONYM_METHOD,
  type Pseudonymiser,
  personalFields,
  REJECTED_ROWS_POLICY,
  scrubReasons,
} from './pseudonymise.js';

export interface EvidenceInput {
  report: Report;
  catalogue: Catalogue;
  sources: ReadonlyMap<string, LoadedSource | { missing: string }>;
  /** From run({ trace: true }): the rows each aggregate matched. */
  traces: ReadonlyMap<string, KpiTrace>;
  /** The previous pack of a chain (report --previous; chain.ts), recorded in the manifest. */
  previous?: PreviousPack | undefined;
  /**
   * report --pseudonymise: the values of personal fields become keyed pseudonyms in every file of the
   * pack, and the rejected rows keep only mapped columns (pseudonymise.ts).
   */
  pseudonymiser?: Pseudonymiser;
}

/** Where the pack's files go: the CLI's staged folder, or memory (buildEvidencePack, tests). */
export interface PackSink {
  /** Appends to a file of the pack (relative path, forward slashes; text as UTF-8), creating it on first use. */
  append(path: string, data: string | Uint8Array): void;
  /** The bytes of a file written earlier, in pieces. */
  read(path: string): Iterable<Uint8Array>;
  /** Removes a file or folder written earlier (the parts). */
  remove(path: string): void;
}

export interface WritePackOptions {
  /** Rows per piece of a source read again (default CHUNK_ROWS). */
  chunkRows?: number;
}

export const KPI_ROW_COLUMNS = ['kpi', 'aggregate', 'role', 'source', 'file', 'line'] as const;
/**
 * The header of a field's column in kpis/ID.csv: its name, or `field:NAME` when the name is one of the
 * pack's own columns (a training register's `role`, a log's `source`), so no header names two columns.
 */
export function fieldColumn(name: string): string {
  return (KPI_ROW_COLUMNS as readonly string[]).includes(name) ? `field:${name}` : name;
}

export const REJECTED_ROW_COLUMNS = ['source', 'file', 'line', 'end_line', 'record', 'reasons'] as const;

const CHUNK_ROWS = 32_768;
const BUFFER_BYTES = 256 * 1024;
const TOTAL_BUFFER_BYTES = 32 * 1024 * 1024;
const BOM = '\uFEFF';

/** One file of the pack being written: buffered text, its hash and its data rows. */
class PackText {
  private readonly chunks: string[] = [];
  private size = 0;
  readonly hash: Hash = createHash('sha256');
  rows = 0;
  constructor(
    readonly path: string,
    private readonly out: Output,
  ) {}

  write(text: string): void {
    this.hash.update(text, 'utf8');
    this.chunks.push(text);
    // Characters, not bytes: a bound on memory, not an exact size.
    this.size += text.length;
    this.out.buffered += text.length;
    if (this.size >= BUFFER_BYTES) this.flush();
    else if (this.out.buffered >= TOTAL_BUFFER_BYTES) this.out.flushAll();
  }

  flush(): void {
    if (this.size === 0) return;
    this.out.sink.append(this.path, this.chunks.join(''));
    this.out.buffered -= this.size;
    this.chunks.length = 0;
    this.size = 0;
  }
}

class Output {
  buffered = 0;
  readonly open = new Set<PackText>();
  constructor(readonly sink: PackSink) {}
  file(path: string): PackText {
    const file = new PackText(path, this);
    this.open.add(file);
    return file;
  }
  flushAll(): void {
    for (const file of this.open) file.flush();
  }
}

/** One aggregate of one KPI: where its rows go and how each is written. */
interface AggregateOut {
  source: string;
  matched: Int32Array;
  /** The first cells of each row (kpi, aggregate, role, source), written, with the comma after. */
  prefix: string;
  /** The file cell of a row (by its row in the first read's table), with the comma after. */
  fileCell: (row: number) => string;
  /** For each of the KPI's fields, its position among the source's fields (-1: not a field of it). */
  fieldAt: Int32Array;
  /** The KPI's fields are exactly the source's, in the source's order (the common case). */
  isSourceLayout: boolean;
  target: PackText;
}

/**
 * Writes every file of the pack into `sink`: the rows behind each KPI (reading the contributing
 * sources again), the rejected rows of each source, and manifest.json last.
 */
export async function writeEvidencePack(
  input: EvidenceInput,
  sink: PackSink,
  options: WritePackOptions = {},
): Promise<PackManifest> {
  const { report } = input;
  const out = new Output(sink);
  const listed: PackFile[] = [];
  const byId = new Map(input.catalogue.kpis.map((k) => [k.config.id, k]));
  // Each row's file as the manifest names it: relative to the catalogue's folder, not the working directory.
  // A source read from several files names each of its files (`files`), in read order.
  const fileOf = new Map(report.sources.map((s) => [s.name, s.files?.map((f) => f.file) ?? s.file]));
  const loadedOf = (name: string) => {
    const loaded = input.sources.get(name);
    return loaded && !('missing' in loaded) ? loaded : undefined;
  };

  // Plan: every KPI file with its header, every aggregate with where its rows go.
  const kpiNames = new UniqueNames();
  const bySource = new Map<string, AggregateOut[]>();
  const kpiFiles: { kpi: string; file: PackText; parts: PackText[] }[] = [];
  let partCount = 0;
  for (const kpi of report.kpis) {
    const path = `kpis/${kpiNames.take(kpi.id)}.csv`;
    const aggregates = input.traces.get(kpi.id)?.aggregates ?? [];
    // The union of the canonical fields of the sources the KPI reads, in the order they first appear.
    const fields: string[] = [];
    for (const agg of aggregates)
      for (const f of loadedOf(agg.source)?.source.fields ?? [])
        if (!fields.includes(f.name)) fields.push(f.name);
    const file = out.file(path);
    file.write(`${BOM}${csvLine([...KPI_ROW_COLUMNS, ...fields.map(fieldColumn)])}`);
    const parts: PackText[] = [];
    for (const [a, agg] of aggregates.entries()) {
      const loaded = loadedOf(agg.source);
      if (!loaded || agg.matched.length === 0) continue;
      const own = loaded.source.fields.map((f) => f.name);
      const target = a === 0 ? file : out.file(`.parts/${++partCount}.csv`);
      if (target !== file) parts.push(target);
      // Which aggregate each row fed, numbered as explain numbers them; the role is numerator or
      // denominator only where the KPI's value is their ratio, else `value`.
      const label = `aggregate ${agg.index + 1} of ${aggregates.length}: ${agg.text}`;
      const prefixCells: CsvValue[] = [kpi.id, label, agg.role, agg.source];
      const shown = fileOf.get(agg.source) ?? loaded.stats.file;
      const list = bySource.get(agg.source) ?? [];
      list.push({
        source: agg.source,
        matched: agg.matched,
        prefix: `${prefixCells.map(csvCell).join(',')},`,
        fileCell: fileCells(shown, loaded),
        fieldAt: Int32Array.from(fields, (f) => own.indexOf(f)),
        isSourceLayout: fields.length === own.length && fields.every((f, i) => f === own[i]),
        target,
      });
      bySource.set(agg.source, list);
    }
    kpiFiles.push({ kpi: kpi.id, file, parts });
  }

  // Each contributing source read once more, its matched rows written piece by piece.
  for (const [name, aggregates] of bySource) {
    const loaded = loadedOf(name)!;
    await writeSourceRows(loaded, aggregates, report.period.label, options, input.pseudonymiser);
  }
  out.flushAll();

  // The parts after the first aggregate of each KPI, in order; then the file is complete.
  const lastWithParts = kpiFiles.filter((k) => k.parts.length > 0).at(-1)?.kpi;
  for (const { kpi, file, parts } of kpiFiles) {
    for (const part of parts) {
      part.flush();
      file.flush();
      for (const bytes of sink.read(part.path)) {
        file.hash.update(bytes);
        sink.append(file.path, bytes);
      }
      file.rows += part.rows;
      sink.remove(part.path);
      out.open.delete(part);
    }
    file.flush();
    out.open.delete(file);
    if (parts.length > 0 && kpi === lastWithParts) sink.remove('.parts');
    const uses = byId.get(kpi)?.formula.kpis ?? [];
    listed.push({
      path: file.path,
      kind: 'kpi-rows',
      kpi,
      rows: file.rows,
      ...(uses.length > 0 ? { usesKpis: [...uses] } : {}),
      sha256: file.hash.digest('hex'),
    });
  }

  listed.push(...writeRejectedFiles(out, input, fileOf));
  const manifest: PackManifest = {
    evidencePack: EVIDENCE_PACK_VERSION,
    tool: report.tool,
    organisation: report.organisation,
    catalogue: report.catalogue,
    period: report.period,
    asOf: report.asOf,
    ...(report.generatedAt ? { generatedAt: report.generatedAt } : {}),
    ...(input.previous ? { previous: input.previous } : {}),
    sources: report.sources,
    ...inForce(report),
    ...manualValues(report),
    ...pseudonymisation(input),
    files: listed,
  };
  sink.append(MANIFEST_FILE, jsonText(manifest));
  return manifest;
}

/** One file per source of the rows it rejected (`rejected/<source>.csv`), in the order of the sources. */
function writeRejectedFiles(
  out: Output,
  input: EvidenceInput,
  fileOf: Map<string, string | string[]>,
): PackFile[] {
  const listed: PackFile[] = [];
  const sourceNames = new UniqueNames();
  for (const [name, loaded] of input.sources) {
    if ('missing' in loaded) continue;
    const path = `rejected/${sourceNames.take(name)}.csv`;
    const file = out.file(path);
    if (input.pseudonymiser)
      writePseudonymisedRejectedRows(
        file,
        loaded,
        fileOf.get(name) ?? loaded.stats.file,
        input.pseudonymiser,
      );
    else writeRejectedRows(file, loaded, fileOf.get(name) ?? loaded.stats.file);
    file.flush();
    out.open.delete(file);
    listed.push({
      path,
      kind: 'rejected-rows',
      source: name,
      rows: loaded.rejectedRows.length,
      rejected: loaded.stats.rejected,
      sha256: file.hash.digest('hex'),
    });
  }
  return listed;
}

/** The manifest's pseudonymisation block: method, key fingerprint, and the personal fields of each source read. */
function pseudonymisation(input: EvidenceInput): Pick<PackManifest, 'pseudonymisation'> {
  if (!input.pseudonymiser) return {};
  const fields: Record<string, string[]> = {};
  for (const [name, loaded] of input.sources) {
    if ('missing' in loaded) continue;
    const personal = personalFields(loaded.source);
    if (personal.length > 0) fields[name] = personal;
  }
  return {
    pseudonymisation: {
      method: PSEUDONYM_METHOD,
      keyFingerprint: input.pseudonymiser.fingerprint,
      fingerprintOf: `first 16 hex digits of HMAC-SHA-256(key, "${FINGERPRINT_TEXT}")`,
      fields,
      rejectedRows: REJECTED_ROWS_POLICY,
    },
  };
}

/** The exceptions accepted for the period, by KPI in report order (expired ones are not in force). */
function inForce(report: Report): Pick<PackManifest, 'exceptions'> {
  const exceptions = report.kpis.flatMap((k) =>
    (k.exceptions ?? [])
      .filter((e) => e.state === 'accepted')
      .map(({ state: _, ...e }) => ({ kpi: k.id, ...e })),
  );
  return exceptions.length > 0 ? { exceptions } : {};
}

/** The values entered by hand that the KPIs read (marked as manual, with who entered them and evidence). */
function manualValues(report: Report): Pick<PackManifest, 'manual'> {
  const manual = report.kpis.flatMap((k) => (k.manual ?? []).map((m) => ({ kpi: k.id, ...m })));
  return manual.length > 0 ? { manual } : {};
}

/** Reads `loaded`'s file again and writes the rows each aggregate matched, in row order. */
async function writeSourceRows(
  loaded: LoadedSource,
  aggregates: AggregateOut[],
  periodLabel: string,
  options: WritePackOptions,
  pseudonymiser: Pseudonymiser | undefined,
): Promise<void> {
  const fields = loaded.source.fields.map((f) => f.name);
  const personal = new Set(pseudonymiser ? personalFields(loaded.source) : []);
  const packValue = (f: number, column: Column, row: number): CsvValue =>
    pseudonymiser && personal.has(fields[f]!)
      ? pseudonymValue(column, row, pseudonymiser)
      : evidenceValue(column, row);
  const cursors = new Int32Array(aggregates.length);
  const file = loaded.stats.file;
  const scanned = await scanSource(loaded.source, {
    // The file the first read read (its path template filled for the period: engine/run.ts).
    path:
      loaded.path ??
      path.resolve(loaded.source.baseDir, loaded.source.pathTemplate.replace(/\{period\}/g, periodLabel)),
    displayPath: file,
    ...(loaded.dayOrders ? { dayOrders: loaded.dayOrders } : {}),
    // Several files: those the first read read (a file added since would change the sha256 anyway).
    ...(loaded.files ? { files: loaded.files.map((f) => ({ path: f.path, displayPath: f.file })) } : {}),
    chunkRows: options.chunkRows ?? CHUNK_ROWS,
    onChunk: (table, firstRow) => {
      checkMemory(
        `writing the evidence pack (rows of ${file})`,
        'fewer KPIs in the pack (--kpi, --tag), or a shorter period',
      );
      const columns = fields.map((f) => table.columns.get(f));
      const end = firstRow + table.length;
      // Each row's cells are formatted once, however many aggregates list it.
      const cells = new Map<number, string[]>();
      const joined = new Map<number, string>();
      const cellsOf = (row: number): string[] => {
        let c = cells.get(row);
        if (!c) {
          c = columns.map((column, f) => (column ? csvCell(packValue(f, column, row)) : ''));
          cells.set(row, c);
        }
        return c;
      };
      aggregates.forEach((agg, a) => {
        const { matched } = agg;
        let k = cursors[a]!;
        for (; k < matched.length && matched[k]! < end; k++) {
          const row = matched[k]! - firstRow;
          if (row < 0) continue;
          let rest: string;
          if (agg.isSourceLayout) {
            rest = joined.get(row) ?? '';
            if (!joined.has(row)) {
              rest = cellsOf(row).join(',');
              joined.set(row, rest);
            }
          } else {
            const own = cellsOf(row);
            rest = Array.from(agg.fieldAt, (at) => (at >= 0 ? own[at]! : '')).join(',');
          }
          agg.target.write(`${agg.prefix}${agg.fileCell(matched[k]!)}${table.line[row]},${rest}\r\n`);
          agg.target.rows++;
        }
        cursors[a] = k;
      });
    },
  });
  // The second read must be the first one again: the same bytes, so the same rows in the same order.
  if (scanned.stats.sha256 !== loaded.stats.sha256 || scanned.stats.accepted !== loaded.stats.accepted)
    throw new IsmsKpiError(
      problem(
        'file-changed',
        'the file changed while the report was computed (its content differs from the first read); nothing was written: run again once the export is complete',
        { file, source: loaded.name },
      ),
    );
  aggregates.forEach((agg, a) => {
    if (cursors[a] !== agg.matched.length)
      throw new Error(`internal: evidence rows of ${loaded.name} beyond its ${scanned.stats.accepted} rows`);
  });
}

/** A cell as an auditor reads it: datetimes in ISO 8601 UTC, lists joined with ", ". */
export function evidenceValue(column: Column, row: number): CsvValue {
  const value = cellValue(column, row);
  if (value === null) return null;
  if (column.type === 'datetime' && typeof value === 'number' && Math.abs(value) <= 8.64e15)
    return new Date(value).toISOString();
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A personal cell as a pseudonymised pack shows it: its pseudonym, each item's for a list. */
function pseudonymValue(column: Column, row: number, pseudonymiser: Pseudonymiser): CsvValue {
  const value = cellValue(column, row);
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((v) => pseudonymiser.pseudonym(v)).join(', ');
  return pseudonymiser.pseudonym(String(evidenceValue(column, row)));
}

/** The file cell of each row, with its comma: one file, or the file of the row among several. */
function fileCells(shown: string | string[], loaded: LoadedSource): (row: number) => string {
  if (typeof shown === 'string') {
    const cell = `${csvCell(shown)},`;
    return () => cell;
  }
  const cells = shown.map((f) => `${csvCell(f)},`);
  return (row) => cells[partOfRow(loaded.files!, row)]!;
}

function writeRejectedRows(file: PackText, loaded: LoadedSource, shownFile: string | string[]): void {
  const isCsv = loaded.stats.format === 'csv';
  const width = isCsv ? Math.max(loaded.header.length, ...loaded.rejectedRows.map((r) => r.cells.length)) : 1;
  const rawColumns = isCsv
    ? Array.from({ length: width }, (_, i) => loaded.header[i] ?? `(extra ${i + 1 - loaded.header.length})`)
    : ['raw_record'];
  file.write(`${BOM}${csvLine([...REJECTED_ROW_COLUMNS, ...rawColumns])}`);
  for (const r of loaded.rejectedRows) {
    file.write(
      csvLine([
        loaded.name,
        typeof shownFile === 'string' ? shownFile : shownFile[r.part ?? 0]!,
        r.line,
        r.endLine,
        r.record,
        r.reasons.join('; '),
        ...Array.from({ length: width }, (_, i) => r.cells[i] ?? null),
      ]),
    );
  }
}

/** One CSV record with its CRLF, as csvDocument writes it. */
function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
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

/**
 * The rejected rows of a pseudonymised pack: of the raw columns only those the catalogue maps to a field
 * (personal ones pseudonymised; other columns can hold anything, names included), and the reasons with
 * the values of the other cells withheld. A JSON record is withheld whole (file and line still point at it).
 */
function writePseudonymisedRejectedRows(
  file: PackText,
  loaded: LoadedSource,
  shownFile: string | string[],
  pseudonymiser: Pseudonymiser,
): void {
  const isCsv = loaded.stats.format === 'csv';
  const personal = new Set(personalFields(loaded.source));
  // Each header column's field (the first field that names it), or none.
  const fieldOf = loaded.header.map((name) => {
    const header = name
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase();
    return loaded.source.fields.find((f) => f.columns.some((c) => c.trim().toLowerCase() === header));
  });
  const kept = isCsv ? fieldOf.flatMap((f, i) => (f ? [i] : [])) : [];
  file.write(`${BOM}${csvLine([...REJECTED_ROW_COLUMNS, ...kept.map((i) => loaded.header[i]!)])}`);
  for (const r of loaded.rejectedRows) {
    const values = isCsv
      ? r.cells.flatMap((text, i) => {
          const field = fieldOf[i];
          if (field && !personal.has(field.name)) return [];
          return [{ text, personal: field !== undefined }];
        })
      : jsonLeaves(r.cells[0] ?? '').map((text) => ({ text, personal: false }));
    file.write(
      csvLine([
        loaded.name,
        typeof shownFile === 'string' ? shownFile : shownFile[r.part ?? 0]!,
        r.line,
        r.endLine,
        r.record,
        scrubReasons(r.reasons, values, pseudonymiser).join('; '),
        ...kept.map((i) => {
          const cell = r.cells[i] ?? null;
          return cell !== null && personal.has(fieldOf[i]!.name) ? pseudonymiser.pseudonym(cell) : cell;
        }),
      ]),
    );
  }
}

/** Every string and number in a JSON record's text (all of it, when it does not parse). */
function jsonLeaves(text: string): string[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return [text];
  }
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') out.push(value);
    else if (typeof value === 'number') out.push(String(value));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk);
  };
  walk(data);
  return out;
}
