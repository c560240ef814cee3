/**
 * Free text and lists as stored since issue 16 (UTF-8 bytes, item codes; src/sources/text-store.ts):
 * every function a formula can apply to them gives the value plain JavaScript computes from the same
 * rows. The summary column is nearly unique in its first 4,096 rows, so it is stored as free text, then
 * repeats (the same text under several rows); the notes list has one unique item per row, so its items
 * are free text too; the labels list repeats a few items (dictionary).
 */
import { describe, expect, it } from 'vitest';
import type { LoadedSource } from '../../src/sources/load-source.js';
import { catalogueYaml, runProject } from './harness.js';

const WORDS = [
  'Zugriff',
  'verweigert',
  'für',
  'Benutzer',
  'échec',
  'VPN',
  'Störung',
  '日本',
  'fail',
  'FAIL',
  'ok',
];
const LABELS = ['red', 'green', 'blue', 'grün'];

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Row {
  summary: string | null;
  labels: string[];
  note: string | null;
}

const rnd = random(16);
const rows: Row[] = Array.from({ length: 6000 }, (_, i) => {
  const words = Array.from(
    { length: 2 + Math.floor(rnd() * 4) },
    () => WORDS[Math.floor(rnd() * WORDS.length)],
  );
  // Unique in the first 4,096 rows (the number), then earlier summaries again.
  const summary = i % 50 === 7 ? null : i < 4096 ? `${words.join(' ')} #${i}${i % 3 === 0 ? '!' : ''}` : null;
  const labels = LABELS.filter(() => rnd() < 0.3);
  return { summary, labels, note: i % 9 === 0 ? null : `note ${i} ${words[0]}` };
});
for (let i = 4096; i < rows.length; i++) if (i % 50 !== 7) rows[i]!.summary = rows[i - 4096]!.summary;

const csvCell = (s: string | null) => (s === null ? '' : s.includes(',') ? `"${s}"` : s);
const csv = [
  'id,summary,label,label,label,label,note',
  ...rows.map((r, i) =>
    [
      `t${i}`,
      csvCell(r.summary),
      ...Array.from({ length: 4 }, (_, k) => r.labels[k] ?? ''),
      csvCell(r.note),
    ].join(','),
  ),
].join('\n');
const other = `key\n${rows[3]!.summary}\n${rows[4100]!.summary}\nnone of them\n`;

const SOURCES = `  s:
    path: s.csv
    kind: snapshot
    fields:
      id: id
      summary: summary
      labels: { column: label, type: list, occurrence: all }
      notes: { column: note, type: list, occurrence: all }
  t:
    path: t.csv
    kind: snapshot
    fields:
      key: key
`;

const texts = rows.map((r) => r.summary);
const count = (test: (r: Row) => boolean) => rows.filter(test).length;
const some = (test: (s: string) => boolean) => count((r) => r.summary !== null && test(r.summary));
const picked = rows[10]!.summary!;

const CASES: { id: string; formula: string; expected: number | null }[] = [
  { id: 'CONTAINS', formula: 'count(s, contains(summary, "ö"))', expected: some((s) => s.includes('ö')) },
  {
    id: 'CONTAINS-2',
    formula: 'count(s, contains(summary, "r v"))',
    expected: some((s) => s.includes('r v')),
  },
  {
    id: 'STARTS',
    formula: 'count(s, starts_with(summary, "Zugriff"))',
    expected: some((s) => s.startsWith('Zugriff')),
  },
  { id: 'ENDS', formula: 'count(s, ends_with(summary, "!"))', expected: some((s) => s.endsWith('!')) },
  {
    id: 'EQUAL',
    formula: `count(s, summary == ${JSON.stringify(picked)})`,
    expected: some((s) => s === picked),
  },
  {
    id: 'NOT-EQUAL',
    formula: `count(s, summary != ${JSON.stringify(picked)})`,
    expected: some((s) => s !== picked),
  },
  { id: 'ORDER', formula: 'count(s, summary > "f")', expected: some((s) => s > 'f') },
  {
    id: 'LEN',
    formula: 'sum(s, len(summary))',
    expected: texts.reduce((sum, s) => sum + (s === null ? 0 : s.length), 0),
  },
  {
    id: 'MATCHES',
    formula: 'count(s, matches(summary, "f[aä]il|échec", "i"))',
    expected: some((s) => /f[aä]il|échec/i.test(s)),
  },
  { id: 'IS-NULL', formula: 'count(s, is_null(summary))', expected: count((r) => r.summary === null) },
  {
    id: 'DISTINCT',
    formula: 'count_distinct(s, summary)',
    expected: new Set(texts.filter((s) => s !== null)).size,
  },
  {
    id: 'LOWER',
    formula: `count(s, lower(summary) == ${JSON.stringify(picked.toLowerCase())})`,
    expected: some((s) => s.toLowerCase() === picked.toLowerCase()),
  },
  {
    id: 'CONCAT',
    formula: `count(s, summary + "?" == ${JSON.stringify(`${picked}?`)})`,
    expected: some((s) => s === picked),
  },
  {
    id: 'EXISTS',
    formula: 'count(s, exists(t, t.key == s.summary))',
    expected: some((s) => s === rows[3]!.summary || s === rows[4100]!.summary),
  },
  { id: 'IN-LIST', formula: 'count(s, "grün" in labels)', expected: count((r) => r.labels.includes('grün')) },
  {
    id: 'LIST-LEN',
    formula: 'sum(s, len(labels))',
    expected: rows.reduce((sum, r) => sum + r.labels.length, 0),
  },
  { id: 'LIST-EMPTY', formula: 'count(s, is_null(labels))', expected: count((r) => r.labels.length === 0) },
  {
    id: 'TEXT-ITEM',
    formula:
      'count(s, contains(notes, "note 77 " + "x") or contains(notes, ' + JSON.stringify(rows[5]!.note) + '))',
    expected: count((r) => r.note === rows[5]!.note),
  },
  { id: 'TEXT-ITEMS-LEN', formula: 'sum(s, len(notes))', expected: count((r) => r.note !== null) },
];

describe('free text and lists as stored', () => {
  it('every function gives what plain JavaScript gives on the same rows', async () => {
    const result = await runProject({
      'metrics.yaml': catalogueYaml(
        SOURCES,
        CASES.map(({ id, formula }) => ({ id, formula })),
        'UTC',
      ),
      's.csv': `${csv}\n`,
      't.csv': other,
    });
    // The layouts this test is about: summary and the notes' items as free text, labels' items coded.
    const table = (result.sources.get('s') as LoadedSource).table;
    expect(table.columns.get('summary')!.kind).toBe('text');
    const notes = table.columns.get('notes')!;
    const labels = table.columns.get('labels')!;
    expect(notes.kind === 'list' && notes.items.kind).toBe('text');
    expect(labels.kind === 'list' && labels.items.kind).toBe('str');
    const kpis = new Map(result.report.kpis.map((k) => [k.id, k]));
    const got = Object.fromEntries(CASES.map((c) => [c.id, kpis.get(c.id)!.value]));
    const expected = Object.fromEntries(CASES.map((c) => [c.id, c.expected]));
    expect(got).toEqual(expected);
    // Not every answer is trivially zero or everything.
    expect(CASES.filter((c) => c.expected !== 0 && c.expected !== rows.length).length).toBe(CASES.length);
  });
});
