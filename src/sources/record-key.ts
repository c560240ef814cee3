/**
 * The identity of a CSV record for `duplicates: drop-exact` (docs/catalogue.md, 2.10): two records are
 * duplicates when they have the same number of cells and every cell holds the same text (after
 * unquoting; no trimming, no conversion). The key of a record is its canonical CSV text: the cells
 * joined by the file's delimiter, a cell quoted (quotes doubled) only when it holds the delimiter, the
 * quote or a line break. That is what a CSV writer produces, so it is injective (the tokenizer reads
 * it back into the same cells), and `"a",b` and `a,b` get the same key.
 *
 * A record without any quote character is already in that form, so its key is one slice of the chunk
 * (no substring per cell); records with quotes, or that cross a chunk, are serialised cell by cell.
 */
const LF = 10;
const CR = 13;

export class CsvRecordKeys {
  private readonly delimiter: string;
  private readonly quote: string;
  private readonly doubled: string;
  private readonly needsQuoting: RegExp;
  /** The chunk `nextQuote` belongs to, and the position of its next quote at or after the last record. */
  private chunk = '';
  private nextQuote = -1;
  /** Reused for the cells of a record (created holding a string: see CsvTokenizer.cells). */
  private readonly parts: string[] = [''];

  constructor(delimiter: string, quote: string) {
    this.delimiter = delimiter;
    this.quote = quote;
    this.doubled = quote + quote;
    const unicode = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    this.needsQuoting = new RegExp(`[${unicode(delimiter)}${unicode(quote)}\\r\\n]`);
  }

  /** The key of a record handed over as spans of `text` (see CsvSink.spans). */
  ofSpans(
    text: string,
    starts: Int32Array,
    ends: Int32Array,
    cells: readonly string[],
    count: number,
  ): string {
    const first = starts[0]!;
    const last = ends[count - 1]!;
    if (first > 0 && starts[count - 1]! >= 0) {
      // The record starts in this chunk right after a line break (a quoted first cell has its quote
      // there instead), and holds no quote up to its last character: it is its own canonical text.
      const before = text.charCodeAt(first - 1);
      if ((before === LF || before === CR) && this.isQuoteFree(text, starts, count, first, last))
        return text.slice(first, last);
    }
    const parts = this.parts;
    parts.length = count;
    for (let k = 0; k < count; k++)
      parts[k] = this.canonicalCell(starts[k]! >= 0 ? text.slice(starts[k]!, ends[k]!) : cells[k]!);
    // join gives one flat string (a chain of += would be flattened again by every Set look-up).
    return parts.join(this.delimiter);
  }

  /** The key of a record given as cell strings (the string path); equal to ofSpans for the same cells. */
  ofCells(cells: readonly string[]): string {
    const parts = this.parts;
    parts.length = cells.length;
    for (let k = 0; k < cells.length; k++) parts[k] = this.canonicalCell(cells[k]!);
    return parts.join(this.delimiter);
  }

  private canonicalCell(cell: string): string {
    return this.needsQuoting.test(cell)
      ? this.quote + cell.split(this.quote).join(this.doubled) + this.quote
      : cell;
  }

  /** All cells are spans and text[first..last) holds no quote. The next quote is cached per chunk. */
  private isQuoteFree(text: string, starts: Int32Array, count: number, first: number, last: number): boolean {
    for (let k = 1; k < count - 1; k++) if (starts[k]! < 0) return false;
    if (text !== this.chunk) {
      this.chunk = text;
      this.nextQuote = -1;
    }
    if (this.nextQuote < first) {
      const at = text.indexOf(this.quote, first);
      this.nextQuote = at < 0 ? text.length : at;
    }
    return this.nextQuote >= last;
  }
}

/** FNV-1a over the char codes of a key: buckets for finding equal keys across ranges (then compared). */
export function hashKey(key: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h;
}
