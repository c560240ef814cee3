/**
 * Segments of a KPI (segment_by): the values of the segment field among the rows in the period, and the
 * group of each row.
 */
import type { SourceRows } from '../formula/evaluate.js';
import { type Column, cellValue } from '../sources/table.js';

/** The distinct values of `field` in the period over the sources a formula reads, sorted. */
export function segmentValues(
  sources: readonly string[],
  field: string,
  rows: Map<string, SourceRows>,
): string[] {
  const keys = new Set<string>();
  for (const sourceName of sources) {
    const source = rows.get(sourceName);
    const column = source?.table.columns.get(field);
    if (!source || !column) continue;
    if (column.kind === 'str') {
      // The codes in use, then their texts (free-text columns may hold a text under several codes).
      const used = new Uint8Array(column.dict.length);
      const codes = column.codes;
      if (source.rows) {
        for (const i of source.rows) if (codes[i]! >= 0) used[codes[i]!] = 1;
      } else {
        for (let i = 0; i < source.table.length; i++) if (codes[i]! >= 0) used[codes[i]!] = 1;
      }
      for (let c = 0; c < used.length; c++) if (used[c]) keys.add(column.dict[c]!);
      continue;
    }
    const visit = (i: number) => {
      const v = cellValue(column, i);
      if (v !== null) keys.add(Array.isArray(v) ? v.join(', ') : String(v));
    };
    if (source.rows) for (const i of source.rows) visit(i);
    else for (let i = 0; i < source.table.length; i++) visit(i);
  }
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The group of each of the n rows: offset + the position of its segment value in keys, -1 for none. */
export function segmentIndex(column: Column, n: number, keys: string[], offset: number): Int32Array {
  const position = new Map(keys.map((k, i) => [k, offset + i]));
  const out = new Int32Array(n).fill(-1);
  if (column.kind === 'str') {
    const byCode = column.dict.map((s) => position.get(s) ?? -1);
    for (let i = 0; i < n; i++) {
      const c = column.codes[i]!;
      out[i] = c < 0 ? -1 : byCode[c]!;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const v = cellValue(column, i);
    out[i] = v === null ? -1 : (position.get(Array.isArray(v) ? v.join(', ') : String(v)) ?? -1);
  }
  return out;
}
