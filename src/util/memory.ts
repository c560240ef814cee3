/**
 * The memory guard (issue 16): a run that would need more memory than it may use stops with one clear
 * line (`memory`, exit 2, nothing written) instead of V8's "JavaScript heap out of memory" abort (exit
 * 134, a stack trace, nothing written either).
 *
 * What a run may use: the V8 heap limit (Node's default depends on the machine's memory; set it with
 * `node --max-old-space-size=MB` or NODE_OPTIONS), for everything isms-kpi keeps: JavaScript objects
 * and the typed arrays and text pages its tables live in (these are outside the V8 heap, so V8 would
 * not stop them), summed over the threads that read sources at the same time (each thread reports its
 * share in a shared array). Decision: one limit the user already knows how to set, rather than a new
 * option; the price is that a run is stopped slightly earlier than V8 itself would stop it.
 *
 * It is checked at safe points, where stopping leaves nothing half done: per block read of an export,
 * per KPI evaluated, per piece of the evidence pack. Above MAX_SHARE of the limit the garbage is
 * collected first (a full collection, which V8 would otherwise run itself near the limit), so only
 * memory still in use counts. Between two safe points a single step can still allocate more (one
 * formula over a very large source); the share left over is for that.
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { IsmsKpiError, problem } from '../problems.js';

/** Share of the limit a run may fill at a safe point. */
export const MAX_SHARE = 0.85;

/** Slots of the shared usage array: one per thread (0 = the main thread). */
const SLOTS = 64;

export interface MemoryShare {
  buffer: SharedArrayBuffer;
  slot: number;
}

let shared: Float64Array | undefined;
let ownSlot = 0;
let nextSlot = 1;
let collect: (() => void) | null | undefined;

/** This thread's usage: its heap and the buffers it allocated (tables, text pages), in bytes. */
export function memoryInUse(): number {
  const h = v8.getHeapStatistics();
  return h.used_heap_size + h.external_memory;
}

/**
 * The limit: the old generation's limit (`--max-old-space-size`; every thread has the same), which is
 * where V8 aborts. heap_size_limit adds the young generation's reserve (three semi-spaces, 48 MB by
 * default) to it: measured against that sum, a run with --max-old-space-size=64 (limit 112 MB) could
 * reach V8's abort at 64 MB before the guard's 85 %. The young generation is empty after the full
 * collection checkMemory runs before it decides, so comparing the heap in use with the old
 * generation's limit is exact there.
 */
export function memoryLimit(): number {
  const total = v8.getHeapStatistics().heap_size_limit;
  const young = 3 * semiSpaceMb() * 1048576;
  return total > 2 * young ? total - young : total / 2;
}

/** V8's largest semi-space in MB: 16 unless `--max-semi-space-size` is given to node or in NODE_OPTIONS. */
function semiSpaceMb(): number {
  const options = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  let mb = 16;
  for (const option of options) {
    const m = /^--max[-_]semi[-_]space[-_]size=(\d+)$/.exec(option);
    if (m) mb = Number(m[1]);
  }
  return mb;
}

/**
 * A slot for a thread that is about to start (main thread only); pass it in the worker's data and call
 * joinMemoryShare there. release() when the thread has ended.
 */
export function memoryShareForThread(): { share: MemoryShare; release: () => void } {
  shared ??= new Float64Array(new SharedArrayBuffer(SLOTS * 8));
  let slot = nextSlot;
  // Slots are reused once their thread has ended (a slot in use holds a positive number).
  for (let tries = 0; tries < SLOTS && (shared[slot]! > 0 || slot === 0); tries++) slot = (slot + 1) % SLOTS;
  nextSlot = (slot + 1) % SLOTS;
  shared[slot] = 1;
  const view = shared;
  return {
    share: { buffer: view.buffer as SharedArrayBuffer, slot },
    release: () => {
      view[slot] = 0;
    },
  };
}

/** In a worker thread: report this thread's usage into the main thread's array. */
export function joinMemoryShare(share: MemoryShare | undefined): void {
  if (!share) return;
  shared = new Float64Array(share.buffer);
  ownSlot = share.slot;
}

/** Memory in use by every thread of the run (this thread's measured now). */
function totalInUse(): number {
  const own = memoryInUse();
  if (!shared) return own;
  shared[ownSlot] = own;
  let total = 0;
  for (let s = 0; s < SLOTS; s++) total += shared[s]!;
  return total;
}

/** A full garbage collection, where Node lets a program ask for one (else nothing). */
function collectGarbage(): void {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
}

const mb = (bytes: number) => Math.round(bytes / 1048576);

/**
 * Stops the run with a `memory` problem when it uses more than MAX_SHARE of what it may use.
 * `doing` says what was being done ("reading incidents.csv"), `hint` how to need less.
 */
export function checkMemory(doing: string, hint = 'fewer KPIs or a shorter period'): void {
  const limit = memoryLimit();
  if (totalInUse() <= limit * MAX_SHARE) return;
  collectGarbage();
  const used = totalInUse();
  if (used <= limit * MAX_SHARE) return;
  throw outOfMemory(doing, hint, used);
}

/** The `memory` problem: `doing` ran out of memory (`used`: how much was in use, when known). */
export function outOfMemory(doing: string, hint: string, used?: number): IsmsKpiError {
  const limit = memoryLimit();
  const inUse = used === undefined ? 'needs more than the' : `${mb(used)} MB in use of the`;
  return new IsmsKpiError(
    problem(
      'memory',
      `not enough memory while ${doing}: ${inUse} ${mb(limit)} MB isms-kpi may use; nothing was written. Give Node more (NODE_OPTIONS=--max-old-space-size=${nextLimit(limit)}) or ask for less: ${hint}`,
    ),
  );
}

/** A larger limit to suggest: twice the current one, in MB, rounded up to a multiple of 1024 (at least 2048). */
function nextLimit(limit: number): number {
  return Math.max(2048, Math.ceil((mb(limit) * 2) / 1024) * 1024);
}

/** Whether an error is a buffer the system would not allocate (a RangeError; V8's heap abort cannot be caught). */
export function isAllocationFailure(error: unknown): boolean {
  return error instanceof RangeError && /Array buffer allocation failed/.test(error.message);
}

/** The `memory` problem for a buffer allocation that failed. */
export function allocationProblem(): IsmsKpiError {
  return new IsmsKpiError(
    problem(
      'memory',
      'not enough memory: the system refused to allocate a buffer; nothing was written. Close other programs, or ask for less: fewer KPIs or a shorter period',
    ),
  );
}
