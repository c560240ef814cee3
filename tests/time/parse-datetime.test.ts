import { describe, expect, it } from 'vitest';
import {
  compileDateTimeParser,
  describeDateFormats,
  parseIsoDateTime,
} from '../../src/time/parse-datetime.js';

const H = 3_600_000;
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

/** Expected instants: Date.UTC of the wall-clock time minus the known offset in hours. */
function at(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  ms = 0,
  offsetHours = 0,
) {
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetHours * H;
}

function read(format: string, text: string, tz = BERLIN): number {
  return compileDateTimeParser([format], tz)(text);
}

describe('vendor formats', () => {
  it('Jira dd/MMM/yy h:mm a', () => {
    expect(read('dd/MMM/yy h:mm a', '09/Jan/24 3:54 PM')).toBe(at(2024, 1, 9, 15, 54, 0, 0, 1));
    expect(read('dd/MMM/yy h:mm a', '09/Jan/24 12:00 AM')).toBe(at(2024, 1, 9, 0, 0, 0, 0, 1));
    expect(read('dd/MMM/yy h:mm a', '09/Jan/24 12:30 PM')).toBe(at(2024, 1, 9, 12, 30, 0, 0, 1));
    expect(read('dd/MMM/yy h:mm a', '15/Jul/25 11:05 am')).toBe(at(2025, 7, 15, 11, 5, 0, 0, 2));
    expect(read('dd/MMM/yy h:mm a', '09/JAN/24 3:54 pm')).toBe(at(2024, 1, 9, 15, 54, 0, 0, 1));
  });

  it('Excel re-save M/d/yyyy H:mm', () => {
    expect(read('M/d/yyyy H:mm', '6/21/2025 16:14')).toBe(at(2025, 6, 21, 16, 14, 0, 0, 2));
    expect(read('M/d/yyyy H:mm', '12/1/2025 0:05')).toBe(at(2025, 12, 1, 0, 5, 0, 0, 1));
  });

  it('ServiceNow', () => {
    expect(read('yyyy-MM-dd HH:mm:ss', '2018-08-31 21:35:21')).toBe(at(2018, 8, 31, 21, 35, 21, 0, 2));
    expect(read('M/d/yyyy H:mm', '3/17/2025 6:04')).toBe(at(2025, 3, 17, 6, 4, 0, 0, 1));
    expect(read('MM-dd-yyyy HH:mm:ss', '02-13-2025 15:46:06')).toBe(at(2025, 2, 13, 15, 46, 6, 0, 1));
  });

  it('Entra M/d/yyyy h:mm:ss a', () => {
    expect(read('M/d/yyyy h:mm:ss a', '8/19/2021 3:02:10 PM', 'UTC')).toBe(at(2021, 8, 19, 15, 2, 10));
    expect(read('M/d/yyyy h:mm:ss a', '8/19/2021 3:02:10 AM', 'UTC')).toBe(at(2021, 8, 19, 3, 2, 10));
  });

  it('Veeam M/d/yyyy HH:mm:ss and Veeam Enterprise Manager ISO', () => {
    expect(read('M/d/yyyy HH:mm:ss', '4/18/2019 17:27:47')).toBe(at(2019, 4, 18, 17, 27, 47, 0, 2));
    expect(read('M/d/yyyy HH:mm:ss', '2019-04-18T17:27:47.74Z')).toBe(at(2019, 4, 18, 17, 27, 47, 740));
  });

  it('Tenable MMM d, yyyy HH:mm:ss z', () => {
    const f = 'MMM d, yyyy HH:mm:ss z';
    expect(read(f, 'Jan 20, 2016 05:38:52 EST')).toBe(at(2016, 1, 20, 5, 38, 52, 0, -5));
    expect(read(f, 'Jul 4, 2016 05:38:52 EDT')).toBe(at(2016, 7, 4, 5, 38, 52, 0, -4));
    expect(read(f, 'Jul 4, 2016 05:38:52 PDT')).toBe(at(2016, 7, 4, 5, 38, 52, 0, -7));
    expect(read(f, 'Jan 4, 2016 05:38:52 CST')).toBe(at(2016, 1, 4, 5, 38, 52, 0, -6));
    expect(read(f, 'Jul 4, 2016 05:38:52 CEST')).toBe(at(2016, 7, 4, 5, 38, 52, 0, 2));
    expect(read(f, 'Jul 4, 2016 05:38:52 UTC')).toBe(at(2016, 7, 4, 5, 38, 52));
    expect(read(f, 'Jul 4, 2016 05:38:52 gmt')).toBe(at(2016, 7, 4, 5, 38, 52));
    expect(read(f, 'Jul 4, 2016 05:38:52 XYZ')).toBeNaN();
    expect(read(f, 'Jul 4, 2016 05:38:52')).toBeNaN();
  });

  it('Defender, AWS, Okta, restic (ISO)', () => {
    const iso = compileDateTimeParser([], BERLIN);
    expect(iso('2021-01-05 17:04:30')).toBe(at(2021, 1, 5, 17, 4, 30, 0, 1));
    expect(compileDateTimeParser([], 'UTC')('2021-01-05 17:04:30')).toBe(at(2021, 1, 5, 17, 4, 30));
    expect(iso('2017-06-10T02:35:07+00:00')).toBe(at(2017, 6, 10, 2, 35, 7));
    expect(iso('2013-06-24T16:39:18.000Z')).toBe(at(2013, 6, 24, 16, 39, 18));
    expect(iso('2024-03-02T21:33:49.139060166+08:00')).toBe(at(2024, 3, 2, 21, 33, 49, 139, 8));
  });
});

describe('parseIsoDateTime', () => {
  it('reads offsets with and without colon, Z and fractions', () => {
    expect(parseIsoDateTime('2017-06-10T02:35:07+00:00', BERLIN)).toBe(at(2017, 6, 10, 2, 35, 7));
    expect(parseIsoDateTime('2017-06-10T02:35:07Z', BERLIN)).toBe(at(2017, 6, 10, 2, 35, 7));
    expect(parseIsoDateTime('2018-05-11T09:46:53.000+0300', BERLIN)).toBe(at(2018, 5, 11, 9, 46, 53, 0, 3));
    expect(parseIsoDateTime('2018-05-11T09:46:53-05', BERLIN)).toBe(at(2018, 5, 11, 9, 46, 53, 0, -5));
    expect(parseIsoDateTime('2019-04-18T17:27:47.74Z', BERLIN)).toBe(at(2019, 4, 18, 17, 27, 47, 740));
    expect(parseIsoDateTime('2019-04-18T17:27:47.7Z', BERLIN)).toBe(at(2019, 4, 18, 17, 27, 47, 700));
    expect(parseIsoDateTime('2019-04-18T17:27:47,5Z', BERLIN)).toBe(at(2019, 4, 18, 17, 27, 47, 500));
    // 9 digits: keep the milliseconds, drop the rest without rounding.
    expect(parseIsoDateTime('2024-03-02T21:33:49.999999999+08:00', BERLIN)).toBe(
      at(2024, 3, 2, 21, 33, 49, 999, 8),
    );
  });

  it('reads zone-less values in tz', () => {
    expect(parseIsoDateTime('2026-07-01', BERLIN)).toBe(at(2026, 7, 1, 0, 0, 0, 0, 2));
    expect(parseIsoDateTime('2026-07-01', NEW_YORK)).toBe(at(2026, 7, 1, 0, 0, 0, 0, -4));
    expect(parseIsoDateTime('2026-07-01T09:30', BERLIN)).toBe(at(2026, 7, 1, 9, 30, 0, 0, 2));
    expect(parseIsoDateTime('2026-07-01 09:30:00', 'UTC')).toBe(at(2026, 7, 1, 9, 30));
    expect(parseIsoDateTime('  2026-07-01T09:30:00Z \t', BERLIN)).toBe(at(2026, 7, 1, 9, 30));
  });

  it('zone-less vs offset around the Berlin DST changes', () => {
    // Spring gap: 02:30 local does not exist -> 03:30 CEST.
    expect(parseIsoDateTime('2026-03-29T02:30:00', BERLIN)).toBe(at(2026, 3, 29, 1, 30));
    expect(parseIsoDateTime('2026-03-29T02:30:00+01:00', BERLIN)).toBe(at(2026, 3, 29, 1, 30));
    expect(parseIsoDateTime('2026-03-29T03:30:00+02:00', BERLIN)).toBe(at(2026, 3, 29, 1, 30));
    // Autumn: 02:30 happens twice; zone-less takes the first (CEST), offsets pick either.
    expect(parseIsoDateTime('2026-10-25 02:30:00', BERLIN)).toBe(at(2026, 10, 25, 0, 30));
    expect(parseIsoDateTime('2026-10-25T02:30:00+02:00', BERLIN)).toBe(at(2026, 10, 25, 0, 30));
    expect(parseIsoDateTime('2026-10-25T02:30:00+01:00', BERLIN)).toBe(at(2026, 10, 25, 1, 30));
  });

  it('zone-less around the New York DST changes', () => {
    expect(parseIsoDateTime('2026-03-08 02:30:00', NEW_YORK)).toBe(at(2026, 3, 8, 7, 30));
    expect(parseIsoDateTime('2026-11-01 01:30:00', NEW_YORK)).toBe(at(2026, 11, 1, 5, 30));
    expect(parseIsoDateTime('2026-11-01T01:30:00-05:00', NEW_YORK)).toBe(at(2026, 11, 1, 6, 30));
  });

  it('validates dates and times', () => {
    expect(parseIsoDateTime('2024-02-29', 'UTC')).toBe(at(2024, 2, 29));
    expect(parseIsoDateTime('2025-02-29', 'UTC')).toBeNaN();
    expect(parseIsoDateTime('2026-02-31', 'UTC')).toBeNaN();
    expect(parseIsoDateTime('2026-04-31', 'UTC')).toBeNaN();
    expect(parseIsoDateTime('2026-13-01', 'UTC')).toBeNaN();
    expect(parseIsoDateTime('2026-00-01', 'UTC')).toBeNaN();
    expect(parseIsoDateTime('2026-07-01T25:00', 'UTC')).toBeNaN();
    expect(parseIsoDateTime('2026-07-01T24:00', 'UTC')).toBeNaN();
    expect(parseIsoDateTime('2026-07-01T09:60', 'UTC')).toBeNaN();
    expect(parseIsoDateTime('2026-07-01T09:30:60', 'UTC')).toBeNaN();
    expect(parseIsoDateTime('2026-07-01T09:30:00+24:00', 'UTC')).toBeNaN();
  });

  it('rejects text that is not ISO', () => {
    for (const text of [
      '',
      '   ',
      'x',
      '2026-7-1',
      '2026/07/01',
      '20260701',
      '2026-07-01T',
      '2026-07-01T9:30',
      '2026-07-01T09:30:',
      '2026-07-01T09:30:00.',
      '2026-07-01T09:30:00Zjunk',
      '2026-07-01T09:30:00 +02:00',
      '2026-07-01x',
      '09/Jan/24 3:54 PM',
    ]) {
      expect(parseIsoDateTime(text, 'UTC'), text).toBeNaN();
    }
  });
});

describe('compiled formats', () => {
  it('rejects impossible dates', () => {
    expect(read('dd/MMM/yy h:mm a', '30/Feb/26 3:54 PM')).toBeNaN();
    expect(read('dd/MMM/yy h:mm a', '31/Apr/26 3:54 PM')).toBeNaN();
    expect(read('yyyy-MM-dd HH:mm:ss', '2026-02-31 10:00:00')).toBeNaN();
    expect(read('M/d/yyyy H:mm', '2/29/2025 10:00')).toBeNaN();
    expect(read('M/d/yyyy H:mm', '2/29/2024 10:00')).toBe(at(2024, 2, 29, 10, 0, 0, 0, 1));
    expect(read('M/d/yyyy H:mm', '2/29/2000 10:00')).toBe(at(2000, 2, 29, 10, 0, 0, 0, 1));
    expect(read('M/d/yyyy H:mm', '2/29/1900 10:00')).toBeNaN();
    expect(read('yyyy-MM-dd HH:mm:ss', '2026-07-01 25:00:00')).toBeNaN();
    expect(read('yyyy-MM-dd HH:mm:ss', '2026-07-01 23:60:00')).toBeNaN();
    expect(read('yyyy-MM-dd HH:mm:ss', '2026-07-01 23:59:60')).toBeNaN();
    expect(read('M/d/yyyy H:mm', '13/1/2026 10:00')).toBeNaN();
    expect(read('M/d/yyyy H:mm', '0/1/2026 10:00')).toBeNaN();
    expect(read('dd/MMM/yy h:mm a', '09/Jan/24 13:54 PM')).toBeNaN();
    expect(read('dd/MMM/yy h:mm a', '09/Jan/24 0:54 AM')).toBeNaN();
    expect(read('dd/MMM/yy h:mm a', '09/Foo/24 3:54 PM')).toBeNaN();
  });

  it('rejects leftover or missing text and wrong digit counts', () => {
    expect(read('dd/MMM/yy h:mm a', '09/Jan/24 3:54 PM extra')).toBeNaN();
    expect(read('dd/MMM/yy h:mm a', '09/Jan/24 3:54')).toBeNaN();
    expect(read('dd/MMM/yy h:mm a', '9/Jan/24 3:54 PM')).toBeNaN(); // dd needs two digits
    expect(read('d/MMM/yy h:mm a', '9/Jan/24 3:54 PM')).toBe(at(2024, 1, 9, 15, 54, 0, 0, 1));
    expect(read('yyyy-MM-dd', '26-07-01')).toBeNaN();
    expect(read('M/d/yyyy H:mm', '123/1/2026 10:00')).toBeNaN();
  });

  it('ignores surrounding whitespace and lets a space match a run of spaces', () => {
    expect(read('dd/MMM/yy h:mm a', '  09/Jan/24 3:54 PM\t')).toBe(at(2024, 1, 9, 15, 54, 0, 0, 1));
    expect(read('MMM d, yyyy HH:mm:ss z', 'Jan  5, 2016 05:38:52 EST')).toBe(
      at(2016, 1, 5, 5, 38, 52, 0, -5),
    );
  });

  it('reads two-digit years 00-69 as 20xx and 70-99 as 19xx', () => {
    expect(read('dd/MMM/yy', '01/Jan/69', 'UTC')).toBe(at(2069, 1, 1));
    expect(read('dd/MMM/yy', '01/Jan/70', 'UTC')).toBe(at(1970, 1, 1));
    expect(read('dd/MMM/yy', '01/Jan/00', 'UTC')).toBe(at(2000, 1, 1));
    expect(read('d.M.y', '1.2.2026', 'UTC')).toBe(at(2026, 2, 1));
  });

  it('reads month and weekday names, quoted literals and fractions', () => {
    expect(read('MMMM d, yyyy', 'March 3, 2026', 'UTC')).toBe(at(2026, 3, 3));
    expect(read('MMMM d, yyyy', 'Mar 3, 2026', 'UTC')).toBe(at(2026, 3, 3));
    expect(read('MMMM d, yyyy', 'september 30, 2026', 'UTC')).toBe(at(2026, 9, 30));
    expect(read('EEE, dd MMM yyyy HH:mm:ss xx', 'Tue, 03 Mar 2026 10:00:00 +0100')).toBe(at(2026, 3, 3, 9));
    expect(read('EEEE, d MMMM yyyy', 'Tuesday, 3 March 2026', 'UTC')).toBe(at(2026, 3, 3));
    expect(read('EEEE, d MMMM yyyy', 'Tue, 3 March 2026', 'UTC')).toBe(at(2026, 3, 3));
    expect(read('EEE d MMM yyyy', 'Foo 3 Mar 2026', 'UTC')).toBeNaN();
    expect(read("yyyy-MM-dd'T'HH:mm:ss", '2026-07-01T09:30:00')).toBe(at(2026, 7, 1, 9, 30, 0, 0, 2));
    expect(read("yyyy-MM-dd'T'HH:mm:ss", '2026-07-01t09:30:00')).toBe(at(2026, 7, 1, 9, 30, 0, 0, 2));
    expect(read("h 'o''clock' a", "3 o'clock PM", 'UTC')).toBe(at(1970, 1, 1, 15));
    expect(read('yyyy-MM-dd HH:mm:ss.SSS', '2026-07-01 09:30:00.045', 'UTC')).toBe(
      at(2026, 7, 1, 9, 30, 0, 45),
    );
    expect(read('yyyy-MM-dd HH:mm:ss.S', '2026-07-01 09:30:00.4', 'UTC')).toBe(at(2026, 7, 1, 9, 30, 0, 400));
    expect(read('yyyy-MM-dd HH:mm:ss.SSSSSS', '2026-07-01 09:30:00.123999', 'UTC')).toBe(
      at(2026, 7, 1, 9, 30, 0, 123),
    );
    expect(read('dd.MM.yyyy HH:mm:ss.SSS', '01.07.2026 09:30:00.45', 'UTC')).toBeNaN();
  });

  it('reads 12-hour clocks', () => {
    expect(read('h:mm a', '12:15 AM', 'UTC')).toBe(at(1970, 1, 1, 0, 15));
    expect(read('h:mm a', '12:15 PM', 'UTC')).toBe(at(1970, 1, 1, 12, 15));
    expect(read('h:mm a', '11:59 PM', 'UTC')).toBe(at(1970, 1, 1, 23, 59));
    expect(read('hh:mm', '12:15', 'UTC')).toBe(at(1970, 1, 1, 0, 15)); // no a: AM
    expect(read('H:mm a', '3:15 PM', 'UTC')).toBe(at(1970, 1, 1, 15, 15));
    expect(read('H:mm a', '15:15 PM', 'UTC')).toBe(at(1970, 1, 1, 15, 15));
  });

  it('reads offset tokens', () => {
    const f = 'yyyy-MM-dd HH:mm X';
    expect(read(f, '2026-07-01 09:30 Z')).toBe(at(2026, 7, 1, 9, 30));
    expect(read(f, '2026-07-01 09:30 +02')).toBe(at(2026, 7, 1, 9, 30, 0, 0, 2));
    expect(read(f, '2026-07-01 09:30 +0530')).toBe(at(2026, 7, 1, 9, 30, 0, 0, 5.5));
    expect(read(f, '2026-07-01 09:30 -03:00')).toBe(at(2026, 7, 1, 9, 30, 0, 0, -3));
    expect(read('yyyy-MM-dd HH:mmxxx', '2026-07-01 09:30-03:00')).toBe(at(2026, 7, 1, 9, 30, 0, 0, -3));
    expect(read('MM/dd/yyyy HH:mmxxx', '07/01/2026 09:30Z')).toBeNaN(); // x: no Z
    // ...but the ISO fallback still reads an ISO value with Z.
    expect(read('yyyy-MM-dd HH:mmxxx', '2026-07-01 09:30Z')).toBe(at(2026, 7, 1, 9, 30));
  });

  it('reads DST-gap and ambiguous local times like localToUtc', () => {
    const f = 'dd/MMM/yy h:mm a';
    expect(read(f, '29/Mar/26 2:30 AM')).toBe(at(2026, 3, 29, 1, 30));
    expect(read(f, '25/Oct/26 2:30 AM')).toBe(at(2026, 10, 25, 0, 30));
    expect(read(f, '08/Mar/26 2:30 AM', NEW_YORK)).toBe(at(2026, 3, 8, 7, 30));
    expect(read(f, '01/Nov/26 1:30 AM', NEW_YORK)).toBe(at(2026, 11, 1, 5, 30));
  });

  it('tries formats in order, then ISO 8601', () => {
    const p = compileDateTimeParser(['M/d/yyyy H:mm', 'dd/MMM/yy h:mm a'], BERLIN);
    expect(p('6/21/2025 16:14')).toBe(at(2025, 6, 21, 16, 14, 0, 0, 2));
    expect(p('09/Jan/24 3:54 PM')).toBe(at(2024, 1, 9, 15, 54, 0, 0, 1));
    expect(p('2026-07-01')).toBe(at(2026, 7, 1, 0, 0, 0, 0, 2));
    expect(p('2026-07-01T09:30:00+02:00')).toBe(at(2026, 7, 1, 7, 30));
    expect(p('yesterday')).toBeNaN();
    expect(p('')).toBeNaN();
  });

  it('falls back to date-fns for other tokens, in tz', () => {
    expect(read('do MMMM yyyy', '3rd March 2026')).toBe(at(2026, 3, 3, 0, 0, 0, 0, 1));
    expect(read('do MMMM yyyy', '3rd March 2026 junk')).toBeNaN();
    expect(read('do MMMM yyyy', '30th February 2026')).toBeNaN();
    expect(read('do MMMM yyyy HH:mm', '29th March 2026 02:30')).toBe(at(2026, 3, 29, 1, 30));
    expect(read('do MMMM yyyy HH:mm', '1st July 2026 09:30', NEW_YORK)).toBe(at(2026, 7, 1, 9, 30, 0, 0, -4));
    expect(read('do MMMM yyyy HH:mm X', '3rd March 2026 10:00 +05')).toBe(at(2026, 3, 3, 10, 0, 0, 0, 5));
    expect(read('yyyy-MM-dd kk:mm', '2026-07-01 24:00', 'UTC')).toBe(at(2026, 7, 1, 0));
    // ISO still works after a fallback format.
    expect(read('do MMMM yyyy', '2026-07-01T09:30:00Z')).toBe(at(2026, 7, 1, 9, 30));
  });

  // Issue 14.2: date-fns reads `yy` within 50 years of its reference date, which was 1970, so 26 became
  // 1926 on this path while the fast path read 2026. Each fallback format (K, do, aaaa are not fast
  // tokens) is paired with a fast format reading the same values; both must agree on every side of
  // the 69/70 boundary.
  it.each([
    [
      'dd/MM/yy K:mm',
      'dd/MM/yy H:mm',
      (yy: string): [string, string] => [`01/07/${yy} 3:00`, `01/07/${yy} 3:00`],
    ],
    ['do MMM yy', 'd MMM yy', (yy: string): [string, string] => [`1st Jul ${yy}`, `1 Jul ${yy}`]],
    [
      'dd/MM/yy h:mm aaaa',
      'dd/MM/yy h:mm a',
      (yy: string): [string, string] => [`01/07/${yy} 3:00 p.m.`, `01/07/${yy} 3:00 PM`],
    ],
  ] as const)(
    'reads two-digit years the same through the date-fns fallback (%s) and the fast path (%s)',
    (slow, fast, values) => {
      const hour = slow.endsWith('aaaa') ? 15 : slow.includes('K') ? 3 : 0;
      for (const [yy, year] of [
        ['00', 2000],
        ['26', 2026],
        ['69', 2069],
        ['70', 1970],
        ['99', 1999],
      ] as const) {
        const [slowText, fastText] = values(yy);
        const expected = at(year, 7, 1, hour);
        expect(read(fast, fastText, 'UTC'), `${fast} on ${fastText}`).toBe(expected);
        expect(read(slow, slowText, 'UTC'), `${slow} on ${slowText}`).toBe(expected);
      }
    },
  );

  it('still defaults a year missing from a date-fns format to 1970', () => {
    expect(read('do MMMM', '3rd March', 'UTC')).toBe(at(1970, 3, 3));
    expect(read('dd/MM K:mm', '01/07 3:00', 'UTC')).toBe(at(1970, 7, 1, 3));
  });

  it('throws RangeError for unusable formats and zones', () => {
    expect(() => compileDateTimeParser(['YYYY-MM-dd'], BERLIN)).toThrow(
      /"YYYY" is the week-numbering year; use "yyyy"/,
    );
    expect(() => compileDateTimeParser(['yyyy-MM-DD'], BERLIN)).toThrow(
      /"DD" is the day of the year; use "dd"/,
    );
    expect(() => compileDateTimeParser(['yyyy-MM-dd foo'], BERLIN)).toThrow(
      /"f" is not a date-fns parse token/,
    );
    expect(() => compileDateTimeParser(["yyyy-MM-dd'T"], BERLIN)).toThrow(/unterminated quote/);
    expect(() => compileDateTimeParser([''], BERLIN)).toThrow(RangeError);
    expect(() => compileDateTimeParser(['do MMM yyyy z'], BERLIN)).toThrow(/zone abbreviations/);
    expect(() => compileDateTimeParser(['ddo MMM yyyy'], BERLIN)).toThrow(
      /"o" is not a date-fns parse token/,
    );
    expect(() => compileDateTimeParser(['yyyy-MM-dd'], 'Europe/Berln')).toThrow(/unknown time zone/);
  });
});

describe('describeDateFormats', () => {
  it('names the formats or ISO 8601', () => {
    expect(describeDateFormats(['dd/MMM/yy h:mm a'])).toBe('a date like "dd/MMM/yy h:mm a"');
    expect(describeDateFormats(['M/d/yyyy H:mm', 'yyyy-MM-dd'])).toBe(
      'a date like "M/d/yyyy H:mm" or "yyyy-MM-dd"',
    );
    expect(describeDateFormats([])).toBe('an ISO 8601 date like "2026-07-01T09:30:00+02:00"');
  });
});
