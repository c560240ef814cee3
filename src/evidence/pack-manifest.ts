/**
 * manifest.json of an evidence pack: the report's own manifest (tool, catalogue, period, sources) plus the
 * list of files in the pack with their sha256, so the pack can be checked for completeness and tampering.
 */
import type { KpiResult, Report, SourceManifest } from '../report/model.js';
import type { PseudonymisationManifest } from './pseudonymise.js';
import { SIGNATURE_FILE } from './sign.js';

/** Bumped when the layout of the pack changes. */
export const EVIDENCE_PACK_VERSION = 1;

export interface PackFile {
  path: string;
  kind: 'kpi-rows' | 'rejected-rows';
  kpi?: string;
  source?: string;
  /** Data rows in the file (the header not counted). */
  rows: number;
  /** Rejected rows of the source; more than `rows` when the loader kept only the first ones. */
  rejected?: number;
  /** KPIs a derived KPI is computed from (their rows are in their own files). */
  usesKpis?: string[];
  sha256: string;
}

export interface PackManifest {
  evidencePack: number;
  tool: Report['tool'];
  organisation: string;
  catalogue: Report['catalogue'];
  period: Report['period'];
  asOf: string;
  generatedAt?: string;
  sources: SourceManifest[];
  /** The exceptions in force for the period (accepted on its last day); absent when there are none. */
  exceptions?: PackException[];
  /** The values entered by hand that the report's KPIs read, by KPI in report order; absent when none. */
  manual?: PackManual[];
  /** report --pseudonymise: the method, the key's fingerprint and the fields pseudonymised per source. */
  pseudonymisation?: PseudonymisationManifest;
  files: PackFile[];
  /** The pack before this one (report --previous): its manifest's sha256 and period (chain.ts). */
  previous?: PreviousPack;
}

/** What a pack records of the pack before it (report --previous; chain.ts). */
export interface PreviousPack {
  /** sha256 (hex) of the previous pack's manifest.json, its exact bytes. */
  sha256: string;
  /** The previous pack's period label. */
  period: string;
}

/** An exception in force: the KPI it is for, then as the report records it (without its state). */
export type PackException = { kpi: string } & Omit<NonNullable<KpiResult['exceptions']>[number], 'state'>;

/** A value entered by hand: the KPI that read it, then as the report records it. */
export type PackManual = { kpi: string } & NonNullable<KpiResult['manual']>[number];

export const MANIFEST_FILE = 'manifest.json';

/**
 * The files a folder's manifest.json says an earlier isms-kpi run wrote, or undefined when the text is not
 * such a manifest. The CLI replaces a folder only when it holds nothing else.
 */
export function filesOfEarlierPack(manifestText: string): string[] | undefined {
  let data: unknown;
  try {
    data = JSON.parse(manifestText);
  } catch {
    return undefined;
  }
  const m = data as Partial<PackManifest> | null;
  if (
    typeof m !== 'object' ||
    m === null ||
    typeof m.evidencePack !== 'number' ||
    m.tool?.name !== 'isms-kpi' ||
    !Array.isArray(m.files) ||
    !m.files.every((f) => typeof f === 'object' && f !== null && typeof f.path === 'string')
  )
    return undefined;
  // manifest.json.sig (sign.ts) belongs to the pack too, though the manifest it signs cannot list it.
  return [MANIFEST_FILE, SIGNATURE_FILE, ...m.files.map((f) => f.path)];
}
