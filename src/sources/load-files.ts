/**
 * A source read from several files (a glob or a list, inputs.ts) into one table: each file is read in
 * turn by the same intake, so rows, rejected rows and problems name their own file and line, and every
 * file keeps its own size, sha256 and counts (LoadedSource.files; reports and evidence packs list them).
 *
 * - CSV headers must agree: the same columns in the same order as the first file (compared trimmed);
 *   the first file that differs stops the read with its first differing column.
 * - With a `key:` declared, a row whose key was already read from an earlier file is left out (counted
 *   as a duplicate of that file): overlapping pages or exports hold the same record twice. Rows with the
 *   same key inside one file are kept, as in a single-file source. The first file in read order wins.
 * - The source's sha256 is that of its files' sha256 values (hex, one per line, in read order), so it
 *   changes when any file does; its size is the sum of theirs; its modification time (`as_of:
 *   file_modified`) the newest file's.
 */
import { createHash } from 'node:crypto';
import { IsmsKpiError, problem } from '../problems.js';
import { quote } from '../text.js';
import { fileInfo } from './decode.js';
import { type FilePart, type LoadedSource, partOfRow } from './intake.js';
import { JsonIntake } from './json-intake.js';
import { checkReadMemory, type LoadOptions, readCsvSource, readJsonSource } from './load-source.js';
import type { ResolvedSource } from './resolve.js';
import { CsvIntake } from './span-intake.js';
import { type Column, cellValue, selectRows, type Table } from './table.js';

const PROGRESS_STEP = 4 * 1024 * 1024;

/**
 * Reading the files again in pieces (scanSource, for the evidence pack): every field stored, the rows
 * accepted so far handed to onChunk about every `chunkRows` rows and at the end of each file, without
 * the rows a key drops (numbered as in the first read's table, after the drop).
 */
export interface FilesScan {
  chunkRows: number;
  onChunk: (table: Table, firstRow: number) => void;
}

export async function loadFiles(
  source: ResolvedSource,
  options: LoadOptions,
  files: readonly { path: string; displayPath: string }[],
  scan?: FilesScan,
): Promise<LoadedSource> {
  // The key's fields are needed to find rows read twice, whether or not a formula reads them.
  const keep = scan
    ? undefined
    : options.keep && source.key.length > 0
      ? new Set([...options.keep, ...source.key])
      : options.keep;
  const first = files[0]!;
  const intake =
    source.format === 'csv'
      ? new CsvIntake(source, first.displayPath, { ...options, keep })
      : new JsonIntake(source, first.displayPath, { ...options, keep });
  const parts: FilePart[] = [];
  let total = 0;
  let nextReport = PROGRESS_STEP;
  let stats: Partial<LoadedSource['stats']> | undefined;
  let header: { cells: string[]; file: string } | undefined;
  // Scanning: rows a key drops, by file, and the rows handed on so far.
  const keys = scan && source.key.length > 0 ? new ReadBefore() : undefined;
  const dropped = new Array<number>(files.length).fill(0);
  let handedOn = 0;
  const take = (part: number) => {
    if (!scan || intake.pendingRows === 0) return;
    let table = intake.takeChunk();
    const drop = keys?.rowsReadBefore(table, source, part);
    if (drop && drop.length > 0) {
      dropped[part]! += drop.length;
      const gone = new Set(drop);
      const kept: number[] = [];
      for (let row = 0; row < table.length; row++) if (!gone.has(row)) kept.push(row);
      table = selectRows(table, kept);
    }
    scan.onChunk(table, handedOn);
    handedOn += table.length;
  };
  for (const [index, file] of files.entries()) {
    intake.nextFile(file.displayPath, index);
    const before = intake.counts();
    const hash = createHash('sha256');
    let bytes = 0;
    const onBytes = (chunk: Uint8Array) => {
      checkReadMemory(file.displayPath);
      if (scan && intake.pendingRows >= scan.chunkRows) take(index);
      hash.update(chunk);
      bytes += chunk.length;
      total += chunk.length;
      if (options.onProgress && total >= nextReport) {
        nextReport = total + PROGRESS_STEP;
        options.onProgress({ source: source.name, bytes: total, rows: intake.rows });
      }
    };
    const one: LoadOptions = { ...options, path: file.path, displayPath: file.displayPath };
    delete one.files;
    let read: Partial<LoadedSource['stats']>;
    if (intake instanceof CsvIntake) {
      if (header) checkHeaders(intake, header, file.displayPath);
      read = await readCsvSource(source, one, intake, onBytes);
      header ??= { cells: intake.headerNames(), file: file.displayPath };
    } else {
      read = await readJsonSource(source, one, intake, 0, onBytes);
    }
    stats ??= read;
    take(index);
    const after = intake.counts();
    parts.push({
      file: file.displayPath,
      path: file.path,
      bytes,
      sha256: hash.digest('hex'),
      rowsRead: after.rowsRead - before.rowsRead,
      accepted: after.accepted - before.accepted,
      rejected: after.rejected - before.rejected,
      duplicates: 0,
      firstRow: before.accepted,
    });
  }
  options.onProgress?.({ source: source.name, bytes: total, rows: intake.rows, isDone: true });
  const combined = createHash('sha256');
  for (const part of parts) combined.update(`${part.sha256}\n`);
  const loaded = intake.finish({
    ...stats,
    bytes: parts.reduce((sum, p) => sum + p.bytes, 0),
    sha256: combined.digest('hex'),
  });
  loaded.stats.file = options.displayPath;
  loaded.files = parts;
  // `as_of: file_modified`: the newest file's time (a file appended to the set moves it on).
  const times = await Promise.all(files.map((f) => fileInfo(f.path)));
  loaded.modified = times.every((t) => t !== undefined) ? Math.max(...times.map((t) => t!.modified)) : null;
  if (scan) {
    // The table is empty (every row was handed on): the counts as the first read's, after its drop.
    let before = 0;
    for (const [i, part] of parts.entries()) {
      part.duplicates = dropped[i]!;
      part.firstRow -= before;
      part.accepted -= part.duplicates;
      before += part.duplicates;
    }
    loaded.stats.accepted -= before;
    loaded.stats.duplicates += before;
  } else if (source.key.length > 0) dropRowsReadBefore(loaded, source);
  return loaded;
}

/** From the second file on, its header must be the first file's (the columns are bound once). */
function checkHeaders(intake: CsvIntake, first: { cells: string[]; file: string }, file: string): void {
  const own = intake as unknown as { header: CsvIntake['header'] };
  own.header = (cells, line) => {
    const names = cells.map((c) => c.trim());
    const n = Math.max(names.length, first.cells.length);
    for (let i = 0; i < n; i++) {
      if (names[i] === first.cells[i]) continue;
      const here = names[i] === undefined ? 'missing here' : quote(names[i]!);
      const there = first.cells[i] === undefined ? 'absent' : quote(first.cells[i]!);
      throw new IsmsKpiError(
        problem(
          'column-missing',
          `header differs from that of ${first.file}, read before it: column ${i + 1} is ${here}, ${there} there (every file of a source needs the same columns in the same order)`,
          { file, line },
        ),
      );
    }
  };
}

/**
 * Rows whose key was read from an earlier file are left out of the table (see the module comment), and
 * counted as duplicates of their file.
 */
function dropRowsReadBefore(loaded: LoadedSource, source: ResolvedSource): void {
  const files = loaded.files!;
  const { table } = loaded;
  const columns = source.key.map((name) => table.columns.get(name));
  if (columns.some((c) => c === undefined)) return;
  const keys = new ReadBefore();
  const kept = new Int32Array(table.length);
  let count = 0;
  for (let row = 0; row < table.length; row++) {
    const part = partOfRow(files, row);
    if (keys.isReadBefore(columns as Column[], row, part)) {
      files[part]!.duplicates++;
      continue;
    }
    kept[count++] = row;
  }
  if (count === table.length) return;
  const rows = kept.subarray(0, count);
  // Each file's first row, and accepted rows, in the new table.
  let dropped = 0;
  for (const part of files) {
    part.firstRow -= dropped;
    part.accepted -= part.duplicates;
    dropped += part.duplicates;
  }
  loaded.table = selectRows(table, rows);
  loaded.stats.accepted = count;
  loaded.stats.duplicates += dropped;
  const time = source.timeField === undefined ? undefined : loaded.table.columns.get(source.timeField);
  if (time?.kind === 'num') {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const t of time.values) {
      if (t < min) min = t;
      if (t > max) max = t;
    }
    loaded.stats.minTime = count > 0 ? min : null;
    loaded.stats.maxTime = count > 0 ? max : null;
  }
}

/** The file each key was first read from, to find the rows an earlier file already held. */
class ReadBefore {
  private readonly firstPart = new Map<string, number>();

  /** True when the row's key was read from an earlier file (a row without a full key: never). */
  isReadBefore(columns: readonly Column[], row: number, part: number): boolean {
    const values = columns.map((c) => cellValue(c, row));
    if (values.some((v) => v === null)) return false;
    const key = JSON.stringify(values);
    const seenIn = this.firstPart.get(key);
    if (seenIn === undefined) this.firstPart.set(key, part);
    return seenIn !== undefined && seenIn < part;
  }

  /** The rows of a piece of file `part` whose key an earlier file held. */
  rowsReadBefore(table: Table, source: ResolvedSource, part: number): number[] {
    const columns = source.key.map((name) => table.columns.get(name));
    if (columns.some((c) => c === undefined)) return [];
    const rows: number[] = [];
    for (let row = 0; row < table.length; row++)
      if (this.isReadBefore(columns as Column[], row, part)) rows.push(row);
    return rows;
  }
}
