/**
 * Loads several sources at once: small files on the main thread, large ones in worker threads (one per
 * file, so a 2-core machine reads two big exports side by side).
 */
import { Worker } from 'node:worker_threads';
import { IsmsKpiError } from '../problems.js';
import {
  fileSize,
  type LoadedSource,
  type LoadOptions,
  type LoadProgress,
  loadSource,
} from './load-source.js';
import { type PackedDict, unpackDict } from './pack-dict.js';
import type { ResolvedSource } from './resolve.js';

/** Below this size a worker's start-up costs more than it saves. */
export const WORKER_MIN_BYTES = 16 * 1024 * 1024;

export interface LoadJob {
  source: ResolvedSource;
  options: LoadOptions;
}

/**
 * `ISMS_KPI_WORKERS=never` keeps everything on the main thread; `always` uses workers whatever the size
 * (for tests of the worker path).
 */
export async function loadSourceAuto(
  job: LoadJob,
  mode = process.env.ISMS_KPI_WORKERS,
): Promise<LoadedSource> {
  if (mode === 'never' || !workerScriptAvailable()) return loadSource(job.source, job.options);
  if (mode !== 'always') {
    const size = await fileSize(job.options.path);
    if (size < WORKER_MIN_BYTES) return loadSource(job.source, job.options);
  }
  return loadInWorker(job);
}

const WORKER_URL = new URL('./load-worker.js', import.meta.url);

/** Workers run compiled JavaScript; when running from TypeScript sources (tests), load in-process. */
function workerScriptAvailable(): boolean {
  return !import.meta.url.endsWith('.ts');
}

function loadInWorker(job: LoadJob): Promise<LoadedSource> {
  return new Promise((resolve, reject) => {
    const { onProgress, ...options } = job.options;
    const workerData = { source: job.source, options, reportProgress: onProgress !== undefined };
    // The loader never prints; not piping its stdout keeps process.stdout free of one listener per worker.
    const worker = new Worker(WORKER_URL, { workerData, stdout: true });
    let isSettled = false;
    type Message =
      | { progress: LoadProgress }
      | { ok: true; loaded: Omit<LoadedSource, 'source'>; packed: Map<string, PackedDict> }
      | { ok: false; problems?: IsmsKpiError['problems']; crash?: string };
    worker.on('message', (message: Message) => {
      if ('progress' in message) {
        onProgress?.(message.progress);
        return;
      }
      isSettled = true;
      if (message.ok) {
        for (const [name, dict] of message.packed) {
          const column = message.loaded.table.columns.get(name);
          if (column?.kind === 'str') column.dict = unpackDict(dict);
        }
        resolve({ ...message.loaded, source: job.source });
      } else if (message.problems) reject(new IsmsKpiError(message.problems));
      else reject(new Error(message.crash ?? 'worker failed'));
    });
    worker.once('error', (error) => {
      if (!isSettled) reject(error);
    });
    worker.once('exit', (code) => {
      if (!isSettled) reject(new Error(`worker stopped with exit code ${code}`));
    });
  });
}
