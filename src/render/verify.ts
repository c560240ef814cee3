/**
 * The output of `isms-kpi verify DIR...`: per pack, each file that changed, is missing or was added,
 * each sample (samples/) that changed, is missing or is foreign, the counts of unchanged files, samples
 * and source exports, the signature, and with --chain each link. The
 * table names every failure on a line of its own; `json` is the whole Verification (docs/evidence.md).
 */
import type { LinkCheck } from '../evidence/chain.js';
import type { SignatureCheck } from '../evidence/sign.js';
import type { PackCheck, SourceCheck, Verification } from '../evidence/verify.js';
import { plural } from '../report/numbers.js';
import { jsonText, safeText } from '../text.js';

export const VERIFY_FORMATS = ['table', 'json'] as const;
export type VerifyFormat = (typeof VERIFY_FORMATS)[number];

/** Bumped when a field of the JSON output is removed or changes meaning. */
export const VERIFY_JSON_VERSION = 1;

/** Sources listed by name before "... and N more". */
const MAX_LISTED = 5;

const short = (sha256: string | undefined): string => (sha256 ? sha256.slice(0, 12) : '-');
const keyId = (sha256: string | undefined): string => (sha256 ? sha256.slice(0, 16) : '-');
const label = (name: string): string => `  ${name.padEnd(11)} `;

function signatureLine(s: SignatureCheck): string {
  switch (s.state) {
    case 'unsigned':
      return s.checkedWith ? 'NOT SIGNED, though --key was given' : 'not signed';
    case 'not-checked':
      return `present, not checked (give the public key with --key PUB.pem); signed with key ${keyId(s.signedWith)}`;
    case 'valid':
      return `valid (Ed25519, key ${keyId(s.checkedWith)})`;
    case 'invalid':
      return `INVALID: ${s.reason ?? 'does not match'} (signed with key ${keyId(s.signedWith)}, checked with key ${keyId(s.checkedWith)})`;
    case 'malformed':
      return `INVALID: manifest.json.sig is not a signature isms-kpi writes (${s.reason ?? 'unreadable'})`;
  }
}

function listedFiles(checks: readonly SourceCheck[]): string {
  const names = checks.slice(0, MAX_LISTED).map((c) => safeText(c.file));
  return checks.length > MAX_LISTED
    ? `${names.join(', ')}, ... and ${checks.length - MAX_LISTED} more`
    : names.join(', ');
}

function sourcesLines(pack: PackCheck): string[] {
  if (!pack.sources) return [`${label('sources')}not checked (--no-sources)`];
  if (pack.sources.length === 0) return [`${label('sources')}none recorded`];
  const lines: string[] = [];
  for (const s of pack.sources) {
    if (s.state === 'changed')
      lines.push(
        `${label('changed')}source ${safeText(s.file)} (sha256 now ${short(s.actual)}, the manifest says ${short(s.recorded)}): not the export the pack was computed from`,
      );
    if (s.state === 'not-a-file')
      lines.push(`${label('changed')}source ${safeText(s.file)}: not a regular file`);
  }
  const unchanged = pack.sources.filter((s) => s.state === 'unchanged').length;
  const notFound = pack.sources.filter((s) => s.state === 'not-found');
  const checked = pack.sources.length - notFound.length;
  const parts: string[] = [];
  if (checked > 0) parts.push(`${unchanged} of ${plural(checked, 'export')} unchanged`);
  if (notFound.length > 0)
    parts.push(
      `${plural(notFound.length, 'export')} not checked: not found under ${safeText(pack.sourcesRoot ?? '.')} (${listedFiles(notFound)}); give the catalogue's folder with --sources DIR`,
    );
  lines.push(`${label('sources')}${parts.join('; ')}`);
  return lines;
}

/** The samples of samples/ (isms-kpi sample): each one that fails, then the count; nothing without samples. */
function sampleLines(pack: PackCheck): string[] {
  if (pack.samples.length === 0) return [];
  const lines: string[] = [];
  for (const s of pack.samples) {
    if (s.state === 'ok') continue;
    const name = s.state === 'foreign' ? 'foreign' : s.state;
    lines.push(
      `${label(name)}sample ${safeText(s.manifest)} (${safeText(s.kpi)}): ${safeText(s.reason ?? s.state)}`,
    );
  }
  const ok = pack.samples.filter((s) => s.state === 'ok').length;
  lines.push(
    `${label('samples')}${ok} of ${plural(pack.samples.length, 'sample')} drawn from this pack unchanged`,
  );
  return lines;
}

function packLines(pack: PackCheck): string[] {
  const verdict = pack.failures.length === 0 ? 'verified' : 'FAILED';
  const lines = [`evidence pack ${safeText(pack.dir)} (${safeText(pack.period)}): ${verdict}`];
  for (const f of pack.files) {
    const at = safeText(f.path);
    if (f.state === 'changed')
      lines.push(
        `${label('changed')}${at} (sha256 now ${short(f.actual)}, the manifest says ${short(f.recorded)})`,
      );
    else if (f.state === 'missing') lines.push(`${label('missing')}${at}`);
    else if (f.state === 'added') lines.push(`${label('added')}${at} (not listed in the manifest)`);
    else if (f.state === 'not-a-file')
      lines.push(`${label('changed')}${at}: not a regular file (a link, a folder or a device)`);
    else if (f.state === 'outside')
      lines.push(`${label('changed')}${at}: the manifest lists a path outside the pack (not read)`);
  }
  const listed = pack.files.filter((f) => f.state !== 'added');
  const ok = listed.filter((f) => f.state === 'ok').length;
  lines.push(`${label('files')}${ok} of ${plural(listed.length, 'file')} listed in the manifest unchanged`);
  lines.push(...sampleLines(pack));
  lines.push(...sourcesLines(pack));
  lines.push(`${label('signature')}${signatureLine(pack.signature)}`);
  if (pack.previous)
    lines.push(
      `${label('previous')}the pack of ${safeText(pack.previous.period)} (manifest sha256 ${short(pack.previous.sha256)})`,
    );
  return lines;
}

function linkLine(link: LinkCheck): string {
  const from = `${safeText(link.from.period)} (${safeText(link.from.dir)})`;
  const to = `${safeText(link.to.period)} (${safeText(link.to.dir)})`;
  switch (link.state) {
    case 'intact':
      return `  ${from} -> ${to}: intact`;
    case 'unlinked':
      return `  ${from} -> ${to}: BROKEN: ${safeText(link.to.dir)} records no previous pack (written without --previous)`;
    case 'broken':
      return `  ${from} -> ${to}: BROKEN: ${safeText(link.to.dir)} records the manifest sha256 ${short(link.recorded)} of ${safeText(link.recordedPeriod ?? '?')}, ${safeText(link.from.dir)}/manifest.json has ${short(link.actual)}: that manifest was changed, or another pack is in its place`;
  }
}

export function renderVerifyTable(v: Verification): string {
  const lines: string[] = [];
  for (const pack of v.packs) lines.push(...packLines(pack), '');
  if (v.links.length > 0) lines.push('chain', ...v.links.map(linkLine), '');
  const failedPacks = v.packs.filter((p) => p.failures.length > 0).length;
  const brokenLinks = v.links.filter((l) => l.state !== 'intact').length;
  const links = v.links.length > 0 ? `, ${plural(v.links.length, 'link')}` : '';
  lines.push(
    v.ok
      ? `verified: ${plural(v.packs.length, 'pack')}${links}`
      : `verification FAILED: ${failedPacks} of ${plural(v.packs.length, 'pack')}${v.links.length > 0 ? `, ${brokenLinks} of ${plural(v.links.length, 'link')} broken` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

export function renderVerifyJson(v: Verification): string {
  return jsonText({
    verifyFormat: VERIFY_JSON_VERSION,
    ok: v.ok,
    packs: v.packs.map((p) => ({ ok: p.failures.length === 0, ...p })),
    links: v.links,
  });
}

export const VERIFY_RENDERERS: Record<VerifyFormat, (v: Verification) => string> = {
  table: renderVerifyTable,
  json: renderVerifyJson,
};
