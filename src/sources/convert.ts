/**
 * Cell converters: one small function per field, compiled once from the catalogue, that turns the text
 * of a cell (or a JSON value) into the typed value stored in the column, or says why it cannot.
 * They run for every cell of million-row files, so they avoid regexes and allocations on the common path.
 */

import { listOf } from '../text.js';
import { compileDayOrderReader, type DayOrderState } from '../time/day-order.js';
import { compileDateTimeSpanParser, describeDateFormats } from '../time/parse-datetime.js';
import type { FieldType } from './table.js';

/** Returned by a converter when the cell is not a valid value of its type. */
export const INVALID = Symbol('invalid');
export type Value = number | string | string[] | null;
export type Converter = (text: string) => Value | typeof INVALID;

export interface FieldSpec {
  name: string;
  type: FieldType;
  required: boolean;
  /** CSV header name (compared case-insensitively); the first of `columns` found in the header. */
  column: string;
  /** Every accepted header name, in order of preference. */
  columns: string[];
  jsonPath: string[];
  /** Alternative JSON paths (from a `column` list), tried in order when the first is absent. */
  jsonPaths: string[][];
  occurrence: number | 'all';
  formats: string[];
  timezone: string;
  values: string[];
  /** `map:` codes to values, applied to the trimmed cell before anything else (empty: no map). */
  map: ReadonlyMap<string, string>;
  separator: string;
  unit: DurationUnit;
  nullTokens: ReadonlySet<string>;
  trueTokens: ReadonlySet<string>;
  falseTokens: ReadonlySet<string>;
}

export type DurationUnit = 'milliseconds' | 'seconds' | 'minutes' | 'hours' | 'days';
const UNIT_SECONDS: Record<DurationUnit, number> = {
  milliseconds: 0.001,
  seconds: 1,
  minutes: 60,
  hours: 3600,
  days: 86400,
};

export interface CompiledField {
  spec: FieldSpec;
  /** Text cell -> value. Booleans are stored as 0/1, datetimes as epoch ms, durations as seconds. */
  fromText: Converter;
  /** JSON value -> value (numbers and booleans arrive typed). */
  fromJson: (value: unknown) => Value | typeof INVALID;
  /** "expected a date like ..." for error messages. */
  expected: string;
  /**
   * True when the cell text[start..end), already trimmed (see trimSpanStart), is a null token. Same
   * answer as fromText(text.slice(start, end)) === null, without the substring.
   */
  isNullSpan: (text: string, start: number, end: number) => boolean;
  /**
   * A quick filter in front of isNullSpan: bit L set when a null token has length L (bit 31: 31 or
   * more), and 1 at the first char code (< 128) of each token; `nullFirstNonAscii` when one starts
   * with another char. A cell whose length or first char no token has is not a null token.
   */
  nullLengths: number;
  nullFirst: Uint8Array;
  nullFirstNonAscii: boolean;
  /**
   * For number, integer, datetime and boolean fields: the value of a trimmed cell text[start..end)
   * that is not a null token, read from its char codes; the same value fromText gives for its text.
   */
  parseSpan: ((text: string, start: number, end: number) => number | typeof INVALID) | undefined;
  /** Datetime fields whose formats hold a day-first and a month-first pair: what the source proved. */
  dayOrder: DayOrderState | undefined;
}

/** Whitespace as String.prototype.trim removes it (WhiteSpace and LineTerminator). */
export function isTrimmable(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Start of text[start..end) without its leading whitespace (as trim() sees it). */
export function trimSpanStart(text: string, start: number, end: number): number {
  while (start < end && isTrimmable(text.charCodeAt(start))) start++;
  return start;
}

/** End of text[start..end) without its trailing whitespace. */
export function trimSpanEnd(text: string, start: number, end: number): number {
  while (end > start && isTrimmable(text.charCodeAt(end - 1))) end--;
  return end;
}

export function compileField(spec: FieldSpec): CompiledField {
  // A datetime field's text and span readers share one reader, so the day/month order it proves holds for both.
  const dates = spec.type === 'datetime' ? compileDayOrderReader(spec.formats, spec.timezone) : undefined;
  const parse = compileParser(spec, dates?.read);
  const code = valueMap(spec.map);
  // A code of the map is read as its value even when it is a null token too (`map: { "-": "0" }`).
  const nulls = code ? new Set([...spec.nullTokens].filter((t) => !spec.map.has(t))) : spec.nullTokens;
  // Only texts as short as the longest null token can be one; long cells skip the set lookup (and hashing).
  const longestNull = Math.max(0, ...[...nulls].map((t) => t.length));
  const fromText: Converter = (raw) => {
    const text = raw.trim();
    if (code) {
      const mapped = code(text);
      if (mapped !== undefined) return parse(mapped);
    }
    if (text.length <= longestNull && nulls.has(text)) return null;
    return parse(text);
  };
  const fromJson = (value: unknown): Value | typeof INVALID => {
    if (value === null || value === undefined) return null;
    // A JSON number or boolean is a code of the map as its text (ServiceNow states: 7 or "7").
    if (code && (typeof value === 'number' || typeof value === 'boolean')) {
      const mapped = code(String(value));
      if (mapped !== undefined) return parse(mapped);
    }
    switch (typeof value) {
      case 'string':
        return fromText(value);
      case 'number':
        if (spec.type === 'number' || spec.type === 'duration')
          return Number.isFinite(value)
            ? value * (spec.type === 'duration' ? UNIT_SECONDS[spec.unit] : 1)
            : INVALID;
        if (spec.type === 'integer') return Number.isInteger(value) ? value : INVALID;
        if (spec.type === 'boolean') return value === 1 ? 1 : value === 0 ? 0 : INVALID;
        if (spec.type === 'datetime') return INVALID;
        return fromText(String(value));
      case 'boolean':
        if (spec.type === 'boolean') return value ? 1 : 0;
        if (spec.type === 'string' || spec.type === 'enum') return fromText(String(value));
        return INVALID;
      case 'object':
        if (Array.isArray(value) && spec.type === 'list') {
          const items: string[] = [];
          for (const item of value) {
            if (item === null || item === undefined) continue;
            if (typeof item === 'object') return INVALID;
            items.push(String(item));
          }
          return items;
        }
        return INVALID;
      default:
        return INVALID;
    }
  };
  const parseSpan = compileSpanParser(spec, dates?.read);
  return {
    spec,
    dayOrder: dates?.state,
    fromText,
    fromJson,
    expected: describeExpected(spec),
    isNullSpan: compileNullSpan(nulls),
    ...nullFilter(nulls),
    parseSpan: code && parseSpan ? mappedSpan(spec.map, code, parse, parseSpan) : parseSpan,
  };
}

/**
 * The value of a `map:` code: the code as written, else the code in any letter case; undefined for a
 * text that is no code (and for every text when the map is empty, where there is no function at all).
 */
function valueMap(map: ReadonlyMap<string, string>): ((text: string) => string | undefined) | undefined {
  if (map.size === 0) return undefined;
  const lower = new Map<string, string>();
  for (const [code, value] of map) if (!lower.has(code.toLowerCase())) lower.set(code.toLowerCase(), value);
  return (text) => map.get(text) ?? lower.get(text.toLowerCase());
}

/** parseSpan of a mapped field: a span as long as some code is looked up in the map first. */
function mappedSpan(
  map: ReadonlyMap<string, string>,
  code: (text: string) => string | undefined,
  parse: (text: string) => Value | typeof INVALID,
  parseSpan: (text: string, start: number, end: number) => number | typeof INVALID,
): (text: string, start: number, end: number) => number | typeof INVALID {
  const lengths = new Set([...map.keys()].flatMap((k) => [k.length, k.toLowerCase().length]));
  return (text, start, end) => {
    if (lengths.has(end - start)) {
      const mapped = code(text.slice(start, end));
      if (mapped !== undefined) {
        const value = parse(mapped);
        return typeof value === 'number' ? value : INVALID;
      }
    }
    return parseSpan(text, start, end);
  };
}

function nullFilter(
  nulls: ReadonlySet<string>,
): Pick<CompiledField, 'nullLengths' | 'nullFirst' | 'nullFirstNonAscii'> {
  let nullLengths = 0;
  const nullFirst = new Uint8Array(128);
  let nullFirstNonAscii = false;
  for (const token of nulls) {
    nullLengths |= 1 << Math.min(token.length, 31);
    if (token.length === 0) continue;
    const c = token.charCodeAt(0);
    if (c < 128) nullFirst[c] = 1;
    else nullFirstNonAscii = true;
  }
  return { nullLengths, nullFirst, nullFirstNonAscii };
}

/** The quick filter of CompiledField.nullLengths: false when text[start..end) cannot be a null token. */
export function mayBeNull(field: CompiledField, text: string, start: number, end: number): boolean {
  const len = end - start;
  if (((field.nullLengths >>> Math.min(len, 31)) & 1) === 0) return false;
  if (len === 0) return true;
  const c = text.charCodeAt(start);
  return c < 128 ? field.nullFirst[c] === 1 : field.nullFirstNonAscii;
}

function compileNullSpan(nulls: ReadonlySet<string>): (text: string, start: number, end: number) => boolean {
  // Tokens by length; a cell is compared only with the tokens of its own length.
  const byLength: string[][] = [];
  for (const token of nulls) {
    const list = byLength[token.length] ?? [];
    list.push(token);
    byLength[token.length] = list;
  }
  return (text, start, end) => {
    const tokens = byLength[end - start];
    if (tokens === undefined) return false;
    for (let t = 0; t < tokens.length; t++) {
      const token = tokens[t]!;
      let k = 0;
      while (k < token.length && token.charCodeAt(k) === text.charCodeAt(start + k)) k++;
      if (k === token.length) return true;
    }
    return false;
  };
}

function compileSpanParser(
  spec: FieldSpec,
  dates?: (text: string, from: number, to: number) => number,
): ((text: string, start: number, end: number) => number | typeof INVALID) | undefined {
  switch (spec.type) {
    case 'number':
      return (text, start, end) => {
        const n = decimalSpan(text, start, end);
        if (!Number.isNaN(n)) return n;
        const slow = parseNumber(text.slice(start, end));
        return Number.isNaN(slow) ? INVALID : slow;
      };
    case 'integer':
      return (text, start, end) => {
        let n = decimalSpan(text, start, end);
        if (Number.isNaN(n)) n = parseNumber(text.slice(start, end));
        return Number.isInteger(n) ? n : INVALID;
      };
    case 'datetime': {
      const parseDate = dates ?? compileDateTimeSpanParser(spec.formats, spec.timezone);
      return (text, start, end) => {
        const ms = parseDate(text, start, end);
        return Number.isNaN(ms) ? INVALID : ms;
      };
    }
    case 'boolean': {
      // ASCII tokens are compared char by char (lower-cased); anything else takes the text path.
      const truthy = lowerSet(spec.trueTokens);
      const falsy = lowerSet(spec.falseTokens);
      const ascii = (tokens: Set<string>) => [...tokens].filter((t) => /^[\x00-\x7f]*$/.test(t));
      const trueAscii = ascii(truthy);
      const falseAscii = ascii(falsy);
      const matches = (tokens: string[], text: string, start: number, end: number): boolean => {
        const len = end - start;
        for (let t = 0; t < tokens.length; t++) {
          const token = tokens[t]!;
          if (token.length !== len) continue;
          let k = 0;
          while (k < len) {
            let c = text.charCodeAt(start + k);
            if (c >= 65 && c <= 90) c += 32;
            if (c !== token.charCodeAt(k)) break;
            k++;
          }
          if (k === len) return true;
        }
        return false;
      };
      return (text, start, end) => {
        for (let i = start; i < end; i++) {
          if (text.charCodeAt(i) > 0x7f) {
            const t = text.slice(start, end).toLowerCase();
            return truthy.has(t) ? 1 : falsy.has(t) ? 0 : INVALID;
          }
        }
        return matches(trueAscii, text, start, end) ? 1 : matches(falseAscii, text, start, end) ? 0 : INVALID;
      };
    }
    default:
      return undefined;
  }
}

const POW10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * Fast path of parseNumber for the common plain decimal, -?digits[.digits] with at most 15 digits:
 * the digits as an integer divided by a power of ten. Both are exact doubles (below 2^53 and 10^22),
 * so the one correctly rounded division gives exactly what Number() gives for the text. NaN for
 * anything else (the caller then takes the full parseNumber path).
 */
function decimalSpan(text: string, start: number, end: number): number {
  let i = start;
  const negative = i < end && text.charCodeAt(i) === 45;
  if (negative) i++;
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
    } else if (c === 46 && fraction < 0 && digits > 0) {
      fraction = digits;
    } else {
      return Number.NaN;
    }
  }
  if (digits === 0 || digits > 15 || fraction === digits) return Number.NaN;
  const value = fraction < 0 ? mantissa : mantissa / POW10[digits - fraction]!;
  return negative ? -value : value;
}

function compileParser(
  spec: FieldSpec,
  dates?: (text: string, from: number, to: number) => number,
): (text: string) => Value | typeof INVALID {
  switch (spec.type) {
    case 'string':
      return (text) => text;
    case 'enum': {
      const allowed = new Map(spec.values.map((v) => [v.toLowerCase(), v]));
      // Exports usually spell values exactly as declared: try that before lower-casing the cell.
      const exact = new Map(spec.values.map((v) => [v, v]));
      return (text) => exact.get(text) ?? allowed.get(text.toLowerCase()) ?? INVALID;
    }
    case 'integer':
      return (text) => {
        const n = parseNumber(text);
        return Number.isInteger(n) ? n : INVALID;
      };
    case 'number':
      return (text) => {
        const n = parseNumber(text);
        return Number.isNaN(n) ? INVALID : n;
      };
    case 'boolean': {
      const truthy = lowerSet(spec.trueTokens);
      const falsy = lowerSet(spec.falseTokens);
      return (text) => {
        const t = text.toLowerCase();
        return truthy.has(t) ? 1 : falsy.has(t) ? 0 : INVALID;
      };
    }
    case 'datetime': {
      const parseDate = dates ?? compileDateTimeSpanParser(spec.formats, spec.timezone);
      return (text) => {
        const ms = parseDate(text, 0, text.length);
        return Number.isNaN(ms) ? INVALID : ms;
      };
    }
    case 'duration': {
      const factor = UNIT_SECONDS[spec.unit];
      return (text) => {
        const s = parseDuration(text, factor);
        return Number.isNaN(s) ? INVALID : s;
      };
    }
    case 'list': {
      const separator = spec.separator;
      return (text) => splitList(text, separator);
    }
  }
}

function lowerSet(tokens: ReadonlySet<string>): Set<string> {
  return new Set([...tokens].map((t) => t.toLowerCase()));
}

export function splitList(text: string, separator: string): string[] {
  const items: string[] = [];
  for (const part of text.split(separator)) {
    const item = part.trim();
    if (item !== '') items.push(item);
  }
  return items;
}

/**
 * Decimal numbers as exports write them: `1234.5`, `1,5` (decimal comma), `1.234,5` and `1,234.5`
 * (thousands separators), `1 234,5`. Returns NaN for anything else (hex, `Infinity`, words).
 */
export function parseNumber(text: string): number {
  let hasDot = false;
  let hasComma = false;
  let hasSpace = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) continue;
    if (c === 46) hasDot = true;
    else if (c === 44) hasComma = true;
    else if (c === 32 || c === 160 || c === 0x202f) hasSpace = true;
    else if (c === 45 || c === 43 || c === 101 || c === 69)
      continue; // - + e E
    else return Number.NaN;
  }
  let normal = text;
  if (hasSpace) normal = normal.replace(/[\s\u00a0\u202f]/g, '');
  if (hasComma) {
    if (hasDot) {
      // Whichever comes last is the decimal separator; the other groups thousands.
      normal =
        normal.lastIndexOf(',') > normal.lastIndexOf('.')
          ? normal.replace(/\./g, '').replace(',', '.')
          : normal.replace(/,/g, '');
    } else if (normal.indexOf(',') === normal.lastIndexOf(',')) {
      normal = normal.replace(',', '.');
    } else {
      normal = normal.replace(/,/g, '');
      if (!/^[+-]?\d{1,3}(\d{3})+$/.test(normal)) return Number.NaN;
    }
  }
  if (normal === '' || normal === '+' || normal === '-') return Number.NaN;
  const n = Number(normal);
  return Number.isFinite(n) ? n : Number.NaN;
}

const DURATION_PART =
  /(\d+(?:[.,]\d+)?)\s*(d|days?|h|hrs?|hours?|m|mins?|minutes?|s|secs?|seconds?)(?![a-z])[\s,]*(?:and\s+)?/gi;

/**
 * Durations as exports write them, in seconds: a bare number (in `unitSeconds`), `HH:MM[:SS]`,
 * ISO 8601 (`PT1H30M`, `P2DT4H`), or `1d 2h 30m 10s` / `90 min`.
 */
export function parseDuration(text: string, unitSeconds: number): number {
  const n = parseNumber(text);
  if (!Number.isNaN(n)) return n * unitSeconds;
  if (/^\d+:\d{1,2}(:\d{1,2}(\.\d+)?)?$/.test(text)) {
    const [h = '0', m = '0', s = '0'] = text.split(':');
    if (Number(m) > 59 || Number(s) > 59.999) return Number.NaN;
    return Number(h) * 3600 + Number(m) * 60 + Number(s);
  }
  const iso =
    /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(
      text,
    );
  if (iso && text.length > 1 && !/T$/i.test(text)) {
    const [, w, d, h, m, s] = iso;
    return (
      (Number(w ?? 0) * 7 + Number(d ?? 0)) * 86400 +
      Number(h ?? 0) * 3600 +
      Number(m ?? 0) * 60 +
      Number(s ?? 0)
    );
  }
  let total = 0;
  let consumed = '';
  for (const match of text.matchAll(DURATION_PART)) {
    const value = Number(match[1]!.replace(',', '.'));
    const unit = match[2]!.toLowerCase();
    total +=
      value * (unit.startsWith('d') ? 86400 : unit.startsWith('h') ? 3600 : unit.startsWith('m') ? 60 : 1);
    consumed += match[0];
  }
  return consumed !== '' && consumed.replace(/\s/g, '').length === text.replace(/\s/g, '').length
    ? total
    : Number.NaN;
}

/** Values of an enum a bad-value message lists (then "... and N more"). */
const ENUM_LISTED = 12;

/** "expected ...", and the codes of the field's map when it has one. */
function describeExpected(spec: FieldSpec): string {
  const base = describeType(spec);
  if (spec.map.size === 0) return base;
  return `${base}, or a code of its map (${listOf([...spec.map.keys()], 8)})`;
}

function describeType(spec: FieldSpec): string {
  switch (spec.type) {
    case 'string':
    case 'list':
      return 'text';
    case 'enum':
      return `one of ${listOf(spec.values, ENUM_LISTED)}`;
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return `a boolean (${[...spec.trueTokens][0] ?? 'true'}/${[...spec.falseTokens][0] ?? 'false'})`;
    case 'datetime':
      return describeDateFormats(spec.formats);
    case 'duration':
      return `a duration (${spec.unit} as a number, HH:MM:SS, PT1H30M or "1h 30m")`;
  }
}
