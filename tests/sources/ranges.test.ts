/**
 * Reading a CSV file in ranges (load-ranges.ts) gives what one read of the whole file gives: the same
 * table (values, line and record of every row), rejected rows, problems with their file:line
 * locations, counts, hash, and the same error when the read fails. The ranges are made tiny (split
 * points given in bytes) so small files are cut everywhere: after every line break of files whose
 * quoted fields hold line breaks, and at random points of random files with CRLF and LF, a BOM, blank
 * lines, short and long rows, stray quotes, `""` escapes, non-ASCII text, preambles and a quote left
 * open at the end. Where a split falls inside a quoted field, the guess that a record starts there is
 * wrong and must be caught and corrected.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatProblem, IsmsKpiError } from '../../src/problems.js';
import { IN_PROCESS, loadSplit, planRanges, type RangeRunner } from '../../src/sources/load-ranges.js';
import { type LoadedSource, loadSource, type RangeResult } from '../../src/sources/load-source.js';
import { dropDuplicatesAcrossRanges } from '../../src/sources/range-duplicates.js';
import type { ResolvedSource } from '../../src/sources/resolve.js';
import { cellValue } from '../../src/sources/table.js';
import { loadCatalogue } from '../helpers/run.js';

let root = '';
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'isms-ranges-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Case {
  source: ResolvedSource;
  file: string;
}

async function prepare(
  content: string | Buffer,
  source: Record<string, unknown>,
  name = 's.csv',
): Promise<Case> {
  const dir = path.join(root, `case-${++counter}`);
  await mkdir(dir);
  const file = path.join(dir, name);
  await writeFile(file, content);
  const catalogue = {
    organisation: 'Range test',
    timezone: 'UTC',
    period: '2026-Q3',
    sources: { s: { kind: 'snapshot', path: name, ...source } },
    kpis: [{ id: 'K', name: 'Rows', owner: 'QA', cadence: 'quarterly', unit: 'count', formula: 'count(s)' }],
  };
  await writeFile(path.join(dir, 'metrics.yaml'), stringify(catalogue));
  const resolved = (await loadCatalogue({ catalogue: 'metrics.yaml', cwd: dir })).sources.get('s')!;
  return { source: resolved, file };
}

/** Everything a load gives that users or the engine see, or the problems of its error. */
async function outcome(read: () => Promise<LoadedSource>): Promise<unknown> {
  let loaded: LoadedSource;
  try {
    loaded = await read();
  } catch (error) {
    if (error instanceof IsmsKpiError) return { error: error.problems };
    throw error;
  }
  const columns: Record<string, unknown[]> = {};
  for (const [name, column] of loaded.table.columns)
    columns[name] = Array.from({ length: loaded.table.length }, (_, row) => cellValue(column, row));
  return {
    columns,
    line: [...loaded.table.line],
    record: [...loaded.table.record],
    problems: loaded.problems,
    formatted: loaded.problems.map(formatProblem),
    problemCount: loaded.problemCount,
    rejectedRows: loaded.rejectedRows,
    stats: loaded.stats,
    header: loaded.header,
    emptyFields: loaded.emptyFields,
    modified: loaded.modified,
  };
}

/** How the last split load read the file: ranges read (guesses and corrections), whole reads. */
const reads = { ranges: 0, wholes: 0 };
const COUNTING: RangeRunner = {
  ...IN_PROCESS,
  range(...args) {
    reads.ranges++;
    return IN_PROCESS.range(...args);
  },
  whole(...args) {
    reads.wholes++;
    return IN_PROCESS.whole(...args);
  },
};

async function expectSameAsWhole(
  c: Case,
  at: readonly number[],
  firstLineBreak: boolean,
  keep?: ReadonlySet<string>,
): Promise<typeof reads> {
  const options = { path: c.file, displayPath: 's.csv', ...(keep ? { keep } : {}) };
  const whole = await outcome(() => loadSource(c.source, options));
  reads.ranges = 0;
  reads.wholes = 0;
  const split = await outcome(() => loadSplit(c.source, options, { parts: 0, at, firstLineBreak }, COUNTING));
  expect(split).toEqual(whole);
  return { ...reads };
}

/**
 * What a split load did: read the file in ranges as planned (split), read some again after a wrong
 * guess (corrected), found nothing to split (unsplit: no line break after the split points), or fell
 * back to one read after a range failed (fallback).
 */
function kind(r: typeof reads, splits: number): 'split' | 'corrected' | 'unsplit' | 'fallback' {
  if (r.wholes > 0) return r.ranges > 0 ? 'fallback' : 'unsplit';
  return r.ranges > splits + 1 ? 'corrected' : 'split';
}

/** Byte offsets just after each \n of the file. */
function lineStarts(bytes: Buffer): number[] {
  const starts: number[] = [];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) starts.push(i + 1);
  return starts;
}

const FIELDS = {
  id: { required: true },
  note: 'note',
  n: { type: 'number' },
  tags: { column: 'tag', type: 'list', occurrence: 'all' },
};

// Bounded by counts (runs, file sizes); the time limit only has to survive a machine shared with
// other builds, where one property has taken over 30 s.
const SLOW = { timeout: 180_000 };

describe('ranges: a split after every line break', SLOW, () => {
  // Name, file, source options, and whether the file can be read at all (else every split falls back
  // to one read, which reports the error).
  const files: [string, string, Record<string, unknown>, boolean][] = [
    [
      'quoted line breaks, CRLF and LF, blank lines, a stray quote',
      'id,note,n,tag,tag\r\n' +
        'a,"one\ntwo\r\nthree",1,x,y\r\n' +
        '\r\n' +
        'b,plain,2,,z\n' +
        'c,"""quoted""\nline\n\nafter a blank line inside",3,,\r\n' +
        'd,5" screen,x,t,\r\n' +
        'e,"a,b\n",4,u,v\n' +
        'f,last,5,,',
      { csv: { delimiter: ',' } },
      true,
    ],
    [
      'a BOM, ragged rows, semicolons',
      '\ufeffid;note;n;tag;tag\n' +
        'a;"x\n;y";1;p;q\n' +
        'b;short\n' +
        'c;long;2;;;extra\n' +
        'd;"multi\nline\nnote";3;;\n' +
        'e;trailing;4;;;\n',
      { csv: { delimiter: ';' } },
      true,
    ],
    [
      'a preamble before the header (header_starts_with) and a quote left open at the end',
      'Report\nGenerated: today\n\nid,note,n,tag,tag\n' + 'a,"x\ny",1,,\n' + 'b,"open\nto the end,2,,\n',
      { csv: { header_starts_with: 'id,', delimiter: ',' } },
      false,
    ],
    [
      'skip_lines, a lone CR line end',
      'meta line\r\nid,note,n,tag,tag\ra,"one\rtwo",1,,\rb,x,2,,\n' + 'c,"y\n",3,,\n',
      { csv: { skip_lines: 1, delimiter: ',' } },
      true,
    ],
  ];

  for (const [name, text, options, isReadable] of files) {
    it(name, async () => {
      const c = await prepare(text, { ...options, fields: FIELDS });
      const bytes = Buffer.from(text);
      const tally = { split: 0, corrected: 0, unsplit: 0, fallback: 0 };
      for (const at of [1, ...lineStarts(bytes), bytes.length - 1]) {
        for (const first of [true, false]) tally[kind(await expectSameAsWhole(c, [at], first), 1)]++;
      }
      if (isReadable) {
        expect(tally.fallback).toBe(0);
        expect(tally.split + tally.corrected).toBeGreaterThan(0);
      } else {
        expect(tally.split + tally.corrected).toBe(0);
      }
      // Every line start a range of its own.
      await expectSameAsWhole(c, lineStarts(bytes), true);
    });
  }

  it('the split really happens, and a wrong guess is corrected', async () => {
    const text = 'id,note,n,tag,tag\na,"x\ny\nz",1,,\nb,p,2,,\nc,q,3,,\n';
    const c = await prepare(text, { csv: { delimiter: ',' }, fields: FIELDS });
    const options = { path: c.file, displayPath: 's.csv' };
    // After "x\n": inside the quoted note. The look at the records after it moves the start on.
    const inside = text.indexOf('y');
    const guessed = await planRanges(c.source, options, text.length, { parts: 0, at: [inside] });
    expect(guessed?.map((r) => r.start)).toEqual([0, text.indexOf('b,p')]);
    const taken = await planRanges(c.source, options, text.length, {
      parts: 0,
      at: [inside],
      firstLineBreak: true,
    });
    expect(taken?.map((r) => r.start)).toEqual([0, inside]);
    // Read on the wrong guess, range 1 is read again from where range 0 ended: three reads.
    expect(await expectSameAsWhole(c, [inside], true)).toEqual({ ranges: 3, wholes: 0 });
    expect(await expectSameAsWhole(c, [inside], false)).toEqual({ ranges: 2, wholes: 0 });
  });

  it('Latin-1 (Windows-1252) files are split; UTF-16 files are read whole', async () => {
    const latin = Buffer.from('id,note,n,tag,tag\na,"caf\xe9\n\x80",1,,\nb,\xfc,2,,\n', 'latin1');
    const c = await prepare(latin, { csv: { encoding: 'latin1', delimiter: ',' }, fields: FIELDS });
    for (const at of lineStarts(latin)) await expectSameAsWhole(c, [at], true);
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('id,note\na,"x\ny"\nb,z\n', 'utf16le'),
    ]);
    const u = await prepare(utf16, { fields: { id: 'id', note: 'note' } });
    expect(
      await planRanges(u.source, { path: u.file, displayPath: 's.csv' }, utf16.length, { parts: 2 }),
    ).toBe(undefined);
    await expectSameAsWhole(u, [10, 20], true);
  });
});

describe('ranges: large ranges', SLOW, () => {
  it('ranges of more rows than the columns are first sized for are read as ranges, not again whole', async () => {
    // 400,000 short rows: after its first 1 MB read each range has passed the 65,536 rows after which
    // its columns are sized for the rest of the range.
    const n = 400_000;
    const ids = Array.from({ length: n }, (_, i) => String(i));
    const csv = await prepare(`id\n${ids.join('\n')}\n`, { csv: { delimiter: ',' }, fields: { id: 'id' } });
    const jsonl = await prepare(
      `${ids.map((id) => `{"id":${id}}`).join('\n')}\n`,
      { fields: { id: { path: 'id', type: 'number' } } },
      's.jsonl',
    );
    for (const c of [csv, jsonl]) {
      reads.ranges = 0;
      reads.wholes = 0;
      const split = await loadSplit(c.source, { path: c.file, displayPath: 's' }, { parts: 2 }, COUNTING);
      expect(reads).toEqual({ ranges: 2, wholes: 0 });
      expect(split.stats.rowsRead).toBe(n);
      expect([...split.table.line.subarray(-2)]).toEqual(c === csv ? [n, n + 1] : [n - 1, n]);
    }
  });
});

describe('ranges: property', SLOW, () => {
  const piece = fc.constantFrom('a', 'b', ' ', ',', '"', '\n', '\r\n', 'é', '€', '1', '2.5', 'x', '');
  const cell = fc.array(piece, { maxLength: 5 }).map((p) => p.join(''));
  const quoted = (text: string, style: number) =>
    style === 0 && !/[",\r\n]/.test(text)
      ? text
      : style === 2
        ? `${text}` // raw, even when it holds quotes or line breaks: stray quotes, broken records
        : `"${text.replace(/"/g, '""')}"`;
  const row = fc.tuple(fc.array(cell, { minLength: 0, maxLength: 7 }), fc.constantFrom(0, 0, 0, 1, 2));
  const file = fc.record({
    rows: fc.array(row, { minLength: 0, maxLength: 14 }),
    crlf: fc.boolean(),
    bom: fc.boolean(),
    blankLines: fc.array(fc.nat(), { maxLength: 3 }),
    preamble: fc.constantFrom('none', 'skip', 'prefix'),
    autoDelimiter: fc.constantFrom(false, false, false, true),
    openQuoteAtEnd: fc.constantFrom(false, false, false, true),
    finalLineBreak: fc.boolean(),
    dropDuplicates: fc.boolean(),
    storeAll: fc.boolean(),
  });

  it('property: ranges give the table, problems, rejected rows and lines of a single read', async () => {
    const seen: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(
        file,
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (f, cuts, firstLineBreak) => {
          const eol = f.crlf ? '\r\n' : '\n';
          const lines = f.rows.map(([cells, style]) => cells.map((c) => quoted(c, style)).join(','));
          for (const at of f.blankLines) lines.splice(at % (lines.length + 1), 0, '');
          let text = `id,note,n,tag,tag${eol}${lines.join(eol)}`;
          if (f.openQuoteAtEnd) text += `${eol}z,"never closed${eol}more`;
          if (f.finalLineBreak) text += eol;
          if (f.preamble === 'skip') text = `exported by a tool${eol}second line, with a comma${eol}${text}`;
          if (f.preamble === 'prefix') text = `Report${eol}${eol}"quoted ""x""${eol}id"${eol}${text}`;
          const bytes = Buffer.concat([Buffer.from(f.bom ? '\ufeff' : ''), Buffer.from(text)]);
          const c = await prepare(bytes, {
            csv: {
              ...(f.autoDelimiter ? {} : { delimiter: ',' }),
              ...(f.preamble === 'skip' ? { skip_lines: 2 } : {}),
              ...(f.preamble === 'prefix' ? { header_starts_with: 'id,note' } : {}),
            },
            ...(f.dropDuplicates ? { duplicates: 'drop-exact' } : {}),
            fields: FIELDS,
          });
          const at = [...new Set(cuts.map((n) => 1 + (n % Math.max(1, bytes.length - 1))))].sort(
            (a, b) => a - b,
          );
          const r = await expectSameAsWhole(c, at, firstLineBreak, f.storeAll ? undefined : new Set(['id']));
          const key = kind(r, at.length);
          seen[key] = (seen[key] ?? 0) + 1;
        },
      ),
      { numRuns: 300 },
    );
    // Most runs read the file in ranges, and some correct a wrong guess (the rest: errors, or
    // splits that fall before the first record).
    expect(seen.split ?? 0).toBeGreaterThan(60);
    expect(seen.corrected ?? 0).toBeGreaterThan(10);
  });
});

describe('ranges: duplicates across ranges', SLOW, () => {
  // A small pool of rows, so most rows repeat one in another range; some are rejected (a bad number, a
  // NUL byte), and repeats are quoted differently (the same cells, other raw text).
  const pooled = fc.record({
    id: fc.constantFrom('a', 'b', 'c'),
    note: fc.constantFrom('x', 'two\nlines', 'q"uote', ''),
    n: fc.constantFrom('1', '2.5', 'bad', '\u0000'),
    always: fc.boolean(),
  });
  const csvCell = (text: string, always: boolean) =>
    always || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;

  it('property: a record equal to one of an earlier range is dropped as in a single read', async () => {
    let splits = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(pooled, { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        async (rows, cuts, storeAll) => {
          const lines = rows.map((r) =>
            [r.id, r.note, r.n, '', ''].map((c) => csvCell(c, r.always)).join(','),
          );
          const bytes = Buffer.from(`id,note,n,tag,tag\n${lines.join('\n')}\n`);
          const c = await prepare(bytes, {
            csv: { delimiter: ',' },
            duplicates: 'drop-exact',
            fields: { ...FIELDS, n: { type: 'number', required: true } },
          });
          const at = [...new Set(cuts.map((n) => 1 + (n % (bytes.length - 1))))].sort((a, b) => a - b);
          const r = await expectSameAsWhole(c, at, true, storeAll ? undefined : new Set(['id']));
          if (kind(r, at.length) !== 'unsplit') splits++;
          expect(r.wholes).toBe(kind(r, at.length) === 'unsplit' ? 1 : 0);
        },
      ),
      { numRuns: 200 },
    );
    expect(splits).toBeGreaterThan(100);
  });

  it('falls back to one read when a range kept only its first problems and some of them go', async () => {
    // 1,500 rejected rows, then the same rows again: the second range's problems are all duplicates'.
    const rows = Array.from({ length: 1500 }, (_, i) => `r${i},note,bad,,`);
    const text = `id,note,n,tag,tag\n${rows.join('\n')}\n${rows.join('\n')}\n`;
    const c = await prepare(text, { csv: { delimiter: ',' }, duplicates: 'drop-exact', fields: FIELDS });
    const r = await expectSameAsWhole(c, [text.length / 2], true);
    expect(r).toEqual({ ranges: 2, wholes: 1 });
    // Fewer rows: nothing was cut, and the ranges are merged.
    const few = rows.slice(0, 300);
    const short = `id,note,n,tag,tag\n${few.join('\n')}\n${few.join('\n')}\n`;
    const d = await prepare(short, { csv: { delimiter: ',' }, duplicates: 'drop-exact', fields: FIELDS });
    expect(await expectSameAsWhole(d, [short.length / 2], true)).toEqual({ ranges: 2, wholes: 0 });
  });
});

describe('ranges: duplicate keys are compared, not only their hashes', () => {
  /** A range result of `keys.length` accepted rows (records 1..n), all with the same hash. */
  function result(keys: string[]): RangeResult {
    const n = keys.length;
    const records = Int32Array.from(keys, (_, i) => i + 1);
    const loaded = {
      name: 's',
      table: {
        name: 's',
        file: 's.csv',
        length: n,
        columns: new Map([
          [
            'id',
            {
              kind: 'str' as const,
              type: 'string' as const,
              codes: Int32Array.from(keys, (_, i) => i),
              dict: keys,
            },
          ],
        ]),
        line: Int32Array.from(keys, (_, i) => i + 2),
        record: records,
      },
      problems: [],
      problemCount: 0,
      rejectedRows: [],
      stats: { rejected: 0, duplicates: 0, accepted: n },
    } as unknown as LoadedSource;
    return {
      loaded,
      end: 0,
      lines: n,
      records: n,
      distinct: { keys, hashes: new Int32Array(n).fill(7), records, outcomes: new Int32Array(n) },
    };
  }

  it('drops a record whose key equals an earlier one, keeps one whose hash only collides', async () => {
    const first = result(['a,1', 'b,2']);
    const second = result(['c,3', 'a,1', 'd,4']);
    const fetched: number[][] = [];
    const ok = await dropDuplicatesAcrossRanges([first, second], async (r, indexes) => {
      fetched.push([...indexes].sort());
      return indexes.map((i) => r.distinct!.keys[i]!);
    });
    expect(ok).toBe(true);
    expect([...second.loaded!.table.record]).toEqual([1, 3]);
    expect(second.loaded!.stats).toMatchObject({ duplicates: 1, accepted: 2 });
    expect(first.loaded!.table.length).toBe(2);
    // Every candidate (same hash) was fetched and compared.
    expect(fetched).toEqual([
      [0, 1, 2],
      [0, 1],
    ]);
  });
});

describe('ranges: JSON Lines', SLOW, () => {
  const JSON_FIELDS = {
    id: { path: 'id', required: true },
    n: { path: 'n', type: 'number' },
    who: { path: 'user.name' },
    tags: { path: 'tags', type: 'list' },
  };
  const jsonl = (content: string | Buffer, options: Record<string, unknown> = {}) =>
    prepare(content, { ...options, fields: JSON_FIELDS }, 's.jsonl');

  it('a split after every line break: blank lines, CRLF, a BOM, lines that are not JSON or not objects', async () => {
    const text =
      // A first range of a blank line only: the keys of the first record come from the next range.
      '\ufeff\r\n' +
      '{"id":"a","n":1,"user":{"name":"Zoë"},"tags":["x","y"]}\r\n' +
      '\n' +
      '{"id":"b","n":"lots"}\n' +
      'not json at all\n' +
      '   \r\n' +
      '[1,2]\n' +
      '{"id":"a","n":1,"user":{"name":"Zoë"},"tags":["x","y"]}\n' +
      '{"n":3}\n' +
      '{"id":"c","n":2.5,"tags":[]}';
    const bytes = Buffer.from(text);
    for (const duplicates of [undefined, 'drop-exact']) {
      const c = await jsonl(bytes, duplicates ? { duplicates } : {});
      let splits = 0;
      for (const at of [1, ...lineStarts(bytes), bytes.length - 1]) {
        const r = await expectSameAsWhole(c, [at], false);
        expect(r.wholes).toBe(kind(r, 1) === 'unsplit' ? 1 : 0);
        if (kind(r, 1) === 'split') splits++;
      }
      // Split points before the last line break: each starts a range at the next line start.
      expect(splits).toBe(lineStarts(bytes).length + 1);
      // Every line a range of its own.
      expect(await expectSameAsWhole(c, lineStarts(bytes), false)).toEqual({
        ranges: lineStarts(bytes).length + 1,
        wholes: 0,
      });
    }
  });

  it('a range starts at the line start after its split point, never inside a line', async () => {
    const text = '{"id":"a","note":"x\\ny"}\n{"id":"b"}\n{"id":"c"}\n';
    const c = await jsonl(text);
    const options = { path: c.file, displayPath: 's.jsonl' };
    const plan = await planRanges(c.source, options, text.length, {
      parts: 0,
      at: [5, text.indexOf('"b"'), text.indexOf('"c"')],
    });
    // After "c" there is no line start but the end of the file: no third range.
    expect(plan?.map((r) => r.start)).toEqual([0, text.indexOf('{"id":"b"'), text.indexOf('{"id":"c"')]);
  });

  it('property: ranges give the table, problems, rejected rows and lines of a single read', async () => {
    const value = fc.constantFrom(
      '1',
      '2.5',
      '"x"',
      '"two\\nlines"',
      'null',
      '"é€"',
      '[]',
      '["p","q"]',
      '{}',
    );
    const record = fc
      .record({ id: fc.constantFrom('"a"', '"b"', '1', 'null'), n: value, tags: value, who: value })
      .map((r) => `{"id":${r.id},"n":${r.n},"tags":${r.tags},"user":{"name":${r.who}}}`);
    const line = fc.oneof(
      { weight: 8, arbitrary: record },
      { weight: 1, arbitrary: fc.constantFrom('', '  ', 'oops', '{"id":', '"text"', '[1]') },
    );
    const file = fc.record({
      lines: fc.array(line, { maxLength: 20 }),
      crlf: fc.boolean(),
      bom: fc.boolean(),
      finalLineBreak: fc.boolean(),
      dropDuplicates: fc.boolean(),
      storeAll: fc.boolean(),
    });
    let splits = 0;
    await fc.assert(
      fc.asyncProperty(file, fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), async (f, cuts) => {
        const eol = f.crlf ? '\r\n' : '\n';
        const text = f.lines.join(eol) + (f.finalLineBreak ? eol : '');
        if (text.length === 0) return;
        const bytes = Buffer.concat([Buffer.from(f.bom ? '\ufeff' : ''), Buffer.from(text)]);
        const c = await jsonl(bytes, f.dropDuplicates ? { duplicates: 'drop-exact' } : {});
        const at = [...new Set(cuts.map((n) => 1 + (n % Math.max(1, bytes.length - 1))))].sort(
          (a, b) => a - b,
        );
        const r = await expectSameAsWhole(c, at, false, f.storeAll ? undefined : new Set(['id']));
        if (kind(r, at.length) === 'split') splits++;
        expect(kind(r, at.length)).not.toBe('corrected');
      }),
      { numRuns: 200 },
    );
    expect(splits).toBeGreaterThan(100);
  });

  it('a line over the limit in a range: one read reports it; UTF-16 files and JSON documents are read whole', async () => {
    const text = '{"id":"a"}\n{"id":"b","pad":"................"}\n{"id":"c"}\n';
    const c = await jsonl(text);
    const options = { path: c.file, displayPath: 's.jsonl', limits: { jsonLineChars: 20 } };
    const whole = await outcome(() => loadSource(c.source, options));
    expect(whole).toMatchObject({ error: [{ code: 'file-too-large', location: { line: 2 } }] });
    reads.ranges = 0;
    reads.wholes = 0;
    const split = await outcome(() => loadSplit(c.source, options, { parts: 0, at: [12] }, COUNTING));
    expect(split).toEqual(whole);
    expect(reads).toEqual({ ranges: 2, wholes: 1 });

    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('{"id":"a"}\n{"id":"b"}\n', 'utf16le'),
    ]);
    const u = await jsonl(utf16);
    expect(
      await planRanges(u.source, { path: u.file, displayPath: 's.jsonl' }, utf16.length, { parts: 2 }),
    ).toBe(undefined);
    await expectSameAsWhole(u, [10], false);
    const doc = '[{"id":"a"},\n{"id":"b"}\n]\n';
    const d = await prepare(doc, { fields: JSON_FIELDS }, 's.json');
    expect(
      await planRanges(d.source, { path: d.file, displayPath: 's.json' }, doc.length, { parts: 2 }),
    ).toBe(undefined);
  });
});
