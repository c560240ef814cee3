/**
 * Worker-thread entry: loads one source and sends the table back, moving (not copying) its typed arrays.
 * Used by load-parallel.ts so large exports are read on several cores at once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { IsmsKpiError } from '../problems.js';
import { allocationProblem, isAllocationFailure, joinMemoryShare, type MemoryShare } from '../util/memory.js';
import { type PackedColumn, packColumn } from './column-transfer.js';
import { type LoadOptions, loadSource } from './load-source.js';
import type { ResolvedSource } from './resolve.js';

interface Job {
  source: ResolvedSource;
  options: LoadOptions;
  reportProgress: boolean;
  /** Where this thread reports its memory use (util/memory.ts). */
  memory?: MemoryShare;
}

const { source, options, reportProgress, memory } = workerData as Job;
joinMemoryShare(memory);

try {
  const loaded = await loadSource(source, {
    ...options,
    ...(options.onProgress === undefined && reportProgress
      ? { onProgress: (progress) => parentPort!.postMessage({ progress }) }
      : {}),
  });
  const transfer: ArrayBuffer[] = [
    loaded.table.line.buffer as ArrayBuffer,
    loaded.table.record.buffer as ArrayBuffer,
  ];
  const packed = new Map<string, PackedColumn>();
  for (const [name, column] of loaded.table.columns) packed.set(name, packColumn(column, transfer));
  const { source: _resolved, ...rest } = loaded;
  const table = { ...rest.table, columns: new Map() };
  parentPort!.postMessage({ ok: true, loaded: { ...rest, table }, packed }, transfer);
} catch (error) {
  if (error instanceof IsmsKpiError) parentPort!.postMessage({ ok: false, problems: error.problems });
  else if (isAllocationFailure(error))
    parentPort!.postMessage({ ok: false, problems: allocationProblem().problems });
  else
    parentPort!.postMessage({
      ok: false,
      crash: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
}
