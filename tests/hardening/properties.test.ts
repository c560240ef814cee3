/**
 * Property tests (fast-check) through the library: (a) any small table written as RFC 4180 CSV reads
 * back with the same cells; (b) any generated formula, sensible or not, is either accepted and runs
 * (failing only with IsmsKpiError) or refused with an error located inside the formula, never with a raw
 * exception; (c) a report is a pure function of its inputs: two runs give the same JSON bytes, and
 * shuffling the rows of an events CSV does not change order-independent KPIs.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type CheckEnv, checkFormula, type SourceShape } from '../../src/formula/check.js';
import { IsmsKpiError } from '../../src/problems.js';
import { renderJson } from '../../src/render/json.js';
import type { KpiResult } from '../../src/report/model.js';
import type { FieldType } from '../../src/sources/table.js';
import { cellValue } from '../../src/sources/table.js';
import { loadCatalogue, loadSources, resolvePeriod, run } from '../helpers/run.js';

const NUM_RUNS = Number(process.env.PROPS_RUNS ?? 100);
let root = '';
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'isms-props-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function project(files: Record<string, string>): Promise<string> {
  const dir = path.join(root, `p-${++counter}`);
  await mkdir(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

/** RFC 4180: a field holding a comma, a quote, CR or LF is quoted, and its quotes are doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
function writeCsv(rows: string[][]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const NULL_TOKENS = new Set(['', 'N/A', 'n/a', 'NA', 'null', 'NULL', '?', 'no_information', 'not_supported']);

// ---------------------------------------------------------------------------------------------------
// (a) CSV round trip
// ---------------------------------------------------------------------------------------------------

const CHARS = ['a', 'b', 'Z', '1', '0', ' ', ',', '"', '\r', '\n', ';', '\t', '|', 'é', '€', '=', '-', "'"];
const cellArb = fc.oneof(
  fc.array(fc.constantFrom(...CHARS), { minLength: 0, maxLength: 12 }).map((cs) => cs.join('')),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer().map(String),
  fc.constantFrom('N/A', 'null', '?', '', '  padded  '),
);

describe('(a) CSV written by an RFC 4180 writer reads back unchanged', () => {
  it('string cells round-trip through intake', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }).chain((width) =>
          fc.array(fc.array(cellArb, { minLength: width, maxLength: width }), {
            minLength: 1,
            maxLength: 8,
          }),
        ),
        async (rows) => {
          const width = rows[0]!.length;
          const header = Array.from({ length: width }, (_, i) => `c${i}`);
          const fields: Record<string, unknown> = {};
          for (const h of header) fields[h] = { column: h };
          const catalogue = {
            organisation: 'Props',
            timezone: 'UTC',
            period: '2026-Q3',
            sources: { s: { kind: 'snapshot', path: 's.csv', csv: { delimiter: ',' }, fields } },
            kpis: [
              {
                id: 'K-1',
                name: 'Rows',
                owner: 'QA',
                cadence: 'quarterly',
                unit: 'count',
                formula: 'count(s)',
              },
            ],
          };
          // A row whose cells are all empty (a blank line, or `,,` with only delimiters) holds nothing and
          // is skipped by design.
          const dataRows = rows.filter((r) => !r.every((cell) => cell === ''));
          const dir = await project({
            'metrics.yaml': stringify(catalogue),
            's.csv': writeCsv([header, ...dataRows]),
          });
          const cat = await loadCatalogue({ catalogue: 'metrics.yaml', cwd: dir });
          const loaded = (await loadSources(cat, ['s'], resolvePeriod(cat, { now: 0 }), dir)).get('s');
          if (loaded === undefined || 'missing' in loaded) throw new Error('source s not loaded');
          expect(loaded.table.length).toBe(dataRows.length);
          dataRows.forEach((row, r) => {
            row.forEach((text, c) => {
              const column = loaded.table.columns.get(`c${c}`)!;
              const trimmed = text.trim();
              // Intake trims the text and maps the null tokens to null; everything else is kept verbatim.
              const expected = NULL_TOKENS.has(trimmed) ? null : trimmed;
              expect(cellValue(column, r), `row ${r} column ${c} of ${JSON.stringify(text)}`).toBe(expected);
            });
          });
          await rm(dir, { recursive: true, force: true });
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// (b) generated formulas never escape as raw exceptions
// ---------------------------------------------------------------------------------------------------

const FIELDS: [string, FieldType][] = [
  ['id', 'string'],
  ['opened', 'datetime'],
  ['score', 'number'],
  ['n', 'integer'],
  ['flag', 'boolean'],
  ['cat', 'enum'],
  ['took', 'duration'],
  ['tags', 'list'],
];
const SOURCE: SourceShape = {
  name: 'events',
  kind: 'events',
  fields: new Map(FIELDS),
  enums: new Map([['cat', ['A', 'B']]]),
};
const ENV: CheckEnv = { sources: new Map([['events', SOURCE]]), kpis: new Set(['K-1', 'K-2']), tz: 'UTC' };

const FUNCTIONS = [
  'count',
  'count_distinct',
  'sum',
  'mean',
  'median',
  'percentile',
  'min',
  'max',
  'pct',
  'ratio',
  'round',
  'abs',
  'lower',
  'upper',
  'hours',
  'days',
  'minutes',
  'seconds',
  'age',
  'date',
  'if',
  'coalesce',
  'is_null',
  'not_null',
  'matches',
  'contains',
  'starts_with',
  'len',
  'kpi',
  'exists',
  'year',
  'month',
  'period_start',
  'period_end',
  // nonsense and hostile names
  'foo',
  'toString',
  'eval',
  'constructor',
  'Function',
];
const LEAVES = [
  ...FIELDS.map(([f]) => f),
  'events',
  'other',
  'scroe',
  '__proto__',
  'prototype',
  'this',
  'globalThis',
  'process',
  'events.score',
  'events.constructor',
  '0',
  '1',
  '-1',
  '2.5',
  '1e308',
  '"A"',
  '"B"',
  '"Z"',
  '"2026-07-01"',
  '"(a+)+"',
  '"K-1"',
  '"K-2"',
  '"K-9"',
  'null',
  'true',
  'false',
  '[1, 2]',
  '["A", "x"]',
  '[]',
  '',
];
const BINARY = [
  '+',
  '-',
  '*',
  '/',
  '%',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'and',
  'or',
  'in',
  '&&',
  '||',
  '^',
  '.',
];

const formulaArb: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...LEAVES),
    fc.tuple(fc.constantFrom('not ', '-', '!', '+'), tie('expr')).map(([op, e]) => `${op}${e}`),
    fc.tuple(tie('expr'), fc.constantFrom(...BINARY), tie('expr')).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc
      .tuple(fc.constantFrom(...FUNCTIONS), fc.array(tie('expr'), { maxLength: 4 }))
      .map(([f, args]) => `${f}(${args.join(', ')})`),
    fc
      .tuple(fc.constantFrom('count', 'sum', 'median', 'max', 'exists'), tie('expr'))
      .map(([f, e]) => `${f}(events, ${e})`),
    tie('expr').map((e) => `(${e})`),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([a, b, c]) => `${a} ? ${b} : ${c}`),
    fc.string({ maxLength: 8 }),
  ),
})).expr;

/** Mostly well-typed formulas, so that many of them compile and actually run. */
const typedArb = fc.letrec<{ num: string; bool: string }>((tie) => ({
  num: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(
      'score',
      'n',
      '1',
      '0',
      '2.5',
      '-3',
      'hours(took)',
      'len(tags)',
      'year(opened)',
      'age(opened)',
    ),
    fc
      .tuple(tie('num'), fc.constantFrom('+', '-', '*', '/', '%'), tie('num'))
      .map(([a, o, b]) => `(${a} ${o} ${b})`),
    fc.tuple(fc.constantFrom('abs', 'round'), tie('num')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(tie('bool'), tie('num'), tie('num')).map(([c, a, b]) => `if(${c}, ${a}, ${b})`),
    tie('num').map((a) => `coalesce(${a}, 0)`),
  ),
  bool: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(
      'flag',
      'cat == "A"',
      'cat != "B"',
      'is_null(score)',
      'not_null(took)',
      '"x" in tags',
      'matches(id, "^E[0-9]+$")',
      'starts_with(lower(id), "e")',
      'opened >= "2026-08-01"',
      'cat in ["A", "B"]',
    ),
    fc
      .tuple(tie('num'), fc.constantFrom('==', '!=', '<', '<=', '>', '>='), tie('num'))
      .map(([a, o, b]) => `${a} ${o} ${b}`),
    tie('bool').map((b) => `not (${b})`),
    fc.tuple(tie('bool'), fc.constantFrom('and', 'or'), tie('bool')).map(([a, o, b]) => `(${a} ${o} ${b})`),
  ),
}));

const topTypedArb: fc.Arbitrary<string> = fc.oneof(
  typedArb.bool.map((b) => `count(events, ${b})`),
  fc.tuple(typedArb.num, typedArb.bool).map(([v, b]) => `sum(events, ${v}, ${b})`),
  fc
    .tuple(fc.constantFrom('mean', 'median', 'min', 'max', 'sum'), typedArb.num)
    .map(([f, v]) => `${f}(events, ${v})`),
  typedArb.bool.map((b) => `pct(count(events, ${b}), count(events))`),
  typedArb.bool.map((b) => `kpi("K-2") - count(events, ${b})`),
  fc.tuple(typedArb.num, fc.integer({ min: 0, max: 100 })).map(([v, p]) => `percentile(events, ${v}, ${p})`),
);

const EVENTS_CSV = [
  'id,opened,score,n,flag,cat,took,tags',
  'E1,2026-07-01T10:00:00Z,1.5,1,yes,A,1h,"x, y"',
  'E2,2026-08-15T12:00:00Z,-2,2,no,B,90 min,',
  'E3,2026-09-30T23:00:00Z,,3,,A,,z',
  '',
].join('\n');

function eventsCatalogue(formula: string): string {
  return stringify({
    organisation: 'Props',
    timezone: 'UTC',
    period: '2026-Q3',
    sources: {
      events: {
        path: 'events.csv',
        kind: 'events',
        time_field: 'opened',
        fields: {
          id: { column: 'id', required: true },
          opened: { column: 'opened', type: 'datetime' },
          score: { column: 'score', type: 'number' },
          n: { column: 'n', type: 'integer' },
          flag: { column: 'flag', type: 'boolean' },
          cat: { column: 'cat', type: 'enum', values: ['A', 'B'] },
          took: { column: 'took', type: 'duration' },
          tags: { column: 'tags', type: 'list' },
        },
      },
    },
    kpis: [
      { id: 'K-1', name: 'Generated', owner: 'QA', cadence: 'quarterly', unit: 'count', formula },
      { id: 'K-2', name: 'Rows', owner: 'QA', cadence: 'quarterly', unit: 'count', formula: 'count(events)' },
    ],
  });
}

describe('(b) generated formulas', () => {
  it('compile and run, or are refused with a located error; never a raw exception', async () => {
    const dir = await project({ 'events.csv': EVENTS_CSV });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          formulaArb,
          formulaArb.map((e) => `count(events, ${e})`),
          formulaArb.map((e) => `sum(events, ${e})`),
          topTypedArb,
          topTypedArb,
          topTypedArb,
        ),
        async (formula) => {
          const checked = checkFormula(formula, ENV);
          if (!checked.ok) {
            const { span, message } = checked.error;
            expect(typeof message).toBe('string');
            expect(message.length).toBeGreaterThan(0);
            expect(span.start).toBeGreaterThanOrEqual(0);
            expect(span.start).toBeLessThanOrEqual(span.end);
            expect(span.end).toBeLessThanOrEqual(formula.length + 1);
          }
          await writeFile(path.join(dir, 'metrics.yaml'), eventsCatalogue(formula));
          try {
            await run({ catalogue: 'metrics.yaml', cwd: dir, now: 0 });
          } catch (error) {
            if (!(error instanceof IsmsKpiError)) throw error;
            for (const p of error.problems) {
              expect(p.location.file, p.message).toBe('metrics.yaml');
              expect(p.location.line, p.message).toBeGreaterThan(0);
            }
            // A formula that passed checkFormula() in this environment is also accepted by the catalogue.
            expect(checked.ok && error.problems.some((p) => p.code.startsWith('formula-')), formula).toBe(
              false,
            );
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// (c) reports are pure functions of their inputs
// ---------------------------------------------------------------------------------------------------

interface Row {
  id: string;
  day: number;
  score: number;
  cat: 'A' | 'B';
}

const rowsArb = fc
  .array(
    fc.record({
      day: fc.integer({ min: 0, max: 91 }),
      score: fc.integer({ min: -1_000_000, max: 1_000_000 }).map((v) => v / 100),
      cat: fc.constantFrom<'A' | 'B'>('A', 'B'),
    }),
    { minLength: 1, maxLength: 40 },
  )
  .map((rows): Row[] => rows.map((r, i) => ({ id: `E${i}`, ...r })));

function rowsCsv(rows: Row[]): string {
  const start = Date.UTC(2026, 6, 1);
  const lines = rows.map(
    (r) => `${r.id},${new Date(start + r.day * 86_400_000).toISOString()},${r.score},${r.cat}`,
  );
  return ['id,opened,score,cat', ...lines, ''].join('\n');
}

const PURE_KPIS: [string, string][] = [
  ['C-1', 'count(events)'],
  ['C-2', 'count(events, cat == "A")'],
  ['C-3', 'count_distinct(events, cat)'],
  ['S-1', 'sum(events, score)'],
  ['S-2', 'sum(events, score, cat == "B")'],
  ['M-1', 'median(events, score)'],
  ['M-2', 'min(events, score)'],
  ['M-3', 'max(events, score)'],
];

function pureCatalogue(): string {
  return stringify({
    organisation: 'Props',
    timezone: 'UTC',
    period: '2026-Q3',
    sources: {
      events: {
        path: 'events.csv',
        kind: 'events',
        time_field: 'opened',
        fields: {
          id: { column: 'id', required: true },
          opened: { column: 'opened', type: 'datetime' },
          score: { column: 'score', type: 'number' },
          cat: { column: 'cat', type: 'enum', values: ['A', 'B'] },
        },
      },
    },
    kpis: PURE_KPIS.map(([id, formula]) => ({
      id,
      name: `KPI ${id}`,
      owner: 'QA',
      cadence: 'quarterly',
      unit: 'count',
      formula,
    })),
  });
}

async function reportOf(rows: Row[]): Promise<{ json: string; kpis: Map<string, KpiResult> }> {
  const dir = await project({ 'metrics.yaml': pureCatalogue(), 'events.csv': rowsCsv(rows) });
  try {
    const result = await run({ catalogue: 'metrics.yaml', cwd: dir, now: 0 });
    return { json: renderJson(result.report), kpis: new Map(result.report.kpis.map((k) => [k.id, k])) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('(c) a report is a pure function of its inputs', () => {
  it('two runs over the same files give identical JSON bytes', async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, async (rows) => {
        const first = await reportOf(rows);
        const second = await reportOf(rows);
        expect(second.json).toBe(first.json);
      }),
      { numRuns: 30 },
    );
  });

  it('shuffling the rows of an events CSV keeps counts, sums (1e-9) and medians', async () => {
    await fc.assert(
      fc.asyncProperty(
        rowsArb.chain((rows) =>
          fc.tuple(
            fc.constant(rows),
            fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }),
          ),
        ),
        async ([rows, shuffled]) => {
          const a = await reportOf(rows);
          const b = await reportOf(shuffled);
          for (const [id] of PURE_KPIS) {
            const va = a.kpis.get(id)?.value;
            const vb = b.kpis.get(id)?.value;
            if (va === null || va === undefined || vb === null || vb === undefined) {
              expect(vb, id).toBe(va);
            } else if (id.startsWith('S-')) {
              expect(Math.abs(va - vb), id).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(va)));
            } else {
              expect(vb, id).toBe(va);
            }
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});
