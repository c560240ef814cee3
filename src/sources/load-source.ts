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
import { IsmsKpiError, problem } from '../problems.js';
import { sizeInWords } from '../util/file-problem.js';
import { readCsvFile } from './csv-reader.js';
import { fileInfo, fileSize, listFolder, openText } from './decode.js';

export { fileSize, listFolder };

import type { Intake, LoadedSource, SourceStats } from './intake.js';
import { JsonIntake, readJsonDocument, readJsonLines } from './json-intake.js';
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

/** JSON documents are parsed whole; larger files should be exported as JSON Lines or CSV. */
export const MAX_JSON_BYTES = 512 * 1024 * 1024;

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
  /** Lower limits than MAX_JSON_BYTES and MAX_JSON_LINE_CHARS (tests, without writing 512 MB). */
  limits?: { jsonBytes?: number; jsonLineChars?: number };
}

export interface LoadProgress {
  source: string;
  bytes: number;
  rows: number;
  isDone?: boolean;
}

export async function loadSource(source: ResolvedSource, options: LoadOptions): Promise<LoadedSource> {
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

async function readCsvSource(
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
    { onBytes },
  );
  for (const p of result.problems) intake.addProblem(p);
  return { encoding: result.encoding, delimiter: result.delimiter, bytes: result.bytes };
}

async function readJsonSource(
  source: ResolvedSource,
  options: LoadOptions,
  intake: JsonIntake,
  size: number,
  onBytes: (bytes: Uint8Array) => void,
): Promise<Partial<SourceStats>> {
  const file = options.displayPath;
  if (source.format === 'jsonl') {
    // Streamed line by line: any size, each line within the line limit.
    const opened = await openText(options.path, file, { encoding: 'auto', onBytes });
    await readJsonLines(opened.chunks, intake, file, options.limits?.jsonLineChars);
    return { encoding: opened.info.encoding, bytes: opened.info.bytes };
  }
  // A JSON document is parsed whole: refused above the limit before reading, and while reading when it
  // grows past it (the file is regular, so its size is known, but it may still be being written).
  const limit = options.limits?.jsonBytes ?? MAX_JSON_BYTES;
  const tooLarge = () =>
    new IsmsKpiError(
      problem(
        'file-too-large',
        `JSON file is larger than ${sizeInWords(limit)}; export it as JSON Lines (.jsonl) or CSV`,
        { file },
      ),
    );
  if (size > limit) throw tooLarge();
  let bytesRead = 0;
  const opened = await openText(options.path, file, {
    encoding: 'auto',
    onBytes: (bytes) => {
      bytesRead += bytes.length;
      if (bytesRead > limit) throw tooLarge();
      onBytes(bytes);
    },
  });
  await readJsonDocument(opened.chunks, source.config.json?.records ?? '', intake, file);
  return { encoding: opened.info.encoding, bytes: opened.info.bytes };
}
