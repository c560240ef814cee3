/**
 * `duplicates: drop-exact` over a file read in ranges (load-ranges.ts). Each range drops the duplicates
 * within itself and keeps the key (record-key.ts) of every other record, with a hash of it. Here, in
 * file order, each record of a range whose key equals the key of a record of an earlier range is
 * dropped as a single read drops it: its row, its rejected row and the problems of its cells go, it
 * counts as a duplicate. Equal hashes are only candidates: the keys themselves are compared (fetched
 * from where the ranges were read), so a hash collision never drops a record.
 *
 * What the dropped record's problems were is known exactly for the problems a range kept; when a range
 * kept only the first MAX_KEPT_* of its problems or rejected rows and one of those would have to go, the
 * file-wide first MAX_KEPT_* cannot be rebuilt from the ranges: `false`, and the file is read in one pass.
 */
import type { ProblemCode } from '../problems.js';
import type { LoadedSource } from './intake.js';
import type { RangeResult } from './load-source.js';
import { selectRows, type Table } from './table.js';

/** Gives the keys of some distinct records of a range result (kept where the range was read). */
export type KeyFetcher = (result: RangeResult, indexes: readonly number[]) => Promise<string[]>;

/** Problems a record's cells raise after the duplicate check; they go with a dropped duplicate. */
const CELL_PROBLEMS: ReadonlySet<ProblemCode> = new Set(['nul-byte', 'bad-value', 'required-missing']);

/** Drops, in each result after the first, the records equal to one of an earlier result. */
export async function dropDuplicatesAcrossRanges(
  results: readonly RangeResult[],
  fetchKeys: KeyFetcher,
): Promise<boolean> {
  const total = results.reduce((n, r) => n + (r.distinct?.hashes.length ?? 0), 0);
  const index = new KeyIndex(total);
  for (let k = 0; k < results.length; k++) {
    const result = results[k]!;
    const distinct = result.distinct!;
    const duplicates = new Set<number>();
    if (k > 0) {
      // Candidates: records of earlier ranges with the same hash.
      const pairs: { mine: number; part: number; theirs: number }[] = [];
      for (let i = 0; i < distinct.hashes.length; i++)
        index.each(distinct.hashes[i]!, (part, theirs) => pairs.push({ mine: i, part, theirs }));
      if (pairs.length > 0) {
        const mine = await keysOf(
          result,
          pairs.map((p) => p.mine),
          fetchKeys,
        );
        const theirs = new Map<number, Map<number, string>>();
        for (const part of new Set(pairs.map((p) => p.part))) {
          const wanted = pairs.filter((p) => p.part === part).map((p) => p.theirs);
          theirs.set(part, await keysOf(results[part]!, wanted, fetchKeys));
        }
        for (const p of pairs)
          if (mine.get(p.mine) === theirs.get(p.part)!.get(p.theirs)) duplicates.add(p.mine);
      }
    }
    for (let i = 0; i < distinct.hashes.length; i++)
      if (!duplicates.has(i)) index.add(distinct.hashes[i]!, k, i);
    if (duplicates.size > 0 && !drop(result, duplicates)) return false;
  }
  return true;
}

async function keysOf(
  result: RangeResult,
  indexes: readonly number[],
  fetchKeys: KeyFetcher,
): Promise<Map<number, string>> {
  const unique = [...new Set(indexes)];
  const keys = await fetchKeys(result, unique);
  return new Map(unique.map((i, n) => [i, keys[n]!]));
}

/** Removes the records at `indexes` (of result.distinct) from the result. False: see the header. */
function drop(result: RangeResult, indexes: ReadonlySet<number>): boolean {
  const loaded = result.loaded!;
  const distinct = result.distinct!;
  const records = new Set<number>();
  let rejected = 0;
  let problems = 0;
  for (const i of indexes) {
    records.add(distinct.records[i]!);
    const outcome = distinct.outcomes[i]!;
    if (outcome > 0) {
      rejected++;
      problems += outcome;
    }
  }
  const keptProblems = loaded.problems.filter(
    (p) => !(CELL_PROBLEMS.has(p.code) && records.has(p.location.record ?? -1)),
  );
  const keptRejected = loaded.rejectedRows.filter((r) => !records.has(r.record));
  const wasCut = (kept: number, all: number, left: number) => kept < all && left < kept;
  if (
    wasCut(loaded.problems.length, loaded.problemCount, keptProblems.length) ||
    wasCut(loaded.rejectedRows.length, loaded.stats.rejected, keptRejected.length)
  )
    return false;
  result.loaded = {
    ...loaded,
    table: withoutRecords(loaded.table, records),
    problems: keptProblems,
    problemCount: loaded.problemCount - problems,
    rejectedRows: keptRejected,
    stats: {
      ...loaded.stats,
      rejected: loaded.stats.rejected - rejected,
      duplicates: loaded.stats.duplicates + indexes.size,
    },
  } satisfies LoadedSource;
  result.loaded.stats.accepted = result.loaded.table.length;
  return true;
}

/** The table without the rows of the given record numbers. */
function withoutRecords(table: Table, records: ReadonlySet<number>): Table {
  const keep: number[] = [];
  for (let row = 0; row < table.length; row++) if (!records.has(table.record[row]!)) keep.push(row);
  if (keep.length === table.length) return table;
  return selectRows(table, keep);
}

/** Hashes of the distinct records seen so far: open chaining in typed arrays (one entry per record). */
class KeyIndex {
  private readonly heads: Int32Array;
  private readonly mask: number;
  private readonly next: Int32Array;
  private readonly hashes: Int32Array;
  private readonly parts: Int32Array;
  private readonly indexes: Int32Array;
  private size = 0;

  constructor(capacity: number) {
    let buckets = 16;
    while (buckets < capacity * 2) buckets *= 2;
    this.heads = new Int32Array(buckets).fill(-1);
    this.mask = buckets - 1;
    this.next = new Int32Array(capacity);
    this.hashes = new Int32Array(capacity);
    this.parts = new Int32Array(capacity);
    this.indexes = new Int32Array(capacity);
  }

  add(hash: number, part: number, index: number): void {
    const at = this.size++;
    const bucket = hash & this.mask;
    this.hashes[at] = hash;
    this.parts[at] = part;
    this.indexes[at] = index;
    this.next[at] = this.heads[bucket]!;
    this.heads[bucket] = at;
  }

  each(hash: number, visit: (part: number, index: number) => void): void {
    for (let at = this.heads[hash & this.mask]!; at >= 0; at = this.next[at]!)
      if (this.hashes[at] === hash) visit(this.parts[at]!, this.indexes[at]!);
  }
}
