/**
 * Segments of a KPI (segment_by): which segments it has, and the segment of each row.
 *
 * Rules (docs/catalogue.md, 3.4; decided in issue 14):
 * - The values of one field: an enum field's declared `values`, in declared order, every one of them
 *   whether or not a row has it (a severity with no incident this quarter shows 0, it does not vanish);
 *   then the values found in the period that are not declared, in text order (code unit order, as
 *   before). A field that is not an enum has the values found in the period, in text order.
 * - Several fields (`segment_by: [site, severity]`): the segments are the combinations, ordered field by
 *   field in segment_by order, each field by its own order. Text fields combine as found together on
 *   a row (a site that never had a system does not get that combination); every combination of them
 *   is crossed with every value of each enum field.
 * - Key: the value for one field (the JSON shape of before); for several, the values joined with " / "
 *   in segment_by order, and `keys` gives each by field name.
 * - A row with no value in a segment field belongs to no segment (it still counts in the total).
 */
import type { Catalogue } from '../catalogue/compile.js';
import type { SourceRows } from '../formula/evaluate.js';
import { type Column, cellValue, type Table } from '../sources/table.js';

export const KEY_SEPARATOR = ' / ';

export interface SegmentLayout {
  /** The segment fields, in segment_by order (empty: no segments). */
  fields: readonly string[];
  /** The values of each field, in order (enum declared values first). */
  values: string[][];
  /** One entry per segment, in order: the position of its value in `values` of each field. */
  segments: Int32Array[];
}

/** What one segment is called in the report: its key, and for several fields the value of each. */
export function segmentLabel(
  layout: SegmentLayout,
  segment: number,
): { key: string; keys?: Record<string, string> } {
  const picked = layout.segments[segment]!;
  const values = layout.fields.map((_, f) => layout.values[f]![picked[f]!]!);
  if (values.length === 1) return { key: values[0]! };
  return {
    key: values.join(KEY_SEPARATOR),
    keys: Object.fromEntries(layout.fields.map((f, i) => [f, values[i]!])),
  };
}

/** A unique id of a segment (how derived KPIs find the same segment of another KPI). */
export function segmentId(layout: SegmentLayout, segment: number): string {
  const label = segmentLabel(layout, segment);
  return label.keys ? JSON.stringify(Object.values(label.keys)) : label.key;
}

/** The segments of a KPI over the rows of the period of the sources its formula aggregates over. */
export function segmentLayout(
  fields: readonly string[],
  sources: readonly string[],
  catalogue: Catalogue,
  rows: Map<string, SourceRows>,
): SegmentLayout {
  if (fields.length === 0) return { fields, values: [], segments: [] };
  const declared = fields.map((f) => declaredValues(f, sources, catalogue));
  const values = fields.map((f, i) => {
    const found = foundValues(sources, f, rows).filter((v) => !declared[i]!.includes(v));
    return [...declared[i]!, ...found];
  });
  if (fields.length === 1) return { fields, values, segments: values[0]!.map((_, i) => Int32Array.of(i)) };
  // Text fields: the combinations found together on a row; enum fields: all their values.
  const text = fields.map((_, i) => i).filter((i) => declared[i]!.length === 0);
  const combos = foundCombinations(text, fields, values, sources, rows);
  let segments: Int32Array[] = combos.map((combo) => {
    const s = new Int32Array(fields.length).fill(-1);
    text.forEach((f, j) => {
      s[f] = combo[j]!;
    });
    return s;
  });
  fields.forEach((_, f) => {
    if (declared[f]!.length === 0) return;
    segments = segments.flatMap((s) =>
      values[f]!.map((_, v) => {
        const copy = Int32Array.from(s);
        copy[f] = v;
        return copy;
      }),
    );
  });
  segments.sort(compareTuples);
  return { fields, values, segments };
}

function compareTuples(a: Int32Array, b: Int32Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** The declared values of `field` where it is an enum, in order, over the sources (first declaration first). */
function declaredValues(field: string, sources: readonly string[], catalogue: Catalogue): string[] {
  const out: string[] = [];
  for (const name of sources) {
    const spec = catalogue.sources.get(name)?.fields.find((f) => f.name === field);
    if (spec?.type !== 'enum') continue;
    for (const v of spec.values) if (!out.includes(v)) out.push(v);
  }
  return out;
}

/** The distinct values of `field` in the period over the sources a formula reads, sorted. */
function foundValues(sources: readonly string[], field: string, rows: Map<string, SourceRows>): string[] {
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
      const v = textOf(column, i);
      if (v !== null) keys.add(v);
    };
    if (source.rows) for (const i of source.rows) visit(i);
    else for (let i = 0; i < source.table.length; i++) visit(i);
  }
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A cell as segment text: lists as `a, b`, numbers and booleans as written by String(). */
function textOf(column: Column, row: number): string | null {
  const v = cellValue(column, row);
  return v === null ? null : Array.isArray(v) ? v.join(', ') : String(v);
}

/** The combinations of the text fields' value positions found together on a row in the period. */
function foundCombinations(
  text: number[],
  fields: readonly string[],
  values: string[][],
  sources: readonly string[],
  rows: Map<string, SourceRows>,
): number[][] {
  if (text.length === 0) return [[]];
  const seen = new Map<string, number[]>();
  for (const name of sources) {
    const source = rows.get(name);
    if (!source) continue;
    const positions = text.map((f) => {
      const column = source.table.columns.get(fields[f]!);
      return column ? valuePositions(column, source.table.length, values[f]!) : null;
    });
    if (positions.some((p) => p === null)) continue;
    const visit = (i: number) => {
      const combo = positions.map((p) => p![i]!);
      if (combo.some((p) => p < 0)) return;
      const id = combo.join(',');
      if (!seen.has(id)) seen.set(id, combo);
    };
    if (source.rows) for (const i of source.rows) visit(i);
    else for (let i = 0; i < source.table.length; i++) visit(i);
  }
  return [...seen.values()];
}

/** The position of each of the n rows' value in `values`, -1 for none. */
function valuePositions(column: Column, n: number, values: string[]): Int32Array {
  const position = new Map(values.map((k, i) => [k, i]));
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
    const v = textOf(column, i);
    out[i] = v === null ? -1 : (position.get(v) ?? -1);
  }
  return out;
}

/**
 * The group of each of the table's rows: offset + the position of its segment, -1 for none; null when
 * the table has none of the segment fields (the source then gives its total to every segment).
 */
export function segmentIndex(table: Table, layout: SegmentLayout, offset: number): Int32Array | null {
  const columns = layout.fields.map((f) => table.columns.get(f));
  if (columns.every((c) => c === undefined)) return null;
  const n = table.length;
  const positions = columns.map((c, f) =>
    c ? valuePositions(c, n, layout.values[f]!) : new Int32Array(n).fill(-1),
  );
  if (positions.length === 1) {
    const out = positions[0]!;
    for (let i = 0; i < n; i++) if (out[i]! >= 0) out[i] = offset + out[i]!;
    return out;
  }
  // A number per combination (mixed radix over the fields' value counts), then its segment.
  const radix = layout.values.map((v) => v.length);
  const isExact = radix.reduce((p, r) => p * Math.max(r, 1), 1) <= Number.MAX_SAFE_INTEGER;
  const idOf = (tuple: ArrayLike<number>): number | string => {
    if (!isExact) return Array.prototype.join.call(tuple, ',');
    let id = 0;
    for (let f = 0; f < radix.length; f++) id = id * radix[f]! + tuple[f]!;
    return id;
  };
  const groupOf = new Map<number | string, number>();
  layout.segments.forEach((s, i) => {
    groupOf.set(idOf(s), offset + i);
  });
  const out = new Int32Array(n).fill(-1);
  const tuple = new Int32Array(positions.length);
  for (let i = 0; i < n; i++) {
    let isComplete = true;
    for (let f = 0; f < positions.length; f++) {
      const p = positions[f]![i]!;
      if (p < 0) {
        isComplete = false;
        break;
      }
      tuple[f] = p;
    }
    if (isComplete) out[i] = groupOf.get(idOf(tuple)) ?? -1;
  }
  return out;
}
