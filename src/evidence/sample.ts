/**
 * Audit samples from an evidence pack (`isms-kpi sample`, issue 21), reproducible by anyone who holds the
 * pack. The method (docs/sampling.md):
 *
 * - Population: the distinct rows (source, file, line) of the KPI's file `kpis/<ID>.csv`, in the order
 *   they first appear there (the pack's order: aggregate by aggregate, each in the export's row order).
 *   Row j (1-based) of that order has the text JSON.stringify([source, file, line, ...fields]) with the
 *   cells exactly as the CSV holds them; the population's SHA-256 is over these texts, each ended by
 *   "\n", in order.
 * - Draw: row j gets the draw key SHA-256(`${seed}:${j}`) (hex; a counter-based generator); the sample is
 *   the `size` rows with the smallest keys (a simple random sample without replacement: sorting by
 *   independent uniform keys is a uniformly random permutation). Draw numbers follow the keys.
 * - Stratified (--stratify FIELD): each value of the field is a stratum (empty cells one stratum);
 *   proportional allocation by largest remainder: stratum h of N_h rows gets floor(n * N_h / N) rows, and
 *   the n - sum of those rows left go one each to the strata with the largest remainders (n * N_h mod N;
 *   ties: the larger stratum, then the first to appear). Each stratum thus gets its proportional share
 *   rounded down or up, within one row of it, and never more than it has. Within a stratum, the rows with
 *   the smallest keys.
 * - A size of the population or more takes the whole population (the sample manifest says so).
 *
 * This module is the arithmetic; src/app/sample.ts reads the pack and writes the files.
 */
import { createHash } from 'node:crypto';

/** The text of population row j, as hashed: its cells from `source` on, as a JSON array. */
export function populationRowText(cells: readonly string[]): string {
  return `${JSON.stringify(cells)}\n`;
}

/** The draw key of population row j (1-based): SHA-256 of `seed:j`, hex. */
export function drawKey(seed: string, index: number): string {
  return createHash('sha256').update(`${seed}:${index}`, 'utf8').digest('hex');
}

export interface Stratum {
  value: string;
  /** Rows of the population in the stratum. */
  size: number;
}

/**
 * Proportional allocation of `n` rows (at most the population) by largest remainder: per stratum, in
 * the strata's order.
 */
export function allocate(strata: readonly Stratum[], n: number): number[] {
  const total = strata.reduce((sum, s) => sum + s.size, 0);
  if (total === 0) return strata.map(() => 0);
  const take = Math.min(n, total);
  // Exact in integers: n * N_h fits a double exactly for any realistic pack (< 2^53).
  const base = strata.map((s) => Math.floor((take * s.size) / total));
  const remainders = strata.map((s, i) => ({ i, rest: (take * s.size) % total, size: s.size }));
  let left = take - base.reduce((a, b) => a + b, 0);
  remainders.sort((a, b) => b.rest - a.rest || b.size - a.size || a.i - b.i);
  for (const r of remainders) {
    if (left === 0) break;
    if (r.rest === 0) continue;
    base[r.i]!++;
    left--;
  }
  return base;
}

/** The `limit` smallest draw keys seen, with their rows (a max-heap on the key). */
export class SmallestKeys {
  private readonly heap: { key: string; index: number }[] = [];
  constructor(private readonly limit: number) {}

  offer(key: string, index: number): void {
    const heap = this.heap;
    if (this.limit === 0) return;
    if (heap.length < this.limit) {
      heap.push({ key, index });
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (heap[parent]!.key >= heap[i]!.key) break;
        [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
        i = parent;
      }
      return;
    }
    if (key >= heap[0]!.key) return;
    heap[0] = { key, index };
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let largest = i;
      if (l < heap.length && heap[l]!.key > heap[largest]!.key) largest = l;
      if (r < heap.length && heap[r]!.key > heap[largest]!.key) largest = r;
      if (largest === i) break;
      [heap[largest], heap[i]] = [heap[i]!, heap[largest]!];
      i = largest;
    }
  }

  /** The kept rows, smallest key first; at most `count` of them. */
  smallest(count: number): { key: string; index: number }[] {
    return [...this.heap].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).slice(0, count);
  }
}
