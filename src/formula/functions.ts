/**
 * The allow-list: every operator and function a formula may use, with its type rule and its vector
 * implementation. Nothing outside this table can be called; names are looked up in a Map, never on an
 * object, so inherited properties such as `constructor` or `__proto__` do not exist here.
 */
import { BOOL_FALSE, BOOL_NULL, BOOL_TRUE, listStart } from '../sources/table.js';
import type { TextStore } from '../sources/text-store.js';
import {
  textAffix,
  textContains,
  textEquals,
  textLengths,
  textTest as textTestRows,
} from '../sources/text-store.js';
import { utcToLocal, zoneOffsetMs } from '../time/zone.js';
import { roundHalfAway } from '../util/round.js';
import type { ValueType } from './ir.js';
import type { TextMatcher } from './regex.js';
import {
  internStrings,
  mapNum,
  mapStrings,
  scalar,
  testStrings,
  toBool,
  toList,
  toNum,
  toStr,
  type Vec,
} from './vector.js';

export interface EvalContext {
  /** Number of rows (or groups) the vectors have. */
  n: number;
  periodStart: number;
  /** Exclusive end of the period (the first instant after it). */
  periodEnd: number;
  tz: string;
}

export interface FunctionDef {
  name: string;
  min: number;
  max: number;
  /** One line for docs and `--help`. */
  summary: string;
  example: string;
  /** Result type for the argument types, or an error message. */
  type(args: ValueType[]): ValueType | { error: string; arg?: number };
  impl(args: Vec[], ctx: EvalContext): Vec;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

const isNumeric = (t: ValueType) => t === 'number' || t === 'null';
const isNumberLike = (t: ValueType) => t === 'number' || t === 'duration' || t === 'null';
const isStringy = (t: ValueType) => t === 'string' || t === 'null';
const isDate = (t: ValueType) => t === 'datetime' || t === 'null';

function expect(
  types: ValueType[],
  checks: ((t: ValueType) => boolean)[],
  what: string[],
  result: ValueType,
) {
  for (let i = 0; i < types.length; i++) {
    const check = checks[Math.min(i, checks.length - 1)]!;
    if (!check(types[i]!))
      return {
        error: `argument ${i + 1} must be ${what[Math.min(i, what.length - 1)]}, not ${article(types[i]!)}`,
        arg: i,
      };
  }
  return result;
}

export function article(t: ValueType): string {
  return t === 'null' ? 'null' : `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`;
}

/** Numeric arithmetic with SQL-like nulls; division by zero gives no value, never Infinity. */
function arithmetic(op: string): (a: number, b: number) => number {
  switch (op) {
    case '+':
      return (a, b) => a + b;
    case '-':
      return (a, b) => a - b;
    case '*':
      return (a, b) => a * b;
    case '/':
      return (a, b) => (b === 0 ? Number.NaN : a / b);
    case '%':
      return (a, b) => (b === 0 ? Number.NaN : a % b);
    default:
      throw new Error(`internal: operator ${op}`);
  }
}

function compareNumbers(op: string, a: Vec, b: Vec, n: number): Vec {
  // A column against a constant (the usual `x <= 4`): no array of n copies of the constant.
  if (a.t === 'num' && b.t === 'scalar') return compareWithConstant(op, a.v, toNum(b, 1)[0]!, false, n);
  if (a.t === 'scalar' && b.t === 'num') return compareWithConstant(op, b.v, toNum(a, 1)[0]!, true, n);
  const x = toNum(a, n);
  const y = toNum(b, n);
  const out = new Uint8Array(n);
  const test = comparator(op);
  for (let i = 0; i < n; i++) {
    const l = x[i]!;
    const r = y[i]!;
    out[i] = Number.isNaN(l) || Number.isNaN(r) ? BOOL_NULL : test(l, r) ? BOOL_TRUE : BOOL_FALSE;
  }
  return { t: 'bool', v: out };
}

/** column op constant (or constant op column when isFlipped), with nulls as in compareNumbers. */
function compareWithConstant(op: string, x: Float64Array, c: number, isFlipped: boolean, n: number): Vec {
  const out = new Uint8Array(n);
  if (Number.isNaN(c)) return { t: 'bool', v: out.fill(BOOL_NULL) };
  // constant < x is x > constant, and so on.
  const flipped: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
  switch (isFlipped ? (flipped[op] ?? op) : op) {
    case '==':
      for (let i = 0; i < n; i++)
        out[i] = Number.isNaN(x[i]!) ? BOOL_NULL : x[i] === c ? BOOL_TRUE : BOOL_FALSE;
      break;
    case '!=':
      for (let i = 0; i < n; i++)
        out[i] = Number.isNaN(x[i]!) ? BOOL_NULL : x[i] !== c ? BOOL_TRUE : BOOL_FALSE;
      break;
    case '<':
      for (let i = 0; i < n; i++)
        out[i] = Number.isNaN(x[i]!) ? BOOL_NULL : x[i]! < c ? BOOL_TRUE : BOOL_FALSE;
      break;
    case '<=':
      for (let i = 0; i < n; i++)
        out[i] = Number.isNaN(x[i]!) ? BOOL_NULL : x[i]! <= c ? BOOL_TRUE : BOOL_FALSE;
      break;
    case '>':
      for (let i = 0; i < n; i++)
        out[i] = Number.isNaN(x[i]!) ? BOOL_NULL : x[i]! > c ? BOOL_TRUE : BOOL_FALSE;
      break;
    case '>=':
      for (let i = 0; i < n; i++)
        out[i] = Number.isNaN(x[i]!) ? BOOL_NULL : x[i]! >= c ? BOOL_TRUE : BOOL_FALSE;
      break;
    default:
      throw new Error(`internal: comparison ${op}`);
  }
  return { t: 'bool', v: out };
}

function comparator(op: string): (a: number | string, b: number | string) => boolean {
  switch (op) {
    case '==':
      return (a, b) => a === b;
    case '!=':
      return (a, b) => a !== b;
    case '<':
      return (a, b) => a < b;
    case '<=':
      return (a, b) => a <= b;
    case '>':
      return (a, b) => a > b;
    case '>=':
      return (a, b) => a >= b;
    default:
      throw new Error(`internal: comparison ${op}`);
  }
}

function compareStrings(op: string, a: Vec, b: Vec, n: number): Vec {
  const test = comparator(op);
  if (a.t === 'scalar' && b.t === 'scalar') {
    return scalar(a.value === null || b.value === null ? null : test(String(a.value), String(b.value)));
  }
  if (b.t === 'scalar' || a.t === 'scalar') {
    // Column against a constant: decide once per distinct value.
    const isLeftConst = a.t === 'scalar';
    const constant = (isLeftConst ? a : b) as { t: 'scalar'; value: unknown };
    const column = isLeftConst ? b : a;
    if (constant.value === null) return scalar(null);
    const c = String(constant.value);
    if (column.t === 'text' && (op === '==' || op === '!=')) {
      const equal = textEquals(column.text, column.idx, c);
      if (equal) return { t: 'bool', v: op === '==' ? equal : negate(equal) };
    }
    return testStrings(column, n, isLeftConst ? (s) => test(c, s) : (s) => test(s, c));
  }
  const x = toStr(a, n);
  const y = toStr(b, n);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const l = x.codes[i]!;
    const r = y.codes[i]!;
    out[i] = l < 0 || r < 0 ? BOOL_NULL : test(x.dict[l]!, y.dict[r]!) ? BOOL_TRUE : BOOL_FALSE;
  }
  return { t: 'bool', v: out };
}

/** NOT in three-valued logic (no value stays no value), in place. */
function negate(values: Uint8Array): Uint8Array {
  for (let i = 0; i < values.length; i++)
    values[i] = values[i] === BOOL_NULL ? BOOL_NULL : values[i] === BOOL_TRUE ? BOOL_FALSE : BOOL_TRUE;
  return values;
}

function compareBooleans(op: string, a: Vec, b: Vec, n: number): Vec {
  const x = toBool(a, n);
  const y = toBool(b, n);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const l = x[i]!;
    const r = y[i]!;
    out[i] =
      l === BOOL_NULL || r === BOOL_NULL ? BOOL_NULL : (l === r) === (op === '==') ? BOOL_TRUE : BOOL_FALSE;
  }
  return { t: 'bool', v: out };
}

function comparisonType(op: string) {
  return (types: ValueType[]): ValueType | { error: string; arg?: number } => {
    const [a = 'null', b = 'null'] = types;
    const known = a === 'null' ? b : a;
    if (a !== 'null' && b !== 'null' && a !== b) {
      const hint =
        a === 'duration' || b === 'duration'
          ? ' (use hours(x), minutes(x) or days(x) to compare a duration with a number)'
          : '';
      return { error: `cannot compare ${article(a)} with ${article(b)}${hint}`, arg: 1 };
    }
    if (known === 'list') return { error: `cannot compare lists; use "x in list" or contains(list, x)` };
    if (known === 'boolean' && op !== '==' && op !== '!=')
      return { error: `booleans can only be compared with == or !=` };
    return 'boolean';
  };
}

function comparisonImpl(op: string, semantic: () => ValueType) {
  return (args: Vec[], ctx: EvalContext): Vec => {
    const t = semantic();
    if (t === 'string') return compareStrings(op, args[0]!, args[1]!, ctx.n);
    if (t === 'boolean') return compareBooleans(op, args[0]!, args[1]!, ctx.n);
    return compareNumbers(op, args[0]!, args[1]!, ctx.n);
  };
}

function logic(op: 'and' | 'or'): FunctionDef['impl'] {
  return (args, ctx) => {
    const n = ctx.n;
    if (args.every((a) => a.t === 'scalar')) {
      const [a, b] = args.map((x) => toBool(x, 1)[0]!);
      return scalar(boolValue(op === 'and' ? and3(a!, b!) : or3(a!, b!)));
    }
    const x = toBool(args[0]!, n);
    const y = toBool(args[1]!, n);
    const out = new Uint8Array(n);
    if (op === 'and') for (let i = 0; i < n; i++) out[i] = and3(x[i]!, y[i]!);
    else for (let i = 0; i < n; i++) out[i] = or3(x[i]!, y[i]!);
    return { t: 'bool', v: out };
  };
}

const and3 = (a: number, b: number) =>
  a === BOOL_FALSE || b === BOOL_FALSE
    ? BOOL_FALSE
    : a === BOOL_NULL || b === BOOL_NULL
      ? BOOL_NULL
      : BOOL_TRUE;
const or3 = (a: number, b: number) =>
  a === BOOL_TRUE || b === BOOL_TRUE
    ? BOOL_TRUE
    : a === BOOL_NULL || b === BOOL_NULL
      ? BOOL_NULL
      : BOOL_FALSE;
const boolValue = (b: number) => (b === BOOL_NULL ? null : b === BOOL_TRUE);

function nullTest(wantNull: boolean): FunctionDef['impl'] {
  return ([a], ctx) => {
    const v = a!;
    const n = ctx.n;
    if (v.t === 'scalar') return scalar((v.value === null) === wantNull);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let isNull: boolean;
      switch (v.t) {
        case 'num':
          isNull = Number.isNaN(v.v[i]!);
          break;
        case 'bool':
          isNull = v.v[i] === BOOL_NULL;
          break;
        case 'str':
          isNull = v.codes[i]! < 0;
          break;
        case 'list':
          isNull = v.v[i] === null || v.v[i]!.length === 0;
          break;
        case 'text':
          isNull = v.text.ends[v.idx ? v.idx[i]! : i]! < 0;
          break;
        case 'lists': {
          // No value, or an empty list: the end is not past the start.
          const row = v.idx ? v.idx[i]! : i;
          const end = v.column.ends[row]!;
          isNull = end < 0 || end === listStart(v.column.ends, row);
          break;
        }
      }
      out[i] = isNull === wantNull ? BOOL_TRUE : BOOL_FALSE;
    }
    return { t: 'bool', v: out };
  };
}

function between(unitMs: number): FunctionDef['impl'] {
  return (args, ctx) => {
    if (args.length === 1) return mapNum(args, ctx.n, (d) => (d * 1000) / unitMs);
    const [a, b] = args;
    if (a!.t === 'num' && b!.t === 'num') {
      // Two columns, the usual hours(opened, resolved): a plain loop (NaN stays NaN).
      const x = a!.v;
      const y = b!.v;
      const out = new Float64Array(ctx.n);
      for (let i = 0; i < out.length; i++) out[i] = (y[i]! - x[i]!) / unitMs;
      return { t: 'num', v: out };
    }
    return mapNum(args, ctx.n, (a, b) => (b - a) / unitMs);
  };
}

function betweenType(unit: string) {
  return (types: ValueType[]): ValueType | { error: string; arg?: number } => {
    if (types.length === 1) {
      return types[0] === 'duration' || types[0] === 'null'
        ? 'number'
        : {
            error: `${unit}(x) takes a duration; for the time between two dates use ${unit}(start, end)`,
            arg: 0,
          };
    }
    return expect(types, [isDate], ['a datetime'], 'number');
  };
}

function datePart(part: (p: ReturnType<typeof utcToLocal>) => number): FunctionDef['impl'] {
  return ([a], ctx) =>
    mapNum([a!], ctx.n, (ms) => (Number.isNaN(ms) ? Number.NaN : part(utcToLocal(ctx.tz, ms))));
}

/** ISO weekday (1 = Monday) of each instant in ctx.tz: from the day number of its local time. */
function weekdayImpl([a]: Vec[], ctx: EvalContext): Vec {
  return mapNum([a!], ctx.n, (ms) => {
    if (Number.isNaN(ms)) return Number.NaN;
    const days = Math.floor((ms + zoneOffsetMs(ctx.tz, ms)) / DAY);
    // Day 0, 1970-01-01, was a Thursday (4).
    return ((((days + 3) % 7) + 7) % 7) + 1;
  });
}

function isoWeek(p: ReturnType<typeof utcToLocal>): number {
  const date = Date.UTC(p.year, p.month - 1, p.day);
  const thursday = date + (4 - p.weekday) * DAY;
  const yearStart = Date.UTC(new Date(thursday).getUTCFullYear(), 0, 1);
  return Math.floor((thursday - yearStart) / (7 * DAY)) + 1;
}

function sameTypes(
  types: ValueType[],
  allowed: (t: ValueType) => boolean,
  what: string,
): ValueType | { error: string; arg?: number } {
  let result: ValueType = 'null';
  for (let i = 0; i < types.length; i++) {
    const t = types[i]!;
    if (!allowed(t)) return { error: `argument ${i + 1} must be ${what}, not ${article(t)}`, arg: i };
    if (t === 'null') continue;
    if (result !== 'null' && t !== result)
      return { error: `all arguments must have the same type (${result} and ${t})`, arg: i };
    result = t;
  }
  return result;
}

function pickEach(cmp: (a: number, b: number) => boolean): FunctionDef['impl'] {
  return (args, ctx) =>
    mapNum(args, ctx.n, (...xs) => {
      let best = Number.NaN;
      for (const x of xs) if (!Number.isNaN(x) && (Number.isNaN(best) || cmp(x, best))) best = x;
      return best;
    });
}

function coalesceImpl(args: Vec[], ctx: EvalContext, type: ValueType): Vec {
  const n = ctx.n;
  if (type === 'string') {
    const strs = args.map((a) => toStr(a, n));
    return mapStringsMany(strs, n);
  }
  if (type === 'boolean') {
    const bools = args.map((a) => toBool(a, n));
    const out = new Uint8Array(n).fill(BOOL_NULL);
    for (let i = 0; i < n; i++)
      for (const b of bools)
        if (b[i] !== BOOL_NULL) {
          out[i] = b[i]!;
          break;
        }
    return { t: 'bool', v: out };
  }
  if (type === 'list') {
    const lists = args.map((a) => toList(a, n));
    return {
      t: 'list',
      v: Array.from(
        { length: n },
        (_, i) => lists.find((l) => l[i] !== null && l[i]!.length > 0)?.[i] ?? null,
      ),
    };
  }
  return mapNum(args, n, (...xs) => {
    for (const x of xs) if (!Number.isNaN(x)) return x;
    return Number.NaN;
  });
}

function mapStringsMany(strs: { codes: Int32Array; dict: string[] }[], n: number): Vec {
  return internStrings(n, (i) => {
    for (const s of strs) {
      const c = s.codes[i]!;
      if (c >= 0) return s.dict[c]!;
    }
    return null;
  });
}

function concatImpl(args: Vec[], ctx: EvalContext): Vec {
  const a = toStr(args[0]!, ctx.n);
  const b = toStr(args[1]!, ctx.n);
  return internStrings(ctx.n, (i) => {
    const l = a.codes[i]!;
    const r = b.codes[i]!;
    return l < 0 || r < 0 ? null : a.dict[l]! + b.dict[r]!;
  });
}

/** Operators, keyed by their symbol; the checker maps `&&`/`||`/`!` onto `and`/`or`/`not`. */
export function operator(
  op: string,
  argTypes: ValueType[],
): { type: ValueType | { error: string; arg?: number }; impl: FunctionDef['impl'] } {
  const [a = 'null', b = 'null'] = argTypes;
  switch (op) {
    case '+':
      if (a === 'string' || b === 'string') {
        if (
          (a !== 'string' && a !== 'number' && a !== 'null') ||
          (b !== 'string' && b !== 'number' && b !== 'null')
        )
          return { type: { error: `cannot add ${article(a)} and ${article(b)}` }, impl: concatImpl };
        return { type: 'string', impl: concatImpl };
      }
      return arithmeticOperator(op, a, b);
    case '-':
    case '*':
    case '/':
    case '%':
      return arithmeticOperator(op, a, b);
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const type = comparisonType(op)(argTypes);
      const semantic: ValueType = a === 'null' ? b : a;
      const base: ValueType = semantic === 'datetime' || semantic === 'duration' ? 'number' : semantic;
      return { type, impl: comparisonImpl(op, () => base) };
    }
    case 'and':
    case 'or':
      return {
        type: expect(
          argTypes,
          [(t) => t === 'boolean' || t === 'null'],
          ['a condition (true/false)'],
          'boolean',
        ),
        impl: logic(op),
      };
    case 'not':
      return {
        type: expect(
          argTypes,
          [(t) => t === 'boolean' || t === 'null'],
          ['a condition (true/false); for "not in" write not (x in [...])'],
          'boolean',
        ),
        impl: ([x], ctx) => {
          if (x!.t === 'scalar') return scalar(x!.value === null ? null : !x!.value);
          const v = toBool(x!, ctx.n);
          const out = new Uint8Array(ctx.n);
          for (let i = 0; i < ctx.n; i++)
            out[i] = v[i] === BOOL_NULL ? BOOL_NULL : v[i] === BOOL_TRUE ? BOOL_FALSE : BOOL_TRUE;
          return { t: 'bool', v: out };
        },
      };
    case 'neg':
      return {
        type: isNumberLike(a)
          ? a === 'null'
            ? 'number'
            : a
          : { error: `"-" needs a number, not ${article(a)}`, arg: 0 },
        impl: (args, ctx) => mapNum(args, ctx.n, (x) => -x),
      };
    case 'in':
      if (b !== 'list')
        return {
          type: { error: '"in" needs a list on its right: x in ["a", "b"] or "tag" in labels', arg: 1 },
          impl: () => scalar(null),
        };
      if (!(a === 'string' || a === 'number' || a === 'null'))
        return {
          type: { error: `"in" tests a string or number, not ${article(a)}`, arg: 0 },
          impl: () => scalar(null),
        };
      return { type: 'boolean', impl: inImpl };
    default:
      return {
        type: { error: `operator "${op}" is not part of the formula language` },
        impl: () => scalar(null),
      };
  }
}

function arithmeticOperator(
  op: string,
  a: ValueType,
  b: ValueType,
): { type: ValueType | { error: string; arg?: number }; impl: FunctionDef['impl'] } {
  if (!isNumberLike(a) || !isNumberLike(b)) {
    const hint =
      a === 'datetime' || b === 'datetime'
        ? ' (use hours(start, end) or days(start, end) for the time between two dates)'
        : '';
    return {
      type: {
        error: `"${op}" needs numbers, not ${article(a === 'number' || a === 'duration' ? b : a)}${hint}`,
        arg: isNumberLike(a) ? 1 : 0,
      },
      impl: () => scalar(null),
    };
  }
  if (
    (op === '+' || op === '-') &&
    (a === 'duration') !== (b === 'duration') &&
    a !== 'null' &&
    b !== 'null'
  ) {
    return {
      type: {
        error: `cannot ${op === '+' ? 'add' : 'subtract'} a duration and a plain number; convert with hours(x), minutes(x) or seconds(x) first`,
        arg: a === 'duration' ? 1 : 0,
      },
      impl: () => scalar(null),
    };
  }
  const type: ValueType =
    (op === '+' || op === '-') && a === 'duration' && b === 'duration'
      ? 'duration'
      : (op === '*' || op === '/') && a === 'duration' && isNumeric(b)
        ? 'duration'
        : op === '*' && isNumeric(a) && b === 'duration'
          ? 'duration'
          : 'number';
  const fn = arithmetic(op);
  return { type, impl: (args, ctx) => mapNum(args, ctx.n, fn) };
}

function inImpl([needle, haystack]: Vec[], ctx: EvalContext): Vec {
  const n = ctx.n;
  if (haystack!.t === 'scalar') {
    const set = new Set((haystack!.value as string[]).map(String));
    if (needle!.t === 'num') {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++)
        out[i] = Number.isNaN(needle!.v[i]!)
          ? BOOL_NULL
          : set.has(String(needle!.v[i]))
            ? BOOL_TRUE
            : BOOL_FALSE;
      return { t: 'bool', v: out };
    }
    return testStrings(needle!, n, (s) => set.has(s));
  }
  if (haystack!.t === 'lists' && needle!.t === 'scalar') {
    if (needle!.value === null) return scalar(null);
    return { t: 'bool', v: listsContain(haystack!, n, String(needle!.value)) };
  }
  const lists = toList(haystack!, n);
  const values = toStr(needle!, n);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = values.codes[i]!;
    const list = lists[i];
    out[i] = c < 0 ? BOOL_NULL : list?.includes(values.dict[c]!) ? BOOL_TRUE : BOOL_FALSE;
  }
  return { t: 'bool', v: out };
}

/** Number of items of each row of a stored list column (0 for no value). */
function listLengths(vec: Extract<Vec, { t: 'lists' }>, n: number): Float64Array {
  const { ends } = vec.column;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = vec.idx ? vec.idx[i]! : i;
    const end = ends[row]!;
    out[i] = end < 0 ? 0 : end - listStart(ends, row);
  }
  return out;
}

/**
 * Whether each row of a stored list column has `item` (false for no value, as for a JS array): which
 * items equal it is decided once per dictionary entry (or on the bytes of free-text items), then each
 * row looks at its own items' answers.
 */
function listsContain(vec: Extract<Vec, { t: 'lists' }>, n: number, item: string): Uint8Array {
  const { ends, items } = vec.column;
  let isItem: Uint8Array;
  if (items.kind === 'str') {
    const codes = new Uint8Array(items.dict.length);
    for (let c = 0; c < codes.length; c++) if (items.dict[c] === item) codes[c] = 1;
    isItem = new Uint8Array(items.codes.length);
    for (let k = 0; k < isItem.length; k++) {
      const c = items.codes[k]!;
      isItem[k] = c >= 0 && codes[c] === 1 ? 1 : 0;
    }
  } else {
    isItem = textEquals(items.text, null, item) ?? textTestRows(items.text, null, (s) => s === item);
    for (let k = 0; k < isItem.length; k++) isItem[k] = isItem[k] === BOOL_TRUE ? 1 : 0;
  }
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const row = vec.idx ? vec.idx[i]! : i;
    const end = ends[row]!;
    let found = 0;
    for (let k = listStart(ends, row); k < end; k++)
      if (isItem[k] === 1) {
        found = 1;
        break;
      }
    out[i] = found ? BOOL_TRUE : BOOL_FALSE;
  }
  return out;
}

const defs: FunctionDef[] = [
  {
    name: 'lower',
    min: 1,
    max: 1,
    summary: 'text in lower case',
    example: 'lower(upn) == lower(hr.upn)',
    type: (t) => expect(t, [isStringy], ['text'], 'string'),
    impl: ([a], ctx) => mapStrings(a!, ctx.n, (s) => s.toLowerCase()),
  },
  {
    name: 'upper',
    min: 1,
    max: 1,
    summary: 'text in upper case',
    example: 'upper(site) == "BREMEN"',
    type: (t) => expect(t, [isStringy], ['text'], 'string'),
    impl: ([a], ctx) => mapStrings(a!, ctx.n, (s) => s.toUpperCase()),
  },
  {
    name: 'trim',
    min: 1,
    max: 1,
    summary: 'text without leading and trailing spaces',
    example: 'trim(owner) != ""',
    type: (t) => expect(t, [isStringy], ['text'], 'string'),
    impl: ([a], ctx) => mapStrings(a!, ctx.n, (s) => s.trim()),
  },
  {
    name: 'len',
    min: 1,
    max: 1,
    summary: 'number of characters of a text, or of items in a list',
    example: 'len(labels) == 0',
    type: (t) => expect(t, [(x) => isStringy(x) || x === 'list'], ['text or a list'], 'number'),
    impl: ([a], ctx) => {
      if (a!.t === 'list')
        return { t: 'num', v: Float64Array.from(a!.v, (l) => (l === null ? 0 : l.length)) };
      if (a!.t === 'lists') return { t: 'num', v: listLengths(a!, ctx.n) };
      if (a!.t === 'text') {
        const lengths = textLengths(a!.text, a!.idx);
        if (lengths) return { t: 'num', v: lengths };
      }
      if (a!.t === 'scalar')
        return scalar(
          a!.value === null ? null : Array.isArray(a!.value) ? a!.value.length : String(a!.value).length,
        );
      const s = toStr(a!, ctx.n);
      const lengths = s.dict.map((x) => x.length);
      return { t: 'num', v: Float64Array.from(s.codes, (c) => (c < 0 ? Number.NaN : lengths[c]!)) };
    },
  },
  {
    name: 'contains',
    min: 2,
    max: 2,
    summary: 'true when a text contains a piece of text, or a list contains an item (case-sensitive)',
    example: 'contains(labels, "phishing")',
    type: (t) =>
      t[0] === 'list'
        ? expect(t.slice(1), [isStringy], ['text'], 'boolean')
        : expect(t, [isStringy], ['text'], 'boolean'),
    impl: ([a, b], ctx) => {
      if (a!.t === 'list' || a!.t === 'lists' || (a!.t === 'scalar' && Array.isArray(a!.value)))
        return inImpl([b!, a!], ctx);
      return textTest((x, y) => x.includes(y), textContains)([a!, b!], ctx);
    },
  },
  {
    name: 'starts_with',
    min: 2,
    max: 2,
    summary: 'true when a text starts with a prefix (case-sensitive)',
    example: 'starts_with(user, "svc-")',
    type: (t) => expect(t, [isStringy], ['text'], 'boolean'),
    impl: textTest(
      (x, y) => x.startsWith(y),
      (text, rows, part) => textAffix(text, rows, part, false),
    ),
  },
  {
    name: 'ends_with',
    min: 2,
    max: 2,
    summary: 'true when a text ends with a suffix (case-sensitive)',
    example: 'ends_with(upn, "#EXT#@acme.onmicrosoft.com")',
    type: (t) => expect(t, [isStringy], ['text'], 'boolean'),
    impl: textTest(
      (x, y) => x.endsWith(y),
      (text, rows, part) => textAffix(text, rows, part, true),
    ),
  },
  {
    name: 'hours',
    min: 1,
    max: 2,
    summary:
      'hours from the first datetime to the second (negative if the second is earlier), or a duration in hours',
    example: 'hours(detected, contained) <= 4',
    type: betweenType('hours'),
    impl: between(HOUR),
  },
  {
    name: 'minutes',
    min: 1,
    max: 2,
    summary: 'minutes between two datetimes, or a duration in minutes',
    example: 'minutes(duration) <= 30',
    type: betweenType('minutes'),
    impl: between(60_000),
  },
  {
    name: 'days',
    min: 1,
    max: 2,
    summary: 'days between two datetimes (fractional), or a duration in days',
    example: 'days(created_at, fixed_at) <= 14',
    type: betweenType('days'),
    impl: between(DAY),
  },
  {
    name: 'seconds',
    min: 1,
    max: 2,
    summary: 'seconds between two datetimes, or a duration in seconds',
    example: 'seconds(work_duration) > 3600',
    type: betweenType('seconds'),
    impl: between(1000),
  },
  {
    name: 'age',
    min: 1,
    max: 1,
    summary: 'days from a datetime to the end of the reporting period',
    example: 'age(created_at) > 14',
    type: (t) => expect(t, [isDate], ['a datetime'], 'number'),
    impl: ([a], ctx) => {
      if (a!.t !== 'num') return mapNum([a!], ctx.n, (ms) => (ctx.periodEnd - ms) / DAY);
      const x = a!.v;
      const out = new Float64Array(ctx.n);
      for (let i = 0; i < out.length; i++) out[i] = (ctx.periodEnd - x[i]!) / DAY;
      return { t: 'num', v: out };
    },
  },
  ...(
    [
      ['year', 'calendar year', (p) => p.year, 'year(created) == 2026'],
      ['quarter', 'calendar quarter 1-4', (p) => Math.floor((p.month - 1) / 3) + 1, 'quarter(created) == 3'],
      ['month', 'month 1-12', (p) => p.month, 'month(created) == 9'],
      ['week', 'ISO 8601 week number 1-53', isoWeek, 'week(created) == 38'],
      ['day', 'day of the month 1-31', (p) => p.day, 'day(created) <= 7'],
      ['weekday', 'ISO weekday, 1 = Monday ... 7 = Sunday', (p) => p.weekday, 'weekday(created) >= 6'],
      ['hour', 'hour of the day 0-23', (p) => p.hour, 'hour(created) < 6 or hour(created) >= 22'],
    ] as [string, string, (p: ReturnType<typeof utcToLocal>) => number, string][]
  ).map(
    ([name, what, part, example]): FunctionDef => ({
      name,
      min: 1,
      max: 1,
      summary: `${what} of a datetime, in the catalogue's timezone`,
      example,
      type: (t) => expect(t, [isDate], ['a datetime'], 'number'),
      // weekday needs only the local day number, not every field of the local time.
      impl: name === 'weekday' ? weekdayImpl : datePart(part),
    }),
  ),
  {
    name: 'period_start',
    min: 0,
    max: 0,
    summary: 'the first instant of the reporting period',
    example: 'created >= period_start()',
    type: () => 'datetime',
    impl: (_a, ctx) => scalar(ctx.periodStart),
  },
  {
    name: 'period_end',
    min: 0,
    max: 0,
    summary: 'the end of the reporting period (the first instant after it)',
    example: 'days(last_used, period_end()) > 90',
    type: () => 'datetime',
    impl: (_a, ctx) => scalar(ctx.periodEnd),
  },
  {
    name: 'is_null',
    min: 1,
    max: 1,
    summary: 'true when the value is missing (also written x == null)',
    example: 'is_null(resolved)',
    type: () => 'boolean',
    impl: nullTest(true),
  },
  {
    name: 'not_null',
    min: 1,
    max: 1,
    summary: 'true when the value is present (also written x != null)',
    example: 'not_null(contained)',
    type: () => 'boolean',
    impl: nullTest(false),
  },
  {
    name: 'coalesce',
    min: 2,
    max: 8,
    summary: 'the first argument that has a value',
    example: 'coalesce(contained, resolved)',
    type: (t) => sameTypes(t, () => true, 'a value'),
    impl: () => scalar(null), // replaced by the checker, which knows the result type
  },
  {
    name: 'abs',
    min: 1,
    max: 1,
    summary: 'absolute value',
    example: 'abs(delta)',
    type: (t) => expect(t, [isNumberLike], ['a number'], t[0] === 'duration' ? 'duration' : 'number'),
    impl: (a, ctx) => mapNum(a, ctx.n, Math.abs),
  },
  {
    name: 'floor',
    min: 1,
    max: 1,
    summary: 'round down to a whole number',
    example: 'floor(hours(opened, closed))',
    type: (t) => expect(t, [isNumeric], ['a number'], 'number'),
    impl: (a, ctx) => mapNum(a, ctx.n, Math.floor),
  },
  {
    name: 'ceil',
    min: 1,
    max: 1,
    summary: 'round up to a whole number',
    example: 'ceil(days(opened, closed))',
    type: (t) => expect(t, [isNumeric], ['a number'], 'number'),
    impl: (a, ctx) => mapNum(a, ctx.n, Math.ceil),
  },
  {
    name: 'round',
    min: 1,
    max: 2,
    summary: 'round half away from zero, to a number of decimals (default 0)',
    example: 'round(mean(backups, size_gb), 1)',
    type: (t) => expect(t, [isNumeric], ['a number'], 'number'),
    impl: (a, ctx) =>
      mapNum(a, ctx.n, (x, digits = 0) => (Number.isInteger(digits) ? roundHalfAway(x, digits) : Number.NaN)),
  },
  {
    name: 'least',
    min: 2,
    max: 8,
    summary: 'the smallest of its arguments (missing values are skipped)',
    example: 'least(contained, resolved)',
    type: (t) =>
      sameTypes(
        t,
        (x) => x === 'number' || x === 'datetime' || x === 'duration' || x === 'null',
        'a number, datetime or duration',
      ),
    impl: pickEach((a, b) => a < b),
  },
  {
    name: 'greatest',
    min: 2,
    max: 8,
    summary: 'the largest of its arguments (missing values are skipped)',
    example: 'greatest(updated, resolved)',
    type: (t) =>
      sameTypes(
        t,
        (x) => x === 'number' || x === 'datetime' || x === 'duration' || x === 'null',
        'a number, datetime or duration',
      ),
    impl: pickEach((a, b) => a > b),
  },
  {
    name: 'ratio',
    min: 2,
    max: 2,
    summary: 'a / b; no value when b is 0 or missing (never 0 or infinity)',
    example: 'ratio(count(incidents), count(changes))',
    type: (t) => expect(t, [isNumeric], ['a number'], 'number'),
    impl: (a, ctx) => mapNum(a, ctx.n, (x, y) => (y === 0 ? Number.NaN : x / y)),
  },
  {
    name: 'pct',
    min: 2,
    max: 2,
    summary: '100 * a / b; no value when b is 0 or missing (never 0 % or 100 %)',
    example: 'pct(count(changes, assessed), count(changes))',
    type: (t) => expect(t, [isNumeric], ['a number'], 'number'),
    impl: (a, ctx) => mapNum(a, ctx.n, (x, y) => (y === 0 ? Number.NaN : (100 * x) / y)),
  },
];

export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map(defs.map((d) => [d.name, d]));

export { coalesceImpl };

/**
 * matches(text, "regex") is compiled by the checker; this runs it once per distinct value. The engine
 * is linear in the text (regex.ts), so values are matched whole, however long.
 */
export function matchesImpl(regex: TextMatcher, text: Vec, ctx: EvalContext): Vec {
  return testStrings(text, ctx.n, (s) => regex.test(s));
}

/**
 * A test of a text against a second text: once per distinct value when the second is a constant, on
 * the stored bytes for free text (`onBytes`, null when the bytes cannot answer).
 */
function textTest(
  test: (text: string, part: string) => boolean,
  onBytes: (text: TextStore, rows: Int32Array | null, part: string) => Uint8Array | null,
): FunctionDef['impl'] {
  return ([a, b], ctx) => {
    if (b!.t === 'scalar') {
      if (b!.value === null) return scalar(null);
      const part = String(b!.value);
      if (a!.t === 'text') {
        const out = onBytes(a!.text, a!.idx, part);
        if (out) return { t: 'bool', v: out };
      }
      return testStrings(a!, ctx.n, (s) => test(s, part));
    }
    return stringPairs(a!, b!, ctx.n, test);
  };
}

function stringPairs(a: Vec, b: Vec, n: number, fn: (x: string, y: string) => boolean): Vec {
  const x = toStr(a, n);
  const y = toStr(b, n);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const l = x.codes[i]!;
    const r = y.codes[i]!;
    out[i] = l < 0 || r < 0 ? BOOL_NULL : fn(x.dict[l]!, y.dict[r]!) ? BOOL_TRUE : BOOL_FALSE;
  }
  return { t: 'bool', v: out };
}

export function ifImpl(args: Vec[], ctx: EvalContext, type: ValueType): Vec {
  const n = ctx.n;
  const cond = toBool(args[0]!, n);
  if (type === 'string') {
    const a = toStr(args[1]!, n);
    const b = toStr(args[2]!, n);
    return internStrings(n, (i) => {
      if (cond[i] === BOOL_NULL) return null;
      const src = cond[i] === BOOL_TRUE ? a : b;
      const c = src.codes[i]!;
      return c < 0 ? null : src.dict[c]!;
    });
  }
  if (type === 'boolean') {
    const a = toBool(args[1]!, n);
    const b = toBool(args[2]!, n);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++)
      out[i] = cond[i] === BOOL_NULL ? BOOL_NULL : cond[i] === BOOL_TRUE ? a[i]! : b[i]!;
    return { t: 'bool', v: out };
  }
  const a = toNum(args[1]!, n);
  const b = toNum(args[2]!, n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++)
    out[i] = cond[i] === BOOL_NULL ? Number.NaN : cond[i] === BOOL_TRUE ? a[i]! : b[i]!;
  return { t: 'num', v: out };
}
