/**
 * Reading one large CSV export on several cores: the file is cut into byte ranges at record
 * boundaries, the ranges are read at the same time (in worker threads: load-parallel.ts), and their
 * tables are merged in file order (merge-ranges.ts). The result is the one a single read gives: the
 * same rows, values, problems, rejected rows, counts and file:line locations (tests/sources/ranges.test.ts
 * compares them, with splits at every line break of the test files).
 *
 * Where a range starts (docs/performance.md, "Parallel parsing within a file"):
 *
 * - A range k > 0 starts just after a \n byte near byte k * size / parts, and is read on the guess
 *   that a record starts there. A \n inside a quoted field would make that guess wrong, so the start
 *   is picked with a look at the records after it: the first line start after which the next records
 *   all have the header's number of cells and no stray quote (a start inside a multi-line quoted field
 *   reads the rest of the field as a record of the wrong length, or meets its closing quote as a
 *   stray quote).
 * - The guess is then checked exactly: each range reads on past its end to the end of the record it
 *   is in there, and reports that position, the first record boundary at or after it. Range 0 starts
 *   at the start of the file, so its end is a true boundary; range k was read from a true boundary
 *   exactly when it starts where range k - 1 ended, and then its own end is one too (induction). A
 *   range that does not start there is read again from where the range before it ended (a range that
 *   was swallowed whole is dropped). Checking costs nothing when the guess was right.
 * - Each range counts its own line breaks and records; the merge adds those of the ranges before it.
 * - A range that stops with an error (a quote never closed, on_invalid: fail, undecodable bytes) is not
 *   reported from there: the file is read again in one pass, which reports exactly what it always did.
 * - SHA-256 is a chain over the whole file and cannot be put together from ranges: the file is hashed
 *   in one pass of its own on the calling thread while the ranges are read.
 *
 * Only CSV files in UTF-8 (with or without BOM) or a single-byte encoding are split, where a \n byte
 * is always a line feed and the start of a character; UTF-16 files are read whole.
 *
 * Compressed files (.gz, .zip) and sources of several files (load-files.ts) are read whole, and so are
 * sources with a datetime field whose formats pair a month-first and a day-first spelling
 * (time/day-order.ts): the order is decided once per read, from the first value that proves it, and
 * values read before the proof are corrected; ranges read apart would each decide on their own.
 *
 * JSON Lines files (same encodings) are split the same way, with no guess to make: JSON text holds no
 * raw line break, so every line start is a record boundary (a line that is not JSON is one lost record
 * wherever it is cut from). A JSON document is parsed whole (JSON.parse needs all of it).
 */

import { hasDayOrderPair } from '../time/day-order.js';
import { type CsvSink, CsvTokenizer } from './csv-reader.js';
import { encodedLength, fileInfo, hashFile, openText, openTextRange, textAfterLineBreak } from './decode.js';
import { isCompressed } from './inflate.js';
import type { LoadedSource } from './intake.js';
import {
  type CsvHead,
  type CsvRange,
  csvReadOptions,
  type LoadOptions,
  loadRange,
  loadSource,
  type RangeResult,
} from './load-source.js';
import { mergeRanges, type RangePart } from './merge-ranges.js';
import { dropDuplicatesAcrossRanges, type KeyFetcher } from './range-duplicates.js';
import type { ResolvedSource } from './resolve.js';

/** How a file is split. */
export interface SplitOptions {
  /** Ranges per file (about equal in bytes). */
  parts: number;
  /** Tests: split near these byte offsets instead (the first line start at or after each). */
  at?: readonly number[];
  /** Tests: take the first line start as it is, without looking at the records after it. */
  firstLineBreak?: boolean;
}

/** Where ranges and whole files are read: here (tests), or in worker threads. */
export interface RangeRunner {
  range(source: ResolvedSource, options: LoadOptions, range: CsvRange): Promise<RangeResult>;
  whole(source: ResolvedSource, options: LoadOptions): Promise<LoadedSource>;
  /** The keys of some of a range's distinct records (drop-exact), and when they are no longer needed. */
  keys: KeyFetcher;
  release(result: RangeResult): void;
}

export const IN_PROCESS: RangeRunner = {
  range: loadRange,
  whole: loadSource,
  keys: async (result, indexes) => indexes.map((i) => result.distinct!.keys[i]!),
  release() {},
};

/** Bytes read after a split point to find a record start (a record must start in them). */
const WINDOW_BYTES = 256 * 1024;
/** Line starts tried after a split point before taking the first one. */
const MAX_CANDIDATES = 64;
/** Records read after a candidate line start to judge it. */
const LOOK_RECORDS = 8;
/** The header is looked for in this many bytes; a file whose header comes later is read whole. */
const HEAD_BYTES = 16 * 1024 * 1024;

/** Reads a CSV file in ranges as described above; `split.parts` < 2 or an unsplittable file: whole. */
export async function loadSplit(
  source: ResolvedSource,
  options: LoadOptions,
  split: SplitOptions,
  runner: RangeRunner,
): Promise<LoadedSource> {
  // Several files (load-files.ts) and compressed files (a gzip or deflate stream has no byte positions
  // to start from) are read whole.
  if (options.files || isCompressed(options.path) || hasUndecidedDayOrder(source))
    return runner.whole(source, options);
  const info = await fileInfo(options.path);
  const size = info?.size ?? 0;
  const plan = split.parts >= 2 || split.at ? await planRanges(source, options, size, split) : undefined;
  if (!plan) return runner.whole(source, options);

  const hashing = hashFile(options.path, options.displayPath);
  hashing.catch(() => undefined);
  const progress = rangeProgress(source.name, options, size);
  const read = (k: number, range: CsvRange) => {
    const job = runner.range(source, { ...options, ...progress.of(k) }, range);
    job.catch(() => undefined);
    return job;
  };
  // Every range is read at once, each on the guess that it starts at a record boundary.
  const guesses = plan.map((range, k) => read(k, range));
  const used: RangeResult[] = [];
  try {
    const parts = await readInOrder(plan, guesses, size, read, used);
    if (!parts) return runner.whole(source, options);
    if (source.config.duplicates === 'drop-exact') {
      if (!(await dropDuplicatesAcrossRanges(used, runner.keys))) return runner.whole(source, options);
      used.forEach((result, k) => {
        parts[k]!.loaded = result.loaded!;
      });
    }
    const merged = mergeRanges(parts, { sha256: await hashing, bytes: size });
    // JSON Lines: the keys of the file's first record, read by the first range that read a record.
    if (source.format === 'jsonl') merged.header = used.find((r) => r.records > 0)?.loaded?.header ?? [];
    merged.modified = info ? info.modified : null;
    progress.done(merged.stats.rowsRead);
    return merged;
  } finally {
    // Keys kept for duplicate removal are let go, also those of ranges read on a wrong guess.
    for (const guess of guesses) guess.then((r) => runner.release(r)).catch(() => undefined);
    for (const result of used) runner.release(result);
  }
}

/**
 * The ranges from the start of the file, each checked against where the one before it ended and read
 * again where the guess was wrong (`used`: every result taken). Undefined when one failed.
 */
async function readInOrder(
  plan: readonly CsvRange[],
  guesses: readonly Promise<RangeResult>[],
  size: number,
  read: (k: number, range: CsvRange) => Promise<RangeResult>,
  used: RangeResult[],
): Promise<RangePart[] | undefined> {
  const parts: RangePart[] = [];
  let end = 0;
  let lineOffset = 0;
  let recordOffset = 0;
  for (let k = 0; k < plan.length; k++) {
    const range = plan[k]!;
    let result: RangeResult;
    if (k === 0) result = await guesses[0]!;
    // The ranges before read all of this one.
    else if (end >= range.softEnd || end >= size) continue;
    else if (end === range.start) result = await guesses[k]!;
    // The guess was wrong: read the range again from where the one before it ended.
    else result = await read(plan.length + k, { ...range, start: end });
    used.push(result);
    if (result.fatal || !result.loaded) return undefined;
    if (k === 0 && range.head.header.length > 0 && !sameHead(result.loaded, range.head)) return undefined;
    parts.push({ loaded: result.loaded, lineOffset, recordOffset });
    lineOffset += result.lines;
    recordOffset += result.records;
    end = result.end;
  }
  return parts;
}

/** The first range must have read the header and delimiter the plan assumed for the others. */
function sameHead(loaded: LoadedSource, head: CsvHead): boolean {
  return (
    loaded.stats.delimiter === head.delimiter &&
    loaded.header.length === head.header.length &&
    loaded.header.every((cell, i) => cell === head.header[i])
  );
}

/** One progress line per source: the bytes and rows of its ranges added up. */
function rangeProgress(
  name: string,
  options: LoadOptions,
  size: number,
): { of(k: number): Pick<LoadOptions, 'onProgress'>; done(rows: number): void } {
  const report = options.onProgress;
  const bytes: number[] = [];
  const rows: number[] = [];
  const total = (values: number[]) => values.reduce((a, b) => a + (b ?? 0), 0);
  return {
    of(k) {
      if (!report) return {};
      return {
        onProgress: (p) => {
          bytes[k] = p.bytes;
          rows[k] = p.rows;
          if (!p.isDone) report({ source: name, bytes: Math.min(size, total(bytes)), rows: total(rows) });
        },
      };
    },
    done(rowsRead) {
      report?.({ source: name, bytes: size, rows: rowsRead, isDone: true });
    },
  };
}

/** The ranges of a file, or undefined when it is read whole. */
export async function planRanges(
  source: ResolvedSource,
  options: LoadOptions,
  size: number,
  split: SplitOptions,
): Promise<CsvRange[] | undefined> {
  if (source.format === 'json' || size === 0) return undefined;
  const head = source.format === 'csv' ? await readHead(source, options) : await jsonLinesHead(options);
  if (!head) return undefined;
  const nominal =
    split.at ?? Array.from({ length: split.parts - 1 }, (_, k) => Math.floor(((k + 1) * size) / split.parts));
  const starts: number[] = [];
  for (const at of nominal) {
    if (at <= 0 || at >= size) continue;
    // In JSON Lines every line start is a record boundary.
    const isFirstTaken = split.firstLineBreak === true || source.format === 'jsonl';
    const start = await lineStartNear(options.path, at, head, isFirstTaken);
    if (start > (starts.at(-1) ?? 0) && start < size) starts.push(start);
  }
  if (starts.length === 0) return undefined;
  return [0, ...starts].map((start, k) => ({
    start,
    softEnd: starts[k] ?? Number.MAX_SAFE_INTEGER,
    head,
  }));
}

/**
 * A JSON Lines file's encoding (and BOM), as a single read finds it; undefined for UTF-16 (read whole).
 * It has no header: the keys of its first record are taken from the range that holds that record.
 */
async function jsonLinesHead(options: LoadOptions): Promise<CsvHead | undefined> {
  try {
    const { info } = await openTextRange(options.path, options.displayPath, {
      encoding: 'auto',
      start: 0,
      softEnd: 0,
    });
    if (info.encoding === 'utf-16le' || info.encoding === 'utf-16be') return undefined;
    return { delimiter: '', quote: '', header: [], encoding: info.encoding, bomLength: info.hadBom ? 3 : 0 };
  } catch {
    return undefined;
  }
}

const FOUND = Symbol('header found');

/**
 * The header, delimiter and encoding, read the way a single read reads them (same tokenizer, same
 * options); undefined when the file is not for splitting (UTF-16, no header in its first bytes, any
 * problem: the single read then reports it).
 */
async function readHead(source: ResolvedSource, options: LoadOptions): Promise<CsvHead | undefined> {
  const read = csvReadOptions(source);
  let head: Omit<CsvHead, 'encoding' | 'bomLength'> | undefined;
  const sink: CsvSink = {
    header(cells, _line, delimiter, quote) {
      head = { header: [...cells], delimiter, quote };
      throw FOUND;
    },
    record() {},
    addProblem() {},
  };
  try {
    let bytes = 0;
    const opened = await openText(options.path, options.displayPath, {
      encoding: read.encoding ?? 'auto',
      onBytes: (b) => {
        bytes += b.length;
      },
    });
    const { encoding, hadBom } = opened.info;
    if (encoding === 'utf-16le' || encoding === 'utf-16be') {
      // Started and left, so that the reader closes the file.
      for await (const _ of opened.chunks) break;
      return undefined;
    }
    const tokenizer = new CsvTokenizer(options.displayPath, read, sink);
    try {
      for await (const chunk of opened.chunks) {
        tokenizer.push(chunk);
        if (bytes > HEAD_BYTES) return undefined;
      }
      tokenizer.finish(encoding, bytes);
    } catch (error) {
      if (error !== FOUND) return undefined;
    }
    return head ? { ...head, encoding, bomLength: hadBom ? 3 : 0 } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The start of the range near byte `at`: the first line start at or after it after which the next
 * records look like records of this file (see the header comment); failing that, the first line start.
 * -1 when there is no line break in the bytes after `at`.
 */
async function lineStartNear(
  path: string,
  at: number,
  head: CsvHead,
  isFirstTaken: boolean,
): Promise<number> {
  const window = await textAfterLineBreak(path, at - 1, WINDOW_BYTES, head.encoding);
  if (!window || window.lineStart < 0) return -1;
  if (isFirstTaken) return window.lineStart;
  const { text } = window;
  let c = 0;
  for (let tries = 0; tries < MAX_CANDIDATES && c < text.length; tries++) {
    if (looksLikeRecords(text, c, head)) return window.lineStart + encodedLength(text, c, head.encoding);
    const next = text.indexOf('\n', c);
    if (next < 0) break;
    c = next + 1;
  }
  return window.lineStart;
}

const ENOUGH = Symbol('enough records');

/** The records from text[from] on: at least one, each with the header's cells, no stray quote. */
function looksLikeRecords(text: string, from: number, head: CsvHead): boolean {
  let records = 0;
  let isBad = false;
  const width = head.header.length;
  const sink: CsvSink = {
    header() {},
    record(cells) {
      records++;
      if (cells.length !== width) isBad = true;
      if (isBad || records >= LOOK_RECORDS) throw ENOUGH;
    },
    addProblem() {
      isBad = true;
      throw ENOUGH;
    },
  };
  const tokenizer = new CsvTokenizer('', { quote: head.quote, continuation: head }, sink);
  try {
    tokenizer.push(text.slice(from));
  } catch (error) {
    if (error !== ENOUGH) return false;
  }
  return !isBad && records > 0;
}

/** A datetime field whose formats pair both day/month orders: the order is decided while reading. */
function hasUndecidedDayOrder(source: ResolvedSource): boolean {
  return source.fields.some((f) => f.type === 'datetime' && hasDayOrderPair(f.formats));
}
