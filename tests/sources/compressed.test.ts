/**
 * Compressed exports (issue 17): a `.gz` file and a `.zip` entry are read as the file inside them, with the
 * inner file's line numbers in every message, the sha256 and size of the file as stored, and refusals
 * (several entries, a damaged archive, a decompression bomb) as one located line. Expected values are
 * written out by hand.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatProblem, IsmsKpiError } from '../../src/problems.js';
import { innerName, packingOf } from '../../src/sources/inflate.js';
import { type LoadedSource, type LoadOptions, loadSource } from '../../src/sources/load-source.js';
import { inferFormat } from '../../src/sources/resolve.js';
import { cellValue } from '../../src/sources/table.js';
import { loadCatalogue } from '../helpers/run.js';
import { zipArchive } from '../helpers/zip.js';

let root = '';
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'isms-compressed-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// Line 4 has a bad date, line 6 a missing id: both rejected, with these inner line numbers.
const CSV = [
  'id,closed,score',
  'A-1,2026-07-01,3',
  'A-2,2026-07-02,4',
  'A-3,not a date,5',
  'A-4,2026-07-04,6',
  ',2026-07-05,7',
  'A-6,2026-07-06,8',
  '',
].join('\n');

const FIELDS = { id: { required: true }, closed: { type: 'datetime' }, score: { type: 'integer' } };

/** A folder holding `files`, and the resolved source `s` reading `file` from it. */
async function source(
  file: string,
  files: Record<string, string | Buffer>,
  extra: Record<string, unknown> = {},
) {
  const dir = path.join(root, `case-${++counter}`);
  await mkdir(dir);
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  const catalogue = {
    organisation: 'Compressed',
    timezone: 'UTC',
    sources: { s: { path: file, kind: 'snapshot', fields: FIELDS, ...extra } },
    kpis: [
      { id: 'K-1', name: 'Rows', owner: 'QA', cadence: 'quarterly', unit: 'count', formula: 'count(s)' },
    ],
  };
  await writeFile(path.join(dir, 'metrics.yaml'), stringify(catalogue));
  const loaded = await loadCatalogue({ catalogue: 'metrics.yaml', cwd: dir });
  return {
    resolved: loaded.sources.get('s')!,
    options: { path: path.join(dir, file), displayPath: file },
    dir,
  };
}

async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof IsmsKpiError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error('expected the load to fail');
}

/** What a reader made of the file: values, rejected rows and problems, with the file name left out. */
function outcome(loaded: LoadedSource) {
  const ids = loaded.table.columns.get('id')!;
  return {
    ids: Array.from({ length: loaded.table.length }, (_, row) => cellValue(ids, row)),
    lines: [...loaded.table.line],
    rejected: loaded.rejectedRows.map((r) => ({ line: r.line, record: r.record, reasons: r.reasons })),
    problems: loaded.problems.map((p) => formatProblem({ ...p, location: { ...p.location, file: 'F' } })),
  };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('what a path names', () => {
  it('recognises .gz, .zip and .zip#entry by name, and infers the format of the inner file', () => {
    expect(packingOf('/x/a.csv.gz')).toEqual({ file: '/x/a.csv.gz', kind: 'gzip' });
    expect(packingOf('/x/a.ZIP')).toEqual({ file: '/x/a.ZIP', kind: 'zip' });
    expect(packingOf('/x/a#1.zip#in/b.json')).toEqual({
      file: '/x/a#1.zip',
      kind: 'zip',
      entry: 'in/b.json',
    });
    expect(packingOf('/x/a#b.csv')).toEqual({ file: '/x/a#b.csv', kind: 'plain' });
    expect(innerName('a.json.gz')).toBe('a.json');
    expect(inferFormat('exports/alerts.json.gz')).toBe('json');
    expect(inferFormat('exports/all.zip#users.jsonl')).toBe('jsonl');
    expect(inferFormat('exports/scan.csv.gz')).toBe('csv');
    expect(inferFormat('exports/alerts-*.json*')).toBe('json');
    expect(inferFormat('exports/alerts-*.json.gz')).toBe('json');
  });
});

describe('gzip', () => {
  it('gives the same values, rejected rows and inner line numbers as the plain file; hashes the .gz as stored', async () => {
    const gz = gzipSync(Buffer.from(CSV));
    const plain = await source('s.csv', { 's.csv': CSV });
    const packed = await source('s.csv.gz', { 's.csv.gz': gz });
    const a = await loadSource(plain.resolved, plain.options);
    const b = await loadSource(packed.resolved, packed.options);
    expect(outcome(b)).toEqual(outcome(a));
    expect(outcome(b).ids).toEqual(['A-1', 'A-2', 'A-4', 'A-6']);
    expect(b.rejectedRows.map((r) => r.line)).toEqual([4, 6]);
    expect(b.problems.map(formatProblem)[0]).toMatch(/^s\.csv\.gz:4: /);
    expect(b.stats.sha256).toBe(sha256(gz));
    expect(b.stats.bytes).toBe(gz.length);
    expect(a.stats.sha256).toBe(sha256(Buffer.from(CSV)));
  });

  it('reads gzip members one after another (cat a.gz b.gz) as one file', async () => {
    const lines = CSV.split('\n');
    const gz = Buffer.concat([
      gzipSync(`${lines.slice(0, 4).join('\n')}\n`),
      gzipSync(lines.slice(4).join('\n')),
    ]);
    const packed = await source('s.csv.gz', { 's.csv.gz': gz });
    expect(outcome(await loadSource(packed.resolved, packed.options)).ids).toEqual([
      'A-1',
      'A-2',
      'A-4',
      'A-6',
    ]);
  });

  it('a cut-off .gz is one located line, and no rows', async () => {
    const gz = gzipSync(Buffer.from(CSV.repeat(50)));
    const packed = await source('s.csv.gz', { 's.csv.gz': gz.subarray(0, gz.length - 30) });
    expect(await problemsOf(loadSource(packed.resolved, packed.options))).toEqual([
      's.csv.gz: gzip data cannot be inflated: it ends early (cut off?)',
    ]);
  });

  it('invalid UTF-8 inside is located on the line of the inner file', async () => {
    const bytes = Buffer.concat([
      Buffer.from('id,closed,score\nA-1,2026-07-01,3\nA-2,'),
      Buffer.from([0xff]),
      Buffer.from(',4\n'),
    ]);
    const packed = await source('s.csv.gz', { 's.csv.gz': gzipSync(bytes) });
    expect(await problemsOf(loadSource(packed.resolved, packed.options))).toEqual([
      's.csv.gz:3: bytes are not valid UTF-8 (byte 0xFF at offset 37); if the file is Latin-1 or Windows-1252, set encoding: latin1 on the source',
    ]);
  });

  it('a file that inflates beyond the cap is refused as a possible decompression bomb, before it is all inflated', async () => {
    const gz = gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x41));
    const packed = await source('s.csv.gz', { 's.csv.gz': gz });
    const options: LoadOptions = {
      ...packed.options,
      limits: { inflate: { ratio: 100, minBytes: 1024 * 1024 } },
    };
    const problems = await problemsOf(loadSource(packed.resolved, options));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^s\.csv\.gz: inflates to more than 1 MB \(100 times its stored \d+ KB\): refused as a possible decompression bomb; if the export is genuine, decompress it and read the file itself$/,
    );
  });

  it('an empty inner file is an empty file', async () => {
    const packed = await source('s.csv.gz', { 's.csv.gz': gzipSync(Buffer.alloc(0)) });
    expect(await problemsOf(loadSource(packed.resolved, packed.options))).toEqual([
      's.csv.gz: file is empty (once decompressed)',
    ]);
  });

  it('a gzipped JSON document whose trailer says it is over the limit is read as a stream from the start', async () => {
    const envelope = JSON.stringify({ items: Array.from({ length: 20 }, (_, i) => ({ id: `J-${i}` })) });
    const packed = await source('s.json.gz', { 's.json.gz': gzipSync(envelope) });
    const options: LoadOptions = { ...packed.options, limits: { jsonBytes: 100 } };
    // The stream reader's wording (the whole-document reader says "found an object with keys").
    expect(await problemsOf(loadSource(packed.resolved, options))).toEqual([
      's.json.gz:1: the file: expected an array of records at the top level, found an object (a page with keys "items"); set json.records to the pointer of the array, e.g. "/items"',
    ]);
    expect(await problemsOf(loadSource(packed.resolved, packed.options))).toEqual([
      's.json.gz: expected an array of records at the top level, found an object with keys "items"; set json.records to the pointer of the array, e.g. "/items"',
    ]);
  });

  it('JSON inside a .gz is read as JSON', async () => {
    const records = [
      { id: 'J-1', score: 1 },
      { id: 'J-2', score: 2 },
    ];
    const packed = await source('s.json.gz', { 's.json.gz': gzipSync(JSON.stringify(records, null, 2)) });
    const loaded = await loadSource(packed.resolved, packed.options);
    expect(loaded.stats.format).toBe('json');
    expect(outcome(loaded).ids).toEqual(['J-1', 'J-2']);
    expect(outcome(loaded).lines).toEqual([2, 6]);
  });
});

describe('zip', () => {
  it('reads the one file of an archive, with its line numbers; hashes the whole archive', async () => {
    const zip = zipArchive([{ name: 'export/s.csv', data: CSV }]);
    const plain = await source('s.csv', { 's.csv': CSV });
    const packed = await source('s.zip', { 's.zip': zip });
    const a = await loadSource(plain.resolved, plain.options);
    const b = await loadSource(packed.resolved, packed.options);
    expect(outcome(b)).toEqual(outcome(a));
    expect(b.stats.sha256).toBe(sha256(zip));
    expect(b.stats.bytes).toBe(zip.length);
  });

  it('skips folders and macOS resource forks when looking for the one file; reads a Stored entry', async () => {
    const zip = zipArchive([
      { name: 'export/', data: '', method: 0 },
      { name: '__MACOSX/export/._s.csv', data: 'junk' },
      { name: 'export/s.csv', data: CSV, method: 0 },
    ]);
    const packed = await source('s.zip', { 's.zip': zip });
    expect(outcome(await loadSource(packed.resolved, packed.options)).ids).toEqual([
      'A-1',
      'A-2',
      'A-4',
      'A-6',
    ]);
  });

  it('names an entry after #; several entries without # are a clear error listing them', async () => {
    const zip = zipArchive([
      { name: 'users.csv', data: 'id\nU-1\n' },
      { name: 's.csv', data: CSV },
    ]);
    const named = await source('all.zip#s.csv', { 'all.zip': zip });
    expect(outcome(await loadSource(named.resolved, named.options)).ids).toEqual([
      'A-1',
      'A-2',
      'A-4',
      'A-6',
    ]);
    const problems = await problemsOf(
      loadSource(named.resolved, {
        ...named.options,
        path: named.options.path.replace('#s.csv', ''),
        displayPath: 'all.zip',
      }),
    );
    expect(problems).toEqual([
      `all.zip: zip archive: the archive holds 2 files ("users.csv", "s.csv"); name one after '#' in the path, e.g. "all.zip#users.csv"`,
    ]);
    const missing = await source('all.zip#nope.csv', { 'all.zip': zip });
    expect(await problemsOf(loadSource(missing.resolved, missing.options))).toEqual([
      'all.zip#nope.csv: zip archive has no entry "nope.csv"; it holds "users.csv", "s.csv"',
    ]);
  });

  it('refuses a damaged entry (CRC), an encrypted one and an unknown method, each in one line', async () => {
    const bad = await source('s.zip', { 's.zip': zipArchive([{ name: 's.csv', data: CSV, crc: 1234 }]) });
    expect(await problemsOf(loadSource(bad.resolved, bad.options))).toEqual([
      's.zip: zip archive: entry "s.csv" is damaged (its CRC-32 does not match)',
    ]);
    const locked = await source('s.zip', { 's.zip': zipArchive([{ name: 's.csv', data: CSV, flags: 1 }]) });
    expect(await problemsOf(loadSource(locked.resolved, locked.options))).toEqual([
      's.zip: zip archive: entry "s.csv" is encrypted; extract it first',
    ]);
    const lzma = await source('s.zip', { 's.zip': zipArchive([{ name: 's.csv', data: CSV, method: 14 }]) });
    expect(await problemsOf(loadSource(lzma.resolved, lzma.options))).toEqual([
      's.zip: zip archive: entry "s.csv" is compressed with method 14, which is not read (only Stored and Deflate are); re-create the archive with standard Deflate or extract the file',
    ]);
    const notZip = await source('s.zip', { 's.zip': CSV });
    expect(await problemsOf(loadSource(notZip.resolved, notZip.options))).toEqual([
      's.zip: zip archive: no zip directory found: not a zip file, or cut off',
    ]);
  });

  it('an entry that declares more than the cap is refused before inflating; one that lies about its size is caught', async () => {
    const big = await source('s.zip', {
      's.zip': zipArchive([{ name: 's.csv', data: CSV, size: 3_000_000_000 }]),
    });
    const problems = await problemsOf(loadSource(big.resolved, big.options));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^s\.zip: entry "s\.csv" declares more than 256 MB \(250 times its stored \d+ bytes\): refused as a possible decompression bomb/,
    );
    const liar = await source('s.zip', { 's.zip': zipArchive([{ name: 's.csv', data: CSV, size: 10 }]) });
    expect(await problemsOf(loadSource(liar.resolved, liar.options))).toEqual([
      's.zip: zip archive: entry "s.csv" inflates to more than the 10 bytes it declares',
    ]);
  });

  it('a missing archive is a missing file', async () => {
    const gone = await source('gone.zip#s.csv', {});
    const problems = await problemsOf(loadSource(gone.resolved, gone.options));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^gone\.zip#s\.csv: /);
  });
});
