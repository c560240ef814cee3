/**
 * Streams a file as decoded text chunks. Files of 100+ MB are normal, so nothing here ever holds a
 * whole file: bytes are read in fixed-size chunks and decoded in stream mode, which never splits a
 * multi-byte character or a UTF-16 code unit across two chunks.
 *
 * Every failure is an `IsmsKpiError` naming the file; raw exceptions (ENOENT, EACCES, the decoder's
 * TypeError) never escape.
 */
import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import { IsmsKpiError, type Location, type ProblemCode, problem } from '../problems.js';
import { fileProblem, notAFileMessage, specialKind } from '../util/file-problem.js';
import { type InflateLimits, inflate, isCompressed, type Packing, packingOf } from './inflate.js';

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1' | 'windows-1252';

export interface DecodeOptions {
  /** 'auto' (default): UTF-8 BOM -> utf-8, FF FE -> utf-16le, FE FF -> utf-16be, else utf-8. */
  encoding?: Encoding | 'auto';
  /** Bytes read per chunk; default 64 KiB (see DEFAULT_CHUNK_SIZE). */
  chunkSize?: number;
  /**
   * Sees every raw byte as it is read (BOM included), e.g. to hash the file or report progress; for a
   * compressed file (inflate.ts), the bytes as stored.
   */
  onBytes?: (bytes: Uint8Array) => void;
  /** How far a compressed file may inflate (inflate.ts; tests lower it). */
  inflateLimits?: InflateLimits;
}

export interface DecodedText {
  encoding: Encoding;
  /** File size in bytes, BOM included (as stored, for a compressed file). */
  bytes: number;
  hadBom: boolean;
  /** A compressed file: the size of the inner file as the archive says it (a zip entry; a gzip trailer, a hint). */
  innerBytes?: number;
}

/**
 * 64 KiB, not more: a decoded chunk then stays below V8's large-object size (128 KB), and large
 * strings are much slower to allocate and collect. Measured on a 128 MB, 1M-row CSV (Node 20): about
 * 0.45 s to tokenize with 64 KiB chunks, 1.2 s with 1 MiB chunks.
 */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;

/** Bytes read from the file at a time (decoded in DEFAULT_CHUNK_SIZE pieces). */
const READ_SIZE = 1024 * 1024;

const ENCODINGS: readonly string[] = ['utf-8', 'utf-16le', 'utf-16be', 'latin1', 'windows-1252'];

/**
 * Async generator of decoded string chunks, BOM stripped. Invalid UTF-8 / UTF-16 is fatal
 * ('undecodable', with the physical line and byte offset of the first bad byte).
 *
 * The file is opened before this resolves (so missing, unreadable and empty files fail here) and
 * closed when `chunks` has been iterated to the end, or the loop over it is left early.
 *
 * 'latin1' and 'windows-1252' both decode as Windows-1252, as the WHATWG Encoding standard (and every
 * browser) does for the label latin1: it only differs from ISO-8859-1 in 0x80-0x9F, where ISO-8859-1
 * has C1 control characters that real text never contains, and files labelled Latin-1 are very often
 * Windows-1252 (curly quotes, euro sign).
 */
export async function openText(
  path: string,
  displayPath: string,
  options: DecodeOptions = {},
): Promise<{ info: DecodedText; chunks: AsyncIterable<string> }> {
  const requested = checkedEncoding(options.encoding ?? 'auto', displayPath);
  const chunkSize =
    options.chunkSize !== undefined && Number.isFinite(options.chunkSize) && options.chunkSize >= 1
      ? Math.floor(options.chunkSize)
      : DEFAULT_CHUNK_SIZE;

  // `x.csv.gz`, `x.zip`, `x.zip#inner.csv`: the file on disk is the compressed one.
  const packing = packingOf(path);
  if (packing.kind !== 'plain') {
    const { fh, st } = await openChecked(packing.file, displayPath);
    if (st.size === 0) {
      await fh.close().catch(() => undefined);
      throw fail('file-empty', displayPath, 'file is empty');
    }
    return openPacked(fh, st.size, packing, path, displayPath, requested, chunkSize, options);
  }

  const { fh, head, encoding, bomLength, info } = await openAndSniff(path, displayPath, requested);
  try {
    options.onBytes?.(head);
  } catch (error) {
    await fh.close().catch(() => undefined);
    throw error;
  }
  return {
    info,
    chunks: readChunks(fh, path, displayPath, head, bomLength, encoding, chunkSize, options.onBytes),
  };
}

function checkedEncoding(requested: Encoding | 'auto', displayPath: string): Encoding | 'auto' {
  if (requested !== 'auto' && !ENCODINGS.includes(requested)) {
    throw fail('usage', displayPath, `unknown encoding '${String(requested)}' (use ${ENCODINGS.join(', ')})`);
  }
  return requested;
}

/** Opens a regular file (the stored file, for a compressed one); refuses folders, pipes and devices. */
async function openChecked(file: string, displayPath: string): Promise<{ fh: FileHandle; st: Stats }> {
  let st: Stats;
  try {
    st = await stat(file);
  } catch (error) {
    throw fsError(error, displayPath);
  }
  if (st.isDirectory()) throw fail('file-is-directory', displayPath, 'is a directory, not a file');
  // Regular files only: opening a named pipe blocks until a writer comes, a device such as /dev/zero
  // never ends (and stat gives it size 0, which every size limit would let through).
  refuseSpecial(st, displayPath);

  let fh: FileHandle;
  try {
    fh = await openRegular(file);
  } catch (error) {
    throw fsError(error, displayPath);
  }
  try {
    // The path may have been replaced between the stat and the open: check what was opened.
    refuseSpecial(await fh.stat(), displayPath);
  } catch (error) {
    await fh.close().catch(() => undefined);
    throw fsError(error, displayPath);
  }
  return { fh, st };
}

/**
 * Opens a plain (not compressed) file for openText and openTextRange: a regular, non-empty file, its
 * encoding and byte order mark from its first bytes (`head`). The caller closes `fh`. Compressed files
 * are never read by position (openPacked streams them from the start).
 */
async function openAndSniff(
  path: string,
  displayPath: string,
  requested: Encoding | 'auto',
): Promise<{ fh: FileHandle; head: Buffer; encoding: Encoding; bomLength: number; info: DecodedText }> {
  checkedEncoding(requested, displayPath);
  if (isCompressed(path)) throw new Error('openAndSniff: a compressed file is read whole by openText');
  const { fh, st } = await openChecked(path, displayPath);
  let head: Buffer;
  let bomLength: number;
  let encoding: Encoding;
  try {
    head = await readHead(fh, displayPath);
    if (head.length === 0) throw fail('file-empty', displayPath, 'file is empty');
    ({ encoding, bomLength } = sniff(head, requested));
    if (bomLength > 0 && head.length === bomLength && st.isFile() && st.size === bomLength) {
      throw fail('file-empty', displayPath, 'file is empty (it holds only a byte order mark)');
    }
  } catch (error) {
    await fh.close().catch(() => undefined);
    throw error;
  }
  return { fh, head, encoding, bomLength, info: { encoding, bytes: st.size, hadBom: bomLength > 0 } };
}

async function* readChunks(
  fh: FileHandle,
  path: string,
  displayPath: string,
  head: Buffer,
  bomLength: number,
  encoding: Encoding,
  chunkSize: number,
  onBytes?: (bytes: Uint8Array) => void,
): AsyncGenerator<string, void, undefined> {
  const decoder = makeDecoder(encoding);
  try {
    try {
      // The first bytes were read to look for a BOM; hand them on in chunkSize pieces as well.
      for (let at = bomLength; at < head.length; at += chunkSize) {
        const text = decoder.decode(head.subarray(at, Math.min(head.length, at + chunkSize)));
        if (text.length > 0) yield text;
      }
      // Bytes are read in large blocks (each read is an asynchronous round trip through the thread
      // pool) and decoded in chunkSize pieces (see DEFAULT_CHUNK_SIZE).
      const readSize = Math.max(chunkSize, READ_SIZE);
      const buffer = Buffer.allocUnsafe(readSize);
      for (;;) {
        let bytesRead: number;
        try {
          ({ bytesRead } = await fh.read(buffer, 0, readSize, null));
        } catch (error) {
          throw fsError(error, displayPath);
        }
        if (bytesRead === 0) break;
        onBytes?.(buffer.subarray(0, bytesRead));
        // Decoders copy out what they keep, so the buffer can be reused for the next read.
        for (let at = 0; at < bytesRead; at += chunkSize) {
          const text = decoder.decode(buffer.subarray(at, Math.min(bytesRead, at + chunkSize)));
          if (text.length > 0) yield text;
        }
      }
      const tail = decoder.end();
      if (tail.length > 0) yield tail;
    } catch (error) {
      throw await readFailure(error, path, displayPath, encoding, bomLength);
    }
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** Decoded text of a part of a file, with the offset of its first byte. */
export interface TextPiece {
  text: string;
  byteStart: number;
}

/**
 * A part of a file as decoded pieces, for reading a file in ranges (load-ranges.ts): from byte `start`
 * (a character boundary: 0, or just after a \n byte) to the end of the file, in pieces that never
 * cross `softEnd`, so the reader can look at its state exactly there and read on past it only as far
 * as it needs to. Only encodings where a \n byte is always a line feed and the start of a character
 * (UTF-8, Latin-1 / Windows-1252). From byte 0 a byte order mark is detected and skipped as by
 * openText; a later start needs the encoding (and the file's BOM length, for locating a bad byte).
 */
export async function openTextRange(
  path: string,
  displayPath: string,
  options: {
    encoding: Encoding | 'auto';
    start: number;
    softEnd: number;
    bomLength?: number;
    chunkSize?: number;
    onBytes?: (bytes: Uint8Array) => void;
  },
): Promise<{ info: DecodedText; pieces: AsyncIterable<TextPiece> }> {
  if (isCompressed(path)) throw new Error('openTextRange: a compressed file is read whole by openText');
  if (options.start === 0) {
    // The checks, the BOM and the encoding exactly as openText has them; then read by position.
    const { fh, info, bomLength } = await openAndSniff(path, displayPath, options.encoding);
    await fh.close().catch(() => undefined);
    return {
      info,
      pieces: rangePieces(path, displayPath, {
        ...options,
        encoding: info.encoding,
        start: bomLength,
        bomLength,
      }),
    };
  }
  if (options.encoding === 'auto') throw new Error('openTextRange: a range after byte 0 needs its encoding');
  const encoding = options.encoding;
  const info = await fileInfo(path);
  return {
    info: { encoding, bytes: info?.size ?? 0, hadBom: (options.bomLength ?? 0) > 0 },
    pieces: rangePieces(path, displayPath, { ...options, encoding, bomLength: options.bomLength ?? 0 }),
  };
}

async function* rangePieces(
  path: string,
  displayPath: string,
  options: {
    encoding: Encoding;
    start: number;
    softEnd: number;
    bomLength: number;
    chunkSize?: number;
    onBytes?: (bytes: Uint8Array) => void;
  },
): AsyncGenerator<TextPiece, void, undefined> {
  const { encoding, softEnd, bomLength } = options;
  if (encoding === 'utf-16le' || encoding === 'utf-16be')
    throw new Error('openTextRange: UTF-16 files are read whole');
  let fh: FileHandle;
  try {
    fh = await openRegular(path);
  } catch (error) {
    throw fsError(error, displayPath);
  }
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const decoder = makeDecoder(encoding);
  try {
    try {
      const readSize = Math.max(chunkSize, READ_SIZE);
      const buffer = Buffer.allocUnsafe(readSize);
      let position = options.start;
      for (;;) {
        // A read never crosses softEnd: the piece before it ends exactly there.
        const length = position < softEnd ? Math.min(readSize, softEnd - position) : readSize;
        let bytesRead: number;
        try {
          ({ bytesRead } = await fh.read(buffer, 0, length, position));
        } catch (error) {
          throw fsError(error, displayPath);
        }
        if (bytesRead === 0) break;
        options.onBytes?.(buffer.subarray(0, bytesRead));
        for (let at = 0; at < bytesRead; at += chunkSize) {
          const byteStart = position + at - (decoder.pending ?? 0);
          const text = decoder.decode(buffer.subarray(at, Math.min(bytesRead, at + chunkSize)));
          if (text.length > 0) yield { text, byteStart };
        }
        position += bytesRead;
      }
      const byteStart = position - (decoder.pending ?? 0);
      const tail = decoder.end();
      if (tail.length > 0) yield { text: tail, byteStart };
    } catch (error) {
      throw await readFailure(error, path, displayPath, encoding, bomLength);
    }
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** Bytes of `text` up to `index` in `encoding` (UTF-8, or one byte per character). */
export function encodedLength(text: string, index: number, encoding: Encoding): number {
  return encoding === 'utf-8' ? Buffer.byteLength(text.slice(0, index), 'utf8') : index;
}

/**
 * Up to `length` bytes of a file from `position`, decoded from the first byte after the first \n in
 * them (so from a character boundary), for a look at the records there; undefined when the file could
 * not be read. `lineStart` is the offset of that byte, or -1 when the bytes hold no \n. A character cut
 * by the end of the bytes is left out.
 */
export async function textAfterLineBreak(
  path: string,
  position: number,
  length: number,
  encoding: Encoding,
): Promise<{ text: string; lineStart: number; bytes: Buffer } | undefined> {
  let fh: FileHandle | undefined;
  try {
    fh = await openRegular(path);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buffer, 0, length, position);
    const bytes = buffer.subarray(0, bytesRead);
    const lf = bytes.indexOf(0x0a);
    if (lf < 0) return { text: '', lineStart: -1, bytes };
    const rest = bytes.subarray(lf + 1);
    const text =
      encoding === 'utf-8'
        ? new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(
            rest.subarray(0, completeUtf8Length(rest)),
          )
        : decodeWindows1252(rest);
    return { text, lineStart: position + lf + 1, bytes: rest };
  } catch {
    return undefined;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/**
 * SHA-256 of a whole file, read in large blocks (a file read in ranges is hashed apart from them); of
 * the file as stored for a compressed one (`x.zip#inner.csv`: of `x.zip`).
 */
export async function hashFile(path: string, displayPath: string): Promise<string> {
  const hash = createHash('sha256');
  let fh: FileHandle;
  try {
    fh = await openRegular(packingOf(path).file);
  } catch (error) {
    throw fsError(error, displayPath);
  }
  try {
    const buffer = Buffer.allocUnsafe(4 * READ_SIZE);
    for (;;) {
      const { bytesRead } = await fh.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } catch (error) {
    throw fsError(error, displayPath);
  } finally {
    await fh.close().catch(() => undefined);
  }
  return hash.digest('hex');
}

/**
 * A compressed file (inflate.ts): its inflated bytes decoded exactly as a plain file's, so the readers
 * count the lines of the inner file. The encoding is sniffed from the first inflated bytes.
 */
async function openPacked(
  fh: FileHandle,
  size: number,
  packing: Packing,
  path: string,
  displayPath: string,
  requested: Encoding | 'auto',
  chunkSize: number,
  options: DecodeOptions,
): Promise<{ info: DecodedText; chunks: AsyncIterable<string> }> {
  let iterator: AsyncIterator<Buffer>;
  let head: Buffer = Buffer.alloc(0);
  let innerBytes: number | undefined;
  try {
    const inflated = await inflate(fh, size, packing, displayPath, {
      limits: options.inflateLimits,
      onStoredBytes: options.onBytes,
    });
    innerBytes = inflated.innerBytes;
    iterator = inflated.chunks[Symbol.asyncIterator]();
    // Enough bytes to see a byte order mark.
    while (head.length < 3) {
      const next = await iterator.next();
      if (next.done) break;
      head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
    }
  } catch (error) {
    await fh.close().catch(() => undefined);
    throw fsError(error, displayPath);
  }
  if (head.length === 0) {
    await fh.close().catch(() => undefined);
    throw fail('file-empty', displayPath, 'file is empty (once decompressed)');
  }
  const { encoding, bomLength } = sniff(head, requested);
  const info: DecodedText = {
    encoding,
    bytes: size,
    hadBom: bomLength > 0,
    ...(innerBytes !== undefined ? { innerBytes } : {}),
  };
  async function* rest(): AsyncGenerator<Buffer> {
    yield head.subarray(bomLength);
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  async function* chunks(): AsyncGenerator<string, void, undefined> {
    const decoder = makeDecoder(encoding);
    try {
      try {
        for await (const block of rest()) {
          for (let at = 0; at < block.length; at += chunkSize) {
            const text = decoder.decode(block.subarray(at, Math.min(block.length, at + chunkSize)));
            if (text.length > 0) yield text;
          }
        }
        const tail = decoder.end();
        if (tail.length > 0) yield tail;
      } catch (error) {
        throw await readFailure(error, path, displayPath, encoding, bomLength, options.inflateLimits);
      }
    } finally {
      await iterator.return?.().catch(() => undefined);
      await fh.close().catch(() => undefined);
    }
  }
  return { info, chunks: chunks() };
}

/**
 * Opens for reading without blocking: O_NONBLOCK makes the open of a named pipe without a writer return
 * at once (the caller then sees what it opened and refuses it); it changes nothing for regular files.
 */
export function openRegular(path: string): Promise<FileHandle> {
  return open(path, constants.O_RDONLY | constants.O_NONBLOCK);
}

function refuseSpecial(st: Stats, displayPath: string): void {
  const kind = specialKind(st);
  if (kind) throw fail('not-a-file', displayPath, notAFileMessage(kind));
}

// ---------------------------------------------------------------------------------------------------
// Encoding detection and decoders

async function readHead(fh: FileHandle, displayPath: string): Promise<Buffer> {
  const head = Buffer.alloc(3);
  let filled = 0;
  while (filled < head.length) {
    let bytesRead: number;
    try {
      ({ bytesRead } = await fh.read(head, filled, head.length - filled, null));
    } catch (error) {
      throw fsError(error, displayPath);
    }
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return head.subarray(0, filled);
}

function sniff(head: Buffer, requested: Encoding | 'auto'): { encoding: Encoding; bomLength: number } {
  const utf8Bom = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  const leBom = head.length >= 2 && head[0] === 0xff && head[1] === 0xfe;
  const beBom = head.length >= 2 && head[0] === 0xfe && head[1] === 0xff;
  switch (requested) {
    case 'auto':
      if (utf8Bom) return { encoding: 'utf-8', bomLength: 3 };
      if (leBom) return { encoding: 'utf-16le', bomLength: 2 };
      if (beBom) return { encoding: 'utf-16be', bomLength: 2 };
      return { encoding: 'utf-8', bomLength: 0 };
    case 'utf-8':
      return { encoding: requested, bomLength: utf8Bom ? 3 : 0 };
    case 'utf-16le':
      return { encoding: requested, bomLength: leBom ? 2 : 0 };
    case 'utf-16be':
      return { encoding: requested, bomLength: beBom ? 2 : 0 };
    default:
      // Single-byte encodings have no BOM: EF BB BF would be three real characters.
      return { encoding: requested, bomLength: 0 };
  }
}

interface ChunkDecoder {
  decode(bytes: Buffer): string;
  end(): string;
  /** Bytes received but not yet decoded (a character cut by the end of the last piece). */
  readonly pending?: number;
}

function makeDecoder(encoding: Encoding): ChunkDecoder {
  if (encoding === 'latin1' || encoding === 'windows-1252') {
    return { decode: decodeWindows1252, end: () => '' };
  }
  if (encoding === 'utf-8') return new Utf8Decoder();
  // fatal: invalid bytes throw instead of becoming U+FFFD; ignoreBOM: the BOM is stripped already,
  // a second one is content.
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  return {
    decode: (bytes) => decoder.decode(bytes, { stream: true }),
    end: () => decoder.decode(),
  };
}

/**
 * Strict UTF-8 in chunks. TextDecoder's stream mode would do, but in Node 20 it leaves the fast
 * (simdutf) path for ICU: 2-3 times slower, and it returns two-byte strings even for ASCII, which
 * makes every later string operation slower too. So each chunk is decoded whole, without stream
 * mode, and the bytes of a character cut by the end of the chunk are carried over to the next one.
 */
class Utf8Decoder implements ChunkDecoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private carry: Buffer | undefined;

  decode(bytes: Buffer): string {
    let input = bytes;
    if (this.carry) {
      input = Buffer.concat([this.carry, bytes]);
      this.carry = undefined;
    }
    const end = completeUtf8Length(input);
    // Copy: the caller reuses its buffer for the next read.
    if (end < input.length) this.carry = Buffer.from(input.subarray(end));
    return end === 0 ? '' : this.decoder.decode(input.subarray(0, end));
  }

  get pending(): number {
    return this.carry?.length ?? 0;
  }

  end(): string {
    // A character still cut off at the end of the file: let the decoder reject it.
    return this.carry ? this.decoder.decode(this.carry) : '';
  }
}

/**
 * Length of `bytes` without a multi-byte UTF-8 sequence cut off at its end (at most 3 bytes are
 * left out). Invalid bytes are left in, for the decoder to reject.
 */
function completeUtf8Length(bytes: Buffer): number {
  const n = bytes.length;
  let k = n - 1;
  let continuation = 0;
  while (k >= 0 && continuation < 3 && (bytes[k]! & 0xc0) === 0x80) {
    k--;
    continuation++;
  }
  if (k < 0) return n;
  const lead = bytes[k]!;
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return length > continuation + 1 ? k : n;
}

/** Windows-1252 characters for bytes 0x80-0x9F (the five unassigned bytes map to C1 controls). */
const CP1252_80_9F =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const C1_TEST = /[\u0080-\u009f]/;
const C1_ALL = /[\u0080-\u009f]/g;

/**
 * Node's own windows-1252 TextDecoder is not reliable across Node 20 releases (some decode it as
 * ISO-8859-1), so: decode as ISO-8859-1 (fast, byte = code point), then remap 0x80-0x9F.
 */
function decodeWindows1252(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  if (!C1_TEST.test(text)) return text;
  return text.replace(C1_ALL, (c) => CP1252_80_9F.charAt(c.charCodeAt(0) - 0x80));
}

function isDecodeError(error: TypeError): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'ERR_ENCODING_INVALID_ENCODED_DATA';
}

// ---------------------------------------------------------------------------------------------------
// Locating the first undecodable byte (error path only: re-reads the file from the start)

interface BadBytes {
  offset: number;
  line: number;
  detail: string;
}

/**
 * What a failed read of a file becomes: our own error as it is, bytes the encoding cannot decode as a
 * located `undecodable` problem, anything else as the file-system error it is.
 */
async function readFailure(
  error: unknown,
  path: string,
  displayPath: string,
  encoding: Encoding,
  bomLength: number,
  limits?: InflateLimits,
): Promise<IsmsKpiError> {
  if (error instanceof IsmsKpiError) return error;
  if (error instanceof TypeError && isDecodeError(error))
    return undecodable(path, displayPath, encoding, bomLength, limits);
  return fsError(error, displayPath);
}

async function undecodable(
  path: string,
  displayPath: string,
  encoding: Encoding,
  bomLength: number,
  limits?: InflateLimits,
): Promise<IsmsKpiError> {
  const name = encoding === 'utf-8' ? 'UTF-8' : encoding === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE';
  let bad: BadBytes | undefined;
  try {
    bad = await locateBadBytes(path, displayPath, encoding, bomLength, limits);
  } catch {
    bad = undefined;
  }
  const hint =
    encoding === 'utf-8'
      ? '; if the file is Latin-1 or Windows-1252, set encoding: latin1 on the source'
      : '';
  if (!bad) return fail('undecodable', displayPath, `bytes are not valid ${name}${hint}`);
  return fail('undecodable', displayPath, `bytes are not valid ${name} (${bad.detail})${hint}`, {
    line: bad.line,
  });
}

async function locateBadBytes(
  path: string,
  displayPath: string,
  encoding: Encoding,
  bomLength: number,
  limits?: InflateLimits,
): Promise<BadBytes | undefined> {
  const validator =
    encoding === 'utf-8' ? new Utf8Validator(bomLength) : new Utf16Validator(bomLength, encoding);
  const packing = packingOf(path);
  const fh = await openRegular(packing.file);
  try {
    if (packing.kind !== 'plain') {
      // The inner file, inflated again from its start (offsets are of the inner file).
      const { size } = await fh.stat();
      const inflated = await inflate(fh, size, packing, displayPath, { limits });
      let skip = bomLength;
      for await (const block of inflated.chunks) {
        const bytes = skip > 0 ? block.subarray(Math.min(skip, block.length)) : block;
        skip -= block.length - bytes.length;
        const bad = validator.feed(bytes, bytes.length);
        if (bad) return bad;
      }
      return validator.end();
    }
    const buffer = Buffer.allocUnsafe(DEFAULT_CHUNK_SIZE);
    let position = bomLength;
    for (;;) {
      const { bytesRead } = await fh.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) return validator.end();
      const bad = validator.feed(buffer, bytesRead);
      if (bad) return bad;
      position += bytesRead;
    }
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/**
 * The first invalid UTF-8 sequence of a whole text in memory (e.g. a catalogue), with its line and
 * byte offset; undefined when the bytes are valid UTF-8. `start` skips a byte order mark.
 */
export function findInvalidUtf8(
  bytes: Uint8Array,
  start = 0,
): { line: number; offset: number; detail: string } | undefined {
  const validator = new Utf8Validator(start);
  return validator.feed(bytes.subarray(start), bytes.length - start) ?? validator.end();
}

function hex(value: number, digits: number): string {
  return '0x' + value.toString(16).toUpperCase().padStart(digits, '0');
}

/** WHATWG UTF-8 decoding rules (overlongs, surrogates and > U+10FFFF are invalid), plus line counting. */
class Utf8Validator {
  private offset: number;
  private line = 1;
  private prevCR = false;
  private need = 0;
  private lo = 0x80;
  private hi = 0xbf;
  private leadOffset = 0;
  private leadByte = 0;
  private leadLine = 1;

  constructor(startOffset: number) {
    this.offset = startOffset;
  }

  feed(bytes: Uint8Array, length: number): BadBytes | undefined {
    let { need, lo, hi, line, prevCR } = this;
    const base = this.offset;
    for (let i = 0; i < length; i++) {
      const b = bytes[i]!;
      if (need > 0) {
        if (b < lo || b > hi) return this.bad(this.leadByte, this.leadOffset, this.leadLine);
        need--;
        lo = 0x80;
        hi = 0xbf;
        continue;
      }
      if (b < 0x80) {
        if (b === 0x0a) {
          if (!prevCR) line++;
        } else if (b === 0x0d) {
          line++;
        }
        prevCR = b === 0x0d;
        continue;
      }
      prevCR = false;
      if (b >= 0xc2 && b <= 0xdf) need = 1;
      else if (b === 0xe0) {
        need = 2;
        lo = 0xa0;
      } else if (b === 0xed) {
        need = 2;
        hi = 0x9f;
      } else if (b >= 0xe1 && b <= 0xef) need = 2;
      else if (b === 0xf0) {
        need = 3;
        lo = 0x90;
      } else if (b === 0xf4) {
        need = 3;
        hi = 0x8f;
      } else if (b >= 0xf1 && b <= 0xf3) need = 3;
      else return this.bad(b, base + i, line);
      this.leadByte = b;
      this.leadOffset = base + i;
      this.leadLine = line;
    }
    this.need = need;
    this.lo = lo;
    this.hi = hi;
    this.line = line;
    this.prevCR = prevCR;
    this.offset = base + length;
    return undefined;
  }

  end(): BadBytes | undefined {
    if (this.need > 0)
      return this.bad(this.leadByte, this.leadOffset, this.leadLine, ', cut off by the end of file');
    return undefined;
  }

  private bad(byte: number, offset: number, line: number, why = ''): BadBytes {
    return { offset, line, detail: `byte ${hex(byte, 2)} at offset ${offset}${why}` };
  }
}

class Utf16Validator {
  private offset: number;
  private line = 1;
  private prevCR = false;
  private pendingByte = -1;
  private pendingOffset = 0;
  /** A high surrogate waiting for its low half. */
  private high = -1;
  private highOffset = 0;
  private readonly littleEndian: boolean;

  constructor(startOffset: number, encoding: Encoding) {
    this.offset = startOffset;
    this.littleEndian = encoding === 'utf-16le';
  }

  feed(bytes: Uint8Array, length: number): BadBytes | undefined {
    for (let i = 0; i < length; i++) {
      const b = bytes[i]!;
      if (this.pendingByte < 0) {
        this.pendingByte = b;
        this.pendingOffset = this.offset + i;
        continue;
      }
      const unit = this.littleEndian ? this.pendingByte | (b << 8) : (this.pendingByte << 8) | b;
      const unitOffset = this.pendingOffset;
      this.pendingByte = -1;
      if (this.high >= 0) {
        if (unit < 0xdc00 || unit > 0xdfff)
          return this.bad(`unpaired surrogate ${hex(this.high, 4)}`, this.highOffset);
        this.high = -1;
        continue;
      }
      if (unit >= 0xd800 && unit <= 0xdbff) {
        this.high = unit;
        this.highOffset = unitOffset;
      } else if (unit >= 0xdc00 && unit <= 0xdfff) {
        return this.bad(`unpaired surrogate ${hex(unit, 4)}`, unitOffset);
      } else if (unit === 0x0a) {
        if (!this.prevCR) this.line++;
      } else if (unit === 0x0d) {
        this.line++;
      }
      this.prevCR = unit === 0x0d;
    }
    this.offset += length;
    return undefined;
  }

  end(): BadBytes | undefined {
    if (this.high >= 0) return this.bad(`unpaired surrogate ${hex(this.high, 4)}`, this.highOffset);
    if (this.pendingByte >= 0) return this.bad('odd number of bytes', this.pendingOffset);
    return undefined;
  }

  private bad(what: string, offset: number): BadBytes {
    return { offset, line: this.line, detail: `${what} at offset ${offset}` };
  }
}

// ---------------------------------------------------------------------------------------------------
// Errors

function fail(
  code: ProblemCode,
  file: string,
  message: string,
  at: Omit<Location, 'file'> = {},
): IsmsKpiError {
  return new IsmsKpiError(problem(code, message, { file, ...at }));
}

function fsError(error: unknown, displayPath: string): IsmsKpiError {
  if (error instanceof IsmsKpiError) return error;
  return new IsmsKpiError(fileProblem(error, displayPath));
}

/** The size of a file in bytes; 0 when it cannot be read (reading it then reports why). */
export async function fileSize(path: string): Promise<number> {
  return (await fileInfo(path))?.size ?? 0;
}

/** Size and modification time of a file, or undefined when it cannot be read (reading it then says why). */
export async function fileInfo(path: string): Promise<{ size: number; modified: number } | undefined> {
  const info = await stat(packingOf(path).file).catch(() => undefined);
  return info ? { size: info.size, modified: info.mtimeMs } : undefined;
}

/**
 * The entries of a folder, sorted by name, with whether each is a folder or a file (a symbolic link
 * counts as the file it points to; links to folders are not followed); undefined when the folder cannot
 * be read. For the globs of inputs.ts.
 */
export async function folderEntries(
  dir: string,
): Promise<{ name: string; isDirectory: boolean; isFile: boolean }[] | undefined> {
  try {
    const listed = await readdir(dir, { withFileTypes: true });
    const entries = await Promise.all(
      listed.map(async (e) => {
        if (!e.isSymbolicLink()) return { name: e.name, isDirectory: e.isDirectory(), isFile: e.isFile() };
        const target = await stat(`${dir}/${e.name}`).catch(() => undefined);
        return { name: e.name, isDirectory: false, isFile: target?.isFile() ?? false };
      }),
    );
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return undefined;
  }
}
