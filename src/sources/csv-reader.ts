/**
 * A streaming CSV tokenizer: RFC 4180 plus the quirks of real exports (mixed line endings, blank
 * lines between rows, metadata preambles, stray quotes).
 *
 * It is a resumable state machine fed one decoded chunk at a time, so a chunk boundary can fall
 * anywhere (inside a quoted field, between \r and \n, inside a `""` escape) and the only thing carried
 * over is the unfinished record. Fields are sliced out of the chunk; `""` is only unescaped in quoted
 * fields that contain one.
 *
 * The dialect (docs/catalogue.md, 2.1) is that of Python's csv module with the excel dialect: a field
 * is quoted only when the quote is its first character, `""` is a quote inside a quoted field, a quoted
 * field may hold delimiters and line breaks. Malformed quoting is read the same lenient way, but never
 * silently (issue 14.3): a quote inside an unquoted field (`5" screen`, `1, "Smith, John"`) and text
 * after a closing quote (`"O"Brien"`) are `stray-quote` warnings with file, line and column, and a
 * quoted field still open at the end of the file stops the read (`unterminated-quote`): the export was
 * cut off, or a missing quote swallowed the rest of it. The checks cost nothing on clean data: the next
 * quote is found with one cached indexOf like the delimiter, and text after a closing quote is seen
 * where the state machine already looks at the character after it.
 */
import { IsmsKpiError, type Problem, problem } from '../problems.js';
import { type DecodeOptions, type Encoding, encodedLength, openText, openTextRange } from './decode.js';

export interface CsvReadOptions {
  /** undefined or 'auto': detect from the first ~64 KB (see `detectDelimiter`). */
  delimiter?: string;
  /** Default '"'. */
  quote?: string;
  /** Physical lines to skip before the header (metadata preamble). */
  skipLines?: number;
  /** Skip lines until the first one whose text starts with this (after `skipLines`). */
  headerStartsWith?: string;
  encoding?: Encoding | 'auto';
  /**
   * Tokenize a part of a file that starts at a record boundary after the header (a range, see
   * load-ranges.ts): the delimiter and header are known, there is no preamble and no header line.
   */
  continuation?: { delimiter: string; header: readonly string[] };
}

export interface CsvSink {
  /** Called once with the raw header cells, the physical line of the header and the file's dialect. */
  header(cells: readonly string[], line: number, delimiter: string, quote: string): void;
  /**
   * Optional: receives the reader's warnings (`stray-quote`) as they are found, in file order and before
   * the record they belong to, instead of CsvReadResult.problems. The intake's addProblem is this.
   */
  addProblem?(p: Problem): void;
  /**
   * Called per data record. `cells` is reused after the call returns: copy what you keep.
   * line = physical line where the record starts (1-based, counting every \n, \r\n or lone \r),
   * endLine = where it ends (differs when a quoted field spans lines), record = 1-based number.
   */
  record(cells: readonly string[], line: number, endLine: number, record: number): void;
  /**
   * Optional, used instead of `record` when present: the record's `count` cells as spans of `text`,
   * so no substring is cut for cells the sink converts from char codes or does not read at all. Cell k
   * is text.slice(starts[k], ends[k]) when starts[k] >= 0, else the string cells[k] (a field that spans
   * chunks or had `""` escapes). All arrays are reused after the call returns.
   */
  spans?(
    text: string,
    starts: Int32Array,
    ends: Int32Array,
    cells: readonly string[],
    count: number,
    line: number,
    endLine: number,
    record: number,
  ): void;
}

export interface CsvReadResult {
  delimiter: string;
  encoding: Encoding;
  bytes: number;
  /** Physical lines in the text, preamble included. */
  lines: number;
  /** Data records (the header is not counted). */
  records: number;
  /** Empty lines skipped after the preamble. */
  blankLines: number;
  /** Warnings, when the sink has no addProblem (the first MAX_KEPT_WARNINGS). */
  problems: Problem[];
}

/** Warnings kept in CsvReadResult.problems for a sink without addProblem. */
const MAX_KEPT_WARNINGS = 1000;

/**
 * Longest field accepted. Far beyond any real cell, and well below V8's maximum string length
 * (2^29 - 24): without it an unterminated quote early in a huge file would end in a RangeError.
 */
const MAX_FIELD_CHARS = 256 * 1024 * 1024;

/** Candidate delimiters, in tie-break order. */
const CANDIDATES = [',', ';', '\t', '|'] as const;
/** Characters of text (after any preamble) used to detect the delimiter. */
const SAMPLE_CHARS = 64 * 1024;

const LF = 10;
const CR = 13;

/**
 * Tokenizes a file, streaming. `decode` passes through to `openText` (chunkSize is used by tests to
 * put chunk boundaries everywhere).
 */
export async function readCsvFile(
  path: string,
  displayPath: string,
  options: CsvReadOptions,
  sink: CsvSink,
  decode: Pick<DecodeOptions, 'chunkSize' | 'onBytes' | 'inflateLimits'> = {},
): Promise<CsvReadResult> {
  const tokenizer = new CsvTokenizer(displayPath, options, sink);
  const decodeOptions: DecodeOptions = { encoding: options.encoding ?? 'auto' };
  if (decode.chunkSize !== undefined) decodeOptions.chunkSize = decode.chunkSize;
  if (decode.onBytes) decodeOptions.onBytes = decode.onBytes;
  if (decode.inflateLimits) decodeOptions.inflateLimits = decode.inflateLimits;
  const { info, chunks } = await openText(path, displayPath, decodeOptions);
  for await (const chunk of chunks) tokenizer.push(chunk);
  return tokenizer.finish(info.encoding, info.bytes);
}

/** Where a range of a file ends, and what it read. */
export interface CsvRangeResult extends CsvReadResult {
  /** Byte offset of the first record boundary at or after the range's softEnd (or the file size). */
  end: number;
}

/**
 * Tokenizes one range of a file: from byte `start` (0, or a line start where a record is taken to
 * begin: `options.continuation` gives the delimiter and header) to the first record boundary at or
 * after byte `softEnd`. At softEnd the tokenizer is either between two records (the range ends there)
 * or inside one, often a quoted field with line breaks: then it reads on to the end of that record.
 * The end of the last range is the end of the file, where the tokenizer finishes as readCsvFile does.
 */
export async function readCsvRange(
  path: string,
  displayPath: string,
  options: CsvReadOptions,
  sink: CsvSink,
  range: { start: number; softEnd: number; encoding: Encoding | 'auto'; bomLength: number },
  decode: Pick<DecodeOptions, 'chunkSize' | 'onBytes'> = {},
): Promise<CsvRangeResult> {
  const tokenizer = new CsvTokenizer(displayPath, options, sink);
  const { info, pieces } = await openTextRange(path, displayPath, {
    encoding: range.encoding,
    start: range.start,
    softEnd: range.softEnd,
    bomLength: range.bomLength,
    ...(decode.chunkSize !== undefined ? { chunkSize: decode.chunkSize } : {}),
    ...(decode.onBytes ? { onBytes: decode.onBytes } : {}),
  });
  const encoding = info.encoding;
  // A record ended by a \r at the end of a piece: its \n, if any, starts the next piece.
  let afterCR = -1;
  for await (const { text, byteStart } of pieces) {
    if (afterCR >= 0) {
      const end = afterCR + (text.charCodeAt(0) === LF ? 1 : 0);
      return { ...tokenizer.summary(encoding, info.bytes), end };
    }
    // A first range that has not reached its data records by softEnd (a long preamble) reads on.
    if (byteStart >= range.softEnd && !tokenizer.stopAfterRecord && tokenizer.isReadingData()) {
      if (tokenizer.atBoundary()) return { ...tokenizer.summary(encoding, info.bytes), end: byteStart };
      tokenizer.stopAfterRecord = true;
    }
    tokenizer.push(text);
    if (tokenizer.stopIndex >= 0) {
      const end = byteStart + encodedLength(text, tokenizer.stopIndex, encoding);
      if (!tokenizer.pendingLF) return { ...tokenizer.summary(encoding, info.bytes), end };
      afterCR = end;
    }
  }
  if (afterCR >= 0) return { ...tokenizer.summary(encoding, info.bytes), end: afterCR };
  return { ...tokenizer.finish(encoding, info.bytes), end: info.bytes };
}

/** Same tokenizer over an in-memory string (a leading BOM is dropped). */
export function readCsvText(
  text: string,
  displayPath: string,
  options: CsvReadOptions,
  sink: CsvSink,
): CsvReadResult {
  const tokenizer = new CsvTokenizer(displayPath, options, sink);
  tokenizer.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  return tokenizer.finish('utf-8', Buffer.byteLength(text, 'utf8'));
}

/**
 * Among , ; \t | picks the delimiter with the most consistent non-zero count per record, counting
 * outside quoted fields only (so `"1,5";2` counts one ';' and no ','). Consistency = share of
 * non-blank records whose count equals the most common count. Ties go to the higher count (a tab file
 * with commas in its text), then to the earlier candidate in , ; \t |. No candidate at all -> ','.
 * A record still inside a quoted field at the end of the sample is ignored.
 */
export function detectDelimiter(sample: string, quote = '"'): string {
  let best: string = CANDIDATES[0];
  let bestConsistency = 0;
  let bestCount = 0;
  for (const candidate of CANDIDATES) {
    if (candidate === quote) continue;
    const counts = countPerRecord(sample, candidate.charCodeAt(0), quote.charCodeAt(0));
    if (counts.length === 0) continue;
    const frequency = new Map<number, number>();
    let mode = 0;
    let modeFrequency = 0;
    for (const count of counts) {
      const f = (frequency.get(count) ?? 0) + 1;
      frequency.set(count, f);
      if (f > modeFrequency || (f === modeFrequency && count > mode)) {
        mode = count;
        modeFrequency = f;
      }
    }
    if (mode === 0) continue;
    const consistency = modeFrequency / counts.length;
    if (consistency > bestConsistency || (consistency === bestConsistency && mode > bestCount)) {
      best = candidate;
      bestConsistency = consistency;
      bestCount = mode;
    }
  }
  return best;
}

/** Delimiter count of every non-blank record in `sample`, with RFC 4180 quoting. */
function countPerRecord(sample: string, delim: number, quote: number): number[] {
  const counts: number[] = [];
  const n = sample.length;
  let count = 0;
  let empty = true;
  let fieldStart = true;
  let quoted = false;
  for (let i = 0; i < n; i++) {
    const c = sample.charCodeAt(i);
    if (quoted) {
      if (c === quote) {
        if (i + 1 < n && sample.charCodeAt(i + 1) === quote) i++;
        else quoted = false;
      }
      continue;
    }
    if (c === LF || c === CR) {
      if (!empty) counts.push(count);
      if (c === CR && i + 1 < n && sample.charCodeAt(i + 1) === LF) i++;
      count = 0;
      empty = true;
      fieldStart = true;
      continue;
    }
    empty = false;
    if (c === delim) {
      count++;
      fieldStart = true;
    } else {
      if (c === quote && fieldStart) quoted = true;
      fieldStart = false;
    }
  }
  if (!empty && !quoted) counts.push(count);
  return counts;
}

// ---------------------------------------------------------------------------------------------------

/** Position of `search` in `s` at or after `from`, or `n` (= s.length) when there is none. */
function indexOrEnd(s: string, search: string, from: number, n: number): number {
  const at = s.indexOf(search, from);
  return at === -1 ? n : at;
}

/** At the start of a field (after a delimiter, or at the start of a record). */
const ST_START = 0;
/** Inside an unquoted field; its text from earlier chunks is in `acc`. */
const ST_UNQUOTED = 1;
/** Inside a quoted field; its (unescaped) text so far is in `acc`. */
const ST_QUOTED = 2;
/** A quote inside a quoted field was the last character of a chunk: `""` escape or closing quote? */
const ST_QUOTE_END = 3;
/** After the closing quote: anything up to the delimiter is appended literally (lenient, with a warning). */
const ST_AFTER_QUOTE = 4;

const QUOTE_INSIDE =
  'quote inside an unquoted field, read as a plain character: only a quote at the very start opens a quoted field, so a delimiter after it may have split the value';
const TEXT_AFTER_QUOTE =
  'text after the closing quote of a quoted field, appended to it: a quote inside a quoted field must be written twice ("")';

export class CsvTokenizer {
  private readonly file: string;
  private readonly sink: CsvSink;
  private readonly quote: number;
  private readonly quoteStr: string;
  private delim = -1;
  private delimStr = '';

  // preamble
  private skipping = false;
  private skipLeft = 0;
  private readonly skipLines: number = 0;
  private readonly headerPrefix: string | undefined;
  private lineHead = '';
  private lineRejected = false;

  // delimiter detection: text buffered until SAMPLE_CHARS are available
  private sample: string[] | undefined;
  private sampleLength = 0;

  // tokenizer state
  private state = ST_START;
  private acc = '';
  /**
   * Reused for every record. Created holding a string so that its elements kind is "strings" from
   * the start: an empty [] starts as small-integers and its first store changes the array's map,
   * which makes V8 deoptimize the hot loop for the next file and then compile a much slower version.
   */
  private readonly cells: string[] = [''];
  /** Span of each cell in the current chunk (start -1: the cell is the string in `cells`). */
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private nCells = 0;
  /** Physical line of the next character to read. */
  private line = 1;
  private recordLine = 1;
  /** Physical line of the opening quote of the current (or last) quoted field. */
  private quoteLine = 1;
  /** Header names, trimmed, for the column of a warning. */
  private headerNames: string[] = [];
  /** Record (0 = header) and cell of the last quote-inside-a-field warning: one per field. */
  private warnedRecord = -1;
  private warnedCell = -1;
  /** Char code of the last character of the previous chunk (-1 before the first). */
  private prevLast = -1;
  /** The previous chunk ended with a \r that ended a line: skip a \n starting this chunk. */
  pendingLF = false;
  private headerDone = false;
  private records = 0;
  /**
   * Set to stop at the end of the record being read (a range reading on past its end to the next
   * record boundary); `stopIndex` is then where the next record starts in the chunk pushed last
   * (after its line break; when that was a \r ending the chunk, `pendingLF` is set).
   */
  stopAfterRecord = false;
  stopIndex = -1;
  private blankLines = 0;
  private readonly problems: Problem[] = [];

  constructor(file: string, options: CsvReadOptions, sink: CsvSink) {
    this.file = file;
    this.sink = sink;
    this.cells.length = 0;
    const quote = options.quote ?? '"';
    if (quote.length !== 1 || quote === '\n' || quote === '\r') {
      throw this.usage(`quote must be a single character, got ${JSON.stringify(quote)}`);
    }
    this.quote = quote.charCodeAt(0);
    this.quoteStr = quote;
    const delimiter = options.delimiter;
    if (delimiter === undefined || delimiter === 'auto') {
      this.sample = [];
    } else {
      if (delimiter.length !== 1 || delimiter === '\n' || delimiter === '\r' || delimiter === quote) {
        throw this.usage(
          `delimiter must be one character other than the quote and line breaks, got ${JSON.stringify(delimiter)}`,
        );
      }
      this.setDelimiter(delimiter);
    }
    if (options.continuation) {
      this.setDelimiter(options.continuation.delimiter);
      this.sample = undefined;
      this.headerDone = true;
      this.headerNames = options.continuation.header.map((cell) => cell.trim());
      // A range starts right after a \n.
      this.prevLast = LF;
      this.skipLeft = 0;
      this.skipLines = 0;
      this.headerPrefix = undefined;
      this.skipping = false;
      return;
    }
    const skip = options.skipLines ?? 0;
    if (!Number.isInteger(skip) || skip < 0) {
      throw this.usage(`skipLines must be a whole number >= 0, got ${String(skip)}`);
    }
    this.skipLeft = skip;
    this.skipLines = skip;
    this.headerPrefix = options.headerStartsWith === '' ? undefined : options.headerStartsWith;
    this.skipping = skip > 0 || this.headerPrefix !== undefined;
  }

  push(s: string): void {
    const n = s.length;
    if (n === 0) return;
    let i = 0;
    if (this.pendingLF) {
      this.pendingLF = false;
      if (s.charCodeAt(0) === LF) i = 1;
    }
    if (this.skipping && i < n) i = this.skip(s, i);
    if (i < n) this.feed(s, i);
    this.prevLast = s.charCodeAt(n - 1);
  }

  finish(encoding: Encoding, bytes: number): CsvReadResult {
    if (this.skipping) {
      const seen = this.line - 1 + (this.lineHead.length > 0 || this.lineRejected ? 1 : 0);
      const what =
        this.skipLeft > 0
          ? `skip_lines is ${this.skipLines} but the file has only ${seen} line${seen === 1 ? '' : 's'}`
          : `no line starts with ${JSON.stringify(this.headerPrefix)} (header_starts_with)`;
      throw new IsmsKpiError(problem('no-header', `no header: ${what}`, { file: this.file }));
    }
    if (this.sample !== undefined) this.flushSample(true);
    const trailing = this.prevLast !== -1 && this.prevLast !== LF && this.prevLast !== CR;
    const lines = this.line - 1 + (trailing ? 1 : 0);

    switch (this.state) {
      case ST_START:
        if (this.nCells > 0) this.endRecord('', this.line);
        break;
      case ST_UNQUOTED:
      case ST_AFTER_QUOTE:
      case ST_QUOTE_END:
        this.endRecord(this.acc, this.line);
        break;
      case ST_QUOTED: {
        // Reporting on the records before it would present a cut-off export as a complete one.
        const at = { file: this.file, line: this.quoteLine, record: this.headerDone ? this.records + 1 : 0 };
        const message = `quoted field opened on line ${this.quoteLine} is never closed (reached end of file): the export looks cut off, or a closing quote is missing`;
        throw new IsmsKpiError(
          problem('unterminated-quote', this.headerDone ? message : `header: ${message}`, at),
        );
      }
    }
    this.acc = '';
    this.nCells = 0;
    this.state = ST_START;

    if (!this.headerDone) {
      const after = this.skipLines > 0 ? ` after the ${this.skipLines} skipped lines` : '';
      throw new IsmsKpiError(
        problem('no-header', `no header: the file has no non-blank line${after}`, { file: this.file }),
      );
    }
    return {
      delimiter: this.delimStr,
      encoding,
      bytes,
      lines,
      records: this.records,
      blankLines: this.blankLines,
      problems: this.problems,
    };
  }

  /** Past the preamble, the delimiter detection and the header: reading data records. */
  isReadingData(): boolean {
    return this.headerDone && !this.skipping && this.sample === undefined;
  }

  /** Between two data records (or before the first), nothing pending: a range may end here. */
  atBoundary(): boolean {
    return (
      this.isReadingData() &&
      this.state === ST_START &&
      this.nCells === 0 &&
      this.acc === '' &&
      !this.pendingLF
    );
  }

  /** Line breaks and data records read so far (a range's share of the file's lines and records). */
  get counts(): { lines: number; records: number } {
    return { lines: this.line - 1, records: this.records };
  }

  /** The result of a range that stopped at a record boundary before the end of the file. */
  summary(encoding: Encoding, bytes: number): CsvReadResult {
    return {
      delimiter: this.delimStr,
      encoding,
      bytes,
      lines: this.line - 1,
      records: this.records,
      blankLines: this.blankLines,
      problems: this.problems,
    };
  }

  private setDelimiter(delimiter: string): void {
    this.delimStr = delimiter;
    this.delim = delimiter.charCodeAt(0);
  }

  private feed(s: string, from: number): void {
    if (this.sample === undefined) {
      this.parse(s, from);
      return;
    }
    const part = from === 0 ? s : s.slice(from);
    this.sample.push(part);
    this.sampleLength += part.length;
    if (this.sampleLength >= SAMPLE_CHARS) this.flushSample(false);
  }

  private flushSample(atEnd: boolean): void {
    const text = (this.sample ?? []).join('');
    this.sample = undefined;
    let sample = text;
    if (!atEnd) {
      // Only whole lines: a cut-off last line would skew the counts.
      const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
      if (cut > 0) sample = text.slice(0, cut);
    }
    this.setDelimiter(detectDelimiter(sample, this.quoteStr));
    if (text.length > 0) this.parse(text, 0);
  }

  /** Consumes preamble lines; returns where the header line starts (or n). */
  private skip(s: string, from: number): number {
    const n = s.length;
    const prefix = this.headerPrefix;
    let i = from;
    while (i < n) {
      if (this.skipLeft === 0) {
        if (prefix === undefined) {
          this.skipping = false;
          return i;
        }
        if (!this.lineRejected) {
          const before = this.lineHead;
          const limit = Math.min(n, i + prefix.length - before.length);
          let k = i;
          while (k < limit) {
            const c = s.charCodeAt(k);
            if (c === LF || c === CR) break;
            k++;
          }
          const head = before + s.slice(i, k);
          if (head.length === prefix.length || k < limit) {
            if (head === prefix) {
              this.skipping = false;
              this.lineHead = '';
              // The start of the header line came in an earlier chunk: tokenize it first.
              if (before.length > 0) this.feed(before, 0);
              return i;
            }
            this.lineRejected = true;
            this.lineHead = '';
            i = k;
            continue;
          }
          this.lineHead = head;
          return n;
        }
      }
      // Skip to the end of this line.
      let k = i;
      let c = 0;
      while (k < n) {
        c = s.charCodeAt(k);
        if (c === LF || c === CR) break;
        k++;
      }
      if (k === n) {
        this.lineRejected = true;
        return n;
      }
      this.line++;
      k++;
      if (c === CR) {
        if (k < n) {
          if (s.charCodeAt(k) === LF) k++;
        } else {
          this.pendingLF = true;
        }
      }
      if (this.skipLeft > 0) this.skipLeft--;
      this.lineRejected = false;
      this.lineHead = '';
      i = k;
    }
    if (this.skipLeft === 0 && prefix === undefined) this.skipping = false;
    return i;
  }

  private endRecord(last: string, endLine: number): void {
    const k = this.nCells;
    if (k === this.starts.length) this.growSpans();
    this.cells[k] = last;
    this.starts[k] = -1;
    this.nCells = 0;
    this.emit('', k + 1, endLine);
  }

  /** Hands a complete record (or the header) of `count` cells to the sink. */
  private emit(s: string, count: number, endLine: number): void {
    const cells = this.cells;
    const starts = this.starts;
    // A row of delimiters only (`;;;;`, Excel's trailing rows) holds nothing: a blank line, not a record.
    if (this.headerDone && count > 1 && this.isEmptyRecord(count)) {
      this.blankLines++;
      return;
    }
    if (this.headerDone && this.sink.spans) {
      this.sink.spans(s, starts, this.ends, cells, count, this.recordLine, endLine, ++this.records);
      return;
    }
    const ends = this.ends;
    for (let k = 0; k < count; k++) if (starts[k]! >= 0) cells[k] = s.slice(starts[k]!, ends[k]!);
    if (cells.length !== count) cells.length = count;
    if (this.headerDone) {
      this.sink.record(cells, this.recordLine, endLine, ++this.records);
    } else {
      this.headerDone = true;
      this.headerNames = cells.map((cell) => cell.trim());
      this.sink.header(cells, this.recordLine, this.delimStr, this.quoteStr);
    }
  }

  private isEmptyRecord(count: number): boolean {
    for (let k = 0; k < count; k++) {
      const start = this.starts[k]!;
      if (start >= 0 ? this.ends[k]! > start : this.cells[k] !== '') return false;
    }
    return true;
  }

  private growSpans(): void {
    const starts = new Int32Array(this.starts.length * 2);
    starts.set(this.starts);
    this.starts = starts;
    const ends = new Int32Array(this.ends.length * 2);
    ends.set(this.ends);
    this.ends = ends;
  }

  /**
   * The hot loop. Field and line ends are found with indexOf (much faster than a charCodeAt loop in
   * V8); the next delimiter, \n and \r positions are cached and only searched again once passed.
   * State lives in locals while it runs and is written back at the end.
   */
  private parse(s: string, from: number): void {
    const n = s.length;
    const delim = this.delim;
    const delimStr = this.delimStr;
    const quote = this.quote;
    const quoteStr = this.quoteStr;
    const cells = this.cells;
    let starts = this.starts;
    let ends = this.ends;
    let state = this.state;
    let acc = this.acc;
    let nCells = this.nCells;
    let line = this.line;
    let i = from;
    let start = i;
    let c = 0;
    // A quoted field without escapes, closed in this chunk: its text is s[qStart..qEnd) (not yet in acc).
    let qSpan = false;
    let qStart = 0;
    let qEnd = 0;
    // Cached positions of the next delimiter, \n and \r (n = none left in this chunk; < i = stale,
    // search again). Searched once up front: starting them at -1 made Node 20's optimizing compiler
    // run the \r search for every field (a scan to the end of the chunk when the file has no \r).
    let nextDelim = indexOrEnd(s, delimStr, from, n);
    let nextLF = indexOrEnd(s, '\n', from, n);
    let nextCR = indexOrEnd(s, '\r', from, n);
    // The next quote, for quotes inside unquoted fields (cached the same way).
    let nextQuote = indexOrEnd(s, quoteStr, from, n);
    let quoteLine = this.quoteLine;

    while (i < n) {
      if (state === ST_START) {
        c = s.charCodeAt(i);
        if (nCells === 0) {
          if (c === LF || c === CR) {
            // A completely blank line: not a record.
            this.blankLines++;
            line++;
            i++;
            if (c === CR) {
              if (i < n) {
                if (s.charCodeAt(i) === LF) i++;
              } else {
                this.pendingLF = true;
              }
            }
            continue;
          }
          this.recordLine = line;
        }
        if (c === quote) {
          state = ST_QUOTED;
          quoteLine = line;
          i++;
          start = i;
          continue;
        }
        state = ST_UNQUOTED;
        start = i;
      }

      if (state === ST_UNQUOTED) {
        if (nextDelim < i) nextDelim = indexOrEnd(s, delimStr, i, n);
        if (nextLF < i) nextLF = indexOrEnd(s, '\n', i, n);
        if (nextCR < i) nextCR = indexOrEnd(s, '\r', i, n);
        let end = nextDelim;
        if (nextLF < end) end = nextLF;
        if (nextCR < end) end = nextCR;
        // A quote in here is kept literally (lenient), with a warning. Clean data has nextQuote = n: one
        // comparison per field. A stale nextQuote (< i) is also < end, so it is refreshed only in here.
        if (nextQuote < end) {
          if (nextQuote < i) nextQuote = indexOrEnd(s, quoteStr, i, n);
          if (nextQuote < end) this.quoteInside(line, nCells);
        }
        if (end === n) {
          acc += s.slice(start, n);
          if (acc.length > MAX_FIELD_CHARS) throw this.fieldTooLong(state);
          i = n;
          break;
        }
        i = end;
        c = s.charCodeAt(i);
        if (nCells === starts.length) {
          this.growSpans();
          starts = this.starts;
          ends = this.ends;
        }
        if (acc.length === 0) {
          starts[nCells] = start;
          ends[nCells++] = i;
        } else {
          cells[nCells] = acc + s.slice(start, i);
          starts[nCells++] = -1;
          acc = '';
        }
      } else if (state === ST_QUOTED) {
        let close = s.indexOf(quoteStr, i);
        if (close === -1) close = n;
        // Count the line breaks inside the quoted text (\r\n counts once).
        if (nextLF < i) nextLF = indexOrEnd(s, '\n', i, n);
        while (nextLF < close) {
          if ((nextLF > 0 ? s.charCodeAt(nextLF - 1) : this.prevLast) !== CR) line++;
          nextLF = indexOrEnd(s, '\n', nextLF + 1, n);
        }
        if (nextCR < i) nextCR = indexOrEnd(s, '\r', i, n);
        while (nextCR < close) {
          line++;
          nextCR = indexOrEnd(s, '\r', nextCR + 1, n);
        }
        if (close === n) {
          acc += s.slice(start, n);
          if (acc.length > MAX_FIELD_CHARS) throw this.fieldTooLong(state);
          i = n;
          break;
        }
        i = close + 1;
        if (i === n) {
          acc += s.slice(start, close);
          state = ST_QUOTE_END;
          break;
        }
        c = s.charCodeAt(i);
        if (c === quote) {
          // `""` -> one quote; the field goes on.
          acc += s.slice(start, close) + quoteStr;
          i++;
          start = i;
          continue;
        }
        if (c !== delim && c !== LF && c !== CR) this.warnQuote(TEXT_AFTER_QUOTE, line, nCells);
        if (acc.length === 0) {
          // Nothing before it in acc: the whole field is s[start..close), no substring needed yet.
          qSpan = true;
          qStart = start;
          qEnd = close;
        } else {
          acc += s.slice(start, close);
        }
        state = ST_AFTER_QUOTE;
        start = i;
        continue;
      } else if (state === ST_QUOTE_END) {
        // The previous chunk ended on a quote inside a quoted field.
        c = s.charCodeAt(i);
        if (c === quote) {
          acc += quoteStr;
          i++;
          start = i;
          state = ST_QUOTED;
        } else {
          if (c !== delim && c !== LF && c !== CR) this.warnQuote(TEXT_AFTER_QUOTE, line, nCells);
          start = i;
          state = ST_AFTER_QUOTE;
        }
        continue;
      } else {
        // ST_AFTER_QUOTE: `"abc"def` -> abcdef (lenient; warned on entry). Usually the delimiter comes
        // right away.
        while (i < n) {
          c = s.charCodeAt(i);
          if (c === delim || c === LF || c === CR) break;
          i++;
        }
        let isSpan = false;
        if (qSpan) {
          qSpan = false;
          if (i === n || i > start) acc = s.slice(qStart, qEnd);
          else isSpan = true;
        }
        if (i === n) {
          if (i > start) acc += s.slice(start, n);
          if (acc.length > MAX_FIELD_CHARS) throw this.fieldTooLong(state);
          break;
        }
        if (nCells === starts.length) {
          this.growSpans();
          starts = this.starts;
          ends = this.ends;
        }
        if (isSpan) {
          starts[nCells] = qStart;
          ends[nCells++] = qEnd;
        } else {
          cells[nCells] = i > start ? acc + s.slice(start, i) : acc;
          starts[nCells++] = -1;
          acc = '';
        }
      }

      // A field just ended at i, on a delimiter or a line break (c).
      i++;
      if (c === delim) {
        state = ST_START;
        continue;
      }
      this.emit(s, nCells, line);
      nCells = 0;
      state = ST_START;
      line++;
      if (c === CR) {
        if (i < n) {
          if (s.charCodeAt(i) === LF) i++;
        } else {
          this.pendingLF = true;
        }
      }
      if (this.stopAfterRecord) {
        this.stopIndex = i;
        break;
      }
    }

    // A record continues in the next chunk: its cells so far become strings (spans point into s).
    for (let k = 0; k < nCells; k++) {
      if (starts[k]! >= 0) {
        cells[k] = s.slice(starts[k]!, ends[k]!);
        starts[k] = -1;
      }
    }
    this.state = state;
    this.acc = acc;
    this.nCells = nCells;
    this.line = line;
    this.quoteLine = quoteLine;
  }

  /** A `stray-quote` warning for cell `cell` of the current record, on physical line `line`. */
  private warnQuote(message: string, line: number, cell: number): void {
    const record = this.headerDone ? this.records + 1 : 0;
    const column = this.headerDone ? this.headerNames[cell] : undefined;
    const p = problem(
      'stray-quote',
      message,
      column === undefined ? { file: this.file, line, record } : { file: this.file, line, record, column },
      'warning',
    );
    if (this.sink.addProblem) this.sink.addProblem(p);
    else if (this.problems.length < MAX_KEPT_WARNINGS) this.problems.push(p);
  }

  /** A quote inside an unquoted field: warned once per field, wherever the chunks cut it. */
  private quoteInside(line: number, cell: number): void {
    const record = this.headerDone ? this.records + 1 : 0;
    if (record === this.warnedRecord && cell === this.warnedCell) return;
    this.warnedRecord = record;
    this.warnedCell = cell;
    this.warnQuote(QUOTE_INSIDE, line, cell);
  }

  /** Thrown before a runaway field (an unterminated quote in a huge file) hits V8's string limit. */
  private fieldTooLong(state: number): IsmsKpiError {
    const at = { file: this.file, line: this.recordLine };
    const limit = `${MAX_FIELD_CHARS / 1024 / 1024}M characters`;
    if (state === ST_UNQUOTED) {
      return new IsmsKpiError(
        problem(
          'file-too-large',
          `a field on line ${at.line} is longer than ${limit} (no delimiter or line break)`,
          at,
        ),
      );
    }
    const message = `a quoted field in the record starting on line ${at.line} is longer than ${limit}; is its closing quote missing?`;
    return new IsmsKpiError(problem('unterminated-quote', message, at));
  }

  private usage(message: string): IsmsKpiError {
    return new IsmsKpiError(problem('usage', message, { file: this.file }));
  }
}
