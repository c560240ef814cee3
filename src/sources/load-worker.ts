/**
 * Worker-thread entry: reads whole sources and ranges of sources (load-ranges.ts) for the pool in
 * load-parallel.ts, one job at a time, and sends each table back, moving (not copying) its typed arrays.
 * A range of a source that drops duplicates keeps the keys of its records here until the pool asks for
 * some of them (to compare with other ranges) or lets them go.
 */
import { parentPort } from 'node:worker_threads';
import { IsmsKpiError } from '../problems.js';
import type { LoadedSource } from './intake.js';
import { type CsvRange, type LoadOptions, loadRange, loadSource } from './load-source.js';
import { PACK_MIN_ENTRIES, type PackedDict, packDict } from './pack-dict.js';
import type { ResolvedSource } from './resolve.js';

export type WorkerRequest =
  | { id: number; kind: 'whole'; source: ResolvedSource; options: LoadOptions; reportProgress: boolean }
  | {
      id: number;
      kind: 'range';
      source: ResolvedSource;
      options: LoadOptions;
      range: CsvRange;
      reportProgress: boolean;
    }
  | { id: number; kind: 'keys'; job: number; indexes: number[] }
  | { kind: 'release'; job: number };

/** Keys of the distinct records of range jobs, by job id. */
const keptKeys = new Map<number, string[]>();

const port = parentPort!;
port.on('message', (request: WorkerRequest) => {
  switch (request.kind) {
    case 'keys': {
      const keys = keptKeys.get(request.job) ?? [];
      port.postMessage({ id: request.id, keys: request.indexes.map((i) => keys[i]!) });
      return;
    }
    case 'release':
      keptKeys.delete(request.job);
      return;
    default:
      void run(request);
  }
});

async function run(request: Extract<WorkerRequest, { kind: 'whole' | 'range' }>): Promise<void> {
  const { id, source, reportProgress } = request;
  const options: LoadOptions = {
    ...request.options,
    ...(reportProgress ? { onProgress: (progress) => port.postMessage({ id, progress }) } : {}),
  };
  try {
    if (request.kind === 'whole') {
      const loaded = await loadSource(source, options);
      const transfer: ArrayBuffer[] = [];
      const packed = pack(loaded, transfer);
      port.postMessage({ id, ok: true, loaded: withoutSource(loaded), packed }, transfer);
      return;
    }
    const result = await loadRange(source, options, request.range);
    const transfer: ArrayBuffer[] = [];
    const packed = result.loaded ? pack(result.loaded, transfer) : new Map<string, PackedDict>();
    const { loaded, distinct, ...rest } = result;
    let sent = {};
    if (distinct) {
      keptKeys.set(id, distinct.keys);
      const { keys: _kept, ...arrays } = distinct;
      for (const a of Object.values(arrays)) transfer.push(a.buffer as ArrayBuffer);
      sent = { distinct: arrays };
    }
    port.postMessage(
      { id, ok: true, result: { ...rest, ...sent, loaded: loaded ? withoutSource(loaded) : null }, packed },
      transfer,
    );
  } catch (error) {
    if (error instanceof IsmsKpiError) port.postMessage({ id, ok: false, problems: error.problems });
    else
      port.postMessage({
        id,
        ok: false,
        crash: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
  }
}

/** The typed arrays of a table to move, and its large dictionaries packed (they are cleared here). */
function pack(loaded: LoadedSource, transfer: ArrayBuffer[]): Map<string, PackedDict> {
  transfer.push(loaded.table.line.buffer as ArrayBuffer, loaded.table.record.buffer as ArrayBuffer);
  const packed = new Map<string, PackedDict>();
  for (const [name, column] of loaded.table.columns) {
    if (column.kind === 'num' || column.kind === 'bool') transfer.push(column.values.buffer as ArrayBuffer);
    if (column.kind === 'str') {
      transfer.push(column.codes.buffer as ArrayBuffer);
      if (column.dict.length >= PACK_MIN_ENTRIES) {
        const dict = packDict(column.dict);
        packed.set(name, dict);
        transfer.push(dict.offsets.buffer as ArrayBuffer);
        column.dict = [];
      }
    }
  }
  return packed;
}

/** The resolved source is not sent back: the pool has it (and it holds compiled functions). */
function withoutSource(loaded: LoadedSource): Omit<LoadedSource, 'source'> {
  const { source: _resolved, ...rest } = loaded;
  return rest;
}
