/**
 * `isms-kpi sample KPI --size N --evidence DIR [--stratify FIELD] [--seed S]`: a reproducible random
 * sample of the rows a KPI considered, drawn from the evidence pack (src/evidence/sample.ts has the
 * method; docs/sampling.md explains it to the auditor).
 *
 * The KPI's file is checked against the manifest (same SHA-256) first, so the sample is drawn from the
 * complete population the report listed. The seed is, unless --seed gives one, the SHA-256 of the pack's
 * manifest.json. The sample is written into the pack as samples/<name>.csv (the rows, with their file
 * and line) and samples/<name>.json (the sample manifest: seed, population size and SHA-256, allocation,
 * the CSV's SHA-256), and shown on standard output. The pack's manifest.json is never changed (its hash
 * is the default seed); `verify` checks samples against their own manifests.
 *
 * Decision: a size larger than the population takes the whole population, with a note on stderr and
 * `wholePopulation: true` in the sample manifest (an auditor then tests every row), rather than failing.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { KPI_ROW_COLUMNS } from '../evidence/build-pack.js';
import { allocate, drawKey, populationRowText, SmallestKeys, type Stratum } from '../evidence/sample.js';
import { SAMPLES_FOLDER } from '../evidence/verify-samples.js';
import { IsmsKpiError, problem } from '../problems.js';
import { layoutTable } from '../render/layout.js';
import { plural } from '../report/numbers.js';
import { readCsvFile } from '../sources/csv-reader.js';
import { jsonText, listOf, quote, safeText } from '../text.js';
import { type CsvValue, csvDocument } from '../util/csv-writer.js';
import { fileProblem, notAFileMessage } from '../util/file-problem.js';
import { fileSha256, readPackManifest } from './evidence-pack.js';
import type { Io } from './io.js';
import type { CommandResult } from './result.js';

export const SAMPLE_FORMATS = ['table', 'csv', 'json'] as const;
export type SampleFormat = (typeof SAMPLE_FORMATS)[number];

export interface SampleOptions {
  evidence: string;
  size: number;
  stratify?: string | undefined;
  seed?: string | undefined;
  format: SampleFormat;
}

/** Bumped when the sample manifest's layout changes. */
export const SAMPLE_MANIFEST_VERSION = 1;
/** The first columns of a sample's CSV; then `stratum` when stratified, then the population's columns. */
const SAMPLE_COLUMNS = ['draw', 'draw_key', 'population_index', 'roles'] as const;
/** The population's columns start at `source` in a KPI's file. */
const POPULATION_FROM = KPI_ROW_COLUMNS.indexOf('source');

interface Drawn {
  draw: number;
  key: string;
  index: number;
  stratum: string;
  cells: string[];
  roles: string[];
}

export async function sample(kpi: string, options: SampleOptions, io: Io): Promise<CommandResult> {
  const dir = options.evidence;
  const { manifest, sha256: manifestSha256 } = await readPackManifest(io, dir);
  const entry = kpiEntry(manifest, kpi, dir);
  const file = await checkedKpiFile(io, dir, entry);
  const seed = options.seed ?? manifestSha256;

  const scan = await scanPopulation(file, kpi, options, seed);
  const population = scan.indexOf.size;
  const list: Stratum[] = [...scan.strata].map(([value, s]) => ({ value, size: s.size }));
  const counts = allocate(list, options.size);
  const chosen = [...scan.strata.values()].flatMap((s, i) => s.keys.smallest(counts[i]!));
  chosen.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const rows = await drawnRows(file, scan, chosen);

  const isStratified = options.stratify !== undefined;
  const columns = [
    ...SAMPLE_COLUMNS,
    ...(isStratified ? ['stratum'] : []),
    ...scan.header.slice(POPULATION_FROM),
  ];
  const csv = sampleCsv(rows, columns, isStratified);
  const name = sampleName(kpi, options, seed);
  const csvPath = `${SAMPLES_FOLDER}/${name}.csv`;
  const isWhole = options.size >= population;
  const sampleManifest = {
    sample: SAMPLE_MANIFEST_VERSION,
    tool: manifest.tool,
    kpi,
    period: manifest.period.label,
    evidencePack: { manifestSha256, kpiFile: entry.path, kpiFileSha256: entry.sha256 },
    seed,
    seedFrom: options.seed === undefined ? "the SHA-256 of the pack's manifest.json" : '--seed',
    method:
      'draw key of population row j = SHA-256("<seed>:<j>") in hex; the rows with the smallest keys (docs/sampling.md)',
    population: {
      rows: population,
      sha256: scan.populationHash.digest('hex'),
      order: `distinct (source, file, line) in order of first appearance in ${entry.path}`,
      rowText: 'JSON.stringify([source, file, line, ...fields]) + "\\n", cells as the CSV holds them',
    },
    size: options.size,
    drawn: rows.length,
    wholePopulation: isWhole,
    ...(isStratified
      ? {
          stratify: {
            field: options.stratify,
            allocation:
              'proportional, largest remainder (ties: the larger stratum, then the first to appear)',
            strata: list.map((s, i) => ({
              value: s.value,
              population: s.size,
              share: Math.round(((Math.min(options.size, population) * s.size) / population) * 1e6) / 1e6,
              sample: counts[i]!,
            })),
          },
        }
      : {}),
    file: { path: csvPath, sha256: createHash('sha256').update(csv, 'utf8').digest('hex') },
  };
  const notes = [
    isWhole
      ? `the population of ${kpi} has ${plural(population, 'row')}, not more than --size ${options.size}: the sample is the whole population`
      : `drew ${rows.length} of ${plural(population, 'row')} of ${kpi}'s population (seed ${seed.length > 24 ? `${seed.slice(0, 12)}...` : seed})`,
    `wrote ${path.join(dir, SAMPLES_FOLDER, `${name}.csv`)} and ${name}.json`,
  ];
  const sampleDir = path.join(dir, SAMPLES_FOLDER);
  return {
    stdout: renderSample(kpi, rows, columns, options.format, isStratified, sampleManifest),
    files: [
      { file: path.join(sampleDir, `${name}.csv`), content: csv },
      { file: path.join(sampleDir, `${name}.json`), content: jsonText(sampleManifest) },
    ],
    folders: [sampleDir],
    problems: [],
    notes,
    outcome: { command: 'done' },
  };
}

type PackManifestOf = Awaited<ReturnType<typeof readPackManifest>>['manifest'];
type KpiFileEntry = PackManifestOf['files'][number];

/** The manifest's entry of the KPI's rows file; a usage error when the KPI has no population to sample. */
function kpiEntry(manifest: PackManifestOf, kpi: string, dir: string): KpiFileEntry {
  const entry = manifest.files.find((f) => f.kind === 'kpi-rows' && f.kpi === kpi);
  if (!entry) {
    const ids = manifest.files.flatMap((f) => (f.kind === 'kpi-rows' && f.kpi ? [f.kpi] : []));
    throw new IsmsKpiError(
      problem('usage', `KPI ${quote(kpi)} is not in the evidence pack ${dir} (it holds ${listOf(ids)})`),
    );
  }
  if (entry.rows === 0)
    throw new IsmsKpiError(
      problem(
        'usage',
        entry.usesKpis && entry.usesKpis.length > 0
          ? `KPI ${kpi} is computed from other KPIs (${entry.usesKpis.join(', ')}) and lists no rows of its own; sample one of those`
          : `KPI ${kpi} considered no rows in this pack: there is no population to sample`,
      ),
    );
  return entry;
}

interface KpiFile {
  /** The path as messages show it. */
  shown: string;
  absolute: string;
}

/**
 * The KPI's rows file, checked: a regular file (a named pipe in its place would block the run) whose
 * SHA-256 is the one the manifest lists, so the population is the one the report used.
 */
async function checkedKpiFile(io: Io, dir: string, entry: KpiFileEntry): Promise<KpiFile> {
  const shown = path.join(dir, ...entry.path.split('/'));
  const absolute = path.resolve(io.cwd, shown);
  const incomplete = (error: unknown) => {
    throw new IsmsKpiError(
      fileProblem(error, shown, { missing: 'not found: the evidence pack is incomplete' }),
    );
  };
  const info = await io.stat(absolute).catch(incomplete);
  if (!info.isFile)
    throw new IsmsKpiError(
      problem('file-unreadable', info.special ? notAFileMessage(info.special) : 'is not a file', {
        file: shown,
      }),
    );
  const actual = await fileSha256(absolute).catch(incomplete);
  if (actual !== entry.sha256)
    throw new IsmsKpiError(
      problem(
        'file-changed',
        "differs from the SHA-256 the pack's manifest lists: the pack was changed after it was written, so the population is not the one the report used; write the pack again (or check it with isms-kpi verify)",
        { file: shown },
      ),
    );
  return { shown, absolute };
}

interface PopulationScan {
  header: string[];
  /** Population index (1-based, order of first appearance) by row identity. */
  indexOf: Map<string, number>;
  strata: Map<string, { order: number; size: number; keys: SmallestKeys }>;
  /** The stratum value by population index. */
  stratumOf: string[];
  populationHash: ReturnType<typeof createHash>;
}

/** Pass 1: the population in order of first appearance, its hash, the strata, the smallest keys. */
async function scanPopulation(
  file: KpiFile,
  kpi: string,
  options: SampleOptions,
  seed: string,
): Promise<PopulationScan> {
  const scan: PopulationScan = {
    header: [],
    indexOf: new Map(),
    strata: new Map(),
    stratumOf: [],
    populationHash: createHash('sha256'),
  };
  let stratifyAt = -1;
  await readCsvFile(
    file.absolute,
    file.shown,
    { delimiter: ',' },
    {
      header: (cells) => {
        scan.header = [...cells];
        if (options.stratify === undefined) return;
        stratifyAt = scan.header.indexOf(options.stratify);
        if (stratifyAt < POPULATION_FROM)
          throw new IsmsKpiError(
            problem(
              'usage',
              `--stratify ${quote(options.stratify)}: KPI ${kpi}'s rows have no such field (they have ${listOf(scan.header.slice(POPULATION_FROM + 3))})`,
            ),
          );
      },
      record: (cells) => {
        const rowKey = rowIdentity(cells);
        if (scan.indexOf.has(rowKey)) return;
        const index = scan.indexOf.size + 1;
        scan.indexOf.set(rowKey, index);
        scan.populationHash.update(populationRowText(populationCells(cells, scan.header.length)), 'utf8');
        const value = stratifyAt >= 0 ? (cells[stratifyAt] ?? '') : '';
        scan.stratumOf[index] = value;
        let stratum = scan.strata.get(value);
        if (!stratum) {
          stratum = { order: scan.strata.size, size: 0, keys: new SmallestKeys(options.size) };
          scan.strata.set(value, stratum);
        }
        stratum.size++;
        stratum.keys.offer(drawKey(seed, index), index);
      },
    },
  ).catch((error: unknown) => {
    if (error instanceof IsmsKpiError) throw error;
    throw new IsmsKpiError(fileProblem(error, file.shown));
  });
  return scan;
}

/** Pass 2: the chosen rows' cells and the aggregates they entered, in draw order. */
async function drawnRows(
  file: KpiFile,
  scan: PopulationScan,
  chosen: readonly { key: string; index: number }[],
): Promise<Drawn[]> {
  const drawOf = new Map(chosen.map((c, i) => [c.index, i + 1]));
  const drawn = new Map<number, Drawn>();
  await readCsvFile(
    file.absolute,
    file.shown,
    { delimiter: ',' },
    {
      header: () => undefined,
      record: (cells) => {
        const index = scan.indexOf.get(rowIdentity(cells))!;
        const draw = drawOf.get(index);
        if (draw === undefined) return;
        const role = cells[KPI_ROW_COLUMNS.indexOf('role')] ?? '';
        const aggregate = (cells[KPI_ROW_COLUMNS.indexOf('aggregate')] ?? '').replace(/:.*$/s, '');
        const found = drawn.get(index);
        const label = `${role} (${aggregate})`;
        if (found) {
          if (!found.roles.includes(label)) found.roles.push(label);
          return;
        }
        drawn.set(index, {
          draw,
          key: chosen[draw - 1]!.key,
          index,
          stratum: scan.stratumOf[index] ?? '',
          cells: populationCells(cells, scan.header.length),
          roles: [label],
        });
      },
    },
  );
  return [...drawn.values()].sort((a, b) => a.draw - b.draw);
}

/** The sample's CSV: the draw columns, the stratum when stratified, then the population's cells. */
function sampleCsv(rows: readonly Drawn[], columns: readonly string[], isStratified: boolean): string {
  return csvDocument([
    columns,
    ...rows.map((r): CsvValue[] => [
      r.draw,
      r.key,
      r.index,
      r.roles.join('; '),
      ...(isStratified ? [r.stratum] : []),
      ...r.cells.map(packCell),
    ]),
  ]);
}

/** A cell read back from the pack as the pack wrote it: numbers as numbers (csvCell would mark "-5" as text). */
function packCell(cell: string): CsvValue {
  if (cell !== '' && /^-?[0-9]/.test(cell)) {
    const n = Number(cell);
    if (Number.isFinite(n) && String(n) === cell) return n;
  }
  return cell;
}

/** A row of a KPI's file is one row of an export: its source, file and line. */
function rowIdentity(cells: readonly string[]): string {
  return `${cells[POPULATION_FROM]}\u0000${cells[POPULATION_FROM + 1]}\u0000${cells[POPULATION_FROM + 2]}`;
}

/** The population's cells of a row: from `source` to the last field (missing trailing cells as ''). */
function populationCells(cells: readonly string[], width: number): string[] {
  return Array.from({ length: width - POPULATION_FROM }, (_, i) => cells[POPULATION_FROM + i] ?? '');
}

/** samples/<KPI>-n<size>[-by-<field>]-<first 12 hex of SHA-256(seed)>: one name per drawing. */
function sampleName(kpi: string, options: SampleOptions, seed: string): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  const seedTag = createHash('sha256').update(seed, 'utf8').digest('hex').slice(0, 12);
  return `${safe(kpi)}-n${options.size}${options.stratify !== undefined ? `-by-${safe(options.stratify)}` : ''}-${seedTag}`;
}

function renderSample(
  kpi: string,
  rows: readonly Drawn[],
  columns: readonly string[],
  format: SampleFormat,
  isStratified: boolean,
  sampleManifest: { population: { rows: number; sha256: string }; seed: string },
): string {
  if (format === 'json')
    return jsonText({ ...sampleManifest, rows: rows.map((r) => rowObject(r, columns, isStratified)) });
  if (format === 'csv') return sampleCsv(rows, columns, isStratified);
  const table = layoutTable(
    rows.map((r) => [
      String(r.draw),
      ...(isStratified ? [r.stratum || '(empty)'] : []),
      r.cells[0] ?? '',
      r.cells[1] ?? '',
      r.cells[2] ?? '',
      r.roles.join('; '),
    ]),
    {
      head: ['Draw', ...(isStratified ? ['Stratum'] : []), 'Source', 'File', 'Line', 'Entered'],
      widths: [null, ...(isStratified ? [20] : []), null, null, null, 36],
    },
  );
  const heading = safeText(
    `${kpi}: ${rows.length} of ${sampleManifest.population.rows} rows (population SHA-256 ${sampleManifest.population.sha256.slice(0, 16)}...)`,
  );
  return `${heading}\n\n${table}\n`;
}

function rowObject(
  r: Drawn,
  columns: readonly string[],
  isStratified: boolean,
): Record<string, string | number> {
  const out: Record<string, string | number> = {
    draw: r.draw,
    draw_key: r.key,
    population_index: r.index,
    roles: r.roles.join('; '),
  };
  if (isStratified) out.stratum = r.stratum;
  const first = SAMPLE_COLUMNS.length + (isStratified ? 1 : 0);
  columns.slice(first).forEach((c, i) => {
    out[c] = r.cells[i] ?? '';
  });
  return out;
}
