/**
 * JSON as APIs deliver it (issue 17): several documents one after another (`gh api --paginate` writes one
 * array per page; ServiceNow and Jira one envelope per page) read as one table, and documents larger than
 * the whole-document limit read as a stream, one record at a time. The stream reader is checked against
 * JSON.parse on generated documents cut at every kind of place.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatProblem, IsmsKpiError } from '../../src/problems.js';
import type { JsonIntake } from '../../src/sources/json-intake.js';
import { JsonRecordStream } from '../../src/sources/json-stream.js';
import { type LoadedSource, loadSource } from '../../src/sources/load-source.js';
import { cellValue } from '../../src/sources/table.js';
import { loadCatalogue } from '../helpers/run.js';

let root = '';
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'isms-json-pages-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function source(file: string, content: string, json?: Record<string, unknown>) {
  const dir = path.join(root, `case-${++counter}`);
  await mkdir(dir);
  await writeFile(path.join(dir, file), content);
  const catalogue = {
    organisation: 'Pages',
    timezone: 'UTC',
    sources: {
      s: {
        path: file,
        kind: 'snapshot',
        ...(json ? { json } : {}),
        fields: { id: { required: true }, score: { type: 'integer' } },
      },
    },
    kpis: [
      { id: 'K-1', name: 'Rows', owner: 'QA', cadence: 'quarterly', unit: 'count', formula: 'count(s)' },
    ],
  };
  await writeFile(path.join(dir, 'metrics.yaml'), stringify(catalogue));
  const loaded = await loadCatalogue({ catalogue: 'metrics.yaml', cwd: dir });
  return { resolved: loaded.sources.get('s')!, options: { path: path.join(dir, file), displayPath: file } };
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

function outcome(loaded: LoadedSource) {
  const ids = loaded.table.columns.get('id')!;
  return {
    ids: Array.from({ length: loaded.table.length }, (_, row) => cellValue(ids, row)),
    lines: [...loaded.table.line],
    records: [...loaded.table.record],
    rejected: loaded.rejectedRows.map((r) => ({ line: r.line, record: r.record, reasons: r.reasons })),
  };
}

const page = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => ({ id: `R-${from + i}`, score: from + i }));

describe('pages one after another', () => {
  it('reads `gh api --paginate` output (one array per page) as one table, lines and records as in the file', async () => {
    const text = `${JSON.stringify(page(0, 2), null, 2)}${JSON.stringify(page(2, 4), null, 2)}\n`;
    const { resolved, options } = await source('alerts.json', text);
    const loaded = await loadSource(resolved, options);
    expect(outcome(loaded)).toEqual({
      ids: ['R-0', 'R-1', 'R-2', 'R-3'],
      // Each page is 10 lines; the second begins on the line the first ends on (`][`).
      lines: [2, 6, 11, 15],
      records: [1, 2, 3, 4],
      rejected: [],
    });
  });

  it('reads ServiceNow-style envelopes per page at json.records; a bad record is rejected with its line', async () => {
    const pages = [
      {
        result: [
          { id: 'C-1', score: 1 },
          { id: 'C-2', score: 'high' },
        ],
      },
      { result: [{ id: 'C-3', score: 3 }] },
      { result: [] },
    ];
    const text = pages.map((p) => JSON.stringify(p)).join('\n');
    const { resolved, options } = await source('changes.json', text, { records: '/result' });
    const loaded = await loadSource(resolved, options);
    expect(outcome(loaded)).toEqual({
      ids: ['C-1', 'C-3'],
      lines: [1, 2],
      records: [1, 3],
      rejected: [{ line: 1, record: 2, reasons: ['score: expected a whole number, got "high"'] }],
    });
  });

  it('envelopes without json.records: the page, its keys and the pointer to set', async () => {
    const text = `${JSON.stringify({ issues: page(0, 1), total: 2 })}\n${JSON.stringify({ issues: page(1, 2), total: 2 })}\n`;
    const { resolved, options } = await source('jira.json', text);
    expect(await problemsOf(loadSource(resolved, options))).toEqual([
      'jira.json:1: the file: expected an array of records at the top level, found an object (a page with keys "issues", "total"); set json.records to the pointer of the array, e.g. "/issues"',
    ]);
  });

  it('a page without the records array (an API error saved between pages) names the page and its line', async () => {
    const text = `${JSON.stringify({ result: page(0, 2) })}\n${JSON.stringify({ error: { message: 'rate limit' }, status: 'failure' })}\n`;
    const { resolved, options } = await source('changes.json', text, { records: '/result' });
    expect(await problemsOf(loadSource(resolved, options))).toEqual([
      'changes.json:2: page 2 (the JSON value starting on line 2): expected an array of records at "/result", found nothing (a page with keys "error", "status")',
    ]);
  });

  it('a syntax error in a later page is located on its line', async () => {
    const text = `${JSON.stringify(page(0, 2), null, 1)}\n[\n {"id": "R-9", "score": 9,}\n]\n`;
    const { resolved, options } = await source('alerts.json', text);
    const problems = await problemsOf(loadSource(resolved, options));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^alerts\.json:12: not valid JSON: /);
  });

  it('text between pages that is not JSON is located', async () => {
    const { resolved, options } = await source(
      'alerts.json',
      `${JSON.stringify(page(0, 1))}\n,\n${JSON.stringify(page(1, 2))}`,
    );
    expect(await problemsOf(loadSource(resolved, options))).toEqual([
      'alerts.json:2: not valid JSON: unexpected "," at column 1',
    ]);
  });
});

describe('documents over the whole-document limit are streamed', () => {
  const records = [...page(0, 30), { id: '', score: 1 }, 7, { id: 'R-x', score: 'x' }, ...page(30, 40)];

  it('gives the same rows, lines, records and rejected rows as the whole-document reader', async () => {
    const text = JSON.stringify(records, null, 2);
    const { resolved, options } = await source('big.json', text);
    const whole = outcome(await loadSource(resolved, options));
    const streamed = outcome(await loadSource(resolved, { ...options, limits: { jsonBytes: 1000 } }));
    expect(streamed).toEqual(whole);
    expect(whole.rejected.map((r) => r.record)).toEqual([31, 32, 33]);
  });

  it('an envelope over the limit is streamed at its pointer; a cut-off file is an error, not a short table', async () => {
    const text = JSON.stringify({ meta: { count: 40, note: 'a "quoted" ] } note' }, value: page(0, 40) });
    const { resolved, options } = await source('big.json', text, { records: '/value' });
    const streamed = await loadSource(resolved, { ...options, limits: { jsonBytes: 1000 } });
    expect(outcome(streamed).ids).toEqual(page(0, 40).map((r) => r.id));
    const cut = await source('cut.json', text.slice(0, 900), { records: '/value' });
    const problems = await problemsOf(
      loadSource(cut.resolved, { ...cut.options, limits: { jsonBytes: 100 } }),
    );
    expect(problems).toEqual(['cut.json:1: not valid JSON: the file ends inside a record (cut off?)']);
  });
});

/** A stand-in intake that records what the stream reader hands it. */
function collector() {
  const seen: { value: unknown; line: number; record: number }[] = [];
  const intake = {
    setJsonHeader: () => undefined,
    jsonRecord: (value: unknown, line: number, record: number) => seen.push({ value, line, record }),
  } as unknown as JsonIntake;
  return { seen, intake };
}

function streamIn(pieces: string[], pointer: string) {
  const { seen, intake } = collector();
  const reader = new JsonRecordStream(pointer, intake, 'x.json');
  for (const piece of pieces) reader.push(piece);
  reader.end();
  return seen;
}

/** Cuts `text` at the given offsets (sorted, within the text). */
function cut(text: string, at: number[]): string[] {
  const points = [...new Set(at.map((a) => a % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const p of points) {
    pieces.push(text.slice(from, p));
    from = p;
  }
  pieces.push(text.slice(from));
  return pieces;
}

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const tricky = fc.constantFrom('"', '\\', '\\"', ']', '}', '{', '[', ',', '\n', 'é', '😀', '\u2028');

describe('the stream reader against JSON.parse', () => {
  it('finds every record of pages of arrays or envelopes, wherever the chunks are cut', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.oneof(jsonValue, fc.dictionary(fc.string(), fc.string({ unit: tricky }))), {
            maxLength: 5,
          }),
          {
            minLength: 1,
            maxLength: 3,
          },
        ),
        fc.boolean(),
        fc.constantFrom(0, 2),
        fc.array(fc.nat(), { maxLength: 12 }),
        (pages, enveloped, indent, cuts) => {
          const text = pages
            .map((p) =>
              JSON.stringify(enveloped ? { meta: { s: '"]}' }, data: { items: p } } : p, null, indent),
            )
            .join('\n');
          const seen = streamIn(cut(text, cuts), enveloped ? '/data/items' : '');
          // What the JSON text holds: fast-check's values may hold -0, which JSON.stringify writes as 0.
          const expected: unknown[] = JSON.parse(JSON.stringify(pages.flat()));
          expect(seen.map((s) => s.value)).toEqual(expected);
          expect(seen.map((s) => s.record)).toEqual(expected.map((_, i) => i + 1));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a record starts on the line of its first character', () => {
    const text = '[\n  {"a": 1},\n\n  {"b":\n 2}, 3,\n "x"\n]\n[{"c": [1,\n2]}]';
    expect(streamIn(cut(text, [3, 9, 17, 30]), '').map((s) => [s.line, s.record])).toEqual([
      [2, 1],
      [4, 2],
      [5, 3],
      [6, 4],
      [8, 5],
    ]);
  });
});
