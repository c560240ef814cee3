/**
 * Evidence intake: reads one source file, maps its columns to canonical fields, converts and validates
 * every cell, and stores accepted rows in a column Table.
 *
 * This is the one module of the intake that reads files (it opens them through decode.ts, which
 * csv-reader.ts also uses); the worker threads (load-worker.ts) run it too, so it stays light: no yaml,
 * zod or date-fns on its import graph (tests/sources/worker-imports.test.ts). What it reads goes to an
 * intake, by format:
 *
 *   bindings.ts       how each field is read: header columns, converter, column builder, scratch values
 *   intake.ts         what all formats share: counts, problems, rejected rows, commit, finish
 *   row-intake.ts     CSV records as strings (the header, duplicates, lists, several columns)
 *   span-intake.ts    CSV records as spans of the decoded chunk, validated from char codes (the fast path)
 *   json-intake.ts    JSON documents and JSON Lines
 *   json-location.ts  the line of each JSON record and of a JSON syntax error
 */
import { createHash } from 'node:crypto';
import { IsmsKpiError, type Problem } from '../problems.js';
import { checkMemory } from '../util/memory.js';
import { type CsvReadOptions, readCsvFile, readCsvRange } from './csv-reader.js';
import { type Encoding, fileInfo, fileSize, openText, openTextRange } from './decode.js';

export { fileSize };

import type { DayOrder } from '../time/day-order.js';
import { type InflateLimits, isCompressed } from './inflate.js';
import type { DistinctRecords, Intake, LoadedSource, SourceStats } from './intake.js';
import { JsonIntake, readJsonDocument, readJsonLines } from './json-intake.js';
import { readJsonStream } from './json-stream.js';
import { loadFiles } from './load-files.js';
import type { ResolvedSource } from './resolve.js';
import { CsvIntake } from './span-intake.js';
import type { Table } from './table.js';

export { normaliseHeader } from './bindings.js';
export {
  type LoadedSource,
  MAX_KEPT_PROBLEMS,
  MAX_KEPT_REJECTED,
  type RejectedRow,
  type SnapshotTime,
  type SourceStats,
} from './intake.js';

/**
 * JSON documents up to this size are parsed whole; larger ones are read as a stream (json-stream.ts).
 * Parsed whole, a document costs several times its size (the text, then every object at once): a file
 * of 200 MB of API pages peaked at 760 MB RSS read whole, a 600 MB array at 153 MB streamed
 * (docs/performance.md, "Large JSON"). 64 MB, as `detect` (which parses files up to 64 MB whole).
 */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

export interface LoadOptions {
  /** Absolute path of the file to read. */
  path: string;
  /** The same path as users should see it in messages. */
  displayPath: string;
  /**
   * Fields to store in the table (the ones formulas read); undefined stores all. Every mapped field is
   * still validated on every row; plain optional text fields that are not stored need no check at all.
   */
  keep?: ReadonlySet<string>;
  /**
   * The fields the catalogue reads (formulas, segments, time, as-of and key fields); undefined: all. An
   * optional field outside it whose column is not in the header is no warning, only listed
   * (LoadedSource.unusedAbsentFields): presets map columns a vendor's export does not always have.
   */
  used?: ReadonlySet<string>;
  /** Day-first detection: read in these orders from the first row (an earlier read proved them). */
  dayOrders?: Readonly<Record<string, DayOrder>>;
  /** Called now and then while the file is read (for a progress display). */
  onProgress?: (progress: LoadProgress) => void;
  /**
   * A source read from several files (a glob or a list, inputs.ts): each file, in read order; `path` and
   * `displayPath` then name the pattern. See load-files.ts.
   */
  files?: { path: string; displayPath: string }[];
  /**
   * Check every field on every row, also optional text fields that are not stored (validate: a NUL byte
   * there rejects the row, as if the field were stored).
   */
  checkAll?: boolean;
  /** Tests: CSV records through the string path, the reference the span path is compared with. */
  rowPath?: boolean;
  /**
   * Lower limits than MAX_JSON_BYTES, MAX_JSON_LINE_CHARS and the inflate caps (tests, without writing
   * 64 MB).
   */
  limits?: { jsonBytes?: number; jsonLineChars?: number; inflate?: InflateLimits };
}

export interface LoadProgress {
  source: string;
  bytes: number;
  rows: number;
  isDone?: boolean;
}

export async function loadSource(source: ResolvedSource, options: LoadOptions): Promise<LoadedSource> {
  if (options.files) return loadFiles(source, options, options.files);
  const info = await fileInfo(options.path);
  const size = info?.size ?? 0;
  const loaded = await readSource(source, options, size);
  // The file time is kept for `as_of: file_modified` only: a copy or a clone resets it.
  loaded.modified = info ? info.modified : null;
  return loaded;
}

async function readSource(source: ResolvedSource, options: LoadOptions, size: number): Promise<LoadedSource> {
  if (source.format === 'csv') {
    const intake = new CsvIntake(source, options.displayPath, options);
    const watch = watchBytes(source, options, intake, size);
    return watch.finish(await readCsvSource(source, options, intake, watch.onBytes));
  }
  const intake = new JsonIntake(source, options.displayPath, options);
  const watch = watchBytes(source, options, intake, size);
  return watch.finish(await readJsonSource(source, options, intake, size, watch.onBytes));
}

export interface ScanOptions {
  /** Absolute path of the file to read. */
  path: string;
  /** The same path as users should see it in messages. */
  displayPath: string;
  /** Day-first detection: the orders the first read proved (LoadedSource.dayOrders). */
  dayOrders?: Readonly<Record<string, DayOrder>>;
  /** A source of several files (LoadOptions.files): each file, in read order. */
  files?: { path: string; displayPath: string }[];
  /** About how many rows each piece holds (pieces end where a block of the file was read). */
  chunkRows: number;
  /**
   * Each piece of accepted rows, in file order, with every mapped field; `firstRow` is the number of
   * accepted rows before it (the row index the whole table would give its first row).
   */
  onChunk: (table: Table, firstRow: number) => void;
}

/**
 * Reads a source again in pieces of about `chunkRows` accepted rows, each stored with every mapped
 * field and handed to onChunk, then dropped: memory is bounded by a piece, not by the file. Rows are
 * read, validated and numbered exactly as loadSource reads them, so for the same bytes (compare the
 * returned sha256 with the first read's) the n-th accepted row is the same row. Used by the evidence
 * pack, which lists every field of the rows behind each KPI while the report keeps only the fields its
 * formulas read. The returned LoadedSource holds no rows.
 */
export async function scanSource(source: ResolvedSource, options: ScanOptions): Promise<LoadedSource> {
  // Every field stored; day/month orders as the first read proved them (its rows, patched ones too).
  const load: LoadOptions = {
    path: options.path,
    displayPath: options.displayPath,
    ...(options.dayOrders ? { dayOrders: options.dayOrders } : {}),
  };
  if (options.files) {
    const { chunkRows, onChunk } = options;
    return loadFiles(source, load, options.files, { chunkRows, onChunk });
  }
  const size = await fileSize(options.path);
  const take = (intake: Intake) => {
    if (intake.pendingRows === 0) return;
    const first = intake.firstPendingRow;
    options.onChunk(intake.takeChunk(), first);
  };
  const chunked = (intake: Intake) => (bytes: Uint8Array, onBytes: (bytes: Uint8Array) => void) => {
    // Between two blocks of the file, every row read so far is complete (committed or rejected).
    if (intake.pendingRows >= options.chunkRows) take(intake);
    onBytes(bytes);
  };
  if (source.format === 'csv') {
    const intake = new CsvIntake(source, options.displayPath, load);
    const watch = watchBytes(source, load, intake, 0);
    const onBytes = chunked(intake);
    const extra = await readCsvSource(source, load, intake, (b) => onBytes(b, watch.onBytes));
    take(intake);
    return watch.finish(extra);
  }
  const intake = new JsonIntake(source, options.displayPath, load);
  const watch = watchBytes(source, load, intake, 0);
  const onBytes = chunked(intake);
  const extra = await readJsonSource(source, load, intake, size, (b) => onBytes(b, watch.onBytes));
  take(intake);
  return watch.finish(extra);
}

/** The memory guard (util/memory.ts) between two blocks of a file: a safe point, every row read so far is complete. */
export function checkReadMemory(displayPath: string): void {
  checkMemory(
    `reading ${displayPath}`,
    `fewer KPIs (only the fields their formulas read are kept), or the export split by period`,
  );
}

const PROGRESS_STEP = 4 * 1024 * 1024;
const RESERVE_AFTER_ROWS = 65_536;

/**
 * Sees every byte of the file as it is read: hashes it (one pass), reports progress about once per
 * 4 MB, and sizes the columns for the whole file once the row length is known.
 */
function watchBytes(
  source: ResolvedSource,
  options: LoadOptions,
  intake: Intake,
  fileSize: number,
): { onBytes: (bytes: Uint8Array) => void; finish: (extra: Partial<SourceStats>) => LoadedSource } {
  const hash = createHash('sha256');
  let bytesSeen = 0;
  let nextReport = PROGRESS_STEP;
  let hasReserved = false;
  const onBytes = (bytes: Uint8Array) => {
    checkReadMemory(options.displayPath);
    hash.update(bytes);
    // The rows read so far came from the bytes before this block.
    const bytesBefore = bytesSeen;
    bytesSeen += bytes.length;
    // Once the row length is known, size the columns for the whole file instead of doubling them.
    if (!hasReserved && intake.rows >= RESERVE_AFTER_ROWS && fileSize > 0) {
      hasReserved = true;
      intake.reserve(Math.ceil((fileSize / bytesBefore) * intake.rows * 1.1));
    }
    if (options.onProgress && bytesSeen >= nextReport) {
      nextReport = bytesSeen + PROGRESS_STEP;
      options.onProgress({ source: source.name, bytes: bytesSeen, rows: intake.rows });
    }
  };
  const finish = (extra: Partial<SourceStats>) => {
    options.onProgress?.({ source: source.name, bytes: bytesSeen, rows: intake.rows, isDone: true });
    return intake.finish({ ...extra, sha256: hash.digest('hex') });
  };
  return { onBytes, finish };
}

export async function readCsvSource(
  source: ResolvedSource,
  options: LoadOptions,
  intake: CsvIntake,
  onBytes: (bytes: Uint8Array) => void,
): Promise<Partial<SourceStats>> {
  const result = await readCsvFile(options.path, options.displayPath, csvReadOptions(source), intake, {
    onBytes,
    ...(options.limits?.inflate ? { inflateLimits: options.limits.inflate } : {}),
  });
  for (const p of result.problems) intake.addProblem(p);
  return { encoding: result.encoding, delimiter: result.delimiter, bytes: result.bytes };
}

/** How the tokenizer reads a source's CSV files (its `csv:` options). */
export function csvReadOptions(source: ResolvedSource): CsvReadOptions {
  const csv = source.config.csv;
  return {
    delimiter: csv?.delimiter === '\\t' ? '\t' : csv?.delimiter,
    quote: csv?.quote,
    skipLines: csv?.skip_lines,
    headerStartsWith: csv?.header_starts_with,
    encoding: csv?.encoding,
  };
}

/** What the ranges after the first need to know about a CSV file: its dialect, header and encoding. */
export interface CsvHead {
  delimiter: string;
  quote: string;
  /** The header cells as read (untrimmed). */
  header: string[];
  encoding: Encoding;
  bomLength: number;
}

/**
 * One range of a CSV file (load-ranges.ts): the first starts at byte 0 and reads the preamble and the
 * header itself; a later one starts at `start`, a line start taken to be a record boundary, with the
 * header `head` gave. Each ends at the first record boundary at or after `softEnd`.
 */
export interface CsvRange {
  start: number;
  softEnd: number;
  head: CsvHead;
}

/**
 * What one range read, with line and record numbers counted from the range's start (the merge adds
 * the lines and records of the ranges before it), and where it ended. `fatal`: the read stopped with
 * these problems (a cut-off quote, on_invalid: fail, ...); `loaded` is then empty.
 */
export interface RangeResult {
  loaded: LoadedSource | null;
  end: number;
  lines: number;
  records: number;
  fatal?: Problem[];
  /** `duplicates: drop-exact`: the records kept within the range (keys left out when sent by a worker). */
  distinct?: DistinctRecords;
  /** Which worker keeps the keys of `distinct`, and under which number (load-parallel.ts). */
  keysAt?: { worker: number; job: number };
}

/**
 * Reads one range of a CSV or JSON Lines file (see CsvRange). Never throws an IsmsKpiError: it returns
 * it as `fatal`.
 */
export async function loadRange(
  source: ResolvedSource,
  options: LoadOptions,
  range: CsvRange,
): Promise<RangeResult> {
  const intake =
    source.format === 'csv'
      ? new CsvIntake(source, options.displayPath, options)
      : new JsonIntake(source, options.displayPath, options);
  intake.collectDistinct();
  try {
    // The last range ends at the end of the file (softEnd is then unbounded).
    const end = Math.min(range.softEnd, (await fileInfo(options.path))?.size ?? 0);
    const watch = watchRange(source, options, intake, Math.max(0, end - range.start));
    const read =
      intake instanceof CsvIntake
        ? await readCsvPart(source, options, intake, range, watch.onBytes)
        : await readJsonLinesPart(options, intake, range, watch.onBytes);
    options.onProgress?.({ source: source.name, bytes: watch.bytes(), rows: intake.rows, isDone: true });
    const loaded = intake.finish({
      encoding: read.encoding,
      ...(read.delimiter !== undefined ? { delimiter: read.delimiter } : {}),
      bytes: read.bytes,
      sha256: '',
    });
    const distinct = intake.takeDistinct();
    return {
      loaded,
      end: read.end,
      lines: read.lines,
      records: read.records,
      ...(distinct ? { distinct } : {}),
    };
  } catch (error) {
    if (!(error instanceof IsmsKpiError)) throw error;
    return { loaded: null, end: -1, lines: 0, records: 0, fatal: error.problems };
  }
}

/** What a range read: its encoding (and delimiter), where it ended, its lines and records. */
interface PartRead {
  encoding: Encoding;
  delimiter?: string;
  bytes: number;
  end: number;
  lines: number;
  records: number;
}

/**
 * Progress of a range about once per 4 MB, and its columns sized once its row length is known (`size`:
 * the range's bytes, about).
 */
function watchRange(
  source: ResolvedSource,
  options: LoadOptions,
  intake: Intake,
  size: number,
): { onBytes: (bytes: Uint8Array) => void; bytes: () => number } {
  let bytesSeen = 0;
  let nextReport = PROGRESS_STEP;
  let hasReserved = false;
  const onBytes = (bytes: Uint8Array) => {
    checkReadMemory(options.displayPath);
    const bytesBefore = bytesSeen;
    bytesSeen += bytes.length;
    if (!hasReserved && intake.rows >= RESERVE_AFTER_ROWS) {
      hasReserved = true;
      intake.reserve(Math.ceil((Math.max(size, bytesSeen) / bytesBefore) * intake.rows * 1.1));
    }
    if (options.onProgress && bytesSeen >= nextReport) {
      nextReport = bytesSeen + PROGRESS_STEP;
      options.onProgress({ source: source.name, bytes: bytesSeen, rows: intake.rows });
    }
  };
  return { onBytes, bytes: () => bytesSeen };
}

async function readCsvPart(
  source: ResolvedSource,
  options: LoadOptions,
  intake: CsvIntake,
  range: CsvRange,
  onBytes: (bytes: Uint8Array) => void,
): Promise<PartRead> {
  const { head } = range;
  const isFirst = range.start === 0;
  // The first range is read as a single read reads the file, with the delimiter the plan detected
  // from the same first 64 KB (so it does not wait for them before parsing: a short range could end
  // before that).
  const read = isFirst
    ? { ...csvReadOptions(source), delimiter: head.delimiter }
    : { quote: head.quote, continuation: { delimiter: head.delimiter, header: head.header } };
  if (!isFirst) intake.header(head.header, 1, head.delimiter, head.quote, true);
  const result = await readCsvRange(
    options.path,
    options.displayPath,
    read,
    intake,
    { start: range.start, softEnd: range.softEnd, encoding: head.encoding, bomLength: head.bomLength },
    { onBytes },
  );
  for (const p of result.problems) intake.addProblem(p);
  return result;
}

/**
 * A range of a JSON Lines file: from a line start to the next range's start (also a line start), since
 * a \n byte always ends a line there (JSON text holds no raw line break, and a line that is not JSON is
 * one lost record whatever it holds).
 */
async function readJsonLinesPart(
  options: LoadOptions,
  intake: JsonIntake,
  range: CsvRange,
  onBytes: (bytes: Uint8Array) => void,
): Promise<PartRead> {
  const { info, pieces } = await openTextRange(options.path, options.displayPath, {
    encoding: range.head.encoding,
    start: range.start,
    softEnd: range.softEnd,
    bomLength: range.head.bomLength,
    onBytes,
  });
  let end = info.bytes;
  async function* upToEnd(): AsyncGenerator<string> {
    for await (const piece of pieces) {
      // Pieces never cross softEnd: the range's last line ends exactly before this one.
      if (piece.byteStart >= range.softEnd) {
        end = piece.byteStart;
        return;
      }
      yield piece.text;
    }
  }
  const counted = await readJsonLines(upToEnd(), intake, options.displayPath, options.limits?.jsonLineChars);
  return { encoding: info.encoding, bytes: info.bytes, end, ...counted };
}

export async function readJsonSource(
  source: ResolvedSource,
  options: LoadOptions,
  intake: JsonIntake,
  size: number,
  onBytes: (bytes: Uint8Array) => void,
): Promise<Partial<SourceStats>> {
  const file = options.displayPath;
  if (source.format === 'jsonl') {
    // Streamed line by line: any size, each line within the line limit.
    const opened = await openText(options.path, file, {
      encoding: 'auto',
      onBytes,
      ...(options.limits?.inflate ? { inflateLimits: options.limits.inflate } : {}),
    });
    await readJsonLines(opened.chunks, intake, file, options.limits?.jsonLineChars);
    return { encoding: opened.info.encoding, bytes: opened.info.bytes };
  }
  // A JSON document up to the limit is parsed whole (whole-document messages: what the top level holds,
  // and the line of a syntax error); a larger one, or several documents one after another (API pages),
  // is read as a stream, one record at a time (json-stream.ts). The size of the file, or of the inner
  // file of a zip entry, decides before reading; a file that grows past the limit while it is read, or a
  // compressed one that inflates past it, is streamed from what was read so far.
  const limit = options.limits?.jsonBytes ?? MAX_JSON_BYTES;
  const pointer = source.config.json?.records ?? '';
  const opened = await openText(options.path, file, {
    encoding: 'auto',
    onBytes,
    ...(options.limits?.inflate ? { inflateLimits: options.limits.inflate } : {}),
  });
  const expected = opened.info.innerBytes ?? (isCompressed(options.path) ? 0 : size);
  const stats = { encoding: opened.info.encoding, bytes: opened.info.bytes };
  if (expected > limit) {
    await readJsonStream(opened.chunks, pointer, intake, file);
    return stats;
  }
  const iterator = opened.chunks[Symbol.asyncIterator]();
  const pieces: string[] = [];
  let chars = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    pieces.push(next.value);
    chars += next.value.length;
    if (chars > limit) {
      await readJsonStream(continued(pieces, iterator), pointer, intake, file);
      return stats;
    }
  }
  const text = pieces.join('');
  pieces.length = 0;
  try {
    await readJsonDocument(once(text), pointer, intake, file);
  } catch (error) {
    // `[...][...]` or `{"result": [...]}{"result": [...]}`: pages, read one after another.
    if (!(error instanceof IsmsKpiError) || !error.problems.some(isValueAfterJson)) throw error;
    await readJsonStream(once(text), pointer, intake, file);
  }
  return stats;
}

/** JSON.parse stopped at text after a complete value: the file holds more than one JSON document. */
function isValueAfterJson(p: Problem): boolean {
  return p.code === 'json-syntax' && /non-whitespace character after JSON/i.test(p.message);
}

async function* once(text: string): AsyncGenerator<string> {
  // In pieces, so the stream reader never cuts a record out of one huge string.
  for (let at = 0; at < text.length; at += 1024 * 1024) yield text.slice(at, at + 1024 * 1024);
}

async function* continued(pieces: string[], rest: AsyncIterator<string>): AsyncGenerator<string> {
  while (pieces.length > 0) yield pieces.shift()!;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}
