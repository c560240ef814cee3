/**
 * The matches() engine (src/formula/regex.ts): it gives JavaScript's answer on every pattern it accepts
 * (differential tests against V8's RegExp on generated patterns and texts, and on a corpus of realistic
 * ones), refuses what needs backtracking with the position of the construct, and runs the patterns
 * that make a backtracking engine hang in work linear in the text: the DFA it builds stays bounded.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRegex, MAX_REGEX_LENGTH, MAX_REGEX_STEPS } from '../../src/formula/regex.js';

function compile(pattern: string, flags: '' | 'i' = '') {
  const result = compileRegex(pattern, flags);
  if (!result.ok) throw new Error(`refused ${pattern}: ${result.error.message}`);
  return result.regex;
}

/** How many DFA states the engine has built for a pattern so far. */
function dfaStates(regex: object): number {
  return (regex as { stateCount: number }).stateCount;
}

function refusal(pattern: string, flags: '' | 'i' = '') {
  const result = compileRegex(pattern, flags);
  if (result.ok) throw new Error(`accepted ${pattern}`);
  return result.error;
}

/** Pieces of patterns over a small alphabet, so that random texts often match. */
const ATOMS = [
  'a',
  'b',
  'A',
  'ä',
  'Ä',
  'ß',
  'k',
  'K',
  '\\u212a', // KELVIN SIGN: JavaScript's "i" without "u" keeps it apart from k
  'ſ', // LONG S: its upper case is ASCII S, which JavaScript's "i" without "u" ignores
  '.',
  '\\d',
  '\\D',
  '\\w',
  '\\W',
  '\\s',
  '\\S',
  '[a-c]',
  '[^a]',
  '[^ab\\d]',
  '[A-Z]',
  '[à-ÿ]',
  '[\\w-]',
  '[-ä]',
  '[]',
  '[^]',
  '\\.',
  '\\-',
  '\\n',
  '\\x41',
  '\\u00e4',
  '\\cJ',
  '\\0',
  ' ',
  '{',
  '}',
  ']',
  '😀',
];
const ASSERTIONS = ['^', '$', '\\b', '\\B'];
const QUANTIFIERS = ['', '', '', '*', '+', '?', '{2}', '{0,2}', '{1,}', '*?', '+?', '{1,3}?'];

const patternArb: fc.Arbitrary<string> = fc.letrec<{ alt: string; seq: string; term: string }>((tie) => ({
  alt: fc.oneof(
    { weight: 3, arbitrary: tie('seq') },
    { weight: 1, arbitrary: fc.tuple(tie('seq'), tie('seq')).map(([a, b]) => `${a}|${b}`) },
  ),
  seq: fc.array(tie('term'), { minLength: 0, maxLength: 4 }).map((terms) => terms.join('')),
  term: fc.oneof(
    {
      weight: 6,
      arbitrary: fc.tuple(fc.constantFrom(...ATOMS), fc.constantFrom(...QUANTIFIERS)).map(([a, q]) => a + q),
    },
    { weight: 2, arbitrary: fc.constantFrom(...ASSERTIONS) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom('(', '(?:', '(?<g>'), tie('alt'), fc.constantFrom(...QUANTIFIERS))
        .map(([open, inner, q]) => `${open}${inner})${q}`),
    },
  ),
})).alt;

const TEXT_CHARS = [
  'a',
  'b',
  'A',
  'B',
  'ä',
  'Ä',
  'ß',
  'k',
  'K',
  '\u212a',
  'ſ',
  'S',
  's',
  '1',
  '9',
  ' ',
  '\n',
  '\r',
  '\t',
  '-',
  '.',
  '_',
  '{',
  '😀',
  '\u2028',
  '\u00a0',
  '\0',
];
const textArb = fc.array(fc.constantFrom(...TEXT_CHARS), { maxLength: 12 }).map((cs) => cs.join(''));

/** V8's answer; named groups are only valid once per pattern, so give each its own name. */
function v8(pattern: string, flags: string): RegExp | undefined {
  let n = 0;
  const unique = pattern.replace(/\(\?<g>/g, () => `(?<g${n++}>`);
  try {
    return new RegExp(unique, flags);
  } catch {
    return undefined;
  }
}

describe('the engine gives JavaScript’s answers', () => {
  it('on generated patterns and texts, with and without "i"', () => {
    let compared = 0;
    fc.assert(
      fc.property(
        patternArb,
        fc.constantFrom<'' | 'i'>('', 'i'),
        fc.array(textArb, { minLength: 1, maxLength: 8 }),
        (pattern, flags, texts) => {
          const reference = v8(pattern, flags);
          if (!reference) return; // not a valid JavaScript pattern: the checker refuses it before the engine
          let n = 0;
          const compiled = compileRegex(
            pattern.replace(/\(\?<g>/g, () => `(?<g${n++}>`),
            flags,
          );
          // size limits (200 characters, 2000 steps) are tested below
          if (!compiled.ok && /limited to|expands to/.test(compiled.error.message)) return;
          if (!compiled.ok) throw new Error(`refused ${pattern}: ${compiled.error.message}`);
          const ours = compiled.regex;
          for (const text of texts) {
            expect(ours.test(text), `${reference} on ${JSON.stringify(text)}`).toBe(reference.test(text));
            compared++;
          }
        },
      ),
      { numRuns: 1000, seed: 15 },
    );
    expect(compared).toBeGreaterThan(1000);
  });

  const corpus: [string, '' | 'i'][] = [
    ['^INC-\\d{4}$', ''],
    ['prod-1[0-5]', ''],
    ['zugriff', 'i'],
    ['^Ticket \\d+ – Ü', ''],
    ['CHG\\d{3}$', ''],
    ['\\bVPN\\b', 'i'],
    ['[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}', 'i'],
    ['^(critical|high)$', 'i'],
    ['(ÄNDERUNG|änderung) genehmigt', ''],
    ['straße', 'i'],
    ['\\s{2,}', ''],
    ['^\\S+$', ''],
    ['ticket\\s*#?\\d+', 'i'],
    ['^.*$', ''],
    ['^[^\\n]*\\n', ''],
    ['\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}', ''],
    ['(?:https?://)?[\\w.-]+\\.(de|com|eu)\\b', 'i'],
    ['ÉCHEC|échec', ''],
    ['\\u00c4nderung', 'i'],
    ['srv-\\d{5}$', ''],
  ];
  const texts = [
    '',
    'INC-0042',
    'inc-0042',
    'Zugriff auf prod-12 verweigert',
    'ZUGRIFF prod-19',
    'Ticket 17 – Übergabe\nzweite Zeile',
    'Ticket 17 - Übergabe',
    'rollout CHG123',
    'rollout CHG123\n',
    'vpn down',
    'VPNs down',
    'mail an jörg.müller@acme-gmbh.de bitte',
    'HIGH',
    'high ',
    'Änderung genehmigt',
    'STRASSE',
    'Straße gesperrt',
    'STRAẞE',
    'zwei  Leerzeichen',
    'ohne',
    'Zeile 1\nZeile 2',
    'Zeile 1\r\nZeile 2',
    'Zeile 1\u2028Zeile 2',
    'Quelle 10.0.0.1 blockiert',
    'siehe https://intranet.acme.de/x',
    'ÉCHEC de la sauvegarde',
    'änderung',
    'srv-00123',
    'Ticket #42 😀 erledigt',
  ];
  it.each(corpus)('on realistic texts: /%s/%s', (pattern, flags) => {
    const ours = compile(pattern, flags);
    const reference = new RegExp(pattern, flags);
    for (const text of texts) expect(ours.test(text), JSON.stringify(text)).toBe(reference.test(text));
  });
});

describe('"i", non-ASCII text and anchors', () => {
  it('ignores case for non-ASCII letters as JavaScript does', () => {
    expect(compile('ÄNDERUNG', 'i').test('Änderung beantragt')).toBe(true);
    expect(compile('ÄNDERUNG').test('Änderung beantragt')).toBe(false);
    expect(compile('[à-ÿ]+', 'i').test('ÉÈ')).toBe(true);
    // KELVIN SIGN and LONG S upper-case to ASCII, which JavaScript's "i" (without "u") does not follow
    expect(compile('k', 'i').test('\u212a')).toBe(false);
    expect(compile('s', 'i').test('ſ')).toBe(false);
  });

  it('reads ^ and $ as the start and end of the whole text, and . as any character but a line break', () => {
    expect(compile('^b').test('a\nb')).toBe(false);
    expect(compile('a$').test('a\nb')).toBe(false);
    expect(compile('a$').test('xa')).toBe(true);
    expect(compile('^a.b$').test('a\nb')).toBe(false);
    expect(compile('^a.b$').test('aäb')).toBe(true);
    expect(compile('^$').test('')).toBe(true);
    expect(compile('\\bTicket\\b').test('Tickets')).toBe(false);
    expect(compile('\\bTicket\\b').test('(Ticket)')).toBe(true);
  });
});

describe('patterns that make a backtracking engine hang', () => {
  const as = (n: number) => 'a'.repeat(n);
  const xs = (n: number) => 'x'.repeat(n);
  // [pattern, a text of n characters on which V8's backtracking takes exponential or high-polynomial
  // time, the answer, a text that matches]
  const hostile: [string, (n: number) => string, boolean, string][] = [
    ['(\\w\\w?)*$', (n) => `${xs(n)}!`, true, 'x'],
    ['^(\\w\\w?)*$', (n) => `${xs(n)}!`, false, 'xyz'],
    ['a*a*a*a*a*a*a*a*b', as, false, 'aab'],
    ['^(a+)+$', (n) => `${as(n)}!`, false, 'aaa'],
    ['(a|aa)*b', as, false, 'aab'],
    ['(.*a){20}', (n) => `${as(19)}${'b'.repeat(n)}`, false, as(20)],
    ['^(a*)*$', (n) => `${as(n)}!`, false, 'aa'],
    ['([a-z]+)+x', as, false, 'abx'],
    ['(\\w|\\d)+$', (n) => `${as(n)}!`, false, 'a1'],
    ['(x+x+)+y', xs, false, 'xxy'],
  ];
  it.each(hostile)(
    '%s is accepted and answers on a 10,000-character text in linear work',
    (pattern, text, answer, match) => {
      const ours = compile(pattern);
      expect(ours.test(text(1_000))).toBe(answer);
      expect(ours.test(match)).toBe(true);
      // The work is bounded by the DFA: each character costs one look-up once its transition is known,
      // and a transition is computed at most once per (state, character class), each costing at most
      // the NFA's size. The states are few and do not grow with the text: a 10,000-character text adds
      // none to those a 1,000-character one built.
      const states = dfaStates(ours);
      expect(states).toBeLessThanOrEqual(64);
      expect(ours.test(text(10_000))).toBe(answer);
      expect(dfaStates(ours)).toBe(states);
    },
  );

  it('a DFA that would be exponential is rebuilt from a bounded cache', () => {
    // (a|b)*a(a|b){12}: 2^13 DFA states; the cache keeps at most 4096 and is rebuilt as needed
    const ours = compile('(a|b)*a(a|b){12}c');
    let text = '';
    // pseudo-random a/b, long enough to visit more distinct states (about 8,000) than the cache holds
    let seed = 12345;
    for (let i = 0; i < 30_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      text += (seed >>> 16) % 2 === 0 ? 'a' : 'b';
    }
    expect(ours.test(text)).toBe(false);
    for (const tail of ['c', 'ac', 'a'.repeat(13) + 'c', 'a' + 'b'.repeat(12) + 'c', 'b'.repeat(13) + 'c']) {
      // the only c is the last character: a match needs an a exactly 13 characters before it
      const whole = `${text}${tail}`;
      expect(ours.test(whole)).toBe(whole.at(-14) === 'a');
    }
    expect(dfaStates(ours)).toBeLessThanOrEqual(4096);
  });
});

describe('what the engine refuses, with the position of the construct', () => {
  it.each([
    ['(a)\\1', 3, 5, /back-references such as \\1/],
    ['(?<x>a)\\k<x>', 7, 12, /back-references such as \\k<name>/],
    ['(?=a)a', 0, 3, /lookahead "\(\?=" is not supported/],
    ['x(?!a)', 1, 4, /lookahead/],
    ['(?<!a)b', 0, 4, /lookbehind "\(\?<!" is not supported/],
    ['(?<=a)b', 0, 4, /lookbehind/],
    ['\\z', 0, 2, /use \$ for the end/],
    ['\\A', 0, 2, /use \^ for the start/],
    ['\\p{L}', 0, 2, /Unicode property escapes/],
    ['\\u{1F600}', 0, 2, /\\uHHHH/],
    ['a\\01', 1, 4, /octal/],
    ['[\\d-z]', 1, 5, /range in \[\.\.\.\] cannot start or end with a class/],
    ['a{1001}', 1, 7, /limited to \{1000\}/],
  ])('%s', (pattern, start, end, message) => {
    const error = refusal(pattern);
    expect(error.message).toMatch(message);
    expect(error.code).toBe('formula-unsafe');
    expect([error.start, error.end]).toEqual([start, end]);
  });

  it(`patterns longer than ${MAX_REGEX_LENGTH} characters`, () => {
    expect(refusal('a'.repeat(MAX_REGEX_LENGTH + 1)).message).toBe(
      `patterns are limited to ${MAX_REGEX_LENGTH} characters`,
    );
    expect(compileRegex('a'.repeat(MAX_REGEX_LENGTH), '').ok).toBe(true);
  });

  it(`patterns that expand to more than ${MAX_REGEX_STEPS} steps`, () => {
    expect(refusal('(a{50}){50}').message).toMatch(/expands to more than/);
    expect(compileRegex('(a{10}){10}', '').ok).toBe(true);
  });
});
