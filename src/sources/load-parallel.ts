/**
 * Loads several sources at once: small files on the main thread, large ones in a pool of worker threads
 * (one per core), and the largest split into ranges that several workers read at the same time
 * (load-ranges.ts), so that one big export uses every core. The pool takes jobs in the order they come:
 * the ranges of the first large file, then those of the next, so the first source is ready early (its
 * KPIs are then evaluated while the others are read: engine/run.ts).
 */
import { Worker } from 'node:worker_threads';
import { IsmsKpiError } from '../problems.js';
import { memoryShareForThread, outOfMemory } from '../util/memory.js';
import { type PackedColumn, unpackTable } from './column-transfer.js';
import type { LoadedSource } from './intake.js';
import { loadSplit, type RangeRunner } from './load-ranges.js';
import {
  type CsvRange,
  fileSize,
  type LoadOptions,
  type LoadProgress,
  loadSource,
  type RangeResult,
} from './load-source.js';
import type { WorkerRequest } from './load-worker.js';
import type { ResolvedSource } from './resolve.js';

/** Below this size a worker's start-up costs more than it saves. */
export const WORKER_MIN_BYTES = 16 * 1024 * 1024;

/** A file is split into ranges of at least this size (and into at most one range per core). */
export const RANGE_MIN_BYTES = 16 * 1024 * 1024;

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
 * the worker path); `auto` uses a worker for files of WORKER_MIN_BYTES or more. Files of two ranges'
 * size or more are split into up to `parts` ranges (default: the pool's size; `always` with `parts`
 * given splits any file, for tests).
 */
export async function loadSourceAuto(
  job: LoadJob,
  mode: WorkerMode = 'auto',
  pool?: LoadPool,
  parts?: number,
): Promise<LoadedSource> {
  // Several files (load-files.ts) are one job for one worker, their sizes added; loadSplit reads them,
  // and compressed files, whole.
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
  const owned = pool ? undefined : new LoadPool(1);
  const runner = (pool ?? owned!).runner;
  try {
    // `always` with a number of ranges splits small files too (tests of the range path).
    const minBytes = mode === 'always' && parts !== undefined ? 1 : RANGE_MIN_BYTES;
    const ranges = Math.min(parts ?? (pool ?? owned!).size, Math.floor(size / minBytes));
    if (ranges >= 2) return await loadSplit(job.source, options, { parts: ranges }, runner);
    return await runner.whole(job.source, options);
  } finally {
    await owned?.close();
  }
}

const WORKER_URL = new URL('./load-worker.js', import.meta.url);

/** Workers run compiled JavaScript; when running from TypeScript sources (tests), load in-process. */
function workerScriptAvailable(): boolean {
  return !import.meta.url.endsWith('.ts');
}

type Reply =
  | { id: number; progress: LoadProgress }
  | { id: number; keys: string[] }
  | { id: number; ok: true; loaded: Omit<LoadedSource, 'source'>; packed: Map<string, PackedColumn> }
  | {
      id: number;
      ok: true;
      result: Omit<RangeResult, 'loaded'> & { loaded: Omit<LoadedSource, 'source'> | null };
      packed: Map<string, PackedColumn>;
    }
  | { id: number; ok: false; problems?: IsmsKpiError['problems']; crash?: string };

interface Pending {
  resolve: (reply: Reply) => void;
  reject: (error: unknown) => void;
  onProgress?: ((progress: LoadProgress) => void) | undefined;
  /** The file a load job reads, as users see it (for the out-of-memory message). */
  displayPath?: string;
}

interface PoolWorker {
  worker: Worker;
  index: number;
  /** A load job is running on it. */
  isBusy: boolean;
  /** Requests sent to it and not answered (loads and key look-ups). */
  pending: Map<number, Pending>;
}

/**
 * Worker threads for loading, at most `size`, started when first needed and reused for job after job.
 * Close it when done (its idle workers do not keep the process alive, but they hold memory).
 */
export class LoadPool {
  private readonly workers: PoolWorker[] = [];
  private readonly queue: { request: WorkerRequest & { id: number }; pending: Pending }[] = [];
  private nextId = 1;
  private isClosed = false;
  /** Reads ranges and whole files in the pool's workers (for loadSplit). */
  readonly runner: RangeRunner;

  constructor(readonly size: number) {
    this.runner = {
      range: (source, options, range) => this.range(source, options, range),
      whole: (source, options) => this.whole(source, options),
      keys: (result, indexes) => this.keys(result, indexes),
      release: (result) => this.release(result),
    };
  }

  async close(): Promise<void> {
    this.isClosed = true;
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }

  private async whole(source: ResolvedSource, options: LoadOptions): Promise<LoadedSource> {
    const { onProgress, ...sent } = options;
    const reply = await this.submit(
      { id: 0, kind: 'whole', source, options: sent, reportProgress: onProgress !== undefined },
      onProgress,
    );
    if (!('loaded' in reply)) throw new Error('unexpected reply from a loader thread');
    return { ...unpack(reply.loaded, reply.packed), source } as LoadedSource;
  }

  private async range(source: ResolvedSource, options: LoadOptions, range: CsvRange): Promise<RangeResult> {
    const { onProgress, ...sent } = options;
    const reply = await this.submit(
      { id: 0, kind: 'range', source, options: sent, range, reportProgress: onProgress !== undefined },
      onProgress,
    );
    if (!('result' in reply)) throw new Error('unexpected reply from a loader thread');
    const { result } = reply;
    return {
      ...result,
      loaded: result.loaded ? ({ ...unpack(result.loaded, reply.packed), source } as LoadedSource) : null,
    };
  }

  private async keys(result: RangeResult, indexes: readonly number[]): Promise<string[]> {
    const at = result.keysAt;
    if (!at) return indexes.map((i) => result.distinct!.keys[i]!);
    const worker = this.workers.find((w) => w.index === at.worker);
    if (!worker) throw new Error('the loader thread that kept these keys has stopped');
    const request = { id: this.nextId++, kind: 'keys' as const, job: at.job, indexes: [...indexes] };
    const reply = await this.send(worker, request);
    if (!('keys' in reply)) throw new Error('unexpected reply from a loader thread');
    return reply.keys;
  }

  private release(result: RangeResult): void {
    const at = result.keysAt;
    if (!at) return;
    result.keysAt = undefined;
    this.workers.find((w) => w.index === at.worker)?.worker.postMessage({ kind: 'release', job: at.job });
  }

  /** Queues a load job; it runs on the first idle worker. */
  private submit(
    request: Extract<WorkerRequest, { kind: 'whole' | 'range' }>,
    onProgress: ((progress: LoadProgress) => void) | undefined,
  ): Promise<Reply> {
    if (this.isClosed) return Promise.reject(new Error('the loader pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({
        request: { ...request, id: this.nextId++ },
        pending: { resolve, reject, onProgress, displayPath: request.options.displayPath },
      });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let worker = this.workers.find((w) => !w.isBusy);
      if (!worker && this.workers.length < this.size) worker = this.start();
      if (!worker) return;
      const { request, pending } = this.queue.shift()!;
      const w = worker;
      w.isBusy = true;
      this.send(w, request, pending.onProgress).then(
        (reply) => {
          w.isBusy = false;
          // The keys of a range's distinct records stay with the worker that read it.
          if ('result' in reply && reply.result.distinct)
            reply.result.keysAt = { worker: w.index, job: request.id };
          pending.resolve(reply);
          this.dispatch();
        },
        (error: unknown) => {
          w.isBusy = false;
          pending.reject(error);
          this.dispatch();
        },
      );
    }
  }

  /** Sends a request to a worker; settles with its reply (a failure reply becomes a rejection). */
  private send(
    worker: PoolWorker,
    request: WorkerRequest & { id: number },
    onProgress?: (progress: LoadProgress) => void,
  ): Promise<Reply> {
    return new Promise((resolve, reject) => {
      worker.pending.set(request.id, {
        resolve: (reply) => {
          if ('ok' in reply && !reply.ok)
            reject(
              reply.problems ? new IsmsKpiError(reply.problems) : new Error(reply.crash ?? 'worker failed'),
            );
          else resolve(reply);
        },
        reject,
        onProgress,
      });
      worker.worker.ref();
      worker.worker.postMessage(request);
    });
  }

  private start(): PoolWorker {
    // The loader never prints; not piping its stdout keeps process.stdout free of one listener per worker.
    // Each thread reports its heap use to the memory guard through a share (util/memory.ts).
    const memory = memoryShareForThread();
    const worker = new Worker(WORKER_URL, { workerData: { memory: memory.share }, stdout: true });
    const entry: PoolWorker = { worker, index: this.nextId++, isBusy: false, pending: new Map() };
    this.workers.push(entry);
    worker.on('message', (reply: Reply) => {
      const pending = entry.pending.get(reply.id);
      if (!pending) return;
      if ('progress' in reply) {
        pending.onProgress?.(reply.progress);
        return;
      }
      entry.pending.delete(reply.id);
      if (entry.pending.size === 0) worker.unref();
      pending.resolve(reply);
    });
    const fail = (error: unknown) => {
      const index = this.workers.indexOf(entry);
      if (index >= 0) this.workers.splice(index, 1);
      for (const pending of entry.pending.values()) {
        // The thread's heap ran out between two checks of the memory guard: the same one-line error.
        if ((error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY')
          pending.reject(
            outOfMemory(
              `reading ${pending.displayPath ?? 'the exports'}`,
              'fewer KPIs, or the export split by period',
            ),
          );
        else pending.reject(error);
      }
      entry.pending.clear();
      if (!this.isClosed) this.dispatch();
    };
    worker.once('error', fail);
    worker.once('exit', (code) => {
      memory.release();
      fail(new Error(`worker stopped with exit code ${code}`));
    });
    worker.unref();
    return entry;
  }
}

/** A table from a worker with its packed columns restored (column-transfer.ts). */
function unpack(
  loaded: Omit<LoadedSource, 'source'>,
  packed: Map<string, PackedColumn>,
): Omit<LoadedSource, 'source'> {
  return unpackTable(loaded, packed);
}
