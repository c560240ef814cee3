/**
 * The date in an export's file name (`credential-report-2026-09-30.csv`, `users_20260930.csv`,
 * `2026-09-30_users.csv`), used as a snapshot's as-of day when nothing better says when it was taken.
 *
 * Decisions, so that a name is read as a date only when it can mean nothing else:
 * - the forms are yyyy-MM-dd, yyyy_MM_dd and yyyyMMdd, with one separator throughout (`2026-09_30` is
 *   not a date), a year 1970-2099, a real calendar day (no 2026-02-30);
 * - the digits stand alone: no digit right before or after them, so an account number such as
 *   `123456789012` holds no date; letters may touch them (`20260930T1430`);
 * - exactly one date: a name with two (a range `2026-07-01-to-2026-09-30`, or the same date twice) is
 *   not a date;
 * - only the file name counts, not its folders.
 */
import { daysInMonth } from './zone.js';

const DATE_IN_NAME = /(?<!\d)((?:19[7-9]|20\d)\d)([-_]?)(\d{2})\2(\d{2})(?!\d)/g;

/** The one date (yyyy-MM-dd) in a file's name, or undefined when it has none or more than one. */
export function dateInFileName(file: string): string | undefined {
  const name = file.split(/[\\/]/).pop() ?? file;
  const found: string[] = [];
  for (const m of name.matchAll(DATE_IN_NAME)) {
    const year = Number(m[1]);
    const month = Number(m[3]);
    const day = Number(m[4]);
    // A run of digits that is not a date still counts as "something date-like" only when it is one.
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) continue;
    found.push(`${m[1]}-${m[3]}-${m[4]}`);
  }
  return found.length === 1 ? found[0] : undefined;
}
