/**
 * Datetime readers for vendor exports.
 *
 * A format string (date-fns tokens, https://date-fns.org/docs/parse) is compiled once into a token
 * list; reading a value is then one tight loop over that list with charCodeAt, no regex and no
 * allocation. Formats with tokens this matcher does not implement fall back to date-fns `parse`
 * (slower, but correct). ISO 8601 is always accepted after the given formats.
 *
 * Implemented tokens: yyyy (4 digits), yy (2 digits: 00-69 -> 20xx, 70-99 -> 19xx), y/yyy (1-4
 * digits, the year as written), M d H h m s (1 or 2 digits), MM dd HH hh mm ss (exactly 2 digits),
 * MMM (Jan..Dec), MMMM (January..December, or Jan..Dec), S to SSSSSSSSS (exactly that many fraction
 * digits), a aa aaa (AM/PM), E EE EEE (Mon..Sun, ignored), EEEE (Monday..Sunday or Mon..Sun,
 * ignored), X XX XXX (Z, ±HH, ±HHMM or ±HH:MM), x xx xxx (the same without Z), z zz zzz (a zone
 * abbreviation from ZONE_ABBREVIATIONS), quoted literals ('T', '' for a quote) and any other
 * non-letter character. Letters match case-insensitively; a space matches one or more spaces or
 * tabs. Leading and trailing whitespace of the value is ignored.
 *
 * Values are validated: month 1-12, day within the month (leap years), hour 0-23 (1-12 with h),
 * minute and second 0-59. With `a`, an `h` hour 12 AM is 0 and 1-11 PM add 12; with `h` but no
 * `a`, hours read as AM. Fields missing from a format default to 1970-01-01 00:00:00.000.
 * The date-fns fallback follows the same two rules (the `yy` window and the 1970 defaults); see
 * compileFallback for how date-fns is told.
 */

import { createRequire } from 'node:module';
import { quote } from '../text.js';
import { daysInMonth, isValidTimeZone, wallMs, wallToUtc } from './zone.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Fixed offsets for the zone abbreviations that `z`, `zz` and `zzz` understand (CST = US Central). */
export const ZONE_ABBREVIATIONS: Readonly<Record<string, number>> = {
  UTC: 0,
  UT: 0,
  GMT: 0,
  Z: 0,
  WET: 0,
  WEST: HOUR,
  BST: HOUR,
  CET: HOUR,
  CEST: 2 * HOUR,
  MET: HOUR,
  MEST: 2 * HOUR,
  EET: 2 * HOUR,
  EEST: 3 * HOUR,
  EST: -5 * HOUR,
  EDT: -4 * HOUR,
  CST: -6 * HOUR,
  CDT: -5 * HOUR,
  MST: -7 * HOUR,
  MDT: -6 * HOUR,
  PST: -8 * HOUR,
  PDT: -7 * HOUR,
  AKST: -9 * HOUR,
  AKDT: -8 * HOUR,
  HST: -10 * HOUR,
  JST: 9 * HOUR,
  KST: 9 * HOUR,
  AWST: 8 * HOUR,
  ACST: 9.5 * HOUR,
  ACDT: 10.5 * HOUR,
  AEST: 10 * HOUR,
  AEDT: 11 * HOUR,
  NZST: 12 * HOUR,
  NZDT: 13 * HOUR,
};

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** Three lower-case letters packed into one number. */
function pack3(a: number, b: number, c: number): number {
  return (a << 16) | (b << 8) | c;
}

function packWord(word: string): number {
  return pack3(word.charCodeAt(0), word.charCodeAt(1), word.charCodeAt(2));
}

const MONTH_ABBRS = Int32Array.from(MONTHS, packWord);

/** Month 1-12 of packed lower-case three letters, or 0. A scan of 12 ints beats Map.get here. */
function monthOfAbbr(packed: number): number {
  for (let i = 0; i < 12; i++) if (MONTH_ABBRS[i] === packed) return i + 1;
  return 0;
}
const WEEKDAY_ABBRS = new Set<number>(WEEKDAYS.map(packWord));

// ---------------------------------------------------------------------------------------------
// Scanning helpers (all operate on text[pos..end)).

const C_0 = 48;
const C_9 = 57;
const C_SPACE = 32;
const C_TAB = 9;
const C_PLUS = 43;
const C_MINUS = 45;
const C_COLON = 58;

function isSpace(c: number): boolean {
  return c === C_SPACE || c === C_TAB || c === 10 || c === 13 || c === 0xa0;
}

/** Lower-cases ASCII letters (leaves everything else alone). */
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function isLetter(c: number): boolean {
  const l = c | 32;
  return l >= 97 && l <= 122;
}

/**
 * Scratch state of the current match (one object with fixed fields: faster than module-level
 * `let`s, which need TDZ checks, and no allocation per value).
 */
const S = {
  /** Result of readNumber / readOffset / readZoneAbbreviation. */
  pos: 0,
  value: 0,
  year: 1970,
  month: 1,
  day: 1,
  hour: 0,
  minute: 0,
  second: 0,
  ms: 0,
  /** -1: no AM/PM, 0: AM, 1: PM. */
  meridiem: -1,
  /** Offset read from the text, NaN when none. */
  offset: Number.NaN,
};

/** Reads min..max digits at pos; false if fewer than min. Sets S.pos/S.value. */
function readNumber(text: string, pos: number, end: number, min: number, max: number): boolean {
  let value = 0;
  let i = pos;
  const stop = Math.min(end, pos + max);
  while (i < stop) {
    const c = text.charCodeAt(i);
    if (c < C_0 || c > C_9) break;
    value = value * 10 + (c - C_0);
    i++;
  }
  if (i - pos < min) return false;
  S.pos = i;
  S.value = value;
  return true;
}

/** Reads Z (if allowZ), ±HH, ±HHMM or ±HH:MM. Sets S.pos/S.value (offset in ms). */
function readOffset(text: string, pos: number, end: number, allowZ: boolean): boolean {
  if (pos >= end) return false;
  const c = text.charCodeAt(pos);
  if (c === 90 || c === 122) {
    if (!allowZ) return false;
    S.pos = pos + 1;
    S.value = 0;
    return true;
  }
  if (c !== C_PLUS && c !== C_MINUS) return false;
  if (!readNumber(text, pos + 1, end, 2, 2)) return false;
  const hours = S.value;
  let i = S.pos;
  let minutes = 0;
  if (i < end) {
    const next = text.charCodeAt(i);
    if (next === C_COLON) {
      if (!readNumber(text, i + 1, end, 2, 2)) return false;
      minutes = S.value;
      i = S.pos;
    } else if (next >= C_0 && next <= C_9) {
      if (!readNumber(text, i, end, 2, 2)) return false;
      minutes = S.value;
      i = S.pos;
    }
  }
  if (hours > 23 || minutes > 59) return false;
  S.pos = i;
  S.value = (c === C_MINUS ? -1 : 1) * (hours * HOUR + minutes * MINUTE);
  return true;
}

/** Reads a zone abbreviation from ZONE_ABBREVIATIONS. Sets S.pos/S.value. */
function readZoneAbbreviation(text: string, pos: number, end: number): boolean {
  let i = pos;
  while (i < end && i - pos < 5 && isLetter(text.charCodeAt(i))) i++;
  if (i === pos || (i < end && isLetter(text.charCodeAt(i)))) return false;
  const offset = ZONE_ABBREVIATIONS[text.slice(pos, i).toUpperCase()];
  if (offset === undefined) return false;
  S.pos = i;
  S.value = offset;
  return true;
}

/** Matches a lower-case word case-insensitively at pos. */
function matchWord(text: string, pos: number, end: number, word: string): boolean {
  if (pos + word.length > end) return false;
  for (let k = 0; k < word.length; k++) {
    if (lower(text.charCodeAt(pos + k)) !== word.charCodeAt(k)) return false;
  }
  return true;
}

function readPacked3(text: string, pos: number, end: number): number {
  if (pos + 3 > end) return -1;
  return pack3(lower(text.charCodeAt(pos)), lower(text.charCodeAt(pos + 1)), lower(text.charCodeAt(pos + 2)));
}

// ---------------------------------------------------------------------------------------------
/** Builds the instant from the fields of S: NaN when a field is out of range. */
function finish(tz: string, hour12: boolean): number {
  if (S.month < 1 || S.month > 12 || S.day < 1 || S.day > daysInMonth(S.year, S.month)) return Number.NaN;
  let hour = S.hour;
  if (hour12) {
    if (hour < 1 || hour > 12) return Number.NaN;
    if (hour === 12) hour = 0;
    if (S.meridiem === 1) hour += 12;
  } else if (S.meridiem !== -1 && hour >= 1 && hour <= 12) {
    // H with a: read 1-12 as a 12-hour clock, 0 and 13-23 as they are.
    if (hour === 12) hour = 0;
    if (S.meridiem === 1) hour += 12;
  } else if (S.meridiem === 0 && hour > 12) {
    return Number.NaN;
  } else if (S.meridiem === 1 && hour === 0) {
    return Number.NaN;
  }
  if (hour > 23 || S.minute > 59 || S.second > 59) return Number.NaN;
  const wall = wallMs(S.year, S.month, S.day, hour, S.minute, S.second, S.ms);
  return !Number.isNaN(S.offset) ? wall - S.offset : wallToUtc(tz, wall);
}

// ---------------------------------------------------------------------------------------------
// ISO 8601

function twoDigits(text: string, pos: number): number {
  const a = text.charCodeAt(pos) - C_0;
  const b = text.charCodeAt(pos + 1) - C_0;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return a * 10 + b;
}

/**
 * ISO 8601 in text[start..end): yyyy-MM-dd, then optionally T (or t or a space) HH:mm[:ss[.fff…]]
 * and an optional zone (Z, ±HH, ±HHMM, ±HH:MM). Fractions keep milliseconds (truncated).
 */
function isoAt(text: string, start: number, end: number, tz: string): number {
  if (end - start < 10) return Number.NaN;
  if (text.charCodeAt(start + 4) !== C_MINUS || text.charCodeAt(start + 7) !== C_MINUS) return Number.NaN;
  const hi = twoDigits(text, start);
  const lo = twoDigits(text, start + 2);
  const month = twoDigits(text, start + 5);
  const day = twoDigits(text, start + 8);
  if (hi < 0 || lo < 0 || month < 0 || day < 0) return Number.NaN;
  S.year = hi * 100 + lo;
  S.month = month;
  S.day = day;
  S.hour = 0;
  S.minute = 0;
  S.second = 0;
  S.ms = 0;
  S.meridiem = -1;
  S.offset = Number.NaN;
  let pos = start + 10;
  if (pos < end) {
    const sep = text.charCodeAt(pos);
    if (sep !== 84 && sep !== 116 && sep !== C_SPACE) return Number.NaN;
    pos++;
    if (end - pos < 5 || text.charCodeAt(pos + 2) !== C_COLON) return Number.NaN;
    S.hour = twoDigits(text, pos);
    S.minute = twoDigits(text, pos + 3);
    if (S.hour < 0 || S.minute < 0) return Number.NaN;
    pos += 5;
    if (pos < end && text.charCodeAt(pos) === C_COLON) {
      if (end - pos < 3) return Number.NaN;
      S.second = twoDigits(text, pos + 1);
      if (S.second < 0) return Number.NaN;
      pos += 3;
      if (pos < end) {
        const dot = text.charCodeAt(pos);
        if (dot === 46 || dot === 44) {
          pos++;
          const digitsStart = pos;
          let ms = 0;
          while (pos < end) {
            const c = text.charCodeAt(pos);
            if (c < C_0 || c > C_9) break;
            if (pos - digitsStart < 3) ms = ms * 10 + (c - C_0);
            pos++;
          }
          const n = pos - digitsStart;
          if (n === 0) return Number.NaN;
          S.ms = n === 1 ? ms * 100 : n === 2 ? ms * 10 : ms;
        }
      }
    }
    if (pos < end) {
      if (!readOffset(text, pos, end, true) || S.pos !== end) return Number.NaN;
      S.offset = S.value;
    }
  }
  return finish(tz, false);
}

export function trimStart(text: string, from = 0, to = text.length): number {
  let i = from;
  while (i < to && isSpace(text.charCodeAt(i))) i++;
  return i;
}

export function trimEnd(text: string, start: number, to = text.length): number {
  let i = to;
  while (i > start && isSpace(text.charCodeAt(i - 1))) i--;
  return i;
}

/** ISO 8601 date or date-time; zone-less values are read in tz. NaN if the text is not ISO. */
export function parseIsoDateTime(text: string, tz: string): number {
  const start = trimStart(text);
  return isoAt(text, start, trimEnd(text, start), tz);
}

// ---------------------------------------------------------------------------------------------
// Format compilation

// Token kinds and fields as plain number constants: V8 folds these into the matcher's switch,
// which is ~30% faster than reading them from an enum object.
const K_LITERAL = 0;
const K_SPACE = 1;
const K_NUMBER = 2;
const K_MONTH_ABBR = 3;
const K_MONTH_NAME = 4;
const K_WEEKDAY_ABBR = 5;
const K_WEEKDAY_NAME = 6;
const K_FRACTION = 7;
const K_MERIDIEM = 8;
const K_OFFSET = 9;
const K_ZONE_ABBR = 10;
type Kind = number;

const F_YEAR = 0;
const F_YEAR_2 = 1;
const F_MONTH = 2;
const F_DAY = 3;
const F_HOUR = 4;
const F_HOUR_12 = 5;
const F_MINUTE = 6;
const F_SECOND = 7;
type Field = number;

interface Token {
  kind: Kind;
  /** Literal text, lower-cased (Literal). */
  text: string;
  field: Field;
  min: number;
  max: number;
  /** Offset accepts Z. */
  allowZ: boolean;
}

function token(kind: Kind, partial: Partial<Token> = {}): Token {
  // One literal with all fields, so every token has the same hidden class.
  return {
    kind,
    text: partial.text ?? '',
    field: partial.field ?? F_YEAR,
    min: partial.min ?? 0,
    max: partial.max ?? 0,
    allowZ: partial.allowZ ?? false,
  };
}

/** Splits a date-fns format into letter runs, quoted literals and other characters. */
export function lexFormat(format: string): { letter: string; count: number; literal: string }[] {
  const parts: { letter: string; count: number; literal: string }[] = [];
  let i = 0;
  while (i < format.length) {
    const ch = format[i]!;
    if (ch === "'") {
      if (format[i + 1] === "'") {
        parts.push({ letter: '', count: 0, literal: "'" });
        i += 2;
        continue;
      }
      let literal = '';
      i++;
      while (i < format.length) {
        if (format[i] === "'") {
          if (format[i + 1] === "'") {
            literal += "'";
            i += 2;
            continue;
          }
          break;
        }
        literal += format[i];
        i++;
      }
      if (i >= format.length) throw new RangeError(`unterminated quote in date format "${format}"`);
      i++; // closing quote
      parts.push({ letter: '', count: 0, literal });
    } else if (isLetter(ch.charCodeAt(0))) {
      let j = i + 1;
      while (j < format.length && format[j] === ch) j++;
      parts.push({ letter: ch, count: j - i, literal: '' });
      i = j;
    } else {
      parts.push({ letter: '', count: 0, literal: ch });
      i++;
    }
  }
  return parts;
}

/** Token for a letter run, or undefined when this matcher does not implement it. */
function letterToken(letter: string, count: number): Token | undefined {
  const num = (field: Field, min: number, max: number) => token(K_NUMBER, { field, min, max });
  const short = (field: Field) =>
    count === 1 ? num(field, 1, 2) : count === 2 ? num(field, 2, 2) : undefined;
  switch (letter) {
    case 'y':
      if (count === 2) return num(F_YEAR_2, 2, 2);
      if (count === 4) return num(F_YEAR, 4, 4);
      if (count === 1 || count === 3) return num(F_YEAR, 1, 4);
      return undefined;
    case 'M':
      if (count <= 2) return short(F_MONTH);
      if (count === 3) return token(K_MONTH_ABBR);
      if (count === 4) return token(K_MONTH_NAME);
      return undefined;
    case 'd':
      return short(F_DAY);
    case 'H':
      return short(F_HOUR);
    case 'h':
      return short(F_HOUR_12);
    case 'm':
      return short(F_MINUTE);
    case 's':
      return short(F_SECOND);
    case 'S':
      return count <= 9 ? token(K_FRACTION, { min: count, max: count }) : undefined;
    case 'a':
      return count <= 3 ? token(K_MERIDIEM) : undefined;
    case 'E':
      return count <= 3 ? token(K_WEEKDAY_ABBR) : count === 4 ? token(K_WEEKDAY_NAME) : undefined;
    case 'X':
      return count <= 3 ? token(K_OFFSET, { allowZ: true }) : undefined;
    case 'x':
      return count <= 3 ? token(K_OFFSET, { allowZ: false }) : undefined;
    case 'z':
      return count <= 3 ? token(K_ZONE_ABBR) : undefined;
    default:
      return undefined;
  }
}

/** The compiled token list, or undefined when the format needs date-fns. */
function compileTokens(format: string): Token[] | undefined {
  const tokens: Token[] = [];
  const pushLiteral = (literal: string) => {
    for (let i = 0; i < literal.length; i++) {
      const code = literal.charCodeAt(i);
      if (isSpace(code)) {
        if (tokens.at(-1)?.kind !== K_SPACE) tokens.push(token(K_SPACE));
        continue;
      }
      const ch = String.fromCharCode(lower(code));
      const last = tokens.at(-1);
      if (last?.kind === K_LITERAL) last.text += ch;
      else tokens.push(token(K_LITERAL, { text: ch }));
    }
  };
  for (const part of lexFormat(format)) {
    if (part.letter === '') {
      pushLiteral(part.literal);
      continue;
    }
    const t = letterToken(part.letter, part.count);
    if (t === undefined) return undefined;
    tokens.push(t);
  }
  return tokens;
}

export type Matcher = (text: string, start: number, end: number) => number;

function compileMatcher(tokens: readonly Token[], tz: string): Matcher {
  const n = tokens.length;
  const hour12 = tokens.some((t) => t.kind === K_NUMBER && t.field === F_HOUR_12);
  return (text, start, end) => {
    S.year = 1970;
    S.month = 1;
    S.day = 1;
    S.hour = 0;
    S.minute = 0;
    S.second = 0;
    S.ms = 0;
    S.meridiem = -1;
    S.offset = Number.NaN;
    let pos = start;
    for (let k = 0; k < n; k++) {
      const t = tokens[k]!;
      switch (t.kind) {
        case K_NUMBER: {
          if (!readNumber(text, pos, end, t.min, t.max)) return Number.NaN;
          pos = S.pos;
          const v = S.value;
          switch (t.field) {
            case F_YEAR:
              S.year = v;
              break;
            case F_YEAR_2:
              S.year = v < 70 ? 2000 + v : 1900 + v;
              break;
            case F_MONTH:
              S.month = v;
              break;
            case F_DAY:
              S.day = v;
              break;
            case F_HOUR:
            case F_HOUR_12:
              S.hour = v;
              break;
            case F_MINUTE:
              S.minute = v;
              break;
            case F_SECOND:
              S.second = v;
              break;
          }
          break;
        }
        case K_LITERAL: {
          const lit = t.text;
          if (pos + lit.length > end) return Number.NaN;
          for (let i = 0; i < lit.length; i++) {
            if (lower(text.charCodeAt(pos + i)) !== lit.charCodeAt(i)) return Number.NaN;
          }
          pos += lit.length;
          break;
        }
        case K_SPACE: {
          if (pos >= end || !isSpace(text.charCodeAt(pos))) return Number.NaN;
          pos++;
          while (pos < end && isSpace(text.charCodeAt(pos))) pos++;
          break;
        }
        case K_MONTH_ABBR: {
          const month = monthOfAbbr(readPacked3(text, pos, end));
          if (month === 0) return Number.NaN;
          S.month = month;
          pos += 3;
          break;
        }
        case K_MONTH_NAME: {
          const month = monthOfAbbr(readPacked3(text, pos, end));
          if (month === 0) return Number.NaN;
          const name = MONTHS[month - 1]!;
          S.month = month;
          pos += matchWord(text, pos, end, name) ? name.length : 3;
          break;
        }
        case K_WEEKDAY_ABBR:
        case K_WEEKDAY_NAME: {
          const packed = readPacked3(text, pos, end);
          if (!WEEKDAY_ABBRS.has(packed)) return Number.NaN;
          let len = 3;
          if (t.kind === K_WEEKDAY_NAME) {
            for (const name of WEEKDAYS) {
              if (packWord(name) === packed && matchWord(text, pos, end, name)) len = name.length;
            }
          }
          pos += len;
          break;
        }
        case K_FRACTION: {
          if (!readNumber(text, pos, end, t.min, t.max)) return Number.NaN;
          pos = S.pos;
          const digits = t.min;
          S.ms = digits <= 3 ? S.value * 10 ** (3 - digits) : Math.floor(S.value / 10 ** (digits - 3));
          break;
        }
        case K_MERIDIEM: {
          if (pos + 2 > end || lower(text.charCodeAt(pos + 1)) !== 109) return Number.NaN;
          const c = lower(text.charCodeAt(pos));
          if (c === 97) S.meridiem = 0;
          else if (c === 112) S.meridiem = 1;
          else return Number.NaN;
          pos += 2;
          break;
        }
        case K_OFFSET: {
          if (!readOffset(text, pos, end, t.allowZ)) return Number.NaN;
          pos = S.pos;
          S.offset = S.value;
          break;
        }
        case K_ZONE_ABBR: {
          if (!readZoneAbbreviation(text, pos, end)) return Number.NaN;
          pos = S.pos;
          S.offset = S.value;
          break;
        }
      }
    }
    if (pos !== end) return Number.NaN;
    return finish(tz, hour12);
  };
}

// ---------------------------------------------------------------------------------------------
// date-fns fallback

/**
 * A Date whose "local" fields are its UTC fields, so date-fns `parse` builds wall-clock times
 * independent of the machine's zone. Offset tokens (X, x) then give the true instant.
 */
class WallDate extends Date {
  override getFullYear(): number {
    return this.getUTCFullYear();
  }
  override getMonth(): number {
    return this.getUTCMonth();
  }
  override getDate(): number {
    return this.getUTCDate();
  }
  override getDay(): number {
    return this.getUTCDay();
  }
  override getHours(): number {
    return this.getUTCHours();
  }
  override getMinutes(): number {
    return this.getUTCMinutes();
  }
  override getSeconds(): number {
    return this.getUTCSeconds();
  }
  override getMilliseconds(): number {
    return this.getUTCMilliseconds();
  }
  override getTimezoneOffset(): number {
    return 0;
  }
  override setFullYear(year: number, month?: number, date?: number): number {
    if (month === undefined) return this.setUTCFullYear(year);
    if (date === undefined) return this.setUTCFullYear(year, month);
    return this.setUTCFullYear(year, month, date);
  }
  override setMonth(month: number, date?: number): number {
    return date === undefined ? this.setUTCMonth(month) : this.setUTCMonth(month, date);
  }
  override setDate(date: number): number {
    return this.setUTCDate(date);
  }
  override setHours(hours: number, min?: number, sec?: number, ms?: number): number {
    if (min === undefined) return this.setUTCHours(hours);
    if (sec === undefined) return this.setUTCHours(hours, min);
    if (ms === undefined) return this.setUTCHours(hours, min, sec);
    return this.setUTCHours(hours, min, sec, ms);
  }
  override setMinutes(min: number, sec?: number, ms?: number): number {
    if (sec === undefined) return this.setUTCMinutes(min);
    if (ms === undefined) return this.setUTCMinutes(min, sec);
    return this.setUTCMinutes(min, sec, ms);
  }
  override setSeconds(sec: number, ms?: number): number {
    return ms === undefined ? this.setUTCSeconds(sec) : this.setUTCSeconds(sec, ms);
  }
  override setMilliseconds(ms: number): number {
    return this.setUTCMilliseconds(ms);
  }
}

/** Letters date-fns `parse` understands (its parsers plus the long formats P and p). */
const DATE_FNS_PARSE_LETTERS = 'GyYRuQqMLwIdDEeciabBhHKkmsSXxtTPp';

/** date-fns parse tokens that fix the instant (offsets and timestamps). */
const ABSOLUTE_LETTERS = /[XxTt]/;

/** Letters that take an ordinal suffix in date-fns ('do', 'Mo', ...). */
const ORDINAL_LETTERS = 'yYQqMLwIdDecihHKkms';

type DateFns = {
  parse: typeof import('date-fns/parse').parse;
  isValid: typeof import('date-fns/isValid').isValid;
};
let dateFns: DateFns | undefined;

/**
 * date-fns, loaded the first time a format needs it: most catalogues never do, and loading it costs
 * tens of milliseconds in every thread that reads a source.
 */
function loadDateFns(): DateFns {
  if (!dateFns) {
    const require = createRequire(import.meta.url);
    dateFns = {
      parse: (require('date-fns/parse') as typeof import('date-fns/parse')).parse,
      isValid: (require('date-fns/isValid') as typeof import('date-fns/isValid')).isValid,
    };
  }
  return dateFns;
}

function compileFallback(format: string, tz: string): Matcher {
  const { parse: dateFnsParse, isValid } = loadDateFns();
  const parts = lexFormat(format);
  let letters = '';
  for (let i = 0; i < parts.length; i++) {
    const { letter, count } = parts[i]!;
    if (letter === '') continue;
    letters += letter;
    if (letter === 'z') {
      throw new RangeError(
        `date format "${format}": zone abbreviations (z) only work with the tokens yyyy yy y M MM MMM MMMM d dd H HH h hh m mm s ss S a E X x`,
      );
    }
    if (letter === 'Y' || letter === 'D') {
      // date-fns would print a console warning and mostly throw: these are nearly always typos.
      const meaning = letter === 'Y' ? 'the week-numbering year' : 'the day of the year';
      const token = letter.repeat(count);
      throw new RangeError(
        `invalid date format "${format}": "${token}" is ${meaning}; use "${token.toLowerCase()}"`,
      );
    }
    const previous = parts[i - 1];
    const ordinal =
      letter === 'o' && count === 1 && previous?.count === 1 && ORDINAL_LETTERS.includes(previous.letter);
    if (!ordinal && !DATE_FNS_PARSE_LETTERS.includes(letter)) {
      throw new RangeError(
        `invalid date format "${format}": "${letter}" is not a date-fns parse token (quote literal text: 'T')`,
      );
    }
  }
  // The reference date supplies the fields a format leaves out (1970-01-01 00:00, as on the fast path)
  // and the century of `yy`: date-fns puts a two-digit year within 50 years of the reference year, so
  // 1970 would read 26 as 1926. From 2020 its window is 1970-2069, the fast path's rule (00-69 -> 20xx,
  // 70-99 -> 19xx). A format with `yy` sets the year, and so resets month, day and time: nothing else
  // is taken from this reference.
  const hasTwoDigitYear = parts.some((part) => part.letter === 'y' && part.count === 2);
  const reference = new WallDate(hasTwoDigitYear ? Date.UTC(2020, 0, 1) : 0);
  try {
    dateFnsParse('', format, reference);
  } catch (error) {
    throw new RangeError(`invalid date format "${format}": ${(error as Error).message}`);
  }
  const absolute = ABSOLUTE_LETTERS.test(letters);
  return (text, start, end) => {
    let date: Date;
    try {
      date = dateFnsParse(text.slice(start, end), format, reference);
    } catch {
      return Number.NaN;
    }
    if (!isValid(date)) return Number.NaN;
    const ms = date.getTime();
    return absolute ? ms : wallToUtc(tz, ms);
  };
}

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * Compiles a datetime reader. formats: date-fns format strings tried in order; ISO 8601 is always
 * accepted as well (after the given formats). Zone-less values are read in `tz` (DST gap: shifted
 * forward; ambiguous: the earlier instant). Returns NaN for text that matches none, or an
 * impossible date (31 Feb, hour 25, 30/Feb/26).
 * Throws a RangeError for an unknown zone or a format date-fns cannot use either.
 */
export function compileDateTimeParser(formats: readonly string[], tz: string): (text: string) => number {
  const parse = compileDateTimeSpanParser(formats, tz);
  return (text) => parse(text, 0, text.length);
}

/**
 * One matcher per format, in order: text[start..end) (trimmed) -> epoch ms, NaN when it does not fit.
 * Throws like compileDateTimeParser.
 */
export function compileFormatMatchers(formats: readonly string[], tz: string): Matcher[] {
  if (!isValidTimeZone(tz)) throw new RangeError(`unknown time zone ${quote(tz)}`);
  return formats.map((format) => {
    if (format.trim() === '') throw new RangeError('empty date format');
    const tokens = compileTokens(format.trim());
    return tokens === undefined ? compileFallback(format.trim(), tz) : compileMatcher(tokens, tz);
  });
}

/** ISO 8601 in text[start..end) (already trimmed), read in `tz` when it has no offset; NaN otherwise. */
export function isoSpan(text: string, start: number, end: number, tz: string): number {
  return isoAt(text, start, end, tz);
}

/** The same reader for the text text[from..to), without cutting it out of `text`. */
export function compileDateTimeSpanParser(
  formats: readonly string[],
  tz: string,
): (text: string, from: number, to: number) => number {
  const matchers = compileFormatMatchers(formats, tz);
  const count = matchers.length;
  if (count === 1) {
    const only = matchers[0]!;
    return (text, from, to) => {
      const start = trimStart(text, from, to);
      const end = trimEnd(text, start, to);
      const ms = only(text, start, end);
      return Number.isNaN(ms) ? isoAt(text, start, end, tz) : ms;
    };
  }
  return (text, from, to) => {
    const start = trimStart(text, from, to);
    const end = trimEnd(text, start, to);
    for (let i = 0; i < count; i++) {
      const ms = matchers[i]!(text, start, end);
      if (!Number.isNaN(ms)) return ms;
    }
    return isoAt(text, start, end, tz);
  };
}

/**
 * Text for error messages: 'a date like "dd/MMM/yy h:mm a"' (several formats: 'a date like "A" or
 * "B"') or, without formats, 'an ISO 8601 date like "2026-07-01T09:30:00+02:00"'.
 */
export function describeDateFormats(formats: readonly string[]): string {
  if (formats.length === 0) return 'an ISO 8601 date like "2026-07-01T09:30:00+02:00"';
  return 'a date like ' + formats.map((format) => `"${format}"`).join(' or ');
}
