import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidTimeZone, localToUtc, utcToLocal, zoneOffsetMs } from '../../src/time/zone.js';

const H = 3_600_000;
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

const formats = new Map<string, Intl.DateTimeFormat>();

/** Independent reference: the offset Intl reports at that instant, without any offset cache. */
function intlOffset(tz: string, utcMs: number): number {
  const format =
    formats.get(tz) ??
    new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  formats.set(tz, format);
  const parts = Object.fromEntries(format.formatToParts(utcMs).map((p) => [p.type, Number(p.value)]));
  const seconds = Math.floor(utcMs / 1000) * 1000;
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - seconds;
}

describe('isValidTimeZone', () => {
  it('accepts IANA names, UTC and fixed offsets', () => {
    expect(isValidTimeZone(BERLIN)).toBe(true);
    expect(isValidTimeZone(NEW_YORK)).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Asia/Kolkata')).toBe(true);
    expect(isValidTimeZone('+05:30')).toBe(true);
  });

  it('rejects unknown names', () => {
    expect(isValidTimeZone('Europe/Berln')).toBe(false);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isValidTimeZone('+25:00')).toBe(false);
  });
});

describe('zoneOffsetMs', () => {
  it('gives summer and winter offsets', () => {
    expect(zoneOffsetMs(BERLIN, Date.UTC(2026, 6, 1, 12))).toBe(2 * H);
    expect(zoneOffsetMs(BERLIN, Date.UTC(2026, 0, 15, 12))).toBe(1 * H);
    expect(zoneOffsetMs(NEW_YORK, Date.UTC(2026, 6, 1, 12))).toBe(-4 * H);
    expect(zoneOffsetMs(NEW_YORK, Date.UTC(2026, 0, 15, 12))).toBe(-5 * H);
    expect(zoneOffsetMs('UTC', Date.UTC(2026, 6, 1))).toBe(0);
    expect(zoneOffsetMs('Asia/Kolkata', Date.UTC(2026, 6, 1))).toBe(5.5 * H);
    expect(zoneOffsetMs('+05:30', Date.UTC(2026, 6, 1))).toBe(5.5 * H);
    expect(zoneOffsetMs('-03:00', Date.UTC(2026, 6, 1))).toBe(-3 * H);
  });

  it('changes exactly at the Berlin transitions (01:00 UTC)', () => {
    expect(zoneOffsetMs(BERLIN, Date.UTC(2026, 2, 29, 1) - 1)).toBe(1 * H);
    expect(zoneOffsetMs(BERLIN, Date.UTC(2026, 2, 29, 1))).toBe(2 * H);
    expect(zoneOffsetMs(BERLIN, Date.UTC(2026, 9, 25, 1) - 1)).toBe(2 * H);
    expect(zoneOffsetMs(BERLIN, Date.UTC(2026, 9, 25, 1))).toBe(1 * H);
  });

  it('changes exactly at the New York transitions (2:00 local)', () => {
    expect(zoneOffsetMs(NEW_YORK, Date.UTC(2026, 2, 8, 7) - 1)).toBe(-5 * H);
    expect(zoneOffsetMs(NEW_YORK, Date.UTC(2026, 2, 8, 7))).toBe(-4 * H);
    expect(zoneOffsetMs(NEW_YORK, Date.UTC(2026, 10, 1, 6) - 1)).toBe(-4 * H);
    expect(zoneOffsetMs(NEW_YORK, Date.UTC(2026, 10, 1, 6))).toBe(-5 * H);
  });

  it('knows local mean time before 1893 and years far ahead', () => {
    expect(zoneOffsetMs(BERLIN, Date.UTC(1850, 0, 1))).toBe(53 * 60_000 + 28_000);
    expect(zoneOffsetMs(BERLIN, Date.UTC(2090, 6, 1))).toBe(2 * H);
  });

  it('returns NaN for NaN and throws for an unknown zone', () => {
    expect(zoneOffsetMs(BERLIN, Number.NaN)).toBeNaN();
    expect(zoneOffsetMs('UTC', Number.NaN)).toBeNaN();
    expect(() => zoneOffsetMs('Europe/Berln', 0)).toThrow(RangeError);
  });

  it('agrees with Intl for random instants in several zones', () => {
    const zones = [
      BERLIN,
      NEW_YORK,
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
      'America/Sao_Paulo',
      'Africa/Casablanca',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(1960, 0, 1), max: Date.UTC(2045, 0, 1) }),
        (tz, ms) => {
          expect(zoneOffsetMs(tz, ms)).toBe(intlOffset(tz, ms));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('localToUtc', () => {
  it('converts ordinary local times', () => {
    expect(localToUtc(BERLIN, 2026, 7, 1, 9, 30)).toBe(Date.UTC(2026, 6, 1, 7, 30));
    expect(localToUtc(BERLIN, 2026, 1, 15)).toBe(Date.UTC(2026, 0, 14, 23));
    expect(localToUtc(NEW_YORK, 2026, 7, 1, 9, 30, 15, 250)).toBe(Date.UTC(2026, 6, 1, 13, 30, 15, 250));
    expect(localToUtc('UTC', 2026, 7, 1)).toBe(Date.UTC(2026, 6, 1));
  });

  it('shifts a Berlin spring-gap time forward (02:30 -> 03:30 CEST = 01:30Z)', () => {
    expect(localToUtc(BERLIN, 2026, 3, 29, 2, 30)).toBe(Date.UTC(2026, 2, 29, 1, 30));
    expect(localToUtc(BERLIN, 2026, 3, 29, 2, 0)).toBe(Date.UTC(2026, 2, 29, 1, 0));
    expect(localToUtc(BERLIN, 2026, 3, 29, 3, 0)).toBe(Date.UTC(2026, 2, 29, 1, 0));
  });

  it('takes the earlier instant for an ambiguous Berlin autumn time (02:30 -> 00:30Z)', () => {
    expect(localToUtc(BERLIN, 2026, 10, 25, 2, 30)).toBe(Date.UTC(2026, 9, 25, 0, 30));
    expect(localToUtc(BERLIN, 2026, 10, 25, 3, 0)).toBe(Date.UTC(2026, 9, 25, 2, 0));
  });

  it('handles the New York changes (2026-03-08 and 2026-11-01)', () => {
    // 02:30 does not exist: 03:30 EDT.
    expect(localToUtc(NEW_YORK, 2026, 3, 8, 2, 30)).toBe(Date.UTC(2026, 2, 8, 7, 30));
    expect(localToUtc(NEW_YORK, 2026, 3, 8, 1, 59)).toBe(Date.UTC(2026, 2, 8, 6, 59));
    // 01:30 happens twice: the EDT one first.
    expect(localToUtc(NEW_YORK, 2026, 11, 1, 1, 30)).toBe(Date.UTC(2026, 10, 1, 5, 30));
    expect(localToUtc(NEW_YORK, 2026, 11, 1, 2, 30)).toBe(Date.UTC(2026, 10, 1, 7, 30));
  });

  it('counts real hours across the changes', () => {
    const spring = localToUtc(BERLIN, 2026, 3, 29, 4) - localToUtc(BERLIN, 2026, 3, 29, 1);
    expect(spring).toBe(2 * H);
    const autumn = localToUtc(BERLIN, 2026, 10, 25, 4) - localToUtc(BERLIN, 2026, 10, 25, 1);
    expect(autumn).toBe(4 * H);
    const day = localToUtc(BERLIN, 2026, 3, 30) - localToUtc(BERLIN, 2026, 3, 29);
    expect(day).toBe(23 * H);
  });

  it('handles leap days and rolls over out-of-range fields', () => {
    expect(localToUtc(BERLIN, 2024, 2, 29)).toBe(Date.UTC(2024, 1, 28, 23));
    expect(localToUtc(BERLIN, 2025, 2, 29)).toBe(localToUtc(BERLIN, 2025, 3, 1));
    expect(localToUtc(BERLIN, 2026, 13, 1)).toBe(Date.UTC(2026, 11, 31, 23));
    expect(localToUtc(BERLIN, 2026, 0, 1)).toBe(Date.UTC(2025, 10, 30, 23));
    expect(localToUtc('UTC', 1970, 1, 1 + 20_000)).toBe(20_000 * 86_400_000);
  });

  it('returns NaN for NaN fields', () => {
    expect(localToUtc(BERLIN, Number.NaN, 1, 1)).toBeNaN();
  });
});

describe('utcToLocal', () => {
  it('gives the local fields and the ISO weekday', () => {
    expect(utcToLocal(BERLIN, Date.UTC(2026, 6, 1, 22, 30, 15, 250))).toEqual({
      year: 2026,
      month: 7,
      day: 2,
      hour: 0,
      minute: 30,
      second: 15,
      ms: 250,
      weekday: 4, // Thursday
    });
    expect(utcToLocal(NEW_YORK, Date.UTC(2026, 0, 1, 3))).toMatchObject({
      year: 2025,
      month: 12,
      day: 31,
      hour: 22,
    });
    expect(utcToLocal('UTC', Date.UTC(2026, 2, 29)).weekday).toBe(7); // Sunday
    expect(utcToLocal('UTC', Date.UTC(2026, 2, 30)).weekday).toBe(1); // Monday
    expect(utcToLocal('UTC', Date.UTC(1969, 11, 31, 23, 59, 59, 999))).toMatchObject({
      year: 1969,
      month: 12,
      day: 31,
      hour: 23,
      ms: 999,
      weekday: 3,
    });
  });

  it('shows both readings of the ambiguous Berlin hour', () => {
    expect(utcToLocal(BERLIN, Date.UTC(2026, 9, 25, 0, 30))).toMatchObject({ hour: 2, minute: 30 });
    expect(utcToLocal(BERLIN, Date.UTC(2026, 9, 25, 1, 30))).toMatchObject({ hour: 2, minute: 30 });
  });

  it('gives NaN fields for NaN', () => {
    expect(utcToLocal(BERLIN, Number.NaN).year).toBeNaN();
  });

  it('round-trips with localToUtc (the earlier instant when ambiguous)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(BERLIN, NEW_YORK, 'Australia/Sydney', 'UTC'),
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }),
        (tz, ms) => {
          const p = utcToLocal(tz, ms);
          const back = localToUtc(tz, p.year, p.month, p.day, p.hour, p.minute, p.second, p.ms);
          expect(back <= ms).toBe(true);
          expect(utcToLocal(tz, back)).toEqual(p);
          expect(new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() || 7).toBe(p.weekday);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
