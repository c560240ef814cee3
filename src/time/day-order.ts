/**
 * Day-first detection (issue 17). A field whose `format` list holds a month-first and a day-first
 * spelling of the same shape (`MM/dd/yyyy` and `dd/MM/yyyy`, `M/d/yyyy H:mm:ss` and `d/M/yyyy H:mm:ss`)
 * cannot be read value by value: `06/07/2026` fits both. The reader decides once per source, in the
 * intake's single pass:
 *
 * - while undecided, a value that fits only one format of a pair (a day over 12: `25/07/2026`) proves
 *   the order; from then on the other order's format of every pair is not tried (a later value that
 *   only fits it is a bad value, like any value that fits no format);
 * - a value that fits both (with different results) is read in the order of the format listed first
 *   (the assumption); the reader remembers its row, that reading and the other one (20 bytes a row,
 *   only for rows read before the proof), and when the proof goes the other way the intake replaces
 *   those values (DayOrderState.patchColumn) when the load ends;
 * - a source where every such value fits both gets one warning naming the assumption (the intake adds
 *   it when the load ends: DayOrderState.ambiguous > 0 and no decision).
 *
 * The cost: one more match per value only while undecided (real dates prove the order within the first
 * rows that have a day over 12), and nothing for fields without such a pair (the plain reader is used).
 * Measured (2026-12, 1M values `dd/07/2026 HH:mm:ss` sorted from the 1st, so 39 % are read before the
 * proof and then replaced; best of 7 on the shared 2-core machine): 490-514 ms with one format, 784 ms
 * with the pair (+0.3 s, 7.7 MB of pending rows until the load ends); with the proof in the first row,
 * the same time as one format.
 */
import {
  compileDateTimeSpanParser,
  compileFormatMatchers,
  isoSpan,
  lexFormat,
  trimEnd,
  trimStart,
} from './parse-datetime.js';

export type DayOrder = 'day-first' | 'month-first';

/** A format's day/month order when it has both as numbers, its shape, and its shape with them swapped. */
function orderAndShape(format: string): { order: DayOrder; shape: string; swapped: string } | undefined {
  let parts: ReturnType<typeof lexFormat>;
  try {
    parts = lexFormat(format.trim());
  } catch {
    return undefined;
  }
  let day = -1;
  let month = -1;
  const shape: string[] = [];
  const swapped: string[] = [];
  parts.forEach((part, i) => {
    if ((part.letter === 'd' || part.letter === 'M') && part.count <= 2) {
      const isDay = part.letter === 'd';
      if (isDay && day < 0) day = i;
      if (!isDay && month < 0) month = i;
      shape.push(isDay ? '\u0000D' : '\u0000M');
      swapped.push(isDay ? '\u0000M' : '\u0000D');
    } else {
      const text = part.letter === '' ? `'${part.literal}` : part.letter.repeat(part.count);
      shape.push(text);
      swapped.push(text);
    }
  });
  if (day < 0 || month < 0) return undefined;
  return {
    order: day < month ? 'day-first' : 'month-first',
    shape: shape.join(' '),
    swapped: swapped.join(' '),
  };
}

/**
 * For each format, the index of its partner of the other order and the same shape (-1: none; `d` and
 * `dd` count as the same), and its order when it has a partner. A format without a partner is never
 * dropped (`d.M.yyyy` beside `M/d/yyyy`: the separator tells them apart).
 */
export function dayOrderPairs(formats: readonly string[]): {
  partner: number[];
  order: (DayOrder | undefined)[];
} {
  const info = formats.map(orderAndShape);
  const partner = formats.map(() => -1);
  for (let i = 0; i < info.length; i++) {
    const a = info[i];
    if (!a || partner[i]! >= 0) continue;
    for (let j = i + 1; j < info.length; j++) {
      const b = info[j];
      if (b && partner[j] === -1 && b.order !== a.order && b.shape === a.swapped) {
        partner[i] = j;
        partner[j] = i;
        break;
      }
    }
  }
  return { partner, order: info.map((x, i) => (partner[i]! >= 0 ? x?.order : undefined)) };
}

/** True when some format of the list has a partner of the other order (the reader then decides per source). */
export function hasDayOrderPair(formats: readonly string[]): boolean {
  return dayOrderPairs(formats).partner.some((p) => p >= 0);
}

/** Rows read under one assumption: 20 bytes each, in arrays that double as they fill. */
class PendingRows {
  size = 0;
  rows = new Int32Array(0);
  read = new Float64Array(0);
  other = new Float64Array(0);

  push(row: number, read: number, other: number): void {
    if (this.size === this.rows.length) {
      const capacity = Math.max(256, this.size * 2);
      const rows = new Int32Array(capacity);
      rows.set(this.rows);
      const readValues = new Float64Array(capacity);
      readValues.set(this.read);
      const otherValues = new Float64Array(capacity);
      otherValues.set(this.other);
      this.rows = rows;
      this.read = readValues;
      this.other = otherValues;
    }
    this.rows[this.size] = row;
    this.read[this.size] = read;
    this.other[this.size] = other;
    this.size++;
  }
}

/** What the reader of one field found out about the order in one source. */
export class DayOrderState {
  /** The proven order; undefined while no value has proved it. */
  decided: DayOrder | undefined;
  /** The first value that proved it. */
  proof: string | undefined;
  /** Values read under an assumption (they fit both orders), and the first of them. */
  ambiguous = 0;
  example: string | undefined;
  /** The order the first such value was read in, and the two formats it fitted. */
  assumed: DayOrder | undefined;
  assumedFormat: string | undefined;
  otherFormat: string | undefined;
  /**
   * Set by the intake for a stored field: the index the row being read gets in the table (the column's
   * length), so values read under an assumption can be replaced when the proof goes the other way.
   */
  rowIndex: (() => number) | undefined;
  /**
   * Reads in `order` from the first value, as a source whose order an earlier read of the same bytes
   * proved (the evidence pack's second read: its rows must be the first read's, patched ones included).
   */
  impose: ((order: DayOrder) => void) | undefined;
  /** Rows [0, decidedAtRow) were read before the proof. */
  decidedAtRow = 0;
  /** Per order assumed (0 month-first, 1 day-first): the rows read under it, the value read, the other. */
  private readonly pending = [new PendingRows(), new PendingRows()];

  /** The first value read under an assumption: the warning's example. */
  first(order: DayOrder, text: string, format: string, otherFormat: string): void {
    this.example = text;
    this.assumed = order;
    this.assumedFormat = format;
    this.otherFormat = otherFormat;
  }

  record(order: DayOrder, read: number, other: number): void {
    this.ambiguous++;
    if (this.rowIndex) this.pending[order === 'day-first' ? 1 : 0]!.push(this.rowIndex(), read, other);
  }

  decide(order: DayOrder, text: string): void {
    this.decided = order;
    this.proof = text;
    this.decidedAtRow = this.rowIndex?.() ?? 0;
    // Values read in the order proven are right already.
    this.pending[order === 'day-first' ? 1 : 0] = new PendingRows();
  }

  /**
   * Replaces, in a finished column of epoch ms, the values read in the order the proof refuted. A row
   * index is reused when its row was rejected for another cell: only a value still equal to what was
   * read is replaced. Returns the number of values replaced.
   */
  patchColumn(values: Float64Array): number {
    if (this.decided === undefined) return 0;
    let patched = 0;
    for (const list of this.pending) {
      for (let k = 0; k < list.size; k++) {
        const row = list.rows[k]!;
        if (row < this.decidedAtRow && row < values.length && values[row] === list.read[k]) {
          values[row] = list.other[k]!;
          patched++;
        }
      }
    }
    this.pending.fill(new PendingRows());
    return patched;
  }

  /** The warning text when no value proved the order (undefined when one did, or none was ambiguous). */
  assumption(): string | undefined {
    if (this.decided !== undefined || this.ambiguous === 0) return undefined;
    const other = this.assumed === 'day-first' ? 'month-first' : 'day-first';
    return `every date fits both "${this.assumedFormat}" and "${this.otherFormat}" (day and month 12 or less, e.g. "${this.example}"): read ${this.assumed} as "${this.assumedFormat}", the format listed first; if the export is ${other}, list "${this.otherFormat}" first or alone in format:`;
  }
}

/**
 * A datetime reader over text[from..to) like compileDateTimeSpanParser, deciding the day/month order of
 * the source as it reads (see the file header). `state` is undefined when the formats have no pair: then
 * the reader is the plain one's equivalent.
 */
export function compileDayOrderReader(
  formats: readonly string[],
  tz: string,
): { read: (text: string, from: number, to: number) => number; state: DayOrderState | undefined } {
  const { partner, order } = dayOrderPairs(formats);
  if (!partner.some((p) => p >= 0)) return { state: undefined, read: compileDateTimeSpanParser(formats, tz) };
  const matchers = compileFormatMatchers(formats, tz);
  const count = matchers.length;
  const state = new DayOrderState();
  const active = matchers.map(() => true);
  const decide = (proven: DayOrder, text: string) => {
    state.decide(proven, text);
    for (let k = 0; k < count; k++) if (order[k] !== undefined && order[k] !== proven) active[k] = false;
  };
  state.impose = (proven) => decide(proven, '');
  return {
    state,
    read: (text, from, to) => {
      const start = trimStart(text, from, to);
      const end = trimEnd(text, start, to);
      for (let i = 0; i < count; i++) {
        if (!active[i]) continue;
        const ms = matchers[i]!(text, start, end);
        if (Number.isNaN(ms)) continue;
        const j = partner[i]!;
        if (j < 0 || state.decided !== undefined) return ms;
        // Every format before i failed: a partner listed earlier did not fit, so this value proves i's order.
        if (j < i) {
          decide(order[i]!, text.slice(start, end));
          return ms;
        }
        const other = matchers[j]!(text, start, end);
        if (Number.isNaN(other)) decide(order[i]!, text.slice(start, end));
        else if (other !== ms) {
          // The text and formats only for the first such value (the warning's example).
          if (state.ambiguous === 0)
            state.first(order[i]!, text.slice(start, end), formats[i]!.trim(), formats[j]!.trim());
          state.record(order[i]!, ms, other);
        }
        return ms;
      }
      return isoSpan(text, start, end, tz);
    },
  };
}
