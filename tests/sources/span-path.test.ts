/**
 * The span path (span-intake.ts) against the string path (row-intake.ts `record`, the reference): CSV
 * records normally reach the intake as spans of the decoded chunk and are converted from char codes;
 * with `rowPath` every record is cut into cell strings and converted by fromText. Both must give the
 * same table, the same rejected rows, the same problems and the same counts, whatever the cells hold:
 * scalars, lists from one column or repeated columns, a scalar from several columns, missing columns,
 * null tokens with and without the empty cell, duplicate removal, stored and unstored fields.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatProblem } from '../../src/problems.js';
import { type LoadedSource, loadSource } from '../../src/sources/load-source.js';
import { type CellValue, cellValue } from '../../src/sources/table.js';
import { loadCatalogue } from '../helpers/run.js';

let root = '';
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'isms-spans-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Loads s.csv through a one-source catalogue, by the span path and by the string path. */
async function loadBoth(
  csv: string,
  source: Record<string, unknown>,
  keep?: ReadonlySet<string>,
): Promise<{ spans: LoadedSource; strings: LoadedSource }> {
  const dir = path.join(root, `case-${++counter}`);
  await mkdir(dir);
  await writeFile(path.join(dir, 's.csv'), csv);
  const catalogue = {
    organisation: 'Span test',
    timezone: 'UTC',
    period: '2026-Q3',
    sources: { s: { kind: 'snapshot', path: 's.csv', ...source } },
    kpis: [{ id: 'K', name: 'Rows', owner: 'QA', cadence: 'quarterly', unit: 'count', formula: 'count(s)' }],
  };
  await writeFile(path.join(dir, 'metrics.yaml'), stringify(catalogue));
  const resolved = (await loadCatalogue({ catalogue: 'metrics.yaml', cwd: dir })).sources.get('s')!;
  const options = { path: path.join(dir, 's.csv'), displayPath: 's.csv', ...(keep ? { keep } : {}) };
  return {
    spans: await loadSource(resolved, options),
    strings: await loadSource(resolved, { ...options, rowPath: true }),
  };
}

function columns(loaded: LoadedSource): Record<string, CellValue[]> {
  const out: Record<string, CellValue[]> = {};
  for (const [name, column] of loaded.table.columns)
    out[name] = Array.from({ length: loaded.table.length }, (_, row) => cellValue(column, row));
  return out;
}

function expectSame(spans: LoadedSource, strings: LoadedSource): void {
  expect(columns(spans)).toEqual(columns(strings));
  expect([...spans.table.line]).toEqual([...strings.table.line]);
  expect([...spans.table.record]).toEqual([...strings.table.record]);
  expect(spans.rejectedRows).toEqual(strings.rejectedRows);
  expect(spans.problems.map(formatProblem)).toEqual(strings.problems.map(formatProblem));
  expect(spans.problems.map((p) => p.severity)).toEqual(strings.problems.map((p) => p.severity));
  const { sha256: _a, ...spanStats } = spans.stats;
  const { sha256: _b, ...stringStats } = strings.stats;
  expect(spanStats).toEqual(stringStats);
  expect(spans.problemCount).toBe(strings.problemCount);
}

/** A cell of one of `pieces`, or up to four of them run together. */
const cell = (pieces: string[]) =>
  fc.oneof(
    fc.constantFrom(...pieces),
    fc.array(fc.constantFrom(...pieces), { maxLength: 4 }).map((parts) => parts.join('')),
  );

/** RFC 4180 quoting: always, or only where needed. */
const quote = (text: string, always: boolean) =>
  always || /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;

// Bounded by run counts; the limit only has to survive a machine shared with other builds.
describe('span path and string path', { timeout: 180_000 }, () => {
  it('property: rows with extra or missing cells', async () => {
    const tail = fc.constantFrom('', ',', ', ', ',,', ',x', ',,y', ', ,z,', 'DROP');
    await fc.assert(
      fc.asyncProperty(fc.array(tail, { minLength: 1, maxLength: 12 }), async (tails) => {
        const lines = tails.map((t, row) => (t === 'DROP' ? `${row},1` : `${row},1,2${t}`));
        const fields = { id: { required: true }, n: { type: 'number' }, m: { type: 'number' } };
        const { spans, strings } = await loadBoth(`id,n,m\n${lines.join('\n')}\n`, { fields });
        expectSame(spans, strings);
        const shifted = tails.filter((t) => /[xyz]/.test(t)).length;
        expect(spans.stats).toMatchObject({ rejected: shifted, accepted: tails.length - shifted });
      }),
      { numRuns: 60 },
    );
  });

  const numberCell = fc.oneof(
    fc.double({ noNaN: true }).map(String),
    fc.integer().map((i) => (i / 1000).toFixed(3)),
    cell(['1', '0', '9', '.', ',', '-', '+', ' ', 'e', '\t', 'N/A', '12345678', '\u00a0']),
  );
  const boolCell = cell(['true', 'FALSE', 'Yes', 'n', '1', 'x', ' ', 'ÿ', 'null']);
  const dateCell = fc.oneof(
    fc.constantFrom(
      '2026-07-01 12:30:00',
      ' 2026-07-01 23:59:59 ',
      '2026-07-01T12:30:00+02:00',
      '2026-02-30 00:00:00',
    ),
    cell(['2026-07-01', ' ', '12:30:00', '2026-02-30', 'T', '+02:00', 'Z', '07', '-']),
  );
  const enumCell = cell(['Critical', 'high', 'HIGH', ' ', 'Low', 'NA', '"', ',']);
  const textCell = cell(['a', 'b', ' ', '"', ',', '\n', 'é', '?', '\u0000']);

  it('property: scalar fields give the same table, rejected rows and problems', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(numberCell, numberCell, boolCell, dateCell, enumCell, textCell, fc.boolean()), {
          minLength: 1,
          maxLength: 30,
        }),
        async (rows) => {
          const lines = rows.map(
            ([n, i, b, d, e, t, always], row) =>
              `${row},${[n, i, b, d, e, t].map((c) => quote(c, always)).join(',')}`,
          );
          const fields = {
            id: { required: true },
            n: { type: 'number' },
            i: { type: 'integer' },
            b: { type: 'boolean' },
            d: { type: 'datetime', format: 'yyyy-MM-dd HH:mm:ss' },
            e: { type: 'enum', values: ['Critical', 'High', 'Low'] },
            t: 't',
          };
          const { spans, strings } = await loadBoth(`id,n,i,b,d,e,t\n${lines.join('\n')}\n`, { fields });
          expectSame(spans, strings);
        },
      ),
      { numRuns: 100 },
    );
  });

  // Lists (one column with a separator, and a repeated column collected with occurrence: all), a
  // number read from two columns, a field whose column is missing, duplicates written with different
  // quoting, null tokens with and without the empty cell, and some fields not stored.
  const listCell = cell(['a', 'b', ' ', ';', ',', '"', '\n', 'N/A', 'é', '\u0000', '']);
  const scalarCell = cell(['1', '2.5', ' ', 'x', 'N/A', '', '-', '\u0000']);
  const row = fc.tuple(
    fc.array(listCell, { minLength: 7, maxLength: 7 }),
    fc.array(scalarCell, { minLength: 2, maxLength: 2 }),
    fc.boolean(),
    fc.integer({ min: 0, max: 9 }),
  );
  const config = fc.record({
    dropDuplicates: fc.boolean(),
    emptyIsNull: fc.boolean(),
    requiredLists: fc.boolean(),
    storeAll: fc.boolean(),
  });

  it('property: lists, several columns, missing columns and duplicates', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 1, maxLength: 25 }),
        config,
        fc.array(fc.nat(), { maxLength: 8 }),
        async (rows, settings, repeats) => {
          const lines = rows.map(([lists, scalars, always, short], r) => {
            const cells = [`r${r % 7}`, ...lists, ...scalars].map((c) => quote(c, always));
            // A few short rows (missing cells) and rows with an empty extra cell.
            return (short === 0 ? cells.slice(0, 5) : short === 1 ? [...cells, ''] : cells).join(',');
          });
          // Repeats of earlier rows, requoted: the same cells, sometimes other raw text.
          for (const at of repeats) {
            const [lists, scalars, always] = rows[at % rows.length]!;
            lines.push(
              [`r${(at % rows.length) % 7}`, ...lists, ...scalars].map((c) => quote(c, !always)).join(','),
            );
          }
          const csv = `id,L,Tags,Tags,Tags,Other,Tags,N,N\n${lines.join('\r\n')}\r\n`;
          const source = {
            csv: { delimiter: ',' },
            ...(settings.dropDuplicates ? { duplicates: 'drop-exact' } : {}),
            ...(settings.emptyIsNull ? {} : { null_tokens: ['N/A', '-'] }),
            fields: {
              id: { required: true },
              list1: { column: 'L', type: 'list', separator: ';', required: settings.requiredLists },
              tags: { column: 'Tags', type: 'list', occurrence: 'all', required: settings.requiredLists },
              other: { column: 'Other', type: 'list', separator: '; ' },
              n: { column: 'N', type: 'number', occurrence: 'all' },
              text: { column: 'N', occurrence: 'all' },
              absent: { column: 'Nope', type: 'number' },
              absent_list: { column: 'Nope', type: 'list' },
            },
          };
          const keep = settings.storeAll ? undefined : new Set(['id', 'n']);
          const { spans, strings } = await loadBoth(csv, source, keep);
          expectSame(spans, strings);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('lists: items trimmed and split, repeated columns collected, empty cells left out', async () => {
    const csv =
      'id,L,Tags,Tags,Tags\n' +
      'a," x ; y ;; z",t1,,t2\n' +
      'b,,,,\n' +
      'c,N/A, ,"two, items",\n' +
      'd,only,"q""uote",,\n';
    const source = {
      fields: {
        id: 'id',
        list1: { column: 'L', type: 'list', separator: ';' },
        tags: { column: 'Tags', type: 'list', occurrence: 'all' },
      },
    };
    const { spans, strings } = await loadBoth(csv, source);
    expectSame(spans, strings);
    expect(columns(spans)).toEqual({
      id: ['a', 'b', 'c', 'd'],
      list1: [['x', 'y', 'z'], null, null, ['only']],
      tags: [['t1', 't2'], null, ['two', 'items'], ['q"uote']],
    });
  });

  it('duplicates: the same cells are one record however they are quoted; other cells are not', async () => {
    const csv =
      'id,v\n' +
      'a,1\n' +
      '"a","1"\n' + // same cells, quoted
      'a,"1"\r\n' + // same cells, CRLF
      '"a,1"\n' + // one cell: a different record
      'a,1,\n' + // three cells: a different record
      '"a",1\n';
    const { spans, strings } = await loadBoth(csv, {
      duplicates: 'drop-exact',
      fields: { id: 'id', v: 'v' },
    });
    expectSame(spans, strings);
    expect(spans.stats).toMatchObject({ rowsRead: 6, duplicates: 3, accepted: 3 });
    expect([...spans.table.line]).toEqual([2, 5, 6]);
  });
});
