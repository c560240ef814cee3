/**
 * Compact text (src/sources/text-store.ts): every value comes back exactly as stored, and every test on
 * the bytes gives the answer of the same test on the strings, for any text (non-Latin-1, emoji, empty
 * values, no values, values larger than a page, lone surrogates) and any selection of rows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  concatTextStores,
  type TextStore,
  TextStoreBuilder,
  textAffix,
  textContains,
  textEquals,
  textLengths,
  textTest,
  textValues,
} from '../../src/sources/text-store.js';

const YES = 1;
const NO = 0;
const NONE = 2;

/** Texts built from a small alphabet (so needles are found), with multi-byte and 4-byte characters. */
const piece = fc.constantFrom(
  'a',
  'b',
  'ab',
  ' ',
  'ä',
  'Ü',
  'ß',
  'é',
  '日本',
  '😀',
  '\n',
  '"',
  'x'.repeat(40),
);
const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
const value = fc.option(text, { nil: null, freq: 6 });

function build(values: readonly (string | null)[]): TextStore {
  const b = new TextStoreBuilder(4);
  for (const v of values) {
    if (v === null) b.pushNull();
    else b.push(v);
  }
  return b.finish();
}

const truth = (v: string | null, test: (s: string) => boolean) => (v === null ? NONE : test(v) ? YES : NO);

/** A sorted selection of rows (or every row). */
function selections(n: number): (Int32Array | null)[] {
  const evens = Int32Array.from({ length: Math.ceil(n / 2) }, (_, i) => i * 2);
  const few = Int32Array.from(n > 0 ? [n - 1, 0] : []);
  return [null, evens, few];
}

describe('text store', () => {
  it('gives every value back, in order, whatever its characters', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 60 }), (values) => {
        const store = build(values);
        expect(store.length).toBe(values.length);
        for (let i = 0; i < values.length; i++) {
          expect(store.get(i)).toBe(values[i]);
          expect(store.isNull(i)).toBe(values[i] === null);
        }
        expect(textValues(store, null)).toEqual(values);
      }),
    );
  });

  it('keeps values across pages, including values larger than a page', () => {
    // 64 KiB first page, then doubling: 3,000 values of 100 bytes need several pages; one value of 9 MB
    // is larger than the largest page (8 MiB) and gets a page of its own.
    const values: (string | null)[] = Array.from({ length: 3000 }, (_, i) =>
      i % 7 === 0 ? null : `${i}:${'ä'.repeat(40)}${'x'.repeat(i % 13)}`,
    );
    values.splice(1500, 0, 'b'.repeat(9_000_000));
    const store = build(values);
    expect(store.pages.length).toBeGreaterThan(3);
    for (let i = 0; i < values.length; i++) expect(store.get(i)).toBe(values[i]);
    const contains = textContains(store, null, 'äx')!;
    for (let i = 0; i < values.length; i++)
      expect(contains[i]).toBe(truth(values[i]!, (s) => s.includes('äx')));
    expect(store.bytes).toBe(values.reduce((sum, v) => sum + (v === null ? 0 : Buffer.byteLength(v)), 0));
  });

  it('answers equality, prefixes, suffixes, contains and lengths on the bytes as strings would', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 40 }), text, (values, needle) => {
        const store = build(values);
        for (const rows of selections(values.length)) {
          const at = (k: number) => values[rows ? rows[k]! : k]!;
          const n = rows ? rows.length : values.length;
          const equal = textEquals(store, rows, needle)!;
          const starts = textAffix(store, rows, needle, false)!;
          const ends = textAffix(store, rows, needle, true)!;
          const contains = textContains(store, rows, needle)!;
          const lengths = textLengths(store, rows)!;
          for (let k = 0; k < n; k++) {
            const v = at(k);
            expect(equal[k]).toBe(truth(v, (s) => s === needle));
            expect(starts[k]).toBe(truth(v, (s) => s.startsWith(needle)));
            expect(ends[k]).toBe(truth(v, (s) => s.endsWith(needle)));
            expect(contains[k], `${JSON.stringify(v)} contains ${JSON.stringify(needle)}`).toBe(
              truth(v, (s) => s.includes(needle)),
            );
            expect(Number.isNaN(lengths[k]!) ? null : lengths[k]).toBe(v === null ? null : v.length);
          }
        }
      }),
    );
  });

  it('finds a match that only starts after an earlier near-match across a row boundary', () => {
    // "ab" + "b": the bytes "a","b","b" hold "bb" across the boundary, which is no match of either row.
    const store = build(['ab', 'b', 'bb', null, '', 'xbb']);
    expect([...textContains(store, null, 'bb')!]).toEqual([NO, NO, YES, NONE, NO, YES]);
  });

  it('keeps text that is not well-formed beside the bytes, and tests it as a string', () => {
    const lone = 'a\ud800b';
    const store = build(['x', lone, null]);
    expect(store.isWellFormed).toBe(false);
    expect(store.get(1)).toBe(lone);
    // The byte tests decline; the string tests give the answer.
    expect(textEquals(store, null, lone)).toBeNull();
    expect([...textTest(store, null, (s) => s === lone)]).toEqual([NO, YES, NONE]);
    expect(textValues(store, null)).toEqual(['x', lone, null]);
  });

  it('joins stores without copying their pages', () => {
    const a = build(['one', null, 'zwei']);
    const b = build([null, 'drei 😀']);
    const joined = concatTextStores([a, b]);
    expect(textValues(joined, null)).toEqual(['one', null, 'zwei', null, 'drei 😀']);
    expect(joined.pages[0]).toBe(a.pages[0]);
    expect([...textContains(joined, null, 'ei')!]).toEqual([NO, NONE, YES, NONE, YES]);
  });
});
