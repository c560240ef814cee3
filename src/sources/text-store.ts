/**
 * Compact text (issue 16): the values of a free-text column (summaries, descriptions, plugin output,
 * ids that never repeat) as UTF-8 bytes in pages, with one end offset per row, instead of one JS string
 * per row. A JS string costs a header and two bytes per character once any character is outside
 * Latin-1, and, cut out of a decoded chunk, it keeps the whole chunk alive; here a value costs its UTF-8
 * bytes plus four bytes. Strings are made again only where a formula or an output needs them (get()),
 * and the common tests (equality with a constant, contains, starts_with, ends_with, len, null) run on
 * the bytes: for well-formed text, UTF-8 is a one-to-one encoding whose matches always start on a
 * character boundary, so a byte test gives exactly the answer of the string test.
 *
 * Layout: rows are appended in order, so the bytes of row i follow those of row i - 1 in the same page;
 * `ends[i]` is where row i ends in its page (~end, a negative number, for no value: it has no bytes),
 * `pageRows[p]` the first row of page p. A value never spans two pages (a page is at least as large as
 * its largest value), and pages are plain ArrayBuffers, so a worker thread hands them over without a
 * copy and tables of several parts are joined by listing their pages (concatTextStores).
 *
 * A value that is not well-formed UTF-16 (a lone surrogate, which only a JSON `\ud800` escape produces)
 * cannot round-trip through UTF-8: it is kept as a string beside the bytes (`odd`), get() returns it,
 * and the byte tests are not used on such a column (`isWellFormed` false).
 */

/** Largest page (bytes); the first pages are smaller so small files stay small. */
const PAGE_BYTES = 8 << 20;
const FIRST_PAGE_BYTES = 64 << 10;

const isWellFormedText = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

export class TextStore {
  constructor(
    /** UTF-8 bytes; a value never spans two pages. */
    readonly pages: readonly Buffer[],
    /** First row of each page (ascending; pageRows[0] = 0). */
    readonly pageRows: Int32Array,
    /** Per row: end of its bytes in its page, or ~end (negative) when it has no value. */
    readonly ends: Int32Array,
    /** Values that are not well-formed UTF-16, by row (see the module comment). */
    readonly odd: ReadonlyMap<number, string> = new Map(),
  ) {}

  get length(): number {
    return this.ends.length;
  }

  /** Byte tests give the string tests' answers (no value kept beside the bytes). */
  get isWellFormed(): boolean {
    return this.odd.size === 0;
  }

  /** Total bytes of text (without the unused ends of pages). */
  get bytes(): number {
    let total = 0;
    for (let p = 0; p < this.pages.length; p++) {
      const last = (p + 1 < this.pages.length ? this.pageRows[p + 1]! : this.ends.length) - 1;
      if (last >= this.pageRows[p]!) total += endOf(this.ends[last]!);
    }
    return total;
  }

  isNull(row: number): boolean {
    return this.ends[row]! < 0;
  }

  /** The page row `row` is in. */
  pageOf(row: number): number {
    const rows = this.pageRows;
    let lo = 0;
    let hi = rows.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (rows[mid]! <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Where row `row` starts in page `page` (its page, from pageOf). */
  startOf(row: number, page: number): number {
    return row === this.pageRows[page] ? 0 : endOf(this.ends[row - 1]!);
  }

  /** The value of a row, as a string (null: no value). */
  get(row: number): string | null {
    const end = this.ends[row]!;
    if (end < 0) return null;
    if (this.odd.size > 0) {
      const odd = this.odd.get(row);
      if (odd !== undefined) return odd;
    }
    const page = this.pageOf(row);
    return this.pages[page]!.toString('utf8', this.startOf(row, page), end);
  }
}

/** End offset of an `ends` entry (a row without a value stores ~end). */
export function endOf(entry: number): number {
  return entry < 0 ? ~entry : entry;
}

/** Builds a TextStore row by row. */
export class TextStoreBuilder {
  private readonly pages: Buffer[] = [];
  private readonly pageRows: number[] = [];
  private page: Buffer = Buffer.alloc(0);
  private at = 0;
  private ends: Int32Array;
  private size = 0;
  private odd: Map<number, string> | undefined;

  constructor(capacity = 1024) {
    this.ends = new Int32Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  reserve(rows: number): void {
    if (rows > this.ends.length) this.ends = resizeI32(this.ends, rows);
  }

  pushNull(): void {
    if (this.size === this.ends.length) this.ends = resizeI32(this.ends, Math.max(16, this.size * 2));
    // A row without a value has no bytes: it ends where it starts (in the current page, if any).
    if (this.pages.length === 0) this.newPage(0);
    this.ends[this.size++] = ~this.at;
  }

  push(value: string): void {
    if (this.size === this.ends.length) this.ends = resizeI32(this.ends, Math.max(16, this.size * 2));
    // At most 3 bytes per UTF-16 code unit; the exact count only when the page may be too small.
    if (this.pages.length === 0 || this.at + value.length * 3 > this.page.length) {
      const need = Buffer.byteLength(value, 'utf8');
      if (this.pages.length === 0 || this.at + need > this.page.length) this.newPage(need);
    }
    this.at += this.page.write(value, this.at, 'utf8');
    if (!isWellFormedText(value)) {
      this.odd ??= new Map();
      this.odd.set(this.size, value);
    }
    this.ends[this.size++] = this.at;
  }

  private newPage(need: number): void {
    this.trimPage();
    const size = Math.max(need, Math.min(PAGE_BYTES, FIRST_PAGE_BYTES << Math.min(this.pages.length, 16)));
    this.page = Buffer.alloc(size);
    this.pages.push(this.page);
    this.pageRows.push(this.size);
    this.at = 0;
  }

  /** The current page without its unused end, when much of it is unused (a copy of the used part). */
  private trimPage(): void {
    const last = this.pages.length - 1;
    if (last < 0 || this.page.length - this.at <= this.at / 8) return;
    const trimmed = Buffer.alloc(this.at);
    this.page.copy(trimmed, 0, 0, this.at);
    this.pages[last] = trimmed;
    this.page = trimmed;
  }

  finish(): TextStore {
    if (this.pages.length === 0) this.newPage(0);
    this.trimPage();
    const ends =
      this.ends.length - this.size <= this.size / 8
        ? this.ends.subarray(0, this.size)
        : this.ends.slice(0, this.size);
    return new TextStore([...this.pages], Int32Array.from(this.pageRows), ends, this.odd ?? new Map());
  }
}

/** One store with the rows of `parts` in order (their pages are shared, not copied). */
export function concatTextStores(parts: readonly TextStore[]): TextStore {
  if (parts.length === 1) return parts[0]!;
  const pages: Buffer[] = [];
  const pageRows: number[] = [];
  let rows = 0;
  for (const part of parts) rows += part.length;
  const ends = new Int32Array(rows);
  const odd = new Map<number, string>();
  let offset = 0;
  for (const part of parts) {
    part.pages.forEach((page, p) => {
      pages.push(page);
      pageRows.push(offset + part.pageRows[p]!);
    });
    ends.set(part.ends, offset);
    for (const [row, value] of part.odd) odd.set(offset + row, value);
    offset += part.length;
  }
  return new TextStore(pages, Int32Array.from(pageRows), ends, odd);
}

/** A store from received parts (a worker's message: pages arrive as Uint8Arrays). */
export function textStoreFrom(data: {
  pages: readonly Uint8Array[];
  pageRows: Int32Array;
  ends: Int32Array;
  odd: ReadonlyMap<number, string>;
}): TextStore {
  const pages = data.pages.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength));
  return new TextStore(pages, data.pageRows, data.ends, data.odd);
}

function resizeI32(array: Int32Array, length: number): Int32Array {
  const next = new Int32Array(length);
  next.set(array.subarray(0, Math.min(array.length, length)));
  return next;
}

// ---------------------------------------------------------------------------------------------
// Tests on the bytes. `rows` lists the rows to test (null: every row); results are per position.
// Each returns null when the store is not well-formed (the caller then tests decoded strings).
// ---------------------------------------------------------------------------------------------

const NO = 0;
const YES = 1;
const NONE = 2;

/** Calls visit(position, page, start, end) for each listed row with a value (rows with none: isNull). */
function eachSpan(
  store: TextStore,
  rows: Int32Array | null,
  visit: (k: number, page: Buffer, start: number, end: number) => void,
  isNull: (k: number) => void,
): void {
  const { ends, pages, pageRows } = store;
  if (rows === null) {
    for (let p = 0; p < pages.length; p++) {
      const page = pages[p]!;
      const last = p + 1 < pages.length ? pageRows[p + 1]! : ends.length;
      let start = 0;
      for (let i = pageRows[p]!; i < last; i++) {
        const e = ends[i]!;
        if (e < 0) isNull(i);
        else {
          visit(i, page, start, e);
          start = e;
        }
      }
    }
    return;
  }
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    const e = ends[i]!;
    if (e < 0) {
      isNull(k);
      continue;
    }
    const p = store.pageOf(i);
    visit(k, pages[p]!, store.startOf(i, p), e);
  }
}

function utf8(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

function sameBytes(page: Buffer, at: number, needle: Buffer): boolean {
  for (let j = 0; j < needle.length; j++) if (page[at + j] !== needle[j]) return false;
  return true;
}

/** value == needle (YES/NO; NONE where no value). */
export function textEquals(store: TextStore, rows: Int32Array | null, needle: string): Uint8Array | null {
  if (!store.isWellFormed || !isWellFormedText(needle)) return null;
  const bytes = utf8(needle);
  const out = new Uint8Array(rows ? rows.length : store.length);
  eachSpan(
    store,
    rows,
    (k, page, start, end) => {
      out[k] = end - start === bytes.length && sameBytes(page, start, bytes) ? YES : NO;
    },
    (k) => {
      out[k] = NONE;
    },
  );
  return out;
}

/** value starts with (or ends with) needle. */
export function textAffix(
  store: TextStore,
  rows: Int32Array | null,
  needle: string,
  atEnd: boolean,
): Uint8Array | null {
  if (!store.isWellFormed || !isWellFormedText(needle)) return null;
  const bytes = utf8(needle);
  const out = new Uint8Array(rows ? rows.length : store.length);
  eachSpan(
    store,
    rows,
    (k, page, start, end) => {
      out[k] =
        end - start >= bytes.length && sameBytes(page, atEnd ? end - bytes.length : start, bytes) ? YES : NO;
    },
    (k) => {
      out[k] = NONE;
    },
  );
  return out;
}

/**
 * value contains needle. Over every row, one search per page: each match is assigned to the row it
 * starts in and counts when it ends there too; the search then goes on from that row's end.
 */
export function textContains(store: TextStore, rows: Int32Array | null, needle: string): Uint8Array | null {
  if (!store.isWellFormed || !isWellFormedText(needle)) return null;
  const bytes = utf8(needle);
  const n = rows ? rows.length : store.length;
  const out = new Uint8Array(n);
  if (bytes.length === 0 || (rows !== null && rows.length < store.length / 4)) {
    eachSpan(
      store,
      rows,
      (k, page, start, end) => {
        out[k] =
          bytes.length === 0 || (end - start >= bytes.length && page.subarray(start, end).indexOf(bytes) >= 0)
            ? YES
            : NO;
      },
      (k) => {
        out[k] = NONE;
      },
    );
    return out;
  }
  const all = rows ? new Uint8Array(store.length) : out;
  const { ends, pages, pageRows } = store;
  for (let p = 0; p < pages.length; p++) {
    const page = pages[p]!;
    const first = pageRows[p]!;
    const last = p + 1 < pages.length ? pageRows[p + 1]! : ends.length;
    for (let i = first; i < last; i++) if (ends[i]! < 0) all[i] = NONE;
    let row = first;
    let from = 0;
    for (;;) {
      const at = page.indexOf(bytes, from);
      if (at < 0) break;
      // The row the match starts in: the first whose end is past it.
      while (row < last && endOf(ends[row]!) <= at) row++;
      if (row >= last) break;
      const end = ends[row]!;
      if (end >= 0 && at + bytes.length <= end) {
        all[row] = YES;
        from = end;
      } else from = at + 1;
    }
  }
  if (rows) for (let k = 0; k < n; k++) out[k] = all[rows[k]!]!;
  return out;
}

/** Length of each value in UTF-16 code units (String.length), NaN where no value. */
export function textLengths(store: TextStore, rows: Int32Array | null): Float64Array | null {
  if (!store.isWellFormed) return null;
  const out = new Float64Array(rows ? rows.length : store.length);
  eachSpan(
    store,
    rows,
    (k, page, start, end) => {
      // Every byte that does not continue a character starts one; a 4-byte one is two code units.
      let units = 0;
      for (let j = start; j < end; j++) {
        const b = page[j]!;
        if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
      }
      out[k] = units;
    },
    (k) => {
      out[k] = Number.NaN;
    },
  );
  return out;
}

/** Every listed row's value as a string (null: no value). */
export function textValues(store: TextStore, rows: Int32Array | null): (string | null)[] {
  const n = rows ? rows.length : store.length;
  const out = new Array<string | null>(n);
  if (store.odd.size > 0) {
    for (let k = 0; k < n; k++) out[k] = store.get(rows ? rows[k]! : k);
    return out;
  }
  eachSpan(
    store,
    rows,
    (k, page, start, end) => {
      out[k] = page.toString('utf8', start, end);
    },
    (k) => {
      out[k] = null;
    },
  );
  return out;
}

/** fn of each listed row's value (YES/NO; NONE where no value), one string made at a time. */
export function textTest(store: TextStore, rows: Int32Array | null, fn: (s: string) => boolean): Uint8Array {
  const n = rows ? rows.length : store.length;
  const out = new Uint8Array(n);
  if (store.odd.size > 0) {
    for (let k = 0; k < n; k++) {
      const s = store.get(rows ? rows[k]! : k);
      out[k] = s === null ? NONE : fn(s) ? YES : NO;
    }
    return out;
  }
  eachSpan(
    store,
    rows,
    (k, page, start, end) => {
      out[k] = fn(page.toString('utf8', start, end)) ? YES : NO;
    },
    (k) => {
      out[k] = NONE;
    },
  );
  return out;
}
