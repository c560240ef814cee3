/**
 * Columns cross from a worker thread to the main thread without copying their data: typed arrays and
 * text pages are transferred (moved), large string dictionaries go as one string plus offsets
 * (pack-dict.ts). Text stores are classes, which a message cannot carry, so they travel as their parts.
 */
import { PACK_MIN_ENTRIES, type PackedDict, packDict, unpackDict } from './pack-dict.js';
import type { Column, ItemColumn, Table } from './table.js';
import { textStoreFrom } from './text-store.js';

type PackedItems =
  | { kind: 'str'; type: 'string' | 'enum'; codes: Int32Array; dict: string[] | PackedDict }
  | {
      kind: 'text';
      type: 'string' | 'enum';
      pages: Uint8Array[];
      pageRows: Int32Array;
      ends: Int32Array;
      odd: Map<number, string>;
    };

export type PackedColumn =
  | Extract<Column, { kind: 'num' | 'bool' }>
  | PackedItems
  | { kind: 'list'; type: 'list'; ends: Int32Array; items: PackedItems };

/**
 * A table's columns as message parts, for a worker's reply: the table keeps its line and record numbers
 * (moved too) but gives up its columns, which travel in the returned map (unpackTable puts them back).
 * The one call a worker makes for each table it sends (load-worker.ts).
 */
export function packTable(loaded: { table: Table }, transfer: ArrayBuffer[]): Map<string, PackedColumn> {
  const { table } = loaded;
  transfer.push(table.line.buffer as ArrayBuffer, table.record.buffer as ArrayBuffer);
  const packed = new Map<string, PackedColumn>();
  for (const [name, column] of table.columns) packed.set(name, packColumn(column, transfer));
  table.columns = new Map();
  return packed;
}

/** The columns of a table from a worker (packTable) put back; returns the same object. */
export function unpackTable<T extends { table: Table }>(loaded: T, packed: Map<string, PackedColumn>): T {
  for (const [name, column] of packed) loaded.table.columns.set(name, unpackColumn(column));
  return loaded;
}

/** The column as a message part; the buffers it moves are added to `transfer`. */
export function packColumn(column: Column, transfer: ArrayBuffer[]): PackedColumn {
  switch (column.kind) {
    case 'num':
    case 'bool':
      transfer.push(column.values.buffer as ArrayBuffer);
      return column;
    case 'str':
    case 'text':
      return packItems(column, transfer);
    case 'list':
      transfer.push(column.ends.buffer as ArrayBuffer);
      return { kind: 'list', type: 'list', ends: column.ends, items: packItems(column.items, transfer) };
  }
}

function packItems(column: ItemColumn, transfer: ArrayBuffer[]): PackedItems {
  if (column.kind === 'str') {
    transfer.push(column.codes.buffer as ArrayBuffer);
    if (column.dict.length < PACK_MIN_ENTRIES) return column;
    const dict = packDict(column.dict);
    transfer.push(dict.offsets.buffer as ArrayBuffer);
    return { ...column, dict };
  }
  const { pages, pageRows, ends, odd } = column.text;
  for (const page of pages) transfer.push(page.buffer as ArrayBuffer);
  transfer.push(pageRows.buffer as ArrayBuffer, ends.buffer as ArrayBuffer);
  return { kind: 'text', type: column.type, pages: [...pages], pageRows, ends, odd: new Map(odd) };
}

export function unpackColumn(packed: PackedColumn): Column {
  switch (packed.kind) {
    case 'num':
    case 'bool':
      return packed;
    case 'str':
    case 'text':
      return unpackItems(packed);
    case 'list':
      return { kind: 'list', type: 'list', ends: packed.ends, items: unpackItems(packed.items) };
  }
}

function unpackItems(packed: PackedItems): ItemColumn {
  if (packed.kind === 'text') return { kind: 'text', type: packed.type, text: textStoreFrom(packed) };
  const dict = Array.isArray(packed.dict) ? packed.dict : unpackDict(packed.dict);
  return { kind: 'str', type: packed.type, codes: packed.codes, dict };
}
