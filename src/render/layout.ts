/**
 * A boxed text table for the terminal, shared by `report` (table format), `list` and `presets`.
 *
 * Decision (issue 15.4): cli-table3 re-measured the table for every row it drew, so its time grew with
 * the square of the rows (`list` of 20,000 KPIs: 54 s). This layout measures every cell once, fixes
 * the column widths in one pass and draws row by row: time and memory linear in the size of the text.
 * It draws what cli-table3 drew for the options isms-kpi used (box characters, one space of padding,
 * fixed columns word-wrapped at spaces with words longer than the column cut with "…", free columns as
 * wide as their widest line, a rule between rows unless `rowRules: false`), so the bundled example's
 * output is byte-identical.
 *
 * Issue 18: `fitTable` fits a table to a width (the KPI table of `report`): columns that do not wrap
 * (ids, values, statuses) keep their widest value whole, wrapping columns (names) share the rest, and
 * columns are dropped by rank when even that does not fit; a `none` frame draws the compact layout (no
 * box). `wrapText` wraps the prose around it (title, notes, evidence) without splitting a value.
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
  /**
   * `box` (default): box characters around every cell. `none`: no box, columns two spaces apart and a
   * line under the header (the compact layout of narrow terminals); `rowRules` does not apply.
   */
  frame?: 'box' | 'none';
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
  const isBox = options.frame !== 'none';
  const rule = (left: string, mid: string, right: string) =>
    widths
      .map((w, x) => border((x === 0 ? left : mid) + '─'.repeat(w) + (x === columns - 1 ? right : '')))
      .join('');
  if (isBox) out.push(rule('┌', '┬', '┐'));
  all.forEach((row, y) => {
    if (!isBox && y === 1) out.push(border(widths.map((w) => '─'.repeat(w - 2)).join('  ')));
    if (isBox && y > 0 && options.rowRules !== false) out.push(rule('├', '┼', '┤'));
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
        const fill = ' '.repeat(Math.max(0, inner - textWidth(content)));
        if (!isBox) {
          const isLast = x === columns - 1;
          line += (x === 0 ? '' : '  ') + (y === 0 ? headStyle(shown) : shown) + (isLast ? '' : fill);
          continue;
        }
        const padded = ` ${shown}${fill} `;
        line += border('│') + (y === 0 ? headStyle(padded) : padded);
      }
      out.push(isBox ? line + border('│') : line.trimEnd());
    }
  });
  if (isBox) out.push(rule('└', '┴', '┘'));
  return out.join('\n');
}

/** A column of a table fitted to a width (fitTable). */
export interface ColumnSpec {
  head: string;
  /** The text may wrap at spaces (a name); other columns are as wide as their widest value, never wrapped. */
  wrap?: boolean;
  /** Narrowest a wrapping column is made (text columns; default 10). */
  min?: number;
  /** Share of the room left to the wrapping columns (default 1). */
  share?: number;
  /** When the table cannot fit otherwise, columns with a drop rank are left out, the lowest rank first. */
  drop?: number;
}

export interface FitOptions {
  columns: readonly ColumnSpec[];
  /** Characters per line, at most (string width: wide characters count two). */
  width: number;
  frame: 'box' | 'none';
  headStyle?: (text: string) => string;
  borderStyle?: (text: string) => string;
}

/** Width the frame takes besides the cells' text: box `│ a │ b │`, none `a  b`. */
function frameWidth(frame: 'box' | 'none', columns: number): number {
  return frame === 'box' ? 3 * columns + 1 : 2 * (columns - 1);
}

/**
 * A table no wider than `width`: columns that do not wrap (ids, values, statuses) keep their widest value
 * whole; wrapping columns share the rest; when even their minimum does not fit, columns are dropped by
 * their drop rank. The result names the columns shown. A table that cannot fit with every droppable
 * column gone is drawn at its narrowest (wider than asked: no value is ever split).
 */
export function fitTable(
  rows: readonly (readonly Cell[])[],
  options: FitOptions,
): { text: string; shown: string[] } {
  const text = (cell: Cell | undefined) =>
    safeText(cell === undefined ? '' : typeof cell === 'string' ? cell : cell.text, { newlines: true });
  const natural = options.columns.map((col, x) => {
    let widest = blockWidth(col.head);
    for (const row of rows) widest = Math.max(widest, blockWidth(text(row[x])));
    return widest;
  });
  const narrowest = (x: number) => {
    const col = options.columns[x]!;
    return col.wrap ? Math.min(natural[x]!, col.min ?? 10) : natural[x]!;
  };
  let kept = options.columns.map((_, x) => x);
  const needed = (cols: number[]) =>
    cols.reduce((sum, x) => sum + narrowest(x), 0) + frameWidth(options.frame, cols.length);
  const droppable = options.columns
    .map((col, x) => ({ x, rank: col.drop }))
    .filter((c): c is { x: number; rank: number } => c.rank !== undefined)
    .sort((a, b) => a.rank - b.rank);
  for (const { x } of droppable) {
    if (needed(kept) <= options.width) break;
    kept = kept.filter((k) => k !== x);
  }
  // Room for the wrapping columns, shared by weight, each at least its minimum and at most its natural width.
  const fixed = kept.filter((x) => !options.columns[x]!.wrap);
  const wrapping = kept.filter((x) => options.columns[x]!.wrap);
  let room =
    options.width - frameWidth(options.frame, kept.length) - fixed.reduce((sum, x) => sum + natural[x]!, 0);
  const widths = new Map<number, number>();
  let open = [...wrapping];
  while (open.length > 0) {
    const weight = open.reduce((sum, x) => sum + (options.columns[x]!.share ?? 1), 0);
    const capped = open.filter(
      (x) => natural[x]! <= Math.floor((room * (options.columns[x]!.share ?? 1)) / weight),
    );
    if (capped.length === 0) {
      for (const x of open) {
        const share = Math.floor((room * (options.columns[x]!.share ?? 1)) / weight);
        widths.set(x, Math.max(narrowest(x), share));
      }
      // Rounding leaves a column or two of room: give it to the first wrapping column.
      const used = open.reduce((sum, x) => sum + widths.get(x)!, 0);
      const first = open[0]!;
      if (used < room) widths.set(first, Math.min(natural[first]!, widths.get(first)! + room - used));
      break;
    }
    for (const x of capped) {
      widths.set(x, natural[x]!);
      room -= natural[x]!;
    }
    open = open.filter((x) => !capped.includes(x));
  }
  const table = layoutTable(
    rows.map((row) => kept.map((x) => row[x] ?? '')),
    {
      head: kept.map((x) => options.columns[x]!.head),
      widths: kept.map((x) => (widths.has(x) ? widths.get(x)! + 2 : null)),
      rowRules: false,
      frame: options.frame,
      ...(options.headStyle ? { headStyle: options.headStyle } : {}),
      ...(options.borderStyle ? { borderStyle: options.borderStyle } : {}),
    },
  );
  return { text: table, shown: kept.map((x) => options.columns[x]!.head) };
}

/** Joins the words of a value that must stay on one line in wrapText ("1,919 rows", "30.6 h"). */
export const KEEP = '\u00a0';

/** `text` that wrapText never breaks: its spaces become KEEP (shown as spaces). */
export function keep(text: string): string {
  return text.replace(/ /g, KEEP);
}

/**
 * Text wrapped to `width` columns at spaces (runs of spaces inside a line are kept, for alignment),
 * continuation lines indented by `indent` spaces; a KEEP character joins words like a space that is never
 * broken, and is written as a space. A word wider than a whole line (a long file path) is broken at the
 * width: nothing else is ever split. Colour codes take no room.
 */
export function wrapText(text: string, width: number, indent = 4): string[] {
  const out: string[] = [];
  const parts = text.split(/( +)/g);
  let line = '';
  let used = 0;
  let pendingSpace = '';
  const newLine = () => {
    out.push(line.trimEnd());
    line = ' '.repeat(indent);
    used = indent;
    pendingSpace = '';
  };
  for (let i = 0; i < parts.length; i += 2) {
    let word = parts[i]!;
    const space = i === 0 ? '' : parts[i - 1]!;
    const gap = i === 0 ? '' : pendingSpace + space;
    pendingSpace = '';
    if (word === '') {
      pendingSpace = gap;
      continue;
    }
    const w = textWidth(word);
    if (used + gap.length + w <= width) {
      line += gap + word;
      used += gap.length + w;
      continue;
    }
    if (used > (out.length === 0 ? 0 : indent)) newLine();
    while (used + textWidth(word) > width && !word.includes('\u001b')) {
      let head = '';
      let taken = 0;
      for (const ch of word) {
        if (used + taken + textWidth(ch) > width) break;
        head += ch;
        taken += textWidth(ch);
      }
      if (head === '') break;
      line += head;
      word = word.slice(head.length);
      newLine();
    }
    line += word;
    used += textWidth(word);
  }
  out.push(line.trimEnd());
  return out.map((l) => l.replaceAll(KEEP, ' '));
}
