/**
 * Worker-thread entry: loads one source and sends the table back, moving (not copying) its typed arrays.
 * Used by load-parallel.ts so large exports are read on several cores at once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { IsmsKpiError } from '../problems.js';
import { type LoadOptions, loadSource } from './load-source.js';
import { PACK_MIN_ENTRIES, type PackedDict, packDict } from './pack-dict.js';
import type { ResolvedSource } from './resolve.js';

interface Job {
  source: ResolvedSource;
  options: LoadOptions;
  reportProgress: boolean;
}

const { source, options, reportProgress } = workerData as Job;

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
  const { source: _resolved, ...rest } = loaded;
  parentPort!.postMessage({ ok: true, loaded: rest, packed }, transfer);
} catch (error) {
  if (error instanceof IsmsKpiError) parentPort!.postMessage({ ok: false, problems: error.problems });
  else
    parentPort!.postMessage({
      ok: false,
      crash: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
}
