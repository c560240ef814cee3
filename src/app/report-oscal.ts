/**
 * What `report` tells the OSCAL renderer beyond the report (src/render/oscal.ts): whether to add
 * findings (--oscal-findings), where the catalogue's folder and the evidence pack are relative to the
 * document (hrefs in an OSCAL document are relative to the document itself; on standard output, to
 * the working folder), and the pack's files with their sha256 once the pack is written.
 *
 * Decision: with --evidence, the OSCAL output lists the pack's files with their sha256, which are known
 * only once the pack is written; the CLI renders it then (CommandResult.afterEvidence, src/app/result.ts),
 * before anything is moved into place, so a failed pack still writes nothing.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { MANIFEST_FILE, type PackManifest } from '../evidence/pack-manifest.js';
import type { PackSink } from '../evidence/write-pack.js';
import { IsmsKpiError, problem } from '../problems.js';
import type { OscalEvidence, OscalOptions } from '../render/oscal.js';

/** --oscal-findings only makes sense with an OSCAL output. */
export function checkOscalFindings(
  options: { oscalFindings?: boolean | undefined; format?: string | undefined },
  formats: readonly string[],
): void {
  if (options.oscalFindings && options.format !== 'oscal' && !formats.includes('oscal'))
    throw new IsmsKpiError(
      problem(
        'usage',
        '--oscal-findings adds findings to the OSCAL output: use it with --format oscal or --output FILE.oscal.json',
      ),
    );
}

/** `to` relative to `from`, with `/` separators and a trailing `/` ('' for the same folder). */
function relativeFolder(from: string, to: string): string {
  const relative = path.relative(from, to).split(path.sep).join('/');
  return relative === '' ? '' : `${relative}/`;
}

export class OscalContext {
  private pack: { manifest: PackManifest; manifestSha256: string } | undefined;

  constructor(
    private readonly cwd: string,
    private readonly catalogue: string,
    private readonly evidence: string | undefined,
    private readonly findings: boolean,
  ) {}

  /** Keeps what the document needs of a pack just written into `sink`: its files and its manifest's sha256. */
  packWritten(manifest: PackManifest, sink: PackSink): void {
    const hash = createHash('sha256');
    for (const chunk of sink.read(MANIFEST_FILE)) hash.update(chunk);
    this.pack = { manifest, manifestSha256: hash.digest('hex') };
  }

  /** The options of a document written to `file` (undefined: standard output). */
  optionsFor(file: string | undefined): OscalOptions {
    const folder = file === undefined ? this.cwd : path.dirname(path.resolve(this.cwd, file));
    const catalogueFolder = path.dirname(path.resolve(this.cwd, this.catalogue));
    let evidence: OscalEvidence | undefined;
    if (this.evidence !== undefined && this.pack)
      evidence = {
        base: relativeFolder(folder, path.resolve(this.cwd, this.evidence)),
        manifestSha256: this.pack.manifestSha256,
        files: this.pack.manifest.files,
      };
    return {
      findings: this.findings,
      sourceBase: relativeFolder(folder, catalogueFolder),
      ...(evidence ? { evidence } : {}),
    };
  }
}
