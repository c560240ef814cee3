/**
 * The engine behind matches(): JavaScript regular-expression syntax, run in time linear in the length
 * of the text, whatever the pattern.
 *
 * Decision (issue 15, docs/performance.md "Decision: matches() engine"): a backtracking engine (V8's
 * RegExp) can take exponential or high-polynomial time on patterns such as `(\w\w?)*$` or
 * `a*a*a*a*a*a*a*a*b`, and no hand-written guard finds them all. matches() only asks WHETHER a text
 * contains a match (no captures, no positions), so the pattern is compiled to a Thompson NFA and run as
 * a lazily built DFA: every character costs one table look-up once its transition is known, and
 * computing a transition costs at most the size of the NFA, so the time per text is bounded by
 * (text length x pattern size) and in practice is (text length). The first match ends the scan.
 *
 * Semantics are JavaScript's without the `u` flag (what `new RegExp(pattern, flags)` does), so a
 * pattern means what it meant before; the differential test (tests/formula/regex.test.ts) compares
 * the two on a corpus. What the engine cannot do without backtracking is refused with the position of
 * the construct: back-references (`\1`, `\k<name>`), lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`), and
 * escapes JavaScript reads differently from other regex dialects (`\z`, `\A`, octal `\01`, `\p{...}`).
 * Case-insensitive matching ("i") is compiled in: every character set is closed under JavaScript's
 * case canonicalisation (toUpperCase, non-ASCII never mapped to ASCII), which is exactly how
 * JavaScript compares characters under `i` without `u`.
 */

/** Longest pattern accepted (characters). */
export const MAX_REGEX_LENGTH = 200;
/** Most NFA steps a pattern may expand to (counted repeats such as `(a{50}){50}` expand). */
export const MAX_REGEX_STEPS = 2000;
/** Largest count in {n,m}. */
export const MAX_REPEAT = 1000;
/**
 * DFA states kept per pattern, and transition-table entries (4 bytes each); when either is full the
 * cache is emptied and rebuilt as the scan goes on, so memory stays bounded whatever the pattern.
 */
const MAX_DFA_STATES = 4096;
const MAX_TABLE_ENTRIES = 1 << 18;
/** Compiled patterns, shared by the KPIs that use the same one (bounded; emptied when full). */
const compiledCache = new Map<string, TextMatcher>();
const MAX_CACHED = 1000;

export interface RegexError {
  code: 'formula-syntax' | 'formula-unsafe';
  message: string;
  /** Position in the pattern (code units) of the offending part. */
  start: number;
  end: number;
}

/** What the evaluator needs: a yes/no test of one text. */
export interface TextMatcher {
  test(text: string): boolean;
  /** `/pattern/flags`, used to share results between KPIs. */
  toString(): string;
}

// ---------------------------------------------------------------------------------------------
// Character sets: sorted, merged, inclusive ranges of UTF-16 code units, flat [lo0, hi0, lo1, hi1, ...].
// ---------------------------------------------------------------------------------------------
type Ranges = number[];
const MAX_UNIT = 0xffff;

function normalise(pairs: number[]): Ranges {
  const items: [number, number][] = [];
  for (let i = 0; i < pairs.length; i += 2) items.push([pairs[i]!, pairs[i + 1]!]);
  items.sort((a, b) => a[0] - b[0]);
  const out: Ranges = [];
  for (const [lo, hi] of items) {
    const last = out.length - 1;
    if (last > 0 && lo <= out[last]! + 1) out[last] = Math.max(out[last]!, hi);
    else out.push(lo, hi);
  }
  return out;
}

function negate(set: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (let i = 0; i < set.length; i += 2) {
    if (set[i]! > next) out.push(next, set[i]! - 1);
    next = set[i + 1]! + 1;
  }
  if (next <= MAX_UNIT) out.push(next, MAX_UNIT);
  return out;
}

function contains(set: Ranges, c: number): boolean {
  let lo = 0;
  let hi = set.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (c < set[2 * mid]!) hi = mid - 1;
    else if (c > set[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

const DIGIT: Ranges = [0x30, 0x39];
const WORD: Ranges = normalise([0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a]);
const SPACE: Ranges = normalise([
  0x09, 0x0d, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f,
  0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff,
]);
const LINE_TERMINATORS: Ranges = normalise([0x0a, 0x0a, 0x0d, 0x0d, 0x2028, 0x2029]);
const DOT: Ranges = negate(LINE_TERMINATORS);

// ---------------------------------------------------------------------------------------------
// Case-insensitivity: JavaScript's Canonicalize without the u flag (ECMA-262 22.2.2.7.3).
// ---------------------------------------------------------------------------------------------
let caseGroups: { units: Uint16Array; groupOf: Map<number, number[]> } | undefined;

function caseTable(): { units: Uint16Array; groupOf: Map<number, number[]> } {
  if (caseGroups) return caseGroups;
  const byCanon = new Map<number, number[]>();
  for (let ch = 0; ch <= MAX_UNIT; ch++) {
    const upper = String.fromCharCode(ch).toUpperCase();
    let canon = ch;
    if (upper.length === 1) {
      const cu = upper.charCodeAt(0);
      if (!(ch >= 128 && cu < 128)) canon = cu;
    }
    const group = byCanon.get(canon);
    if (group) group.push(ch);
    else byCanon.set(canon, [ch]);
  }
  const groupOf = new Map<number, number[]>();
  const units: number[] = [];
  for (const group of byCanon.values()) {
    if (group.length < 2) continue;
    for (const ch of group) {
      groupOf.set(ch, group);
      units.push(ch);
    }
  }
  caseGroups = { units: Uint16Array.from(units.sort((a, b) => a - b)), groupOf };
  return caseGroups;
}

/** The set plus every character that is the same letter in another case. */
function caseClosure(set: Ranges): Ranges {
  const { units, groupOf } = caseTable();
  const extra: number[] = [];
  for (let r = 0; r < set.length; r += 2) {
    let lo = 0;
    let hi = units.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (units[mid]! < set[r]!) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < units.length && units[i]! <= set[r + 1]!; i++)
      for (const other of groupOf.get(units[i]!)!) extra.push(other, other);
  }
  return extra.length === 0 ? set : normalise([...set, ...extra]);
}

// ---------------------------------------------------------------------------------------------
// Parser: pattern text -> tree. Only patterns V8 already accepted reach it (check.ts compiles them
// with RegExp first, for its error messages), so it refuses what the engine cannot do, not typos.
// ---------------------------------------------------------------------------------------------
type Tree =
  /** `unit`: the one character it was written as (before "i" added its other cases), if it is one. */
  | { t: 'set'; set: Ranges; unit?: number }
  | { t: 'seq'; items: Tree[] }
  | { t: 'alt'; items: Tree[] }
  | { t: 'rep'; item: Tree; min: number; max: number }
  | { t: 'assert'; kind: Assertion };

type Assertion = 'start' | 'end' | 'word' | 'not-word';

class Refused extends Error {
  constructor(readonly error: RegexError) {
    super(error.message);
  }
}

class Parser {
  private i = 0;
  hasWordAssertion = false;

  constructor(
    private readonly p: string,
    private readonly ignoreCase: boolean,
  ) {}

  parse(): Tree {
    const tree = this.alternation();
    if (this.i < this.p.length) this.syntax(`unexpected "${this.p[this.i]}"`, this.i, this.i + 1);
    return tree;
  }

  private refuse(message: string, start: number, end: number): never {
    throw new Refused({ code: 'formula-unsafe', message, start, end });
  }

  private syntax(message: string, start: number, end: number): never {
    throw new Refused({ code: 'formula-syntax', message, start, end });
  }

  private alternation(): Tree {
    const items = [this.sequence()];
    while (this.p[this.i] === '|') {
      this.i++;
      items.push(this.sequence());
    }
    return items.length === 1 ? items[0]! : { t: 'alt', items };
  }

  private sequence(): Tree {
    const items: Tree[] = [];
    while (this.i < this.p.length && this.p[this.i] !== '|' && this.p[this.i] !== ')') {
      const start = this.i;
      const atom = this.atom();
      const q = this.quantifier();
      if (!q) {
        items.push(atom);
        continue;
      }
      if (atom.t === 'assert') this.syntax('nothing to repeat', start, this.i);
      items.push({ t: 'rep', item: atom, min: q.min, max: q.max });
    }
    return items.length === 1 ? items[0]! : { t: 'seq', items };
  }

  /** `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each optionally lazy (`?`); laziness does not change whether a text matches. */
  private quantifier(): { min: number; max: number } | undefined {
    const c = this.p[this.i];
    let q: { min: number; max: number } | undefined;
    if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '?') q = { min: 0, max: 1 };
    if (q) this.i++;
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.i));
      if (!m) return undefined; // a literal "{", as in JavaScript
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min) this.syntax('numbers out of order in {} quantifier', this.i, this.i + m[0].length);
      if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT))
        this.refuse(`counted repeats are limited to {${MAX_REPEAT}}`, this.i, this.i + m[0].length);
      this.i += m[0].length;
      q = { min, max };
    } else return undefined;
    if (this.p[this.i] === '?') this.i++;
    return q;
  }

  private atom(): Tree {
    const start = this.i;
    const c = this.p[this.i++]!;
    switch (c) {
      case '^':
        return { t: 'assert', kind: 'start' };
      case '$':
        return { t: 'assert', kind: 'end' };
      case '.':
        return this.set(DOT);
      case '[':
        return this.set(this.charClass(start));
      case '(':
        return this.group(start);
      case '\\':
        return this.escape(start);
      case '*':
      case '+':
      case '?':
        return this.syntax('nothing to repeat', start, start + 1);
      case '{':
        if (/^\{\d+(,\d*)?\}/.test(this.p.slice(start))) this.syntax('nothing to repeat', start, start + 1);
        return this.set([0x7b, 0x7b]);
      default: {
        const unit = c.charCodeAt(0);
        return this.set([unit, unit]);
      }
    }
  }

  private set(set: Ranges): Tree {
    const tree: Tree = { t: 'set', set: this.ignoreCase ? caseClosure(set) : set };
    if (isSingle(set)) tree.unit = set[0]!;
    return tree;
  }

  private group(start: number): Tree {
    const p = this.p;
    if (p[this.i] === '?') {
      const rest = p.slice(this.i, this.i + 3);
      if (rest.startsWith('?=') || rest.startsWith('?!') || rest === '?<=' || rest === '?<!') {
        const isBehind = rest.startsWith('?<');
        const construct = `(${isBehind ? rest : rest.slice(0, 2)}`;
        this.refuse(
          `${isBehind ? 'lookbehind' : 'lookahead'} "${construct}" is not supported (matches() runs in linear time; lookaround needs backtracking)`,
          start,
          start + construct.length,
        );
      }
      if (rest.startsWith('?:')) this.i += 2;
      else if (rest.startsWith('?<')) {
        const close = p.indexOf('>', this.i);
        if (close < 0) this.syntax('invalid group name', start, p.length);
        this.i = close + 1;
      } else this.syntax('invalid group', start, this.i + 1);
    }
    const inner = this.alternation();
    if (p[this.i] !== ')') this.syntax('unterminated group', start, start + 1);
    this.i++;
    // (^)? is a group that may be repeated, unlike a bare ^
    return inner.t === 'assert' ? { t: 'seq', items: [inner] } : inner;
  }

  /** An escape outside brackets: a character, a set or an assertion. */
  private escape(start: number): Tree {
    const c = this.p[this.i];
    if (c === 'b' || c === 'B') {
      this.i++;
      this.hasWordAssertion = true;
      return { t: 'assert', kind: c === 'b' ? 'word' : 'not-word' };
    }
    return this.set(this.escapeSet(start, false));
  }

  /** The set an escape stands for (one character for most), after `\` at `start`. */
  private escapeSet(start: number, inClass: boolean): Ranges {
    const p = this.p;
    if (this.i >= p.length) this.syntax('\\ at end of pattern', start, start + 1);
    const c = p[this.i++]!;
    const one = (unit: number): Ranges => [unit, unit];
    switch (c) {
      case 'd':
        return DIGIT;
      case 'D':
        return negate(DIGIT);
      case 'w':
        return WORD;
      case 'W':
        return negate(WORD);
      case 's':
        return SPACE;
      case 'S':
        return negate(SPACE);
      case 't':
        return one(0x09);
      case 'n':
        return one(0x0a);
      case 'v':
        return one(0x0b);
      case 'f':
        return one(0x0c);
      case 'r':
        return one(0x0d);
      case 'b':
        if (inClass) return one(0x08);
        break;
      case '0':
        if (!/[0-9]/.test(p[this.i] ?? '')) return one(0);
        return this.refuse(
          'octal escapes such as \\01 are not supported; write \\x01 (two hex digits)',
          start,
          this.i + 1,
        );
      case 'x': {
        const hex = /^[0-9a-fA-F]{2}/.exec(p.slice(this.i));
        if (hex) {
          this.i += 2;
          return one(Number.parseInt(hex[0], 16));
        }
        return this.refuse('\\x must be followed by two hex digits, e.g. \\x41', start, this.i);
      }
      case 'u': {
        const hex = /^[0-9a-fA-F]{4}/.exec(p.slice(this.i));
        if (hex) {
          this.i += 4;
          return one(Number.parseInt(hex[0], 16));
        }
        return this.refuse(
          p[this.i] === '{'
            ? '\\u{...} is not supported; write \\uHHHH (four hex digits) or the character itself'
            : '\\u must be followed by four hex digits, e.g. \\u00e4',
          start,
          this.i,
        );
      }
      case 'c': {
        const letter = p[this.i] ?? '';
        if (/[a-zA-Z]/.test(letter)) {
          this.i++;
          return one(letter.charCodeAt(0) % 32);
        }
        return this.refuse('\\c must be followed by a letter, e.g. \\cJ', start, this.i);
      }
      case 'k':
        return this.refuse(
          'back-references such as \\k<name> are not supported (matches() runs in linear time; back-references need backtracking)',
          start,
          Math.max(this.i, p.indexOf('>', this.i) + 1),
        );
      case 'p':
      case 'P':
        return this.refuse(
          `Unicode property escapes (\\${c}{...}) are not supported; list the characters in [...] instead`,
          start,
          this.i,
        );
    }
    if (/[1-9]/.test(c)) {
      return this.refuse(
        `back-references such as \\${c} are not supported (matches() runs in linear time; back-references need backtracking)`,
        start,
        this.i,
      );
    }
    if (/[a-zA-Z0-9]/.test(c)) {
      const hints: Record<string, string> = {
        A: '; use ^ for the start of the text',
        z: '; use $ for the end of the text',
        Z: '; use $ for the end of the text',
        h: '; use [ \\t] for horizontal space',
        Q: '; escape each special character with \\ instead',
      };
      return this.refuse(
        `\\${c} is not an escape in JavaScript patterns${hints[c] ?? '; write the character without \\'}`,
        start,
        this.i,
      );
    }
    return one(c.charCodeAt(0)); // \. \- \/ \\ \[ ... stand for themselves
  }

  /** `[...]` or `[^...]` after `[` at `start`. */
  private charClass(start: number): Ranges {
    const p = this.p;
    const isNegated = p[this.i] === '^';
    if (isNegated) this.i++;
    const pairs: number[] = [];
    while (this.i < p.length && p[this.i] !== ']') {
      const from = this.i;
      const lo = this.classAtom();
      if (p[this.i] === '-' && p[this.i + 1] !== ']' && this.i + 1 < p.length) {
        this.i++;
        const hi = this.classAtom();
        if (!isSingle(lo) || !isSingle(hi)) {
          this.refuse(
            'a range in [...] cannot start or end with a class such as \\d or \\w; write \\- for a hyphen',
            from,
            this.i,
          );
        }
        if (hi[0]! < lo[0]!) this.syntax('range out of order in character class', from, this.i);
        pairs.push(lo[0]!, hi[0]!);
        continue;
      }
      pairs.push(...lo);
    }
    if (p[this.i] !== ']') this.syntax('unterminated character class', start, start + 1);
    this.i++;
    const set = normalise(pairs);
    return isNegated ? negate(this.ignoreCase ? caseClosure(set) : set) : set;
  }

  private classAtom(): Ranges {
    const start = this.i;
    const c = this.p[this.i++]!;
    if (c === '\\') {
      if (this.p[this.i] === 'B') this.refuse('\\B is not an escape inside [...]', start, this.i + 1);
      if (this.p[this.i] === '-') {
        this.i++;
        return [0x2d, 0x2d];
      }
      return this.escapeSet(start, true);
    }
    const unit = c.charCodeAt(0);
    return [unit, unit];
  }
}

function isSingle(set: Ranges): boolean {
  return set.length === 2 && set[0] === set[1];
}

// ---------------------------------------------------------------------------------------------
// NFA: nodes in typed arrays. Kinds: MATCH, CHAR (set, out), SPLIT (out, out2), ASSERT (kind, out).
// ---------------------------------------------------------------------------------------------
const MATCH = 0;
const CHAR = 1;
const SPLIT = 2;
const ASSERT = 3;
const ASSERTIONS: Assertion[] = ['start', 'end', 'word', 'not-word'];

class NfaBuilder {
  kind: number[] = [MATCH];
  arg: number[] = [0];
  out: number[] = [-1];
  out2: number[] = [-1];
  sets: Ranges[] = [];

  constructor(private readonly onTooLarge: () => never) {}

  private add(kind: number, arg: number, out: number, out2 = -1): number {
    if (this.kind.length >= MAX_REGEX_STEPS) this.onTooLarge();
    this.kind.push(kind);
    this.arg.push(arg);
    this.out.push(out);
    this.out2.push(out2);
    return this.kind.length - 1;
  }

  /** Compiles `tree` so that it continues at `next`; returns its entry node. */
  build(tree: Tree, next: number): number {
    switch (tree.t) {
      case 'set':
        this.sets.push(tree.set);
        return this.add(CHAR, this.sets.length - 1, next);
      case 'assert':
        return this.add(ASSERT, ASSERTIONS.indexOf(tree.kind), next);
      case 'seq': {
        let entry = next;
        for (let k = tree.items.length - 1; k >= 0; k--) entry = this.build(tree.items[k]!, entry);
        return entry;
      }
      case 'alt': {
        let entry = this.build(tree.items[tree.items.length - 1]!, next);
        for (let k = tree.items.length - 2; k >= 0; k--)
          entry = this.add(SPLIT, 0, this.build(tree.items[k]!, next), entry);
        return entry;
      }
      case 'rep': {
        // x{min,max}: min copies of x, then max - min optional copies (or a loop when max is unbounded).
        let entry = next;
        if (tree.max === Infinity) {
          const loop = this.add(SPLIT, 0, -1, next);
          this.out[loop] = this.build(tree.item, loop);
          entry = loop;
        } else {
          for (let k = tree.min; k < tree.max; k++) {
            const body = this.build(tree.item, entry);
            if (body === entry) break; // an empty item: repeating it changes nothing
            entry = this.add(SPLIT, 0, body, next);
          }
        }
        for (let k = 0; k < tree.min; k++) {
          const head = this.build(tree.item, entry);
          if (head === entry) break;
          entry = head;
        }
        return entry;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The lazy DFA. A state is a set of NFA nodes waiting for their epsilon closure (the closure depends
// on the next character, for \b and $) plus two flags (at the start; previous character a word
// character). Transitions live in one flat table: trans[state * classes + class].
// ---------------------------------------------------------------------------------------------
const UNKNOWN = -1;
const MATCHED = -2;
const DEAD = -3;

class LinearRegex implements TextMatcher {
  private readonly latin = new Uint16Array(256);
  /** Start code unit of each segment of the code-unit space, and its character class. */
  private readonly bounds: Uint32Array;
  private readonly segmentClass: Uint16Array;
  private readonly classCount: number;
  /** Per state: its NFA nodes, whether it is the start of the text, whether the previous unit was a word character. */
  private nodes: Int32Array[] = [];
  private atStart: boolean[] = [];
  private prevWord: boolean[] = [];
  /** Per state: -1 unknown, 0 no, 1 yes: does the text match if it ends here? */
  private endMatch: number[] = [];
  private trans: Int32Array;
  private index = new Map<string, number>();
  private readonly visited: Int32Array;
  private generation = 0;
  private readonly anchoredStart: boolean;
  private readonly hasLiteral: ((text: string) => boolean) | undefined;
  private readonly literalIsAnswer: boolean;
  private readonly tail: number;

  constructor(
    private readonly source: string,
    private readonly flags: string,
    private readonly entry: number,
    private readonly nfa: NfaBuilder,
    private readonly wordAssertions: boolean,
    shortcut: Shortcuts,
  ) {
    this.tail = shortcut.tail;
    this.literalIsAnswer = shortcut.literalIsAnswer;
    if (shortcut.literal !== '') {
      const literal = shortcut.literal;
      if (flags !== 'i') this.hasLiteral = (text) => text.includes(literal);
      else {
        // V8 compares a plain run of characters under "i" exactly as this engine does (same
        // canonicalisation), in time (text length x run length): no quantifier, nothing to backtrack.
        const escaped = [...literal]
          .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
          .join('');
        const plain = new RegExp(escaped, 'i');
        this.hasLiteral = (text) => plain.test(text);
      }
    }
    this.visited = new Int32Array(nfa.kind.length);
    // Character classes: code units that every set (and \b) treats alike.
    const cuts = new Set<number>([0]);
    const allSets = wordAssertions ? [...nfa.sets, WORD] : nfa.sets;
    for (const set of allSets) {
      for (let i = 0; i < set.length; i += 2) {
        cuts.add(set[i]!);
        if (set[i + 1]! < MAX_UNIT) cuts.add(set[i + 1]! + 1);
      }
    }
    this.bounds = Uint32Array.from([...cuts].sort((a, b) => a - b));
    this.segmentClass = new Uint16Array(this.bounds.length);
    const classes = new Map<string, number>();
    for (let s = 0; s < this.bounds.length; s++) {
      const c = this.bounds[s]!;
      const signature = allSets.map((set) => (contains(set, c) ? '1' : '0')).join('');
      let id = classes.get(signature);
      if (id === undefined) {
        id = classes.size;
        classes.set(signature, id);
      }
      this.segmentClass[s] = id;
    }
    this.classCount = classes.size;
    this.trans = new Int32Array(16 * this.classCount).fill(UNKNOWN);
    for (let c = 0; c < 256; c++) this.latin[c] = this.classOfWide(c);
    this.anchoredStart = !this.canStartAfterBeginning();
    this.intern([this.entry], true, false); // the start: state 0
  }

  toString(): string {
    return `/${this.source}/${this.flags}`;
  }

  /** How many DFA states are built (tests bound the work with it). */
  get stateCount(): number {
    return this.nodes.length;
  }

  test(whole: string): boolean {
    if (this.hasLiteral) {
      if (!this.hasLiteral(whole)) return false;
      if (this.literalIsAnswer) return true;
    }
    const text = whole.length > this.tail + 1 ? whole.slice(whole.length - this.tail - 1) : whole;
    const classes = this.classCount;
    const latin = this.latin;
    let trans = this.trans;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      const k = unit < 256 ? latin[unit]! : this.classOfWide(unit);
      let next = trans[state * classes + k]!;
      if (next === UNKNOWN) {
        next = this.step(state, unit, k);
        trans = this.trans;
      }
      if (next < 0) return next === MATCHED;
      state = next;
    }
    let end = this.endMatch[state]!;
    if (end === UNKNOWN) {
      end = this.closure(state, true, false, undefined) ? 1 : 0;
      this.endMatch[state] = end;
    }
    return end === 1;
  }

  private classOfWide(unit: number): number {
    const b = this.bounds;
    let lo = 0;
    let hi = b.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (b[mid]! <= unit) lo = mid;
      else hi = mid - 1;
    }
    return this.segmentClass[lo]!;
  }

  private intern(nodes: number[], atStart: boolean, prevWord: boolean): number {
    const sorted = Int32Array.from(nodes).sort();
    const key = `${atStart ? 1 : 0}${prevWord ? 1 : 0}:${sorted.join(',')}`;
    const known = this.index.get(key);
    if (known !== undefined) return known;
    const id = this.nodes.length;
    this.nodes.push(sorted);
    this.atStart.push(atStart);
    this.prevWord.push(prevWord);
    this.endMatch.push(UNKNOWN);
    this.index.set(key, id);
    const needed = (id + 1) * this.classCount;
    if (needed > this.trans.length) {
      const grown = new Int32Array(Math.max(needed, this.trans.length * 2)).fill(UNKNOWN);
      grown.set(this.trans);
      this.trans = grown;
    }
    return id;
  }

  /** Empties the cache, keeping the start state (id 0 after the flush). */
  private flush(): void {
    this.nodes = [];
    this.atStart = [];
    this.prevWord = [];
    this.endMatch = [];
    this.index = new Map();
    this.trans = new Int32Array(16 * this.classCount).fill(UNKNOWN);
    this.intern([this.entry], true, false);
  }

  /**
   * Follows SPLIT and satisfied ASSERT nodes from the state's nodes. Returns true when MATCH is reached;
   * otherwise collects the CHAR nodes into `chars` (when given).
   */
  private closure(state: number, atEnd: boolean, nextWord: boolean, chars: number[] | undefined): boolean {
    return this.closureOf(
      this.nodes[state]!,
      this.atStart[state]!,
      this.prevWord[state]!,
      atEnd,
      nextWord,
      chars,
    );
  }

  private closureOf(
    nodes: ArrayLike<number>,
    atStart: boolean,
    prevWord: boolean,
    atEnd: boolean,
    nextWord: boolean,
    chars: number[] | undefined,
  ): boolean {
    const { kind, arg, out, out2 } = this.nfa;
    const gen = ++this.generation;
    const stack = Array.from(nodes);
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (this.visited[n] === gen) continue;
      this.visited[n] = gen;
      switch (kind[n]) {
        case MATCH:
          return true;
        case CHAR:
          chars?.push(n);
          break;
        case SPLIT:
          stack.push(out2[n]!, out[n]!);
          break;
        case ASSERT: {
          const a = ASSERTIONS[arg[n]!];
          const holds =
            a === 'start'
              ? atStart
              : a === 'end'
                ? atEnd
                : a === 'word'
                  ? prevWord !== nextWord
                  : prevWord === nextWord;
          if (holds) stack.push(out[n]!);
          break;
        }
      }
    }
    return false;
  }

  /** The transition of `state` on the code unit `unit` (of class `k`); records it in the table. */
  private step(state: number, unit: number, k: number): number {
    const isWord = contains(WORD, unit);
    const chars: number[] = [];
    let next: number;
    if (this.closure(state, false, isWord, chars)) next = MATCHED;
    else {
      const targets: number[] = [];
      for (const n of chars)
        if (contains(this.nfa.sets[this.nfa.arg[n]!]!, unit)) targets.push(this.nfa.out[n]!);
      if (!this.anchoredStart) targets.push(this.entry);
      if (targets.length === 0) next = DEAD;
      else {
        if (
          this.nodes.length >= MAX_DFA_STATES ||
          (this.nodes.length + 1) * this.classCount > MAX_TABLE_ENTRIES
        ) {
          // Keep memory bounded: start over with the current state alone (the scan goes on from it).
          const current = {
            nodes: this.nodes[state]!,
            atStart: this.atStart[state]!,
            prevWord: this.prevWord[state]!,
          };
          this.flush();
          state = this.intern(Array.from(current.nodes), current.atStart, current.prevWord);
        }
        next = this.intern(targets, false, this.wordAssertions && isWord);
      }
    }
    this.trans[state * this.classCount + k] = next;
    return next;
  }

  /** Whether a match can begin anywhere but at the very start (false for `^abc` and `^a|^b`). */
  private canStartAfterBeginning(): boolean {
    for (const prevWord of [false, true]) {
      for (const nextWord of [false, true]) {
        for (const atEnd of [false, true]) {
          const chars: number[] = [];
          if (this.closureOf([this.entry], false, prevWord, atEnd, nextWord, chars) || chars.length > 0)
            return true;
        }
      }
    }
    return false;
  }
}

/**
 * The longest run of single characters every match must contain, e.g. "CHG" for `CHG\d{3}$` (with "i",
 * each in any case): a text without it cannot match, and V8's substring search rules such texts out
 * faster than any scan. `whole` when the pattern is nothing but that run.
 */
function requiredLiteral(tree: Tree): { text: string; whole: boolean } {
  let best = '';
  let run = '';
  let isWhole = true;
  const end = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  const visit = (t: Tree) => {
    if (t.t === 'set' && t.unit !== undefined) run += String.fromCharCode(t.unit);
    else if (t.t === 'seq') for (const item of t.items) visit(item);
    else {
      isWhole = false;
      if (t.t === 'rep' && t.min >= 1) {
        end();
        visit(t.item);
      }
      if (t.t !== 'assert') end();
    }
  };
  visit(tree);
  end();
  return { text: best, whole: isWhole && best !== '' };
}

/** The longest text (code units) a match can span; Infinity with * or +. */
function maxLength(tree: Tree): number {
  switch (tree.t) {
    case 'set':
      return 1;
    case 'assert':
      return 0;
    case 'seq':
      return tree.items.reduce((sum, item) => sum + maxLength(item), 0);
    case 'alt':
      return Math.max(...tree.items.map(maxLength));
    case 'rep':
      return tree.max === 0 ? 0 : tree.max * maxLength(tree.item);
  }
}

/** Whether every match ends at the end of the text (`CHG\d{3}$`, `(a|b)$`). */
function endsAtEnd(tree: Tree): boolean {
  if (tree.t === 'assert') return tree.kind === 'end';
  if (tree.t === 'seq') return tree.items.length > 0 && endsAtEnd(tree.items[tree.items.length - 1]!);
  if (tree.t === 'alt') return tree.items.every(endsAtEnd);
  return false;
}

function usesStart(tree: Tree): boolean {
  if (tree.t === 'assert') return tree.kind === 'start';
  if (tree.t === 'seq' || tree.t === 'alt') return tree.items.some(usesStart);
  if (tree.t === 'rep') return usesStart(tree.item);
  return false;
}

/** Shortcuts that give the same answer as the full scan, for common shapes of pattern. */
export interface Shortcuts {
  /** A text without this (case-sensitively, or as /literal/i) cannot match. */
  literal: string;
  /** The pattern is just the literal: its presence is the answer. */
  literalIsAnswer: boolean;
  /**
   * Every match ends at the end of the text and spans at most this many units (and ^ is not used):
   * only the last `tail` + 1 units (one more for \b) need to be scanned. Infinity: scan all.
   */
  tail: number;
}

function shortcuts(tree: Tree): Shortcuts {
  const literal = requiredLiteral(tree);
  const tail = endsAtEnd(tree) && !usesStart(tree) ? maxLength(tree) : Infinity;
  return { literal: literal.text, literalIsAnswer: literal.whole, tail };
}

/**
 * Compiles a matches() pattern (flags "" or "i"). The pattern must already be valid JavaScript (the
 * checker compiles it with RegExp first); the error names what this engine refuses, with its position.
 */
export function compileRegex(
  pattern: string,
  flags: '' | 'i',
): { ok: true; regex: TextMatcher } | { ok: false; error: RegexError } {
  if (pattern.length > MAX_REGEX_LENGTH) {
    return {
      ok: false,
      error: {
        code: 'formula-unsafe',
        message: `patterns are limited to ${MAX_REGEX_LENGTH} characters`,
        start: MAX_REGEX_LENGTH,
        end: pattern.length,
      },
    };
  }
  const key = `${flags}/${pattern}`;
  const cached = compiledCache.get(key);
  if (cached) return { ok: true, regex: cached };
  try {
    const parser = new Parser(pattern, flags === 'i');
    const tree = parser.parse();
    const nfa = new NfaBuilder(() => {
      throw new Refused({
        code: 'formula-unsafe',
        message: `the pattern expands to more than ${MAX_REGEX_STEPS} steps (counted repeats such as {50} multiply); use smaller counts or + and *`,
        start: 0,
        end: pattern.length,
      });
    });
    const entry = nfa.build(tree, MATCH);
    const regex = new LinearRegex(pattern, flags, entry, nfa, parser.hasWordAssertion, shortcuts(tree));
    if (compiledCache.size >= MAX_CACHED) compiledCache.clear();
    compiledCache.set(key, regex);
    return { ok: true, regex };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, error: error.error };
    throw error;
  }
}
