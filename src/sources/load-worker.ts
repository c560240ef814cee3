/**
 * Worker-thread entry: reads whole sources and ranges of sources (load-ranges.ts) for the pool in
 * load-parallel.ts, one job at a time, and sends each table back, moving (not copying) its typed arrays.
 * A range of a source that drops duplicates keeps the keys of its records here until the pool asks for
 * some of them (to compare with other ranges) or lets them go.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { IsmsKpiError } from '../problems.js';
import { allocationProblem, isAllocationFailure, joinMemoryShare, type MemoryShare } from '../util/memory.js';
import { type PackedColumn, packTable } from './column-transfer.js';
import type { LoadedSource } from './intake.js';
import { type CsvRange, type LoadOptions, loadRange, loadSource } from './load-source.js';
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

// Where this thread reports its memory use (util/memory.ts).
joinMemoryShare((workerData as { memory?: MemoryShare } | null)?.memory);

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
    const packed = result.loaded ? pack(result.loaded, transfer) : new Map<string, PackedColumn>();
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
    else if (isAllocationFailure(error))
      port.postMessage({ id, ok: false, problems: allocationProblem().problems });
    else
      port.postMessage({
        id,
        ok: false,
        crash: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
  }
}

/** The typed arrays of a table to move, its large dictionaries and text packed (column-transfer.ts). */
function pack(loaded: LoadedSource, transfer: ArrayBuffer[]): Map<string, PackedColumn> {
  return packTable(loaded, transfer);
}

/** The resolved source is not sent back: the pool has it (and it holds compiled functions). */
function withoutSource(loaded: LoadedSource): Omit<LoadedSource, 'source'> {
  const { source: _resolved, ...rest } = loaded;
  return rest;
}
