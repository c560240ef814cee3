/**
 * `isms-kpi verify DIR...` (issue 21): re-hashes every file an evidence pack's manifest.json lists and
 * reports what changed, what is missing and what was added; checks the source exports the manifest
 * names where they are still found; checks manifest.json.sig (sign.ts) and, with --chain, the links
 * between consecutive packs (chain.ts).
 *
 * Decisions:
 * - A pack file is checked as it is on disk, without following links: a listed path that is a symbolic
 *   link, a folder or a special file is `not-a-file` (a failure), and a listed path that leaves the pack
 *   (`..`, absolute) is `outside` (a failure) and is not read.
 * - Every file in DIR that the manifest does not list is `added` (a failure), except manifest.json,
 *   manifest.json.sig and the samples of samples/ (isms-kpi sample), which are checked against their
 *   own sample manifests instead (verify-samples.ts); an empty folder counts as added too (the pack
 *   writer leaves none).
 * - Source exports: the manifest names them relative to the catalogue's folder; verify looks for them
 *   under --sources DIR (default: the current folder). One that is not found is `not-found`: reported
 *   as not checked, a failure only with --require-sources (an auditor usually has the pack, not the
 *   exports). One that is found with other bytes is `changed`, a failure: it is not the export the pack
 *   was computed from (an export overwritten by a later one at the same path shows up here too). A
 *   compressed source (`x.zip#inner.csv`) is checked as the file stored (`x.zip`), as it was hashed.
 * - An unreadable pack (no folder, no manifest.json, a manifest isms-kpi did not write) stops verify with
 *   exit 2 (nothing could be checked); everything found while checking is a result (exit 0 or 1).
 */
import { createHash, type KeyObject } from 'node:crypto';
import { lstat, open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { IsmsKpiError, problem } from '../problems.js';
import { packingOf } from '../sources/inflate.js';
import { errnoCode, fileProblem } from '../util/file-problem.js';
import { type ChainPack, checkLink, type LinkCheck, type PreviousPack, sha256Hex } from './chain.js';
import { MANIFEST_FILE } from './pack-manifest.js';
import { checkSignature, SIGNATURE_FILE, type SignatureCheck } from './sign.js';
import { checkSamples, type SampleCheck } from './verify-samples.js';

/** The largest manifest.json or manifest.json.sig read (a manifest lists one file per KPI and source). */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

export type PackFileState = 'ok' | 'changed' | 'missing' | 'added' | 'not-a-file' | 'outside';

export interface PackFileCheck {
  /** Relative to the pack's folder, `/` separators. */
  path: string;
  state: PackFileState;
  /** The sha256 in the manifest (absent for an added file). */
  recorded?: string;
  /** The sha256 of the file as it is (ok, changed). */
  actual?: string;
}

export type SourceState = 'unchanged' | 'changed' | 'not-found' | 'not-a-file';

export interface SourceCheck {
  source: string;
  /** As the manifest names it: relative to the catalogue's folder. */
  file: string;
  state: SourceState;
  recorded: string;
  actual?: string;
}

export interface PackCheck {
  /** The folder as given. */
  dir: string;
  period: string;
  /** sha256 of manifest.json as it is: what the next pack in a chain records. */
  manifestSha256: string;
  /** The previous pack the manifest records (report --previous). */
  previous?: PreviousPack;
  /** Every listed file, then the added ones. */
  files: PackFileCheck[];
  /** The samples in samples/ (isms-kpi sample), each checked against its sample manifest (verify-samples.ts). */
  samples: SampleCheck[];
  /** The source exports; undefined with --no-sources. */
  sources?: SourceCheck[];
  /** The folder the source paths were looked up under, as given (`.` for the current folder). */
  sourcesRoot?: string;
  signature: SignatureCheck;
  /** Why the pack fails, one line each (empty: verified). */
  failures: string[];
}

export interface Verification {
  packs: PackCheck[];
  /** With --chain: the link from each pack to the next. */
  links: LinkCheck[];
  ok: boolean;
}

export interface VerifyOptions {
  /** The folder source paths are relative to (absolute and as given); undefined: do not check sources. */
  sources?: { root: string; shown: string } | undefined;
  requireSources?: boolean;
  publicKey?: KeyObject | undefined;
  /** The packs are consecutive, oldest first: check each link. */
  chain?: boolean;
}

const manifestSchema = z.object({
  evidencePack: z.number(),
  tool: z.object({ name: z.literal('isms-kpi') }),
  period: z.object({ label: z.string() }),
  sources: z.array(
    z.object({
      name: z.string(),
      file: z.string(),
      sha256: z.string(),
      missing: z.string().optional(),
      files: z.array(z.object({ file: z.string(), sha256: z.string() })).optional(),
    }),
  ),
  files: z.array(z.object({ path: z.string(), sha256: z.string() })),
  previous: z.object({ sha256: z.string(), period: z.string() }).optional(),
});

type Manifest = z.infer<typeof manifestSchema>;

/** A path the pack writer could have written: relative, `/` separators, no `.` or `..` segment. */
function isInsidePack(relative: string): boolean {
  return (
    relative.length > 0 &&
    !relative.includes('\\') &&
    !relative.includes('\0') &&
    !path.posix.isAbsolute(relative) &&
    !/^[A-Za-z]:/.test(relative) &&
    relative.split('/').every((s) => s !== '' && s !== '.' && s !== '..')
  );
}

async function hashOf(file: string): Promise<string> {
  const hash = createHash('sha256');
  const fh = await open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const { bytesRead } = await fh.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await fh.close().catch(() => undefined);
  }
  return hash.digest('hex');
}

function notAPack(file: string, message: string): IsmsKpiError {
  return new IsmsKpiError(problem('not-a-pack', message, { file }));
}

/** manifest.json's bytes and content; an IsmsKpiError (exit 2) when the folder holds no pack. */
async function readManifest(dir: string, shown: string): Promise<{ bytes: Buffer; manifest: Manifest }> {
  const info = await stat(dir).catch((error: unknown) => {
    throw new IsmsKpiError(
      errnoCode(error) === 'ENOENT'
        ? problem('file-missing', 'evidence pack folder not found', { file: shown })
        : fileProblem(error, shown),
    );
  });
  if (!info.isDirectory())
    throw notAPack(
      shown,
      'is not a folder; give the folder of an evidence pack (the one holding manifest.json)',
    );
  const file = path.join(dir, MANIFEST_FILE);
  const shownFile = path.join(shown, MANIFEST_FILE);
  const manifestInfo = await lstat(file).catch(() => undefined);
  if (!manifestInfo)
    throw notAPack(
      shown,
      'no manifest.json in the folder: not an evidence pack written by report --evidence',
    );
  if (!manifestInfo.isFile())
    throw notAPack(shownFile, 'is not a regular file, so it cannot be the manifest of an evidence pack');
  if (manifestInfo.size > MAX_MANIFEST_BYTES)
    throw notAPack(shownFile, 'is too large to be the manifest of an evidence pack');
  const bytes = await readFile(file).catch((error: unknown) => {
    throw new IsmsKpiError(fileProblem(error, shownFile));
  });
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw notAPack(shownFile, 'is not JSON, so not the manifest of an evidence pack written by isms-kpi');
  }
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success)
    throw notAPack(
      shownFile,
      'is not the manifest of an evidence pack written by isms-kpi (tool, period, sources and files with their sha256)',
    );
  return { bytes, manifest: parsed.data };
}

/** Every entry under `root` (relative paths), files and folders, without following links. */
async function walk(
  root: string,
  prefix = '',
): Promise<{ path: string; isDirectory: boolean; isEmpty: boolean }[]> {
  const out: { path: string; isDirectory: boolean; isEmpty: boolean }[] = [];
  const entries = await readdir(path.join(root, prefix), { withFileTypes: true });
  for (const entry of entries) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      const inner = await walk(root, relative);
      out.push({ path: relative, isDirectory: true, isEmpty: inner.length === 0 }, ...inner);
    } else out.push({ path: relative, isDirectory: false, isEmpty: false });
  }
  return out;
}

async function checkPackFiles(
  dir: string,
  manifest: Manifest,
  manifestSha256: string,
): Promise<{ files: PackFileCheck[]; samples: SampleCheck[] }> {
  const checks: PackFileCheck[] = [];
  const listed = new Set<string>();
  for (const f of manifest.files) {
    listed.add(f.path);
    if (!isInsidePack(f.path)) {
      checks.push({ path: f.path, state: 'outside', recorded: f.sha256 });
      continue;
    }
    const file = path.join(dir, ...f.path.split('/'));
    const info = await lstat(file).catch(() => undefined);
    if (!info) {
      checks.push({ path: f.path, state: 'missing', recorded: f.sha256 });
      continue;
    }
    if (!info.isFile()) {
      checks.push({ path: f.path, state: 'not-a-file', recorded: f.sha256 });
      continue;
    }
    const actual = await hashOf(file);
    checks.push({ path: f.path, state: actual === f.sha256 ? 'ok' : 'changed', recorded: f.sha256, actual });
  }
  const own = new Set([MANIFEST_FILE, SIGNATURE_FILE]);
  const entries = (await walk(dir)).filter((e) => !own.has(e.path) && !listed.has(e.path));
  const { samples, claimed } = await checkSamples(
    dir,
    entries.filter((e) => !e.isDirectory).map((e) => e.path),
    { manifestSha256, files: manifest.files },
    hashOf,
  );
  for (const entry of entries) {
    if (claimed.has(entry.path)) continue;
    if (entry.isDirectory && !entry.isEmpty) continue;
    checks.push({ path: entry.isDirectory ? `${entry.path}/` : entry.path, state: 'added' });
  }
  return { files: checks, samples };
}

async function checkSources(root: string, manifest: Manifest): Promise<SourceCheck[]> {
  const checks: SourceCheck[] = [];
  for (const s of manifest.sources) {
    // A missing optional source was not read: there is nothing to check.
    if (s.missing !== undefined || s.sha256 === '') continue;
    for (const f of s.files ?? [{ file: s.file, sha256: s.sha256 }]) {
      const stored = path.resolve(root, packingOf(f.file).file);
      const info = await stat(stored).catch(() => undefined);
      const base = { source: s.name, file: f.file, recorded: f.sha256 };
      if (!info) checks.push({ ...base, state: 'not-found' });
      else if (!info.isFile()) checks.push({ ...base, state: 'not-a-file' });
      else {
        const actual = await hashOf(stored).catch(() => undefined);
        if (actual === undefined) checks.push({ ...base, state: 'not-found' });
        else checks.push({ ...base, state: actual === f.sha256 ? 'unchanged' : 'changed', actual });
      }
    }
  }
  return checks;
}

async function readSignature(dir: string): Promise<string | undefined> {
  const file = path.join(dir, SIGNATURE_FILE);
  const info = await lstat(file).catch(() => undefined);
  if (!info) return undefined;
  // Anything at the name that is not a small regular file is a signature that cannot be valid.
  if (!info.isFile() || info.size > MAX_MANIFEST_BYTES) return '';
  return readFile(file, 'utf8').catch(() => '');
}

const FILE_FAILURE: Record<Exclude<PackFileState, 'ok'>, string> = {
  changed: 'changed',
  missing: 'missing',
  added: 'added (not listed in the manifest)',
  'not-a-file': 'not a regular file',
  outside: 'listed outside the pack',
};

/** Checks one pack in `dir` (absolute), shown as `shown`. */
export async function verifyPack(
  dir: string,
  shown: string,
  options: VerifyOptions = {},
): Promise<PackCheck> {
  const { bytes, manifest } = await readManifest(dir, shown);
  const manifestSha256 = sha256Hex(bytes);
  const { files, samples } = await checkPackFiles(dir, manifest, manifestSha256);
  const sources = options.sources ? await checkSources(options.sources.root, manifest) : undefined;
  const signature = checkSignature(bytes, await readSignature(dir), options.publicKey);
  const failures: string[] = [];
  for (const f of files) if (f.state !== 'ok') failures.push(`${f.path}: ${FILE_FAILURE[f.state]}`);
  for (const s of samples)
    if (s.state !== 'ok') failures.push(`sample ${s.manifest}: ${s.state}: ${s.reason ?? s.state}`);
  for (const s of sources ?? []) {
    if (s.state === 'changed') failures.push(`source ${s.file}: changed since the pack was written`);
    if (s.state === 'not-a-file') failures.push(`source ${s.file}: not a regular file`);
    if (s.state === 'not-found' && options.requireSources)
      failures.push(`source ${s.file}: not found (--require-sources)`);
  }
  if (signature.state === 'invalid' || signature.state === 'malformed')
    failures.push(`${SIGNATURE_FILE}: ${signature.state}`);
  if (options.publicKey && signature.state === 'unsigned')
    failures.push(`${SIGNATURE_FILE}: the pack is not signed (--key was given)`);
  return {
    dir: shown,
    period: manifest.period.label,
    manifestSha256,
    ...(manifest.previous ? { previous: manifest.previous } : {}),
    files,
    samples,
    ...(sources && options.sources ? { sources, sourcesRoot: options.sources.shown } : {}),
    signature,
    failures,
  };
}

/**
 * Checks each pack (`dirs`: absolute and as given), and with `chain` each link from a pack to the next.
 * Fails (ok false) when a pack fails or a link is broken or missing.
 */
export async function verifyPacks(
  dirs: readonly { dir: string; shown: string }[],
  options: VerifyOptions = {},
): Promise<Verification> {
  const packs: PackCheck[] = [];
  for (const { dir, shown } of dirs) packs.push(await verifyPack(dir, shown, options));
  const links: LinkCheck[] = [];
  if (options.chain) {
    const chainPack = (p: PackCheck): ChainPack => ({
      dir: p.dir,
      period: p.period,
      manifestSha256: p.manifestSha256,
      previous: p.previous,
    });
    for (let i = 1; i < packs.length; i++)
      links.push(checkLink(chainPack(packs[i - 1]!), chainPack(packs[i]!)));
  }
  const ok = packs.every((p) => p.failures.length === 0) && links.every((l) => l.state === 'intact');
  return { packs, links, ok };
}
