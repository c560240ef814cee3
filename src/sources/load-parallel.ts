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

/** Where sources are read: large files in worker threads (auto), always there, or never. */
export type WorkerMode = 'auto' | 'always' | 'never';

/** Progress of one source with the size of its file, so a display can draw a bar (0 when unknown). */
export type SourceProgress = LoadProgress & { totalBytes: number };

export interface LoadJob {
  source: ResolvedSource;
  options: Omit<LoadOptions, 'onProgress'> & { onProgress?: (progress: SourceProgress) => void };
}

/**
 * `never` keeps everything on the main thread; `always` uses workers whatever the size (for tests of
 * the worker path); `auto` uses a worker for files of WORKER_MIN_BYTES or more.
 */
export async function loadSourceAuto(job: LoadJob, mode: WorkerMode = 'auto'): Promise<LoadedSource> {
  const files = job.options.files;
  const size = files
    ? (await Promise.all(files.map((f) => fileSize(f.path)))).reduce((a, b) => a + b, 0)
    : await fileSize(job.options.path);
  const { onProgress, ...rest } = job.options;
  const options: LoadOptions = {
    ...rest,
    ...(onProgress ? { onProgress: (p: LoadProgress) => onProgress({ ...p, totalBytes: size }) } : {}),
  };
  const isWorker = mode === 'always' || (mode === 'auto' && size >= WORKER_MIN_BYTES);
  if (!isWorker || !workerScriptAvailable()) return loadSource(job.source, options);
  return loadInWorker({ source: job.source, options });
}

const WORKER_URL = new URL('./load-worker.js', import.meta.url);

/** Workers run compiled JavaScript; when running from TypeScript sources (tests), load in-process. */
function workerScriptAvailable(): boolean {
  return !import.meta.url.endsWith('.ts');
}

function loadInWorker(job: { source: ResolvedSource; options: LoadOptions }): Promise<LoadedSource> {
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
