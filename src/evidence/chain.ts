/**
 * Chained evidence packs (issue 21): `report --evidence DIR --previous OLD/manifest.json` records the
 * sha256 of the previous pack's manifest.json (its exact bytes) and its period in the new manifest
 * (`previous`), so a folder of quarterly packs forms a chain: changing an earlier pack's manifest (and
 * so any file it lists) breaks the link to the next one. `verify --chain` checks each link (verify.ts).
 *
 * Decision: a previous pack of a later period is refused (a chain runs forwards in time); one of the same
 * period is accepted (a corrected pack that replaces the first one keeps its history).
 */
import { createHash } from 'node:crypto';
import { IsmsKpiError, problem } from '../problems.js';
import { filesOfEarlierPack, type PackManifest, type PreviousPack } from './pack-manifest.js';

export type { PreviousPack };

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function notAPack(file: string, message: string): IsmsKpiError {
  return new IsmsKpiError(problem('not-a-pack', `--previous: ${message}`, { file }));
}

/** A previous pack's manifest, read: the record for the new manifest and the start of its period. */
export interface FoundPrevious {
  previous: PreviousPack;
  /** The first instant of its period (UTC, ISO 8601). */
  start: string;
}

/**
 * The `previous` record for the manifest bytes read from `file` (as the user gave it), checked to be an
 * evidence pack manifest (an IsmsKpiError `not-a-pack` otherwise).
 */
export function readPrevious(bytes: Uint8Array, file: string): FoundPrevious {
  const text = Buffer.from(bytes).toString('utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw notAPack(file, 'is not JSON; give the manifest.json of the previous evidence pack');
  }
  if (filesOfEarlierPack(text) === undefined) {
    const isReport = typeof data === 'object' && data !== null && 'schemaVersion' in data && 'kpis' in data;
    throw notAPack(
      file,
      isReport
        ? 'is a saved JSON report, not an evidence pack manifest; give the manifest.json in the folder written by report --evidence'
        : 'is not an evidence pack manifest (the manifest.json that report --evidence writes)',
    );
  }
  const period = (data as Partial<PackManifest>).period;
  if (typeof period?.label !== 'string' || typeof period.start !== 'string')
    throw notAPack(file, 'the manifest has no period');
  return { previous: { sha256: sha256Hex(bytes), period: period.label }, start: period.start };
}

/** Refuses a previous pack whose period starts after the new pack's `period`. */
export function checkPreviousPeriod(
  found: FoundPrevious,
  file: string,
  period: Pick<PackManifest['period'], 'label' | 'start'>,
): PreviousPack {
  if (found.start > period.start)
    throw notAPack(
      file,
      `its period ${found.previous.period} comes after this report's period ${period.label}; a chain runs from the older pack to the newer`,
    );
  return found.previous;
}

export type LinkState =
  /** The newer pack records the older manifest's sha256. */
  | 'intact'
  /** It records another sha256: the older manifest was changed, or another pack is in its place. */
  | 'broken'
  /** The newer pack records no previous pack. */
  | 'unlinked';

export interface LinkCheck {
  /** The older pack's folder and period. */
  from: { dir: string; period: string };
  to: { dir: string; period: string };
  state: LinkState;
  /** The sha256 the newer pack records (broken). */
  recorded?: string;
  /** The period the newer pack records for its previous pack. */
  recordedPeriod?: string;
  /** The sha256 of the older pack's manifest.json as it is now. */
  actual: string;
}

export interface ChainPack {
  dir: string;
  period: string;
  manifestSha256: string;
  previous?: PreviousPack | undefined;
}

/** The link from `older` to `newer`. */
export function checkLink(older: ChainPack, newer: ChainPack): LinkCheck {
  const base = {
    from: { dir: older.dir, period: older.period },
    to: { dir: newer.dir, period: newer.period },
    actual: older.manifestSha256,
  };
  if (!newer.previous) return { ...base, state: 'unlinked' };
  const recorded = { recorded: newer.previous.sha256, recordedPeriod: newer.previous.period };
  return newer.previous.sha256 === older.manifestSha256
    ? { ...base, state: 'intact', ...recorded }
    : { ...base, state: 'broken', ...recorded };
}
