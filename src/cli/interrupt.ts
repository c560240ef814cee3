/**
 * Ctrl-C (SIGINT) and SIGTERM during the write phase. The output files and the evidence pack are staged
 * under temporary names next to their targets; an interrupted run removes what it staged before it ends,
 * so no `.q3.json.<hex>.tmp` file or `.pack.<hex>.tmp/` folder is left behind.
 *
 * The handlers exist only while something is staged (outside the write phase a signal ends the process as
 * Node does by default). After cleaning up, the process ends by the same signal, so the shell sees what it
 * always saw: status 130 for SIGINT, 143 for SIGTERM. Moving the staged files into place (a few renames)
 * is not interrupted half-way: a signal that arrives then is acted on once the renames are done, so the
 * outputs are all old or all new.
 *
 * Only the real process installs handlers (`processInterrupts`); tests that run the CLI in-process pass
 * none, and signal tests spawn the binary (tests/cli/signals.test.ts).
 */
import { rmSync } from 'node:fs';
import { constants } from 'node:os';

export interface InterruptGuard {
  /** Runs `work` with signals held back until it is done (then the cleanup runs and the process ends). */
  critical<T>(work: () => Promise<T>): Promise<T>;
  /** Removes the handlers: the write phase is over. */
  release(): void;
}

/** Installs handlers that run `cleanup` (synchronously) and end the process on SIGINT or SIGTERM. */
export type InterruptHandler = (cleanup: () => void) => InterruptGuard;

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export const processInterrupts: InterruptHandler = (cleanup) => {
  let isCritical = false;
  let pending: NodeJS.Signals | undefined;
  const release = () => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
  const end = (signal: NodeJS.Signals) => {
    release();
    try {
      cleanup();
    } finally {
      // With the handlers gone the signal's default action applies: the process ends by it.
      process.kill(process.pid, signal);
      process.exit(128 + (constants.signals[signal] ?? 0));
    }
  };
  function onSignal(signal: NodeJS.Signals): void {
    if (isCritical) pending ??= signal;
    else end(signal);
  }
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return {
    release,
    critical: async (work) => {
      isCritical = true;
      try {
        return await work();
      } finally {
        isCritical = false;
        if (pending) end(pending);
      }
    },
  };
};

/** The temporaries of one write phase: what an interrupted run removes. */
export class Temporaries {
  private readonly paths = new Set<string>();

  add(file: string): void {
    this.paths.add(file);
  }

  delete(file: string): void {
    this.paths.delete(file);
  }

  /** Removes every temporary still staged; never throws (the process is ending). */
  removeAllSync(): void {
    for (const file of this.paths) {
      try {
        rmSync(file, { recursive: true, force: true });
      } catch {
        // Nothing more can be done while the process ends.
      }
    }
    this.paths.clear();
  }
}
