/**
 * The audit evidence pack (ISO 27001 clause 7.5, documented information) as a list of files:
 * - manifest.json: tool, catalogue sha256, period, and per source file its size, sha256, row counts and
 *   time range (the same manifest the JSON report carries), the exceptions in force for the period
 *   (absent when there are none), plus the files of the pack with their sha256;
 * - kpis/<ID>.csv: per KPI, every row that entered each aggregate of its formula, with file and line;
 * - rejected/<source>.csv: per source, the rows rejected at intake with the reasons.
 * File names keep letters, digits, ".", "_" and "-" of the id (others become "_"), get "~2", "~3" when
 * two ids differ only in case, and a leading "_" when Windows would read them as a device (CON, NUL, ...).
 *
 * write-pack.ts writes the files row by row into a PackSink (the CLI's staged folder); this module
 * collects them in memory instead, for library callers and tests with small data.
 */
import { MANIFEST_FILE } from './pack-manifest.js';
import { type EvidenceInput, type PackSink, writeEvidencePack } from './write-pack.js';

export {
  type EvidenceInput,
  KPI_ROW_COLUMNS,
  type PackSink,
  REJECTED_ROW_COLUMNS,
  UniqueNames,
  writeEvidencePack,
} from './write-pack.js';

export interface EvidenceFile {
  /** Relative path inside the pack, with forward slashes. */
  path: string;
  content: string;
}

/** A PackSink in memory. */
export class MemorySink implements PackSink {
  readonly files = new Map<string, Buffer[]>();
  append(path: string, data: string | Uint8Array): void {
    const chunks = this.files.get(path) ?? [];
    chunks.push(typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data));
    this.files.set(path, chunks);
  }
  *read(path: string): Iterable<Uint8Array> {
    yield* this.files.get(path) ?? [];
  }
  remove(path: string): void {
    this.files.delete(path);
  }
}

/** Every file of the pack in memory: manifest.json first, then the files in the manifest's order. */
export async function buildEvidencePack(input: EvidenceInput): Promise<EvidenceFile[]> {
  const sink = new MemorySink();
  const manifest = await writeEvidencePack(input, sink);
  const content = (path: string) => Buffer.concat(sink.files.get(path) ?? []).toString('utf8');
  return [MANIFEST_FILE, ...manifest.files.map((f) => f.path)].map((path) => ({
    path,
    content: content(path),
  }));
}
