/**
 * Which rows a period and its cadence windows hold: the rows of an events source in the period, and the
 * window of each row. Snapshots keep every row and have no windows.
 */
import type { SourceRows } from '../formula/evaluate.js';
import type { LoadedSource } from '../sources/load-source.js';
import type { Column, Table } from '../sources/table.js';
import type { Period } from '../time/period.js';

/** selectPeriod results by table, then by period: a run evaluates the same period more than once. */
const selections = new WeakMap<Table, Map<string, SourceRows>>();

/** Rows of an events source whose time field falls in [start, end); snapshots keep every row. */
export function selectPeriod(loaded: LoadedSource, period: Pick<Period, 'start' | 'end'>): SourceRows {
  const key = `${loaded.source.timeField ?? ''}\u0000${period.start}\u0000${period.end}`;
  let byPeriod = selections.get(loaded.table);
  const known = byPeriod?.get(key);
  if (known) return known;
  const selection = computeSelection(loaded, period);
  if (!byPeriod) {
    byPeriod = new Map();
    selections.set(loaded.table, byPeriod);
  }
  byPeriod.set(key, selection);
  return selection;
}

/**
 * The rows `cumulative(source)` selects: those of an events source whose time is before `end`, from the
 * beginning of the export (no lower bound). Snapshots keep every row (the checker refuses them anyway).
 */
export function selectUpTo(loaded: LoadedSource, end: number): SourceRows {
  return selectPeriod(loaded, { start: Number.NEGATIVE_INFINITY, end });
}

/** The rows an aggregate reads: the period's, or for cumulative(source) everything before the period end. */
export function selectFor(
  loaded: LoadedSource,
  period: Pick<Period, 'start' | 'end'>,
  cumulative: boolean,
): SourceRows {
  return cumulative ? selectUpTo(loaded, period.end) : selectPeriod(loaded, period);
}

function computeSelection(loaded: LoadedSource, period: Pick<Period, 'start' | 'end'>): SourceRows {
  const { table, source } = loaded;
  if (source.kind !== 'events' || !source.timeField) return { table, rows: null, mask: null };
  const column = table.columns.get(source.timeField);
  if (column?.kind !== 'num') return { table, rows: null, mask: null };
  const times = column.values;
  const mask = new Uint8Array(table.length);
  let count = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (t >= period.start && t < period.end) {
      mask[i] = 1;
      count++;
    }
  }
  if (count === table.length) return { table, rows: null, mask: null };
  const rows = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) rows[k++] = i;
  return { table, rows, mask };
}

/** The group of each row: 1 + the index of the window its time falls in, -1 for none. */
export function windowIndex(column: Column, windows: Period[]): Int32Array {
  const out = new Int32Array(column.kind === 'num' ? column.values.length : 0).fill(-1);
  if (column.kind !== 'num') return out;
  const values = column.values;
  for (let i = 0; i < values.length; i++) {
    const t = values[i]!;
    for (let w = 0; w < windows.length; w++) {
      if (t >= windows[w]!.start && t < windows[w]!.end) {
        out[i] = 1 + w;
        break;
      }
    }
  }
  return out;
}
