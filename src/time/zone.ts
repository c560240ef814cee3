/**
 * Time-zone arithmetic on epoch milliseconds (UTC).
 *
 * Offsets come from Intl.DateTimeFormat, which is slow (microseconds per call), so each zone keeps
 * a cache of its UTC-offset segments: the time line is cut into fixed chunks of CHUNK_MS, and the
 * first lookup in a chunk samples the offset once a day and binary-searches every change to the
 * second. Later lookups are a check against the last segment used or a Map lookup plus a scan of
 * the (usually one to three) segments of the chunk. 'UTC', the Etc/* zones and fixed offsets like
 * '+05:30' never touch Intl after validation.
 *
 * Assumption: a zone never changes its offset twice within one day (true for all tzdb data in the
 * range this tool reads).
 */
import { quote } from '../text.js';

const SECOND = 1000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Chunk length of the offset cache: 400 days. */
const CHUNK_MS = 400 * DAY;
/** Before 1800 every zone is on local mean time, which is constant: clamp sampling there. */
const MIN_SAMPLE_MS = -5_364_662_400_000; // 1800-01-01T00:00:00Z
/** The largest instant a JS Date can represent. */
const MAX_DATE_MS = 8.64e15;

/** Days before each month (1-12, index 0 unused) in a common year. */
const DAYS_BEFORE_MONTH = [0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
const TABLE_FIRST_YEAR = 1900;
const TABLE_YEARS = 300;
/** Day number of 1 January of the years 1900-2199 (fast path of daysFromCivil). */
const YEAR_START_DAYS = new Int32Array(TABLE_YEARS);
for (let i = 0; i < TABLE_YEARS; i++) YEAR_START_DAYS[i] = civilDaysSlow(TABLE_FIRST_YEAR + i, 1, 1);

/** Howard Hinnant's days_from_civil (month 1-12). */
function civilDaysSlow(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12; out-of-range months roll over). */
export function daysFromCivil(year: number, month: number, day: number): number {
  if (month >= 1 && month <= 12) {
    const i = year - TABLE_FIRST_YEAR;
    if (i >= 0 && i < TABLE_YEARS) {
      const leapDay = month > 2 && (year & 3) === 0 && (year % 100 !== 0 || year % 400 === 0) ? 1 : 0;
      return YEAR_START_DAYS[i]! + DAYS_BEFORE_MONTH[month]! + leapDay + day - 1;
    }
    return civilDaysSlow(year, month, day);
  }
  const m0 = month - 1;
  const carry = Math.floor(m0 / 12);
  return daysFromCivil(year + carry, m0 - carry * 12 + 1, day);
}

let civilYear = 0;
let civilMonth = 0;
let civilDay = 0;

/** Sets civilYear, civilMonth (1-12) and civilDay from a day number (days since 1970-01-01). */
function civilFromDays(days: number): void {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097; // 0..146096
  const yoe = ((doe - ((doe / 1460) | 0) + ((doe / 36_524) | 0) - ((doe / 146_096) | 0)) / 365) | 0;
  const doy = doe - (365 * yoe + ((yoe / 4) | 0) - ((yoe / 100) | 0));
  const mp = ((5 * doy + 2) / 153) | 0;
  civilDay = doy - (((153 * mp + 2) / 5) | 0) + 1;
  civilMonth = mp < 10 ? mp + 3 : mp - 9;
  civilYear = yoe + era * 400 + (civilMonth <= 2 ? 1 : 0);
}

/** True for leap years of the proleptic Gregorian calendar. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Number of days in a month (1-12) of a year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return MONTH_DAYS[month - 1] ?? Number.NaN;
}

/** Wall-clock fields -> "wall milliseconds" (the instant those fields would denote in UTC). */
export function wallMs(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  ms = 0,
): number {
  return daysFromCivil(year, month, day) * DAY + hour * HOUR + minute * MINUTE + second * SECOND + ms;
}

interface Chunk {
  /** Start of each segment (UTC ms), ascending; the first is the chunk start. */
  starts: number[];
  /** Offset of each segment. */
  offsets: number[];
  /** Exclusive end of the chunk. */
  end: number;
}

interface Zone {
  /** The offset when the zone never changes, otherwise NaN. */
  fixed: number;
  format: Intl.DateTimeFormat | undefined;
  /** Chunks with index 0..DENSE_CHUNKS-1 (1970 to about 2515), then the rest. */
  dense: (Chunk | undefined)[];
  chunks: Map<number, Chunk>;
  /** Last segment used: [lo, hi) has offset `off`. */
  lo: number;
  hi: number;
  off: number;
}

const DENSE_CHUNKS = 500;

const zones = new Map<string, Zone | null>();
let lastTz = '';
let lastZone: Zone | undefined;

const FIXED_OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

function fixedZone(offset: number): Zone {
  return { fixed: offset, format: undefined, dense: [], chunks: new Map(), lo: 0, hi: 0, off: offset };
}

function createZone(tz: string): Zone | null {
  const m = FIXED_OFFSET.exec(tz);
  if (m) {
    const hours = Number(m[2]);
    const minutes = Number(m[3]);
    if (hours > 23 || minutes > 59) return null;
    return fixedZone((m[1] === '-' ? -1 : 1) * (hours * HOUR + minutes * MINUTE));
  }
  if (tz === '') return null;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return null;
  }
  const zone: Zone = {
    fixed: Number.NaN,
    format,
    dense: new Array(DENSE_CHUNKS).fill(undefined),
    chunks: new Map(),
    lo: 0,
    hi: 0,
    off: 0,
  };
  const resolved = format.resolvedOptions().timeZone;
  if (resolved === 'UTC' || resolved.startsWith('Etc/')) zone.fixed = intlOffset(zone, 0);
  return zone;
}

function getZone(tz: string): Zone {
  if (tz === lastTz && lastZone !== undefined) return lastZone;
  let zone = zones.get(tz);
  if (zone === undefined) {
    zone = createZone(tz);
    zones.set(tz, zone);
  }
  if (zone === null) throw new RangeError(`unknown time zone ${quote(tz)}`);
  lastTz = tz;
  lastZone = zone;
  return zone;
}

/** True for names Intl knows (IANA names, 'UTC') and for fixed offsets like '+05:30'. */
export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string') return false;
  let zone = zones.get(tz);
  if (zone === undefined) {
    zone = createZone(tz);
    zones.set(tz, zone);
  }
  return zone !== null;
}

/** Offset via Intl at a UTC instant, to the second. */
function intlOffset(zone: Zone, utcMs: number): number {
  const t = Math.floor(utcMs / SECOND) * SECOND;
  // en-US with these options prints "7/1/2026, 09:30:00": month, day, year, hour, minute,
  // second. format() is about 4x faster than formatToParts().
  const text = zone.format!.format(t);
  const fields = [0, 0, 0, 0, 0, 0];
  let field = -1;
  let inNumber = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c >= 0 && c <= 9) {
      if (!inNumber) {
        field++;
        inNumber = true;
      }
      if (field < 6) fields[field] = fields[field]! * 10 + c;
    } else {
      inNumber = false;
    }
  }
  const [month, day, year, hour, minute, second] = fields as [number, number, number, number, number, number];
  return wallMs(year, month, day, hour, minute, second) - t;
}

function sampleOffset(zone: Zone, utcMs: number): number {
  return intlOffset(zone, Math.min(Math.max(utcMs, MIN_SAMPLE_MS), MAX_DATE_MS));
}

function buildChunk(zone: Zone, index: number): Chunk {
  const start = index * CHUNK_MS;
  const end = start + CHUNK_MS;
  const starts = [start];
  const offsets = [sampleOffset(zone, start)];
  let prevT = start;
  let prevOff = offsets[0]!;
  if (end > MIN_SAMPLE_MS && start < MAX_DATE_MS) {
    for (let t = start + DAY; ; t += DAY) {
      const probe = Math.min(t, end - SECOND);
      const off = sampleOffset(zone, probe);
      if (off !== prevOff) {
        // Find the first second in (prevT, probe] with the new offset.
        let lo = Math.floor(prevT / SECOND);
        let hi = Math.floor(probe / SECOND);
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (sampleOffset(zone, mid * SECOND) === prevOff) lo = mid;
          else hi = mid;
        }
        starts.push(hi * SECOND);
        offsets.push(off);
        prevOff = off;
      }
      prevT = probe;
      if (probe >= end - SECOND) break;
    }
  }
  return { starts, offsets, end };
}

function lookup(zone: Zone, utcMs: number): number {
  if (Number.isNaN(utcMs)) return Number.NaN;
  const index = Math.floor(utcMs / CHUNK_MS);
  const isDense = index >= 0 && index < DENSE_CHUNKS;
  let chunk = isDense ? zone.dense[index] : zone.chunks.get(index);
  if (chunk === undefined) {
    chunk = buildChunk(zone, index);
    if (isDense) zone.dense[index] = chunk;
    else zone.chunks.set(index, chunk);
  }
  const { starts, offsets } = chunk;
  let i = starts.length - 1;
  while (i > 0 && utcMs < starts[i]!) i--;
  zone.lo = starts[i]!;
  zone.hi = i + 1 < starts.length ? starts[i + 1]! : chunk.end;
  zone.off = offsets[i]!;
  return zone.off;
}

function offsetIn(zone: Zone, utcMs: number): number {
  if (!Number.isNaN(zone.fixed)) return !Number.isNaN(utcMs) ? zone.fixed : Number.NaN;
  if (utcMs >= zone.lo && utcMs < zone.hi) return zone.off;
  return lookup(zone, utcMs);
}

/**
 * Offset of local time from UTC at an instant, in ms (Europe/Berlin in summer: +7_200_000).
 * NaN for NaN. Throws a RangeError for an unknown zone (check with isValidTimeZone first).
 */
export function zoneOffsetMs(tz: string, utcMs: number): number {
  return offsetIn(getZone(tz), utcMs);
}

/**
 * Wall milliseconds (see wallMs) -> UTC ms. In a DST gap the time is shifted forward by the gap
 * (Temporal's 'compatible'); an ambiguous time (clocks set back) gives the earlier instant.
 */
export function wallToUtc(tz: string, wall: number): number {
  const zone = getZone(tz);
  if (!Number.isNaN(zone.fixed)) return wall - zone.fixed;
  if (Number.isNaN(wall)) return Number.NaN;
  // Offsets are within ±1 day, so every instant showing `wall` lies in (wall - DAY, wall + DAY).
  const off = offsetIn(zone, wall);
  if (wall - DAY >= zone.lo && wall + DAY < zone.hi) return wall - off;
  const before = offsetIn(zone, wall - DAY);
  const after = offsetIn(zone, wall + DAY);
  const t1 = wall - before;
  if (before === after) return t1;
  const t2 = wall - after;
  const ok1 = offsetIn(zone, t1) === before;
  const ok2 = offsetIn(zone, t2) === after;
  if (ok1 && ok2) return Math.min(t1, t2);
  if (ok1) return t1;
  if (ok2) return t2;
  // Gap: read the wall time with the offset from before the change, i.e. move it forward.
  return t1;
}

/**
 * Local wall-clock time in tz -> UTC ms. month 1-12; out-of-range fields roll over like Date.UTC
 * (month 13 = January of the next year, day 0 = last day of the previous month).
 * DST gap (nonexistent local time): shift forward by the gap (like Temporal 'compatible');
 * ambiguous (fall back): the earlier instant.
 */
export function localToUtc(
  tz: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  ms = 0,
): number {
  return wallToUtc(tz, wallMs(year, month, day, hour, minute, second, ms));
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  /** ISO 1=Mon..7=Sun */
  weekday: number;
}

/** UTC ms -> local wall-clock fields in tz (all NaN for NaN). */
export function utcToLocal(tz: string, utcMs: number): LocalParts {
  const wall = utcMs + zoneOffsetMs(tz, utcMs);
  if (Number.isNaN(wall)) {
    const n = Number.NaN;
    return { year: n, month: n, day: n, hour: n, minute: n, second: n, ms: n, weekday: n };
  }
  const days = Math.floor(wall / DAY);
  const rest = wall - days * DAY; // 0..DAY-1
  civilFromDays(days);
  const wd = (days + 3) % 7; // 1970-01-01 was a Thursday (ISO 4)
  return {
    year: civilYear,
    month: civilMonth,
    day: civilDay,
    hour: (rest / HOUR) | 0,
    minute: ((rest % HOUR) / MINUTE) | 0,
    second: ((rest % MINUTE) / SECOND) | 0,
    ms: rest % SECOND,
    weekday: (wd < 0 ? wd + 7 : wd) + 1,
  };
}

/** The calendar day of an instant in a zone, as yyyy-MM-dd (for messages and reports). */
export function localDate(tz: string, utcMs: number): string {
  const p = utcToLocal(tz, utcMs);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}
