/**
 * Reporting periods and cadence windows, computed in a time zone. Every boundary is local midnight
 * in the zone (via localToUtc), so a month in Europe/Berlin starts at 22:00 or 23:00 UTC the day
 * before, and periods that contain a DST change are an hour shorter or longer.
 *
 * Fiscal years are named by the calendar year they START in: with fiscalYearStartMonth 4, FY2026
 * runs from 2026-04-01 to 2027-03-31 and FY2026-Q1 is April-June 2026. (Organisations that name
 * the fiscal year by its end year would call that FY2027; this tool does not.)
 */

import { quote } from '../text.js';
import { daysFromCivil, isValidTimeZone, localToUtc, utcToLocal } from './zone.js';

/** How often a KPI is measured; the catalogue schema accepts exactly these. */
export const CADENCES = ['weekly', 'monthly', 'quarterly', 'semiannual', 'annual'] as const;
export type Cadence = (typeof CADENCES)[number];

export interface Period {
  label: string;
  start: number;
  /** exclusive, UTC ms */
  end: number;
  tz: string;
  kind: 'week' | 'month' | 'quarter' | 'half' | 'year' | 'custom';
}

export interface PeriodOptions {
  tz: string;
  /** 1-12, default 1 */
  fiscalYearStartMonth?: number;
}

type Result = { ok: true; period: Period } | { ok: false; message: string };

/** Which part of a custom period was wrong: its first day, its last day, or their order. */
export type CustomPeriodPart = 'first' | 'last' | 'order';
type CustomResult = { ok: true; period: Period } | { ok: false; message: string; part?: CustomPeriodPart };

const DAY = 86_400_000;
const MIN_YEAR = 1000;
const MAX_YEAR = 9999;
const USAGE = 'use 2026-Q3, 2026-09, 2026-H2, 2026, 2026-W38 or FY2026-Q1';

// ---------------------------------------------------------------------------------------------
// Helpers

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

function pad4(n: number): string {
  return String(n).padStart(4, '0');
}

/** Local midnight (UTC ms) of a day number (days since 1970-01-01). */
function dayStart(tz: string, dayNumber: number): number {
  return localToUtc(tz, 1970, 1, 1 + dayNumber);
}

/** Local midnight (UTC ms) on the first of a month; month may be out of 1-12 and rolls over. */
function monthStart(tz: string, year: number, month: number): number {
  return localToUtc(tz, year, month, 1);
}

/** Year and month (1-12) of an absolute month index (year * 12 + month - 1). */
function fromMonthIndex(index: number): { year: number; month: number } {
  const year = Math.floor(index / 12);
  return { year, month: index - year * 12 + 1 };
}

/** Local calendar date of a day number. */
function civil(dayNumber: number): { year: number; month: number; day: number } {
  const parts = utcToLocal('UTC', dayNumber * DAY);
  return { year: parts.year, month: parts.month, day: parts.day };
}

function dateLabel(dayNumber: number): string {
  const { year, month, day } = civil(dayNumber);
  return `${pad4(year)}-${pad2(month)}-${pad2(day)}`;
}

/** Day number of the local date of an instant. */
function localDayNumber(tz: string, utcMs: number): number {
  const p = utcToLocal(tz, utcMs);
  return daysFromCivil(p.year, p.month, p.day);
}

/** ISO weekday 1=Mon..7=Sun of a day number. */
function isoWeekday(dayNumber: number): number {
  const wd = (dayNumber + 3) % 7; // 1970-01-01 was a Thursday
  return (wd < 0 ? wd + 7 : wd) + 1;
}

/** Day number of the Monday of ISO week 1 of an ISO week-numbering year. */
function isoWeekOneMonday(isoYear: number): number {
  const jan4 = daysFromCivil(isoYear, 1, 4);
  return jan4 - (isoWeekday(jan4) - 1);
}

/** 52 or 53. */
export function isoWeeksInYear(isoYear: number): number {
  return (isoWeekOneMonday(isoYear + 1) - isoWeekOneMonday(isoYear)) / 7;
}

/** ISO week-numbering year and week of a day number. */
function isoWeekOf(dayNumber: number): { isoYear: number; week: number } {
  let isoYear = civil(dayNumber).year;
  if (dayNumber < isoWeekOneMonday(isoYear)) isoYear -= 1;
  else if (dayNumber >= isoWeekOneMonday(isoYear + 1)) isoYear += 1;
  return { isoYear, week: Math.floor((dayNumber - isoWeekOneMonday(isoYear)) / 7) + 1 };
}

function fiscalStart(options: PeriodOptions): number {
  return options.fiscalYearStartMonth ?? 1;
}

function checkOptions(options: PeriodOptions): string | undefined {
  if (!isValidTimeZone(options.tz)) return `unknown time zone ${quote(options.tz)}`;
  const fsm = fiscalStart(options);
  if (!Number.isInteger(fsm) || fsm < 1 || fsm > 12) {
    return `the fiscal year start month must be 1 to 12, not ${fsm}`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Period constructors

function weekPeriod(tz: string, monday: number): Period {
  const { isoYear, week } = isoWeekOf(monday);
  return {
    label: `${pad4(isoYear)}-W${pad2(week)}`,
    start: dayStart(tz, monday),
    end: dayStart(tz, monday + 7),
    tz,
    kind: 'week',
  };
}

/**
 * A period of `months` months starting at an absolute month index. `fiscalStartMonth` undefined:
 * calendar labels ('2026-07', '2026-Q3', '2026-H2', '2026'); otherwise fiscal labels ('FY2026-Q1').
 */
function monthsPeriod(
  tz: string,
  startIndex: number,
  months: 1 | 3 | 6 | 12,
  fiscalStartMonth?: number,
): Period {
  const { year, month } = fromMonthIndex(startIndex);
  const start = monthStart(tz, year, month);
  const end = monthStart(tz, year, month + months);
  const kind = months === 1 ? 'month' : months === 3 ? 'quarter' : months === 6 ? 'half' : 'year';
  let label: string;
  if (fiscalStartMonth === undefined || months === 1) {
    if (months === 1) label = `${pad4(year)}-${pad2(month)}`;
    else if (months === 3) label = `${pad4(year)}-Q${(month - 1) / 3 + 1}`;
    else if (months === 6) label = `${pad4(year)}-H${(month - 1) / 6 + 1}`;
    else label = pad4(year);
  } else {
    const offset = startIndex - (fiscalStartMonth - 1); // months since the start of fiscal year 0
    const fy = Math.floor(offset / 12);
    const inYear = offset - fy * 12;
    if (months === 3) label = `FY${pad4(fy)}-Q${inYear / 3 + 1}`;
    else if (months === 6) label = `FY${pad4(fy)}-H${inYear / 6 + 1}`;
    else label = `FY${pad4(fy)}`;
  }
  return { label, start, end, tz, kind };
}

function customFromDays(tz: string, firstDay: number, lastDay: number): Period {
  return {
    label: `${dateLabel(firstDay)}..${dateLabel(lastDay)}`,
    start: dayStart(tz, firstDay),
    end: dayStart(tz, lastDay + 1),
    tz,
    kind: 'custom',
  };
}

// ---------------------------------------------------------------------------------------------
// Parsing

const PERIOD_FORMS = /^(FY)?(\d{4})(?:-(?:(\d{2})|Q(\d)|H(\d)|W(\d{2})))?$/;

/**
 * '2026-Q3', '2026-09', '2026-H2', '2026', '2026-W38' (ISO week), and the fiscal forms 'FY2026',
 * 'FY2026-Q1', 'FY2026-H1' (fiscal years are named by the calendar year they start in). Letters
 * may be lower case. Calendar forms ignore fiscalYearStartMonth. Throws nothing: returns
 * { ok: false, message } for bad text or options.
 */
export function parsePeriod(text: string, options: PeriodOptions): Result {
  const bad = checkOptions(options);
  if (bad !== undefined) return { ok: false, message: bad };
  const tz = options.tz;
  const trimmed = text.trim();
  const unknown = { ok: false as const, message: `unknown period ${quote(trimmed)}: ${USAGE}` };
  const m = PERIOD_FORMS.exec(trimmed.toUpperCase());
  if (!m) return unknown;
  const [, fy, yearText, monthText, quarterText, halfText, weekText] = m;
  const year = Number(yearText);
  if (year < MIN_YEAR || year > MAX_YEAR) return unknown;
  if (fy !== undefined) {
    const fsm = fiscalStart(options);
    const base = year * 12 + fsm - 1;
    if (quarterText !== undefined) {
      const q = Number(quarterText);
      if (q < 1 || q > 4) return unknown;
      return { ok: true, period: monthsPeriod(tz, base + (q - 1) * 3, 3, fsm) };
    }
    if (halfText !== undefined) {
      const h = Number(halfText);
      if (h < 1 || h > 2) return unknown;
      return { ok: true, period: monthsPeriod(tz, base + (h - 1) * 6, 6, fsm) };
    }
    if (monthText !== undefined || weekText !== undefined) return unknown;
    return { ok: true, period: monthsPeriod(tz, base, 12, fsm) };
  }
  if (monthText !== undefined) {
    const month = Number(monthText);
    if (month < 1 || month > 12) return unknown;
    return { ok: true, period: monthsPeriod(tz, year * 12 + month - 1, 1) };
  }
  if (quarterText !== undefined) {
    const q = Number(quarterText);
    if (q < 1 || q > 4) return unknown;
    return { ok: true, period: monthsPeriod(tz, year * 12 + (q - 1) * 3, 3) };
  }
  if (halfText !== undefined) {
    const h = Number(halfText);
    if (h < 1 || h > 2) return unknown;
    return { ok: true, period: monthsPeriod(tz, year * 12 + (h - 1) * 6, 6) };
  }
  if (weekText !== undefined) {
    const week = Number(weekText);
    const weeks = isoWeeksInYear(year);
    if (week < 1 || week > weeks) {
      return {
        ok: false,
        message: `unknown period ${quote(trimmed)}: ${year} has ${weeks} ISO weeks (${year}-W01 to ${year}-W${weeks})`,
      };
    }
    return { ok: true, period: weekPeriod(tz, isoWeekOneMonday(year) + (week - 1) * 7) };
  }
  return { ok: true, period: monthsPeriod(tz, year * 12, 12) };
}

/** Day number of a strict yyyy-MM-dd date, or undefined. */
function parseDate(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < MIN_YEAR || month < 1 || month > 12 || day < 1) return undefined;
  const dayNumber = daysFromCivil(year, month, day);
  if (civil(dayNumber).month !== month) return undefined; // 2026-02-30
  return dayNumber;
}

/** Local midnight (UTC ms) at the start of a strict yyyy-MM-dd day in tz, or undefined for another text. */
export function localDayStart(text: string, tz: string): number | undefined {
  const day = parseDate(text);
  return day === undefined ? undefined : dayStart(tz, day);
}

/** A period from a first to a last day, both inclusive calendar dates yyyy-MM-dd in tz. */
export function customPeriod(from: string, to: string, options: PeriodOptions): CustomResult {
  const bad = checkOptions(options);
  if (bad !== undefined) return { ok: false, message: bad };
  const first = parseDate(from);
  if (first === undefined)
    return {
      ok: false,
      part: 'first',
      message: `bad first day ${quote(from)}: use yyyy-MM-dd, e.g. 2026-07-01`,
    };
  const last = parseDate(to);
  if (last === undefined)
    return { ok: false, part: 'last', message: `bad last day ${quote(to)}: use yyyy-MM-dd, e.g. 2026-09-30` };
  if (last < first) {
    return {
      ok: false,
      part: 'order',
      message: `the first day ${from.trim()} is after the last day ${to.trim()}`,
    };
  }
  return { ok: true, period: customFromDays(options.tz, first, last) };
}

/**
 * The last complete calendar quarter before `nowMs` (in tz), labelled like '2026-Q2'.
 * Throws a RangeError for an unknown zone.
 */
export function lastCompleteQuarter(nowMs: number, options: PeriodOptions): Period {
  const now = utcToLocal(options.tz, nowMs);
  const currentQuarterIndex = now.year * 12 + Math.floor((now.month - 1) / 3) * 3;
  return monthsPeriod(options.tz, currentQuarterIndex - 3, 3);
}

// ---------------------------------------------------------------------------------------------
// Cadences

const CADENCE_LENGTH: Record<Cadence, number> = {
  weekly: 7 * DAY,
  monthly: 31 * DAY,
  quarterly: 92 * DAY,
  semiannual: 184 * DAY,
  annual: 366 * DAY,
};

const CADENCE_RANK: Record<Cadence, number> = {
  weekly: 0,
  monthly: 1,
  quarterly: 2,
  semiannual: 3,
  annual: 4,
};
/** Period kinds from the shortest to the longest (a custom range has no place in the order). */
export const KIND_RANK: Readonly<Record<Period['kind'], number>> = {
  week: 0,
  month: 1,
  quarter: 2,
  half: 3,
  year: 4,
  custom: -1,
};

/**
 * The nominal length in ms of a cadence, used to judge staleness: weekly 7 d, monthly 31 d,
 * quarterly 92 d, semiannual 184 d, annual 366 d (the longest instance of each).
 */
export function cadenceLengthMs(cadence: Cadence): number {
  return CADENCE_LENGTH[cadence];
}

/** The nominal (unclipped) window of a cadence that contains a local day. */
function windowContaining(tz: string, cadence: Cadence, dayNumber: number, fsm: number): Period {
  if (cadence === 'weekly') return weekPeriod(tz, dayNumber - (isoWeekday(dayNumber) - 1));
  const { year, month } = civil(dayNumber);
  const index = year * 12 + month - 1;
  if (cadence === 'monthly') return monthsPeriod(tz, index, 1);
  const months = cadence === 'quarterly' ? 3 : cadence === 'semiannual' ? 6 : 12;
  const anchor = fsm - 1;
  const startIndex = Math.floor((index - anchor) / months) * months + anchor;
  return monthsPeriod(tz, startIndex, months, fsm === 1 ? undefined : fsm);
}

/** The units a source may keep one file per (`one_file_per:`), longest last. */
export const FILE_UNITS = ['month', 'quarter', 'half', 'year'] as const;
export type FileUnit = (typeof FILE_UNITS)[number];

const UNIT_CADENCE: Record<FileUnit, Cadence> = {
  month: 'monthly',
  quarter: 'quarterly',
  half: 'semiannual',
  year: 'annual',
};

/**
 * The month, quarter, half or year that contains an instant, as a period of its own (labelled like one:
 * `2026-Q3`; `FY2026-Q1` when the fiscal year does not start in January, as cadence windows are).
 */
export function periodContaining(instant: number, unit: FileUnit, options: PeriodOptions): Period {
  const tz = options.tz;
  return windowContaining(tz, UNIT_CADENCE[unit], localDayNumber(tz, instant), fiscalStart(options));
}

/**
 * Windows of the cadence that tile the period (a monthly KPI in 2026-Q3 -> 2026-07, 2026-08,
 * 2026-09). Windows are clipped to the period; a clipped window keeps the label and kind of its
 * full window (the first weekly window of 2026-07 is '2026-W27' from 2026-07-01 to 2026-07-06).
 * When the cadence is not shorter than the period, returns [period]: for named periods by rank
 * (week < month < quarter < half < year), for custom periods by cadenceLengthMs.
 * Weekly windows are ISO weeks (Mon-Sun). Quarterly/semiannual/annual windows follow the fiscal
 * year start (labels 'FY2026-Q1' when it is not January, calendar labels otherwise).
 */
export function cadenceWindows(period: Period, cadence: Cadence, options: PeriodOptions): Period[] {
  const shorter =
    period.kind === 'custom'
      ? cadenceLengthMs(cadence) < period.end - period.start
      : CADENCE_RANK[cadence] < KIND_RANK[period.kind];
  if (!shorter) return [period];
  const tz = period.tz;
  const fsm = fiscalStart(options);
  const windows: Period[] = [];
  let day = localDayNumber(tz, period.start);
  for (;;) {
    const w = windowContaining(tz, cadence, day, fsm);
    if (w.start >= period.end) break;
    const start = Math.max(w.start, period.start);
    const end = Math.min(w.end, period.end);
    if (end > start) windows.push({ ...w, start, end });
    day = localDayNumber(tz, w.end);
  }
  return windows;
}

const FISCAL_LABEL = /^FY(\d{4})(?:-([QH])(\d))?$/;

/**
 * The period just before this one, same kind (2026-Q3 -> 2026-Q2; 2026-01 -> 2025-12;
 * 2026-W01 -> 2025-W52; FY2026-Q1 -> FY2025-Q4 with the fiscal year start from options). A custom period gives the same number of days
 * ending the day before it starts. Computed from the period's start (local date in period.tz), so
 * a clipped window gives the full window before it.
 */
export function previousPeriod(period: Period, options: PeriodOptions): Period {
  const tz = period.tz;
  const firstDay = localDayNumber(tz, period.start);
  switch (period.kind) {
    case 'week':
      return weekPeriod(tz, firstDay - (isoWeekday(firstDay) - 1) - 7);
    case 'custom': {
      const lastDay = localDayNumber(tz, period.end - 1);
      const days = lastDay - firstDay + 1;
      return customFromDays(tz, firstDay - days, firstDay - 1);
    }
    default: {
      const months =
        period.kind === 'month' ? 1 : period.kind === 'quarter' ? 3 : period.kind === 'half' ? 6 : 12;
      const { year, month } = civil(firstDay);
      const index = year * 12 + month - 1;
      if (months === 1 || !FISCAL_LABEL.test(period.label)) {
        // Calendar period: the calendar unit before the one containing the start.
        return monthsPeriod(tz, Math.floor(index / months) * months - months, months);
      }
      // Fiscal period: the fiscal unit (per options.fiscalYearStartMonth) before the one
      // containing the start.
      const fsm = fiscalStart(options);
      const anchor = fsm - 1;
      const startIndex = Math.floor((index - anchor) / months) * months + anchor - months;
      return monthsPeriod(tz, startIndex, months, fsm);
    }
  }
}
