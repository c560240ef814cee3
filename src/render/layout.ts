/**
 * A boxed text table for the terminal, shared by `report` (table format), `list` and `presets`.
 *
 * Decision (issue 15.4): cli-table3 re-measured the table for every row it drew, so its time grew with
 * the square of the rows (`list` of 20,000 KPIs: 54 s). This layout measures every cell once, fixes
 * the column widths in one pass and draws row by row: time and memory linear in the size of the text.
 * It draws what cli-table3 drew for the options isms-kpi used (box characters, one space of padding,
 * fixed columns word-wrapped at spaces with words longer than the column cut with "…", free columns as
 * wide as their widest line, a rule between rows unless `rowRules: false`), so the bundled example's
 * output is byte-identical. Issue 18 reworks the terminal table; this is the one place to change.
 *
 * Every cell is made inert here (safeText, src/text.ts: control characters and bidi overrides shown as
 * escapes; line breaks kept, they make a cell several lines tall), so no table can carry an escape
 * sequence from the text it shows. Colour is never part of a cell's text: a cell that is coloured is
 * given as `{ text, style }`, and the style is applied after the layout.
 */
import { safeText } from '../text.js';

/** A cell: its text, or its text with a style (a chalk colour) applied to what is drawn. */
export type Cell = string | { text: string; style: (text: string) => string };

export interface LayoutOptions {
  head: string[];
  /** Per column: a fixed width including the padding (the text wraps), or null for "as wide as needed". */
  widths: (number | null)[];
  /** A rule (├──┼──┤) between rows, the header included. Default true. */
  rowRules?: boolean;
  /** Styles for the header text and the box characters (colour). */
  headStyle?: (text: string) => string;
  borderStyle?: (text: string) => string;
}

const ANSI = /\u001b\[[0-9;]*m/g;
const EMOJI_PRESENTATION = /\p{Emoji_Presentation}/u;

/** Columns a code point takes in a terminal: 0 for control and combining characters, 2 for wide ones. */
function codePointWidth(code: number): number {
  if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return 0;
  if (code >= 0x300 && code <= 0x36f) return 0;
  if (isWide(code)) return 2;
  if (code >= 0x2300 && EMOJI_PRESENTATION.test(String.fromCodePoint(code))) return 2;
  return 1;
}

/** East Asian Wide and Fullwidth ranges (as the `is-fullwidth-code-point` package lists them). */
function isWide(code: number): boolean {
  return (
    code >= 0x1100 &&
    (code <= 0x115f ||
      code === 0x2329 ||
      code === 0x232a ||
      (0x2e80 <= code && code <= 0x3247 && code !== 0x303f) ||
      (0x3250 <= code && code <= 0x4dbf) ||
      (0x4e00 <= code && code <= 0xa4c6) ||
      (0xa960 <= code && code <= 0xa97c) ||
      (0xac00 <= code && code <= 0xd7a3) ||
      (0xf900 <= code && code <= 0xfaff) ||
      (0xfe10 <= code && code <= 0xfe19) ||
      (0xfe30 <= code && code <= 0xfe6b) ||
      (0xff01 <= code && code <= 0xff60) ||
      (0xffe0 <= code && code <= 0xffe6) ||
      (0x1b000 <= code && code <= 0x1b001) ||
      (0x1f200 <= code && code <= 0x1f251) ||
      (0x20000 <= code && code <= 0x3fffd))
  );
}

/** Display width of one line of text (colour codes take no room). */
export function textWidth(text: string): number {
  const plain = text.includes('\u001b') ? text.replace(ANSI, '') : text;
  let width = 0;
  for (let i = 0; i < plain.length; i++) {
    const code = plain.charCodeAt(i);
    if (code >= 0x20 && code < 0x7f) {
      width++;
      continue;
    }
    const point = plain.codePointAt(i)!;
    if (point > 0xffff) i++;
    width += codePointWidth(point);
  }
  return width;
}

/** Width of the widest line. */
function blockWidth(text: string): number {
  let widest = 0;
  for (const line of text.split('\n')) widest = Math.max(widest, textWidth(line));
  return widest;
}

/** Greedy word wrap at whitespace (runs of whitespace between words are kept as written). */
function wrapLine(width: number, input: string): string[] {
  const lines: string[] = [];
  const split = input.split(/(\s+)/g);
  let line: string[] = [];
  let lineWidth = 0;
  let space: string | undefined;
  for (let i = 0; i < split.length; i += 2) {
    const word = split[i]!;
    let next = lineWidth + textWidth(word);
    if (lineWidth > 0 && space) next += space.length;
    if (next > width) {
      if (lineWidth !== 0) lines.push(line.join(''));
      line = [word];
      lineWidth = textWidth(word);
    } else {
      line.push(space ?? '', word);
      lineWidth = next;
    }
    space = split[i + 1];
  }
  if (lineWidth) lines.push(line.join(''));
  return lines;
}

/** `text` cut to `width` columns, the last one an ellipsis, when it is wider. */
function cut(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const ch of text.replace(ANSI, '')) {
    const w = textWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}

const plain = (text: string) => text;

export function layoutTable(rows: readonly (readonly Cell[])[], options: LayoutOptions): string {
  const border = options.borderStyle ?? plain;
  const headStyle = options.headStyle ?? plain;
  const safe = (cell: Cell | undefined) =>
    safeText(cell === undefined ? '' : typeof cell === 'string' ? cell : cell.text, { newlines: true });
  const styleOf = (cell: Cell | undefined) =>
    cell === undefined || typeof cell === 'string' ? plain : cell.style;
  const all = [options.head, ...rows].map((row) => row.map(safe));
  const styles = [options.head.map(() => plain), ...rows.map((row) => row.map(styleOf))];
  const columns = options.widths.length;
  // Widths in one pass over all cells.
  const widths = options.widths.map((fixed, x) => {
    if (fixed !== null) return fixed;
    let widest = 1;
    for (const row of all) widest = Math.max(widest, blockWidth(row[x] ?? '') + 2);
    return widest;
  });
  const out: string[] = [];
  const rule = (left: string, mid: string, right: string) =>
    widths
      .map((w, x) => border((x === 0 ? left : mid) + '─'.repeat(w) + (x === columns - 1 ? right : '')))
      .join('');
  out.push(rule('┌', '┬', '┐'));
  all.forEach((row, y) => {
    if (y > 0 && options.rowRules !== false) out.push(rule('├', '┼', '┤'));
    const cells = widths.map((w, x) => {
      const text = row[x] ?? '';
      return options.widths[x] !== null
        ? text.split('\n').flatMap((line) => wrapLine(w - 2, line))
        : text.split('\n');
    });
    const height = Math.max(1, ...cells.map((lines) => lines.length));
    for (let n = 0; n < height; n++) {
      let line = '';
      for (let x = 0; x < columns; x++) {
        const inner = widths[x]! - 2;
        const content = cut(cells[x]![n] ?? '', inner);
        const style = styles[y]![x] ?? plain;
        const shown = content === '' ? content : style(content);
        const padded = ` ${shown}${' '.repeat(Math.max(0, inner - textWidth(content)))} `;
        line += border('│') + (y === 0 ? headStyle(padded) : padded);
      }
      out.push(line + border('│'));
    }
  });
  out.push(rule('└', '┴', '┘'));
  return out.join('\n');
}
