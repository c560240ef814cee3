/**
 * `report --evidence DIR --previous OLD/manifest.json --sign KEY` (issue 21): reads the previous pack's
 * manifest and the signing key before any work is done, so a wrong file stops the run (exit 2) before the
 * exports are read; then records the link in the new manifest and signs the manifest's bytes
 * (src/evidence/chain.ts, src/evidence/sign.ts).
 */
import type { KeyObject } from 'node:crypto';
import path from 'node:path';
import { checkPreviousPeriod, type FoundPrevious, readPrevious } from '../evidence/chain.js';
import { MANIFEST_FILE, type PackManifest } from '../evidence/pack-manifest.js';
import {
  PASSPHRASE_VARIABLE,
  privateKeyFromPem,
  publicKeyFromPem,
  SIGNATURE_FILE,
  signatureText,
} from '../evidence/sign.js';
import type { PackSink } from '../evidence/write-pack.js';
import { IsmsKpiError, problem } from '../problems.js';
import { fileProblem } from '../util/file-problem.js';
import type { Io } from './io.js';

/** A PEM key is a few hundred bytes; anything this large is not one. */
const MAX_KEY_BYTES = 64 * 1024;
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

export interface PackOptions {
  evidence?: string | undefined;
  /** The previous pack's manifest.json, or its folder. */
  previous?: string | undefined;
  /** The Ed25519 private key (PKCS#8 PEM) that signs manifest.json. */
  sign?: string | undefined;
}

export interface PackExtras {
  previous?: { found: FoundPrevious; file: string };
  signingKey?: KeyObject;
}

async function readKeyText(io: Io, file: string, option: string): Promise<string> {
  try {
    return await io.readText(path.resolve(io.cwd, file), MAX_KEY_BYTES);
  } catch (error) {
    const p = fileProblem(error, file, { missing: `${option}: key file not found` });
    throw new IsmsKpiError(
      p.code === 'file-too-large' || p.code === 'undecodable'
        ? problem('key', `${option}: not a PEM key file`, { file })
        : p,
    );
  }
}

/** The private key of --sign (the passphrase of an encrypted one from ISMS_KPI_SIGNING_PASSPHRASE). */
export async function readSigningKey(io: Io, file: string): Promise<KeyObject> {
  const text = await readKeyText(io, file, '--sign');
  return privateKeyFromPem(text, file, io.env[PASSPHRASE_VARIABLE]);
}

/** The public key of verify --key. */
export async function readPublicKey(io: Io, file: string): Promise<KeyObject> {
  return publicKeyFromPem(await readKeyText(io, file, '--key'), file);
}

/** --previous: a manifest.json, or the folder of a pack (its manifest.json). */
async function readPreviousManifest(io: Io, given: string): Promise<{ found: FoundPrevious; file: string }> {
  let file = given;
  const absolute = path.resolve(io.cwd, given);
  const info = await io.stat(absolute).catch(() => undefined);
  if (info?.isDirectory) file = path.join(given, MANIFEST_FILE);
  let text: string;
  try {
    text = await io.readText(path.resolve(io.cwd, file), MAX_MANIFEST_BYTES);
  } catch (error) {
    throw new IsmsKpiError(fileProblem(error, file, { missing: '--previous: file not found' }));
  }
  return { found: readPrevious(Buffer.from(text, 'utf8'), file), file };
}

/** Refuses --previous and --sign without --evidence. */
export function checkPackOptions(options: PackOptions): void {
  if (options.evidence === undefined && (options.previous !== undefined || options.sign !== undefined))
    throw new IsmsKpiError(
      problem(
        'usage',
        `${options.previous !== undefined ? '--previous' : '--sign'} belongs to an evidence pack; add --evidence DIR`,
      ),
    );
}

/** Checks and reads --previous and --sign; undefined when neither is given. */
export async function readPackExtras(options: PackOptions, io: Io): Promise<PackExtras | undefined> {
  checkPackOptions(options);
  if (options.previous === undefined && options.sign === undefined) return undefined;
  return {
    ...(options.previous !== undefined ? { previous: await readPreviousManifest(io, options.previous) } : {}),
    ...(options.sign !== undefined ? { signingKey: await readSigningKey(io, options.sign) } : {}),
  };
}

/** The `previous` record for the new pack, once its period is known. */
export function previousRecord(
  extras: PackExtras | undefined,
  period: Pick<PackManifest['period'], 'label' | 'start'>,
): PackManifest['previous'] {
  if (!extras?.previous) return undefined;
  return checkPreviousPeriod(extras.previous.found, extras.previous.file, period);
}

/** Writes manifest.json.sig beside the manifest just written to `sink`. */
export function signPack(sink: PackSink, key: KeyObject): void {
  const bytes = Buffer.concat([...sink.read(MANIFEST_FILE)].map((b) => Buffer.from(b)));
  sink.append(SIGNATURE_FILE, signatureText(bytes, key));
}
