/**
 * Worker-thread entry: loads one source and sends the table back, moving (not copying) its typed arrays.
 * Used by load-parallel.ts so large exports are read on several cores at once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { IsmsKpiError } from '../problems.js';
import { allocationProblem, isAllocationFailure, joinMemoryShare, type MemoryShare } from '../util/memory.js';
import { packTable } from './column-transfer.js';
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
  const transfer: ArrayBuffer[] = [];
  const packed = packTable(loaded, transfer);
  const { source: _resolved, ...rest } = loaded;
  parentPort!.postMessage({ ok: true, loaded: rest, packed }, transfer);
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
