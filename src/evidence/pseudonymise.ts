/**
 * Pseudonymised evidence packs (issue 21): `report --evidence DIR --pseudonymise` replaces the values of
 * the fields marked `personal: true` (in the catalogue's source or in the preset it names) with keyed
 * pseudonyms, so a works council or a DPO sees no names while an auditor can still follow a person from
 * row to row, file to file and quarter to quarter.
 *
 * Method (docs/evidence-privacy.md): pseudonym = "p-" + the first 16 hex digits (64 bits) of
 * HMAC-SHA-256(key, canonical value), where the canonical value is the cell's text in Unicode NFC,
 * trimmed and lower-cased (so `Anna.Berg@x.example` in one export and `anna.berg@x.example` in another
 * are the same person, as the catalogue's own joins with lower() treat them). Each item of a list field
 * is pseudonymised on its own. No value is needed to compute the pseudonyms but the key, so they are the
 * same for the same key in every run and every quarter, and differ for another key.
 *
 * Collisions: with 64 bits, two distinct identifiers get the same pseudonym with probability about
 * n^2 / 2^65 among n identifiers: 3 in 10^8 for a million, 3 in 10^12 for ten thousand.
 *
 * The key never enters the pack. The manifest records the method, the fields per source and a key
 * fingerprint, HMAC-SHA-256(key, FINGERPRINT_TEXT) (first 16 hex digits), so the key holder can check
 * they use the right key before `isms-kpi reveal` recomputes pseudonyms of candidate identifiers; an
 * HMAC cannot be reversed, and no mapping file is ever written.
 */
import { createHmac } from 'node:crypto';
import { IsmsKpiError, problem } from '../problems.js';
import type { ResolvedSource } from '../sources/resolve.js';
import type { FieldConfig } from '../sources/schema.js';
import { quote } from '../text.js';

export const PSEUDONYM_PREFIX = 'p-';
/** Hex digits of the HMAC kept in a pseudonym (64 bits). */
export const PSEUDONYM_HEX_DIGITS = 16;
/** A whole cell that is one pseudonym. */
export const PSEUDONYM_PATTERN = /^p-[0-9a-f]{16}$/;
/** Pseudonyms inside a cell (a list field's items, joined with ", "). */
export const PSEUDONYMS_IN_TEXT = /\bp-[0-9a-f]{16}\b/g;
/** The fixed text whose HMAC is the key's fingerprint. */
export const FINGERPRINT_TEXT = 'isms-kpi pseudonym key fingerprint v1';
/** Fewest characters of a key (after trimming): 16 random characters, or better `openssl rand -hex 32`. */
export const MIN_KEY_CHARS = 16;
/** The method as the manifest records it. */
export const PSEUDONYM_METHOD =
  'p- + first 16 hex digits of HMAC-SHA-256(key, value in Unicode NFC, trimmed, lower-cased); list items one by one';
/** What a pseudonymised pack does with the rejected rows (the manifest records it). */
export const REJECTED_ROWS_POLICY =
  'only the columns the catalogue maps to fields are kept (personal ones pseudonymised); values quoted in the reasons from other columns are withheld; JSON records are withheld';

/** Where the key came from, for messages (never the key itself). */
export type KeyOrigin = { file: string } | { env: string };

/** The key's bytes: the text trimmed, as UTF-8; too short a key is refused. */
export function parseKey(text: string, origin: KeyOrigin): Buffer {
  const trimmed = text.trim();
  if (trimmed.length < MIN_KEY_CHARS) {
    const where = 'file' in origin ? `the key file` : `the environment variable ${origin.env}`;
    throw new IsmsKpiError(
      problem(
        'usage',
        `${where} holds ${trimmed.length === 0 ? 'no key' : 'too short a key'}: a pseudonym key needs ${MIN_KEY_CHARS} characters or more (make one with: openssl rand -hex 32)`,
        'file' in origin ? { file: origin.file } : {},
      ),
    );
  }
  return Buffer.from(trimmed, 'utf8');
}

/** An identifier as it is pseudonymised: Unicode NFC, trimmed, lower-cased. */
export function canonicalIdentifier(value: string): string {
  return value.normalize('NFC').trim().toLowerCase();
}

/** Computes pseudonyms with one key; remembers the last identifiers it saw (a pack repeats them). */
export class Pseudonymiser {
  private readonly cache = new Map<string, string>();
  readonly fingerprint: string;
  constructor(private readonly key: Uint8Array) {
    this.fingerprint = hmacHex(key, FINGERPRINT_TEXT).slice(0, PSEUDONYM_HEX_DIGITS);
  }

  /** The pseudonym of a value; a value that is empty once trimmed stays as it is. */
  pseudonym(value: string): string {
    let p = this.cache.get(value);
    if (p !== undefined) return p;
    const canonical = canonicalIdentifier(value);
    p =
      canonical === ''
        ? value
        : `${PSEUDONYM_PREFIX}${hmacHex(this.key, canonical).slice(0, PSEUDONYM_HEX_DIGITS)}`;
    // Bounded: a pack of millions of distinct names costs a recomputation, not memory.
    if (this.cache.size >= 100_000) this.cache.clear();
    this.cache.set(value, p);
    return p;
  }
}

function hmacHex(key: Uint8Array, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

/** The fields of a source marked `personal: true`, in the source's order. */
export function personalFields(source: Pick<ResolvedSource, 'config'>): string[] {
  return Object.entries(source.config.fields)
    .filter(([, raw]) => typeof raw === 'object' && (raw as FieldConfig).personal === true)
    .map(([name]) => name);
}

/** The manifest's account of a pseudonymised pack (never the key). */
export interface PseudonymisationManifest {
  method: string;
  /** First 16 hex digits of HMAC-SHA-256(key, FINGERPRINT_TEXT): `reveal` checks the key against it. */
  keyFingerprint: string;
  fingerprintOf: string;
  /** Per source (catalogue name), its personal fields; sources without any are not listed. */
  fields: Record<string, string[]>;
  rejectedRows: string;
}

/**
 * The cells of a rejected row as a pseudonymised pack writes them. `keep[i]` says what to do with raw
 * cell i: 'personal' (pseudonymise), 'keep', or 'withhold'; withheld and personal values quoted in the
 * reasons (whole or cut short, as the intake quotes them) are replaced too.
 */
export function scrubReasons(
  reasons: readonly string[],
  values: readonly { text: string; personal: boolean }[],
  pseudonymiser: Pseudonymiser,
): string[] {
  const candidates = values
    .map((v) => ({ ...v, text: v.text.trim() }))
    .filter((v) => v.text !== '')
    // Longest first: a value that starts another one is tried after it.
    .sort((a, b) => b.text.length - a.text.length);
  if (candidates.length === 0) return [...reasons];
  return reasons.map((reason) =>
    reason.replace(/"(?:[^"\\]|\\.)*"/g, (quoted) => {
      let inner: string;
      try {
        inner = JSON.parse(quoted) as string;
      } catch {
        return quoted;
      }
      const isCut = inner.endsWith('...');
      const head = isCut ? inner.slice(0, -3) : inner;
      const hit = candidates.find((c) =>
        isCut ? head.length > 0 && c.text.startsWith(head) : c.text === inner.trim(),
      );
      if (!hit) return quoted;
      return hit.personal ? quote(pseudonymiser.pseudonym(hit.text)) : '"(withheld)"';
    }),
  );
}
