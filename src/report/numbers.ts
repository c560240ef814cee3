/**
 * The one formatter of numbers, units, counts and times for every human output (table, Markdown, HTML,
 * JUnit, CSV `value_shown`, diff, trend, explain). JSON keeps full values and ISO times; everything a
 * person reads goes through here, so a number reads the same in every format.
 *
 * Decisions (issue 18):
 * - Thousands separators everywhere: a comma every three digits (`1,919 rows`, `12,345.6 h`), the dot for
 *   decimals, whatever the machine's locale (reports are compared across machines and checked into git).
 * - Decimals: the KPI's `decimals:` when it sets one; otherwise one rule per unit, so that a column never
 *   shows `40 %` next to `92.5 %`: counts (`count`, `#`, `incidents`, `accounts`, ...) whole numbers and
 *   one decimal when a count-unit value is fractional (a mean count); every other unit (`%`, `h`, `days`,
 *   `pp`) always one decimal (`40.0 %`, `160.0 h`).
 * - Targets carry the KPI's unit (`<= 8 h` next to `30.6 h`); counts stay bare as their values do.
 * - Counts of things are written with their noun, singular for one: `1 warning`, `2 warnings`.
 * - Times in human outputs are shown in the catalogue's time zone with the offset
 *   (`2026-12-05 07:33:30 +01:00`), never as raw UTC ISO.
 */
import { localDate, utcToLocal, zoneOffsetMs } from '../time/zone.js';
import { roundHalfAway } from '../util/round.js';
import type { KpiResult } from './model.js';

/** Units whose values are counts of things: shown as whole numbers, and bare (no unit after them). */
const COUNT_UNITS = /^(count|incidents|changes|accounts|findings|alerts|tests|#)$/i;
const BARE_UNITS = /^(count|#)$/i;

/** Digits of `text` ("-1234567.5") grouped by three with commas: "-1,234,567.5". */
function group(text: string): string {
  const match = /^(-?)(\d+)(.*)$/s.exec(text);
  if (!match || match[2]!.length <= 3) return text;
  return `${match[1]}${match[2]!.replace(/\B(?=(\d{3})+$)/g, ',')}${match[3]}`;
}

/** `value` rounded half away from zero to `decimals` places, with thousands separators (1234.5 -> "1,234.5"). */
export function formatNumber(value: number, decimals: number): string {
  const rounded = roundHalfAway(value, decimals);
  // toFixed writes numbers of 1e21 and more in exponent form ("1.7e+308"), never "Infinity"
  const text = (Object.is(rounded, -0) ? 0 : rounded).toFixed(decimals);
  return text.includes('e') ? text : group(text);
}

/** A whole number with thousands separators: 1919 -> "1,919". */
export function formatCount(n: number): string {
  return formatNumber(n, 0);
}

/** `n` things, singular for one: plural(1, 'warning') -> "1 warning"; plural(1919, 'row') -> "1,919 rows". */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : pluralForm}`;
}

/** Decimals shown for a KPI's value: its `decimals:`, else the rule of its unit (see the header). */
export function decimalsFor(kpi: Pick<KpiResult, 'unit' | 'decimals'>, value: number): number {
  if (kpi.decimals !== undefined) return kpi.decimals;
  return COUNT_UNITS.test(kpi.unit) && Number.isInteger(value) ? 0 : 1;
}

/** The unit as written after a number: " %", " h", or nothing for counts. */
function unitSuffix(unit: string): string {
  return BARE_UNITS.test(unit) ? '' : ` ${unit}`;
}

/** A KPI's value with its unit: "87.5 %", "30.6 h", "1,919"; "–" for no value. */
export function formatValue(kpi: Pick<KpiResult, 'unit' | 'decimals'>, value: number | null): string {
  if (value === null) return '–';
  return `${formatNumber(value, decimalsFor(kpi, value))}${unitSuffix(kpi.unit)}`;
}

/**
 * A KPI's value with its confidence interval (--intervals): "87.5 % [52.9-97.8]", "12 [6.2-21.0]"; a
 * statistic with its n: "30.6 h (n = 12)"; the value alone when the report has no interval for it.
 */
export function formatValueWithInterval(
  kpi: Pick<KpiResult, 'unit' | 'decimals' | 'value' | 'interval'>,
): string {
  const text = formatValue(kpi, kpi.value);
  const i = kpi.interval;
  if (kpi.value === null || !i) return text;
  if (i.low !== undefined && i.high !== undefined) {
    // Both bounds with the same decimals: "0.0-3.7", not "0-3.7".
    const decimals = Math.max(decimalsFor(kpi, i.low), decimalsFor(kpi, i.high));
    return `${text} [${formatNumber(i.low, decimals)}-${formatNumber(i.high, decimals)}]`;
  }
  return i.n !== undefined ? `${text} (n = ${formatCount(i.n)})` : text;
}

/** A threshold band with the KPI's unit: "<= 8" -> "<= 8 h", ">= 95" -> ">= 95 %", ">= 1000" -> ">= 1,000". */
export function formatBand(band: string, unit: string): string {
  const text = band.replace(/\s+/g, ' ').replace(/-?\d+(\.\d+)?/, (n) => group(n));
  return `${text}${unitSuffix(unit)}`;
}

/** The green band with the KPI's unit: "<= 8 h"; "–" for a KPI without thresholds. */
export function formatTarget(kpi: Pick<KpiResult, 'thresholds' | 'unit'>): string {
  return kpi.thresholds ? formatBand(kpi.thresholds.green, kpi.unit) : '–';
}

/** The green band, with the amber band when there is one: ">= 95 % (amber >= 85 %)". */
export function formatBands(kpi: Pick<KpiResult, 'thresholds' | 'unit'>): string {
  if (!kpi.thresholds) return '–';
  const amber = kpi.thresholds.amber ? ` (amber ${formatBand(kpi.thresholds.amber, kpi.unit)})` : '';
  return `${formatBand(kpi.thresholds.green, kpi.unit)}${amber}`;
}

/**
 * An instant as a reader checks it against the export: local date and time in `tz` to the second (to the
 * millisecond when it has any), with the UTC offset, e.g. `2026-09-30 23:59:59 +02:00`. Seconds matter:
 * 23:59:58 and 23:59:59 can fall on either side of "older than 90 days".
 */
export function formatDateTime(utcMs: number, tz: string): string {
  const p = utcToLocal(tz, utcMs);
  const two = (n: number) => String(n).padStart(2, '0');
  const ms = p.ms === 0 ? '' : `.${String(p.ms).padStart(3, '0')}`;
  const offset = zoneOffsetMs(tz, utcMs) / 60_000;
  const sign = offset < 0 ? '-' : '+';
  const hhmm = `${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
  return `${localDate(tz, utcMs)} ${two(p.hour)}:${two(p.minute)}:${two(p.second)}${ms} ${sign}${hhmm}`;
}

/** A saved ISO time (`generatedAt`) in the report's time zone to the second; the text itself when it is not a time. */
export function formatGenerated(iso: string, tz: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return formatDateTime(Math.floor(ms / 1000) * 1000, tz);
}
