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
import { readCsvFile } from './csv-reader.js';
import { fileInfo, fileSize, openText } from './decode.js';

export { fileSize };

import { type InflateLimits, isCompressed } from './inflate.js';
import type { Intake, LoadedSource, SourceStats } from './intake.js';
import { JsonIntake, readJsonDocument, readJsonLines } from './json-intake.js';
import { readJsonStream } from './json-stream.js';
import { loadFiles } from './load-files.js';
import type { ResolvedSource } from './resolve.js';
import { CsvIntake } from './span-intake.js';

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
  /** Called now and then while the file is read (for a progress display). */
  onProgress?: (progress: LoadProgress) => void;
  /**
   * A source read from several files (a glob or a list, inputs.ts): each file, in read order; `path` and
   * `displayPath` then name the pattern. See load-files.ts.
   */
  files?: { path: string; displayPath: string }[];
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
    const intake = new CsvIntake(source, options.displayPath, options.keep, options.used);
    const watch = watchBytes(source, options, intake, size);
    return watch.finish(await readCsvSource(source, options, intake, watch.onBytes));
  }
  const intake = new JsonIntake(source, options.displayPath, options.keep, options.used);
  const watch = watchBytes(source, options, intake, size);
  return watch.finish(await readJsonSource(source, options, intake, size, watch.onBytes));
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
  const csv = source.config.csv;
  const result = await readCsvFile(
    options.path,
    options.displayPath,
    {
      delimiter: csv?.delimiter === '\\t' ? '\t' : csv?.delimiter,
      quote: csv?.quote,
      skipLines: csv?.skip_lines,
      headerStartsWith: csv?.header_starts_with,
      encoding: csv?.encoding,
    },
    intake,
    { onBytes, ...(options.limits?.inflate ? { inflateLimits: options.limits.inflate } : {}) },
  );
  for (const p of result.problems) intake.addProblem(p);
  return { encoding: result.encoding, delimiter: result.delimiter, bytes: result.bytes };
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
