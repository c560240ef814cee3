import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem, IsmsKpiError, type Problem } from '../../src/problems.js';
import { readCsvFile } from '../../src/sources/csv-reader.js';
import { type DecodeOptions, openText } from '../../src/sources/decode.js';

const dir = mkdtempSync(join(tmpdir(), 'isms-kpi-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
function tempFile(content: Buffer | string): string {
  const path = join(dir, `f${++counter}.csv`);
  writeFileSync(path, content);
  return path;
}

async function readAll(path: string, options?: DecodeOptions) {
  const { info, chunks } = await openText(path, 'data.csv', options);
  const parts: string[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return { info, parts, text: parts.join('') };
}

/** The single problem of the IsmsKpiError `promise` rejects with. */
async function failure(promise: Promise<unknown>): Promise<Problem> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IsmsKpiError);
  const problems = (error as IsmsKpiError).problems;
  expect(problems).toHaveLength(1);
  return problems[0]!;
}

const SAMPLE = 'id,name\n1,Zoë\n2,€ 5 ✓\n3,😀\n';

describe('encodings', () => {
  it('reads UTF-8 without BOM as utf-8', async () => {
    const { info, text } = await readAll(tempFile(SAMPLE));
    expect(info).toEqual({ encoding: 'utf-8', bytes: Buffer.byteLength(SAMPLE), hadBom: false });
    expect(text).toBe(SAMPLE);
  });

  it('strips a UTF-8 BOM', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE)]);
    const { info, text } = await readAll(tempFile(bytes));
    expect(info).toEqual({ encoding: 'utf-8', bytes: bytes.length, hadBom: true });
    expect(text).toBe(SAMPLE);
  });

  it('detects UTF-16LE from its BOM', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SAMPLE, 'utf16le')]);
    const { info, text } = await readAll(tempFile(bytes));
    expect(info).toEqual({ encoding: 'utf-16le', bytes: bytes.length, hadBom: true });
    expect(text).toBe(SAMPLE);
  });

  it('detects UTF-16BE from its BOM', async () => {
    const be = Buffer.from(SAMPLE, 'utf16le').swap16();
    const bytes = Buffer.concat([Buffer.from([0xfe, 0xff]), be]);
    const { info, text } = await readAll(tempFile(bytes));
    expect(info.encoding).toBe('utf-16be');
    expect(info.hadBom).toBe(true);
    expect(text).toBe(SAMPLE);
  });

  it('reads UTF-16 CSV files into the right cells', async () => {
    for (const [bom, body] of [
      [[0xff, 0xfe], Buffer.from(SAMPLE, 'utf16le')],
      [[0xfe, 0xff], Buffer.from(SAMPLE, 'utf16le').swap16()],
    ] as const) {
      const cells: string[][] = [];
      let header: string[] = [];
      const result = await readCsvFile(
        tempFile(Buffer.concat([Buffer.from(bom), body])),
        'data.csv',
        {},
        { header: (c) => (header = [...c]), record: (c) => cells.push([...c]) },
        { chunkSize: 5 },
      );
      expect(header).toEqual(['id', 'name']);
      expect(cells).toEqual([
        ['1', 'Zoë'],
        ['2', '€ 5 ✓'],
        ['3', '😀'],
      ]);
      expect(result.encoding).toBe(bom[0] === 0xff ? 'utf-16le' : 'utf-16be');
    }
  });

  it('does not split multi-byte characters at chunk boundaries', async () => {
    const path = tempFile(SAMPLE);
    for (const chunkSize of [1, 2, 3, 5]) {
      const { parts, text } = await readAll(path, { chunkSize });
      expect(text).toBe(SAMPLE);
      // No chunk starts with a lone low surrogate or ends with a lone high surrogate.
      for (const part of parts) {
        expect(/^[\udc00-\udfff]|[\ud800-\udbff]$/.test(part)).toBe(false);
      }
    }
  });

  it('honours an explicit encoding and strips a matching BOM', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n', 'utf16le')]);
    const { info, text } = await readAll(tempFile(bytes), { encoding: 'utf-16le' });
    expect(info.hadBom).toBe(true);
    expect(text).toBe('a,b\n');
    // Without a BOM the explicit encoding is what makes this readable at all.
    const bare = await readAll(tempFile(Buffer.from('a,b\n', 'utf16le')), { encoding: 'utf-16le' });
    expect(bare.text).toBe('a,b\n');
    expect(bare.info.hadBom).toBe(false);
  });

  it('reads Latin-1 bytes with encoding latin1', async () => {
    const bytes = Buffer.from('name,city\nJosé,Köln\n', 'latin1');
    expect(bytes.includes(0xe9)).toBe(true);
    const { info, text } = await readAll(tempFile(bytes), { encoding: 'latin1' });
    expect(info.encoding).toBe('latin1');
    expect(text).toBe('name,city\nJosé,Köln\n');
  });

  it('maps 0x80-0x9F as Windows-1252 for latin1 and windows-1252', async () => {
    const bytes = Buffer.from([0x80, 0x20, 0x92, 0x93, 0x94, 0x96, 0x81, 0x41, 0xe9, 0xff]);
    for (const encoding of ['latin1', 'windows-1252'] as const) {
      const { text } = await readAll(tempFile(bytes), { encoding });
      expect(text).toBe('\u20ac \u2019\u201c\u201d\u2013\u0081A\u00e9\u00ff');
    }
  });

  it('keeps a UTF-8 BOM as text when a single-byte encoding is set', async () => {
    const { info, text } = await readAll(tempFile(Buffer.from([0xef, 0xbb, 0xbf, 0x41])), {
      encoding: 'windows-1252',
    });
    expect(info.hadBom).toBe(false);
    expect(text).toBe('ï»¿A');
  });
});

describe('undecodable bytes', () => {
  it('reports the line and offset of a Latin-1 byte in a UTF-8 file', async () => {
    const bytes = Buffer.from('name,city\r\nAna,Porto\r\nJosé,Köln\n', 'latin1');
    const offset = bytes.indexOf(0xe9);
    const p = await failure(readAll(tempFile(bytes)));
    expect(p).toEqual({
      code: 'undecodable',
      severity: 'error',
      message: `bytes are not valid UTF-8 (byte 0xE9 at offset ${offset}); if the file is Latin-1 or Windows-1252, set encoding: latin1 on the source`,
      location: { file: 'data.csv', line: 3 },
    });
    expect(formatProblem(p)).toMatch(/^data\.csv:3: bytes are not valid UTF-8 \(byte 0xE9 at offset 25\)/);
  });

  it('counts lines from earlier chunks, with a BOM and mixed line ends', async () => {
    const head = Buffer.from('\ufeffh\n1\r\n2\r3\n\n', 'utf8');
    const bytes = Buffer.concat([head, Buffer.from('x,'.repeat(500)), Buffer.from([0xc3, 0x28, 0x0a])]);
    for (const chunkSize of [1, 7, 64, 1 << 20]) {
      const p = await failure(readAll(tempFile(bytes), { chunkSize }));
      expect(p.location.line).toBe(6);
      expect(p.message).toContain(`byte 0xC3 at offset ${head.length + 1000}`);
    }
  });

  it('reports the same error through readCsvFile', async () => {
    const bytes = Buffer.from('a,b\n1,caf\u00e9\n', 'latin1');
    const p = await failure(readCsvFile(tempFile(bytes), 'data.csv', {}, { header() {}, record() {} }));
    expect(p.code).toBe('undecodable');
    expect(p.location).toEqual({ file: 'data.csv', line: 2 });
  });

  it.each([
    ['an overlong encoding', [0x41, 0xc0, 0xaf], 0xc0, 1, 1],
    ['a UTF-16 surrogate', [0x41, 0x0a, 0xed, 0xa0, 0x80], 0xed, 2, 2],
    ['a stray continuation byte', [0x41, 0x0d, 0x0a, 0x0a, 0x80], 0x80, 4, 3],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0xf4, 0, 1],
    ['a sequence cut off by the end of file', [0x41, 0x0a, 0xe2, 0x82], 0xe2, 2, 2],
  ])('rejects %s', async (_name, raw, byte, offset, line) => {
    const p = await failure(readAll(tempFile(Buffer.from(raw))));
    expect(p.code).toBe('undecodable');
    expect(p.message).toContain(`byte 0x${byte.toString(16).toUpperCase()}`);
    expect(p.message).toContain(`at offset ${offset}`);
    expect(p.location.line).toBe(line);
  });

  it('rejects an unpaired UTF-16 surrogate with its line', async () => {
    const body = Buffer.concat([Buffer.from('a\nb\n', 'utf16le'), Buffer.from([0x00, 0xd8, 0x41, 0x00])]);
    const p = await failure(readAll(tempFile(Buffer.concat([Buffer.from([0xff, 0xfe]), body]))));
    expect(p.code).toBe('undecodable');
    expect(p.message).toBe('bytes are not valid UTF-16LE (unpaired surrogate 0xD800 at offset 10)');
    expect(p.location.line).toBe(3);
  });
});

describe('file errors', () => {
  it('reports a missing file', async () => {
    const p = await failure(openText(join(dir, 'missing.csv'), 'exports/missing.csv'));
    expect(p).toEqual({
      code: 'file-missing',
      severity: 'error',
      message: 'file not found',
      location: { file: 'exports/missing.csv' },
    });
  });

  it('reports a missing file below a path that is a file', async () => {
    const p = await failure(openText(join(tempFile('x'), 'inner.csv'), 'x/inner.csv'));
    expect(p.code).toBe('file-missing');
  });

  it('reports a directory', async () => {
    const sub = join(dir, 'a-directory');
    mkdirSync(sub);
    const p = await failure(openText(sub, 'a-directory'));
    expect(p).toMatchObject({ code: 'file-is-directory', location: { file: 'a-directory' } });
  });

  it.skipIf(process.getuid?.() === 0)('reports a file without read permission', async () => {
    const path = tempFile('a,b\n');
    chmodSync(path, 0o000);
    const p = await failure(openText(path, 'secret.csv'));
    expect(p).toMatchObject({ code: 'file-unreadable', message: 'permission denied' });
  });

  it('reports an empty file', async () => {
    const p = await failure(openText(tempFile(''), 'empty.csv'));
    expect(p).toMatchObject({
      code: 'file-empty',
      message: 'file is empty',
      location: { file: 'empty.csv' },
    });
  });

  it.each([
    ['UTF-8', [0xef, 0xbb, 0xbf]],
    ['UTF-16LE', [0xff, 0xfe]],
    ['UTF-16BE', [0xfe, 0xff]],
  ])('reports a file holding only a %s BOM as empty', async (_name, bom) => {
    const p = await failure(openText(tempFile(Buffer.from(bom)), 'bom.csv'));
    expect(p.code).toBe('file-empty');
  });

  it('reports the same errors through readCsvFile', async () => {
    const sink = { header() {}, record() {} };
    expect((await failure(readCsvFile(join(dir, 'nope.csv'), 'nope.csv', {}, sink))).code).toBe(
      'file-missing',
    );
    expect((await failure(readCsvFile(tempFile(''), 'e.csv', {}, sink))).code).toBe('file-empty');
  });

  it('rejects an unknown encoding name', async () => {
    const p = await failure(
      openText(tempFile('a'), 'a.csv', { encoding: 'ebcdic' as unknown as DecodeOptions['encoding'] }),
    );
    expect(p.code).toBe('usage');
  });
});
