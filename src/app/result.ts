/** What a use case returns: what to print, what to write, what went wrong, and how it ended. */
import type { PackSink } from '../evidence/write-pack.js';
import type { Problem } from '../problems.js';
import type { Outcome } from './exit-policy.js';

/** A file to write; `file` as the user gave it (relative to the working directory). */
export interface Document {
  file: string;
  content: string | Uint8Array;
  /** `content` is HTML that the CLI prints to PDF with this browser (src/cli/pdf.ts) before writing. */
  printWith?: { browser: string };
}

export interface CommandResult {
  /** Text for standard output. */
  stdout?: string;
  /** `stdout` carries colour codes (ESC [ ... m) written by the renderer: the only escapes the CLI lets through. */
  colour?: boolean;
  /** Files written all together or not at all. */
  files?: Document[];
  /** Folders to create (with their parents) before the files are written. */
  folders?: string[];
  /**
   * An evidence pack: `write` writes its files (reading the contributing exports again) into a folder
   * staged next to `dir`, which is then moved into place with the other files.
   */
  evidence?: { dir: string; write: (sink: PackSink) => Promise<unknown> };
  /**
   * Output that lists the evidence pack's files with their sha256 (the OSCAL document): rendered once
   * `evidence.write` has written the pack, before anything is moved into place. Its files are written
   * with `files`; its stdout takes the place of `stdout`.
   */
  afterEvidence?: () => { files: Document[]; stdout?: string };
  /** Problems to show on standard error: warnings, and errors of a command that still has output (detect). */
  problems: Problem[];
  /** Lines for standard error once everything is written ("wrote q3.json (json)"). */
  notes?: string[];
  outcome: Outcome;
}
