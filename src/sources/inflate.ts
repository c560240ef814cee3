/**
 * Compressed exports, below the parsers: a `.gz` file (gunzip, streamed) or one entry of a `.zip` archive
 * (`path.zip`, or `path.zip#entry.csv` to name the entry), handed on as the inflated bytes of the inner
 * file, so every reader sees the inner file and counts its lines (decode.ts decodes them like any file).
 *
 * Decisions (docs/catalogue.md, 2.1 "Compressed files"; SECURITY.md):
 * - Recognised by the name only (`.gz`, `.zip`, `.zip#entry`), never by sniffing the bytes.
 * - The sha256 recorded in reports and evidence packs is that of the file as stored (the `.gz` or the
 *   whole `.zip`): that is the file an auditor can hash again. Its size (`bytes`) is the stored size too.
 * - A zip reader of our own (central directory, Stored and Deflate, Zip64 sizes and offsets) instead of a
 *   dependency: about 200 lines, and it lets every refusal be one located line. Encrypted entries and
 *   other methods (Deflate64, bzip2, LZMA, zstd) are refused with what to do; the CRC-32 and the declared
 *   size of the entry are checked at its end.
 * - Decompression bombs: the inflated bytes are capped at MAX_INFLATE_RATIO times the stored size (at
 *   least MIN_INFLATE_CAP), counted as they come out; a zip entry that declares more is refused before any
 *   inflating. What exceeds the cap stops the read with a `file-too-large` error naming the file.
 * - One stream per file: byte-range splitting (several readers over one file) cannot apply to a
 *   compressed file, since a gzip or Deflate stream can only be read from its start.
 */

import { pipeline, Readable } from 'node:stream';
import { crc32, createGunzip, createInflateRaw } from 'node:zlib';
import { IsmsKpiError, problem } from '../problems.js';
import { quote } from '../text.js';
import { sizeInWords } from '../util/file-problem.js';

export type PackingKind = 'plain' | 'gzip' | 'zip';

/** What this module needs of an open file (decode.ts opens it: only it touches the file system). */
interface FileHandle {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
}

export interface Packing {
  /** The file on disk (the archive, for a zip entry). */
  file: string;
  kind: PackingKind;
  /** The entry named after `#` in `archive.zip#entry.csv`. */
  entry?: string;
}

/** How far a compressed file may inflate (tests lower these). */
export interface InflateLimits {
  /** Inflated bytes allowed per stored byte. */
  ratio?: number;
  /** Inflated bytes always allowed, whatever the ratio (a small, very regular export). */
  minBytes?: number;
}

/** Deflate cannot exceed about 1,032 : 1; real CSV and JSON exports compress 5 to 50 times. */
export const MAX_INFLATE_RATIO = 250;
export const MIN_INFLATE_CAP = 256 * 1024 * 1024;

const ZIP_ENTRY = /^(.*?\.zip)#(.+)$/is;

/**
 * What a path names: `x.csv.gz` a gzip file, `x.zip` the one file of an archive, `x.zip#inner.csv` that
 * entry (the first `.zip#` splits: a `#` elsewhere is part of a name).
 */
export function packingOf(path: string): Packing {
  const zip = ZIP_ENTRY.exec(path);
  if (zip) return { file: zip[1]!, kind: 'zip', entry: zip[2]! };
  const lower = path.toLowerCase();
  if (lower.endsWith('.gz')) return { file: path, kind: 'gzip' };
  if (lower.endsWith('.zip')) return { file: path, kind: 'zip' };
  return { file: path, kind: 'plain' };
}

/** The name a format is inferred from: `a.csv.gz` -> `a.csv`, `a.zip#b.json` -> `b.json`. */
export function innerName(path: string): string {
  const packing = packingOf(path);
  if (packing.kind === 'gzip') return path.slice(0, -3);
  if (packing.kind === 'zip') return packing.entry ?? path.slice(0, -4);
  return path;
}

export function isCompressed(path: string): boolean {
  return packingOf(path).kind !== 'plain';
}

const READ_SIZE = 1024 * 1024;

export interface Inflated {
  /** The inner file's bytes as they are inflated. */
  chunks: AsyncIterable<Buffer>;
  /** The inner file's size as the archive says it: a zip entry's; for gzip, the trailer's (a hint). */
  innerBytes: number | undefined;
}

/**
 * The inflated bytes of a compressed file opened as `fh` (`size` bytes stored). `onStoredBytes` sees every
 * stored byte of the file once, in order (to hash the file as stored and report progress). The caller
 * closes `fh` after iterating.
 */
export async function inflate(
  fh: FileHandle,
  size: number,
  packing: Packing,
  displayPath: string,
  options: { limits?: InflateLimits | undefined; onStoredBytes?: ((bytes: Uint8Array) => void) | undefined },
): Promise<Inflated> {
  const ratio = options.limits?.ratio ?? MAX_INFLATE_RATIO;
  const cap = Math.max(size * ratio, options.limits?.minBytes ?? MIN_INFLATE_CAP);
  const tooLarge = (what: string) =>
    new IsmsKpiError(
      problem(
        'file-too-large',
        `${what} more than ${sizeInWords(cap)} (${ratio} times its stored ${sizeInWords(size)}): refused as a possible decompression bomb; if the export is genuine, decompress it and read the file itself`,
        { file: displayPath },
      ),
    );
  if (packing.kind === 'gzip') {
    // The last 4 bytes give the inflated size (of the last member, modulo 4 GB): a hint only, for
    // choosing how to read a JSON document (load-source.ts), never a limit.
    const trailer = size >= 18 ? await readAt(fh, size - 4, 4) : undefined;
    const hint = trailer?.length === 4 ? trailer.readUInt32LE(0) : undefined;
    const blocks = readBlocks(fh, 0, size, options.onStoredBytes);
    return {
      chunks: capped(streamThrough(blocks, createGunzip(), displayPath, 'gzip'), cap, tooLarge),
      innerBytes: hint,
    };
  }
  const entries = await readCentralDirectory(fh, size, displayPath);
  const entry = chooseEntry(entries, packing.entry, displayPath);
  if (entry.flags & 1)
    throw zipError(displayPath, `entry ${quote(entry.name)} is encrypted; extract it first`);
  if (entry.method !== 0 && entry.method !== 8)
    throw zipError(
      displayPath,
      `entry ${quote(entry.name)} is compressed with method ${entry.method}, which is not read (only Stored and Deflate are); re-create the archive with standard Deflate or extract the file`,
    );
  if (entry.size > cap) throw tooLarge(`entry ${quote(entry.name)} declares`);
  const dataStart = await entryDataStart(fh, entry, size, displayPath);
  const dataEnd = dataStart + entry.compressedSize;
  if (dataEnd > size)
    throw zipError(displayPath, `entry ${quote(entry.name)} runs past the end of the archive`);
  const onStored = options.onStoredBytes;
  async function* stored(): AsyncGenerator<Buffer> {
    // The bytes before the entry and after it are hashed too, in file order (the archive as stored).
    if (onStored) await drain(readBlocks(fh, 0, dataStart, onStored));
    yield* readBlocks(fh, dataStart, dataEnd, onStored);
    if (onStored) await drain(readBlocks(fh, dataEnd, size, onStored));
  }
  const raw = entry.method === 0 ? stored() : streamThrough(stored(), createInflateRaw(), displayPath, 'zip');
  return { chunks: checked(capped(raw, cap, tooLarge), entry, displayPath), innerBytes: entry.size };
}

async function drain(blocks: AsyncIterable<Buffer>): Promise<void> {
  for await (const block of blocks) void block;
}

async function* readBlocks(
  fh: FileHandle,
  from: number,
  to: number,
  onBytes: ((bytes: Uint8Array) => void) | undefined,
): AsyncGenerator<Buffer> {
  let position = from;
  while (position < to) {
    const buffer = Buffer.allocUnsafe(Math.min(READ_SIZE, to - position));
    const { bytesRead } = await fh.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    const bytes = buffer.subarray(0, bytesRead);
    onBytes?.(bytes);
    yield bytes;
    position += bytesRead;
  }
}

/** Stored blocks through a zlib stream; a zlib error (damaged or cut-off data) becomes one located line. */
async function* streamThrough(
  blocks: AsyncIterable<Buffer>,
  transform: NodeJS.ReadWriteStream,
  displayPath: string,
  kind: 'gzip' | 'zip',
): AsyncGenerator<Buffer> {
  let failure: unknown;
  const stream = pipeline(Readable.from(blocks), transform, (error) => {
    if (error) failure = error;
  }) as unknown as AsyncIterable<Buffer>;
  try {
    for await (const chunk of stream) yield chunk;
  } catch (error) {
    throw damaged(error, displayPath, kind);
  }
  if (failure) throw damaged(failure, displayPath, kind);
}

function damaged(error: unknown, displayPath: string, kind: 'gzip' | 'zip'): unknown {
  if (error instanceof IsmsKpiError) return error;
  const code = (error as { code?: unknown }).code;
  if ((typeof code === 'string' && code.startsWith('Z_')) || code === 'ERR_STREAM_PREMATURE_CLOSE') {
    const what = kind === 'gzip' ? 'gzip data' : 'zip entry data';
    const why = code === 'Z_BUF_ERROR' ? 'it ends early (cut off?)' : 'it is damaged';
    return new IsmsKpiError(
      problem('undecodable', `${what} cannot be inflated: ${why}`, { file: displayPath }),
    );
  }
  return error;
}

async function* capped(
  chunks: AsyncIterable<Buffer>,
  cap: number,
  tooLarge: (what: string) => IsmsKpiError,
): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    if (total > cap) throw tooLarge('inflates to');
    yield chunk;
  }
}

/** The entry's CRC-32 and size, checked when its last byte has been inflated. */
async function* checked(
  chunks: AsyncIterable<Buffer>,
  entry: ZipEntry,
  displayPath: string,
): AsyncGenerator<Buffer> {
  let crc = 0;
  let total = 0;
  for await (const chunk of chunks) {
    crc = crc32(chunk, crc);
    total += chunk.length;
    if (total > entry.size)
      throw zipError(
        displayPath,
        `entry ${quote(entry.name)} inflates to more than the ${entry.size} bytes it declares`,
      );
    yield chunk;
  }
  if (total !== entry.size)
    throw zipError(
      displayPath,
      `entry ${quote(entry.name)} holds ${total} bytes, not the ${entry.size} it declares (damaged archive?)`,
    );
  if (crc >>> 0 !== entry.crc >>> 0)
    throw zipError(displayPath, `entry ${quote(entry.name)} is damaged (its CRC-32 does not match)`);
}

// ---------------------------------------------------------------------------------------------------
// Zip structure

interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function zipError(file: string, message: string): IsmsKpiError {
  return new IsmsKpiError(problem('undecodable', `zip archive: ${message}`, { file }));
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await fh.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** Central directories larger than this are not read (an archive of exports holds a few entries). */
const MAX_CENTRAL_BYTES = 64 * 1024 * 1024;

async function readCentralDirectory(fh: FileHandle, size: number, file: string): Promise<ZipEntry[]> {
  // The end record is in the last 22 + 65,535 (longest comment) bytes.
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(fh, size - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw zipError(file, 'no zip directory found: not a zip file, or cut off');
  let count = tail.readUInt16LE(at + 10);
  let cdSize = tail.readUInt32LE(at + 12);
  let cdOffset = tail.readUInt32LE(at + 16);
  if ((count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) && at >= 20) {
    if (tail.readUInt32LE(at - 20) === ZIP64_LOCATOR) {
      const recordAt = Number(tail.readBigUInt64LE(at - 20 + 8));
      const record = await readAt(fh, recordAt, 56);
      if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD)
        throw zipError(file, 'the Zip64 directory record is damaged');
      count = Number(record.readBigUInt64LE(32));
      cdSize = Number(record.readBigUInt64LE(40));
      cdOffset = Number(record.readBigUInt64LE(48));
    }
  }
  if (cdSize > MAX_CENTRAL_BYTES || cdOffset + cdSize > size)
    throw zipError(file, 'the zip directory is damaged or too large');
  const cd = await readAt(fh, cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL)
      throw zipError(file, 'the zip directory is damaged');
    const flags = cd.readUInt16LE(p + 8);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    const nameBytes = cd.subarray(p + 46, p + 46 + nameLength);
    const entry: ZipEntry = {
      // Bit 11: the name is UTF-8; else it is in the archiver's code page (read as Latin-1).
      name: nameBytes.toString(flags & 0x800 ? 'utf8' : 'latin1'),
      flags,
      method: cd.readUInt16LE(p + 10),
      crc: cd.readUInt32LE(p + 16),
      compressedSize: cd.readUInt32LE(p + 20),
      size: cd.readUInt32LE(p + 24),
      localOffset: cd.readUInt32LE(p + 42),
    };
    zip64Sizes(entry, cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength));
    entries.push(entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Sizes and offset of 0xFFFFFFFF are in the Zip64 extra field (id 1), in this order, where so marked. */
function zip64Sizes(entry: ZipEntry, extra: Buffer): void {
  for (let q = 0; q + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(q);
    const length = extra.readUInt16LE(q + 2);
    if (id === 1) {
      let r = q + 4;
      const next = (): number => {
        const value = r + 8 <= q + 4 + length ? Number(extra.readBigUInt64LE(r)) : Number.NaN;
        r += 8;
        return value;
      };
      if (entry.size === 0xffffffff) entry.size = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localOffset === 0xffffffff) entry.localOffset = next();
      return;
    }
    q += 4 + length;
  }
}

/** Folders and the resource forks macOS adds (`__MACOSX/`, `.DS_Store`) are not exports. */
function isFileEntry(entry: ZipEntry): boolean {
  const name = entry.name;
  return !name.endsWith('/') && !name.startsWith('__MACOSX/') && !/(^|\/)\.DS_Store$/.test(name);
}

function chooseEntry(entries: ZipEntry[], wanted: string | undefined, file: string): ZipEntry {
  const files = entries.filter(isFileEntry);
  const listing = (list: ZipEntry[]) => {
    const shown = list.slice(0, 10).map((e) => quote(e.name));
    return shown.join(', ') + (list.length > 10 ? ` and ${list.length - 10} more` : '');
  };
  if (wanted !== undefined) {
    const found =
      files.find((e) => e.name === wanted) ??
      files.find((e) => e.name.toLowerCase() === wanted.toLowerCase());
    if (found) return found;
    throw new IsmsKpiError(
      problem(
        'file-missing',
        `zip archive has no entry ${quote(wanted)}; it holds ${files.length === 0 ? 'no files' : listing(files)}`,
        { file },
      ),
    );
  }
  if (files.length === 1) return files[0]!;
  if (files.length === 0) throw zipError(file, 'the archive holds no files');
  throw zipError(
    file,
    `the archive holds ${files.length} files (${listing(files)}); name one after '#' in the path, e.g. ${quote(`${file.split('/').pop()}#${files[0]!.name}`)}`,
  );
}

async function entryDataStart(fh: FileHandle, entry: ZipEntry, size: number, file: string): Promise<number> {
  if (!Number.isFinite(entry.localOffset) || entry.localOffset + 30 > size)
    throw zipError(file, `entry ${quote(entry.name)} points outside the archive`);
  const header = await readAt(fh, entry.localOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL)
    throw zipError(file, `entry ${quote(entry.name)} is damaged (no local header)`);
  return entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
}
