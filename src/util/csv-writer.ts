/**
 * CSV text for people who open it in a spreadsheet: RFC 4180 quoting, CRLF records and a UTF-8 byte order
 * mark (without it Excel reads UTF-8 as the local code page). Text cells that a spreadsheet would run as a
 * formula (starting with = + - @, tab or CR) get a leading apostrophe, the OWASP remedy for CSV injection.
 * Numbers are written as numbers, so -5 stays a negative number rather than becoming the text "'-5".
 * A control character or bidi override in a text cell (other than a line break or a tab) is written as its
 * escape, `\u001b` (terminalSafe, src/text.ts), so the file is inert in a terminal too.
 */
import { terminalSafe } from '../text.js';

export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = terminalSafe(FORMULA_START.test(value) ? `'${value}` : value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvDocument(rows: readonly (readonly CsvValue[])[]): string {
  return `\uFEFF${rows.map((row) => `${row.map(csvCell).join(',')}\r\n`).join('')}`;
}
