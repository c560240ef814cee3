/**
 * Signed evidence manifests (issue 21): `report --evidence DIR --sign KEY` signs the exact bytes of
 * DIR/manifest.json with an Ed25519 private key and writes DIR/manifest.json.sig; `verify --key PUB`
 * checks it. Only node:crypto, no network.
 *
 * Decisions:
 * - Keys are PEM as Node's crypto reads them: the private key PKCS#8 (`-----BEGIN PRIVATE KEY-----`, or
 *   `-----BEGIN ENCRYPTED PRIVATE KEY-----` with its passphrase in ISMS_KPI_SIGNING_PASSPHRASE), the public
 *   key SPKI (`-----BEGIN PUBLIC KEY-----`). OpenSSH keys are refused with the way to make a PEM key:
 *   reading them needs a library (sshpk) for one conversion, and ssh-keygen cannot export an Ed25519 key
 *   as PKCS#8, so a dedicated signing key made with openssl is the documented way (docs/evidence.md).
 * - The signature file is JSON (SignatureFile): the algorithm, the file signed, the sha256 of the public
 *   key's DER (SPKI) bytes, which `openssl pkey -pubin -in public.pem -outform DER | sha256sum` prints
 *   too, and the base64 signature. The fingerprint only names the key; the signature is what is checked.
 * - Messages never quote a key file's content (key material), only its path.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { IsmsKpiError, problem } from '../problems.js';

/** Beside manifest.json in the pack; not listed in the manifest (it signs the manifest). */
export const SIGNATURE_FILE = 'manifest.json.sig';

/** The environment variable an encrypted private key's passphrase is read from. */
export const PASSPHRASE_VARIABLE = 'ISMS_KPI_SIGNING_PASSPHRASE';

export const SIGNATURE_FORMAT = 'isms-kpi-manifest-signature';

export interface SignatureFile {
  format: typeof SIGNATURE_FORMAT;
  version: 1;
  algorithm: 'ed25519';
  /** The file whose exact bytes are signed. */
  signed: 'manifest.json';
  /** sha256 (hex) of the signing key's public key as DER (SPKI). */
  publicKeySha256: string;
  /** The Ed25519 signature of the manifest's bytes, base64. */
  signature: string;
}

const GENERATE = 'openssl genpkey -algorithm ed25519 -out isms-kpi-signing.pem';
const PUBLIC_FROM_PRIVATE = 'openssl pkey -in isms-kpi-signing.pem -pubout -out isms-kpi-signing.pub.pem';

function keyError(file: string, message: string): IsmsKpiError {
  return new IsmsKpiError(problem('key', message, { file }));
}

/** A refusal for text that is a key of a kind isms-kpi does not read, else undefined. */
function foreignFormat(text: string, file: string, want: 'private' | 'public'): IsmsKpiError | undefined {
  if (text.includes('-----BEGIN OPENSSH PRIVATE KEY-----'))
    return keyError(
      file,
      want === 'private'
        ? `is an OpenSSH private key; only PKCS#8 PEM keys are read: make a signing key with ${GENERATE} (docs/evidence.md)`
        : `is an OpenSSH private key, not a public key; give the PEM public key of the signing key (${PUBLIC_FROM_PRIVATE})`,
    );
  if (/^\s*(ssh-ed25519|ssh-rsa|ecdsa-sha2-\S+|sk-ssh-\S+) /.test(text))
    return keyError(
      file,
      `is an OpenSSH public key; only PEM public keys (-----BEGIN PUBLIC KEY-----) are read: make the signing key with ${GENERATE} and its public key with ${PUBLIC_FROM_PRIVATE} (docs/evidence.md)`,
    );
  if (want === 'private' && text.includes('-----BEGIN PUBLIC KEY-----'))
    return keyError(
      file,
      'is a public key; --sign needs the private key (the auditor gets the public key, for verify --key)',
    );
  if (want === 'public' && /-----BEGIN (?:ENCRYPTED |RSA |EC |DSA |OPENSSH )?PRIVATE KEY-----/.test(text))
    return keyError(
      file,
      `is a private key; verify needs only the public key, and the private key should not leave its keeper: ${PUBLIC_FROM_PRIVATE}`,
    );
  if (!text.includes('-----BEGIN '))
    return keyError(
      file,
      want === 'private'
        ? `is not a PEM private key (-----BEGIN PRIVATE KEY-----); make one with ${GENERATE}`
        : `is not a PEM public key (-----BEGIN PUBLIC KEY-----); make it from the private key with ${PUBLIC_FROM_PRIVATE}`,
    );
  return undefined;
}

function requireEd25519(key: KeyObject, file: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519')
    throw keyError(
      file,
      `is ${key.asymmetricKeyType === undefined ? 'not an asymmetric' : `an ${key.asymmetricKeyType.toUpperCase()}`} key; evidence packs are signed with Ed25519 keys only: ${GENERATE}`,
    );
  return key;
}

/**
 * The Ed25519 private key in PEM text (read from `file`, named in messages). An encrypted key needs
 * `passphrase` (from ISMS_KPI_SIGNING_PASSPHRASE).
 */
export function privateKeyFromPem(text: string, file: string, passphrase: string | undefined): KeyObject {
  const refused = foreignFormat(text, file, 'private');
  if (refused) throw refused;
  const isEncrypted =
    text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /Proc-Type: 4,ENCRYPTED/.test(text);
  if (isEncrypted && (passphrase === undefined || passphrase === ''))
    throw keyError(
      file,
      `the private key is encrypted; put its passphrase in the environment variable ${PASSPHRASE_VARIABLE}`,
    );
  let key: KeyObject;
  try {
    key = createPrivateKey({
      key: text,
      format: 'pem',
      ...(isEncrypted ? { passphrase: passphrase ?? '' } : {}),
    });
  } catch {
    throw keyError(
      file,
      isEncrypted
        ? `the private key cannot be decrypted with the passphrase in ${PASSPHRASE_VARIABLE}`
        : `is not a readable PEM private key; make one with ${GENERATE}`,
    );
  }
  return requireEd25519(key, file);
}

/** The Ed25519 public key in PEM (SPKI) text (read from `file`, named in messages). */
export function publicKeyFromPem(text: string, file: string): KeyObject {
  const refused = foreignFormat(text, file, 'public');
  if (refused) throw refused;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch {
    throw keyError(
      file,
      `is not a readable PEM public key; make it from the private key with ${PUBLIC_FROM_PRIVATE}`,
    );
  }
  return requireEd25519(key, file);
}

/** sha256 (hex) of a key's public key as DER (SPKI): the fingerprint in the signature file. */
export function publicKeySha256(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** The text of manifest.json.sig for the manifest's bytes. */
export function signatureText(manifest: Uint8Array, privateKey: KeyObject): string {
  const file: SignatureFile = {
    format: SIGNATURE_FORMAT,
    version: 1,
    algorithm: 'ed25519',
    signed: 'manifest.json',
    publicKeySha256: publicKeySha256(privateKey),
    signature: sign(null, manifest, privateKey).toString('base64'),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export type SignatureState =
  /** No manifest.json.sig in the pack. */
  | 'unsigned'
  /** Signed; no public key was given to check it with. */
  | 'not-checked'
  | 'valid'
  /** The signature does not match the manifest and the key (a changed manifest, or another key). */
  | 'invalid'
  /** manifest.json.sig is not a signature file isms-kpi writes. */
  | 'malformed';

export interface SignatureCheck {
  state: SignatureState;
  /** The key the signature file names (sha256 of its public key). */
  signedWith?: string;
  /** The key it was checked with. */
  checkedWith?: string;
  /** Why it is invalid or malformed, in words. */
  reason?: string;
}

/** Parses manifest.json.sig; a string says why it is not one. */
export function parseSignature(text: string): SignatureFile | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const s = data as Partial<SignatureFile> | null;
  if (typeof s !== 'object' || s === null || s.format !== SIGNATURE_FORMAT)
    return `not an ${SIGNATURE_FORMAT}`;
  if (s.version !== 1) return `signature version ${String(s.version)} is not known to this isms-kpi`;
  if (s.algorithm !== 'ed25519') return `algorithm ${String(s.algorithm)} is not ed25519`;
  if (typeof s.signature !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(s.signature))
    return 'the signature is not base64';
  if (typeof s.publicKeySha256 !== 'string' || !/^[0-9a-f]{64}$/.test(s.publicKeySha256))
    return 'publicKeySha256 is not a sha256';
  return s as SignatureFile;
}

/**
 * Checks manifest.json.sig (its text, or undefined when the pack has none) against the manifest's bytes
 * and, when given, the public key.
 */
export function checkSignature(
  manifest: Uint8Array,
  signature: string | undefined,
  publicKey: KeyObject | undefined,
): SignatureCheck {
  const checkedWith = publicKey ? { checkedWith: publicKeySha256(publicKey) } : {};
  if (signature === undefined) return { state: 'unsigned', ...checkedWith };
  const parsed = parseSignature(signature);
  if (typeof parsed === 'string') return { state: 'malformed', reason: parsed, ...checkedWith };
  const signedWith = { signedWith: parsed.publicKeySha256 };
  if (!publicKey) return { state: 'not-checked', ...signedWith };
  const isValid = verify(null, manifest, publicKey, Buffer.from(parsed.signature, 'base64'));
  if (isValid) return { state: 'valid', ...signedWith, ...checkedWith };
  return {
    state: 'invalid',
    ...signedWith,
    ...checkedWith,
    reason:
      parsed.publicKeySha256 === checkedWith.checkedWith
        ? 'the signature does not match manifest.json: the manifest was changed after it was signed'
        : 'the pack was signed with another key than the one given, or the manifest was changed',
  };
}
