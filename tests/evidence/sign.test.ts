/**
 * The signature file and the chain links as units (the CLI is in verify.test.ts): every state of a
 * signature check, the fingerprint as openssl computes it, and the period rule of --previous.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkLink, checkPreviousPeriod, readPrevious } from '../../src/evidence/chain.js';
import { checkSignature, parseSignature, publicKeySha256, signatureText } from '../../src/evidence/sign.js';
import { IsmsKpiError } from '../../src/problems.js';

const a = generateKeyPairSync('ed25519');
const b = generateKeyPairSync('ed25519');
const manifest = Buffer.from('{"evidencePack": 1}\n');

describe('manifest signatures', () => {
  it('names the key by the sha256 of its DER public key, from the private or the public key', () => {
    const der = a.publicKey.export({ type: 'spki', format: 'der' });
    const expected = createHash('sha256').update(der).digest('hex');
    expect(publicKeySha256(a.privateKey)).toBe(expected);
    expect(publicKeySha256(a.publicKey)).toBe(expected);
    expect(JSON.parse(signatureText(manifest, a.privateKey)).publicKeySha256).toBe(expected);
  });

  it('is valid with the signing key, invalid with another or over other bytes', () => {
    const sig = signatureText(manifest, a.privateKey);
    expect(checkSignature(manifest, sig, a.publicKey).state).toBe('valid');
    const other = checkSignature(manifest, sig, b.publicKey);
    expect(other.state).toBe('invalid');
    expect(other.reason).toMatch(/signed with another key/);
    const changed = Buffer.from(manifest);
    changed[2] = changed[2]! ^ 1;
    const tampered = checkSignature(changed, sig, a.publicKey);
    expect(tampered.state).toBe('invalid');
    expect(tampered.reason).toMatch(/the manifest was changed after it was signed/);
  });

  it('tells unsigned, not checked and malformed apart', () => {
    expect(checkSignature(manifest, undefined, undefined)).toEqual({ state: 'unsigned' });
    expect(checkSignature(manifest, undefined, a.publicKey).state).toBe('unsigned');
    const sig = signatureText(manifest, a.privateKey);
    expect(checkSignature(manifest, sig, undefined)).toEqual({
      state: 'not-checked',
      signedWith: publicKeySha256(a.publicKey),
    });
    const good = JSON.parse(sig);
    const cases: [unknown, string][] = [
      ['{', 'not JSON'],
      [{ ...good, format: 'other' }, 'not an isms-kpi-manifest-signature'],
      [{ ...good, version: 2 }, 'signature version 2 is not known to this isms-kpi'],
      [{ ...good, algorithm: 'rsa' }, 'algorithm rsa is not ed25519'],
      [{ ...good, signature: 'not base64!' }, 'the signature is not base64'],
      [{ ...good, publicKeySha256: 'abc' }, 'publicKeySha256 is not a sha256'],
    ];
    for (const [value, reason] of cases) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      expect(parseSignature(text)).toBe(reason);
      expect(checkSignature(manifest, text, a.publicKey)).toMatchObject({ state: 'malformed', reason });
    }
  });
});

describe('chain links', () => {
  const pack = (period: string, start: string, previous?: { sha256: string; period: string }) => {
    const bytes = Buffer.from(
      `${JSON.stringify({ evidencePack: 1, tool: { name: 'isms-kpi' }, period: { label: period, start }, files: [], ...(previous ? { previous } : {}) })}\n`,
    );
    return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
  };

  it('records the sha256 of the exact bytes and the period; accepts the same period, refuses a later one', () => {
    const q2 = pack('2026-Q2', '2026-03-31T22:00:00.000Z');
    const found = readPrevious(q2.bytes, 'q2/manifest.json');
    expect(found.previous).toEqual({ sha256: q2.sha256, period: '2026-Q2' });
    expect(checkPreviousPeriod(found, 'f', { label: '2026-Q3', start: '2026-06-30T22:00:00.000Z' })).toEqual(
      found.previous,
    );
    expect(checkPreviousPeriod(found, 'f', { label: '2026-Q2', start: '2026-03-31T22:00:00.000Z' })).toEqual(
      found.previous,
    );
    expect(() =>
      checkPreviousPeriod(found, 'f', { label: '2026-Q1', start: '2025-12-31T23:00:00.000Z' }),
    ).toThrow(/its period 2026-Q2 comes after this report's period 2026-Q1/);
    expect(() => readPrevious(Buffer.from('{"schemaVersion": 1, "kpis": []}'), 'q2.json')).toThrow(
      IsmsKpiError,
    );
  });

  it('is intact, broken or unlinked', () => {
    const old = { dir: 'q2', period: '2026-Q2', manifestSha256: 'a'.repeat(64) };
    const intact = checkLink(old, {
      dir: 'q3',
      period: '2026-Q3',
      manifestSha256: 'c'.repeat(64),
      previous: { sha256: 'a'.repeat(64), period: '2026-Q2' },
    });
    expect(intact.state).toBe('intact');
    const broken = checkLink(old, {
      dir: 'q3',
      period: '2026-Q3',
      manifestSha256: 'c'.repeat(64),
      previous: { sha256: 'b'.repeat(64), period: '2026-Q2' },
    });
    expect(broken).toMatchObject({ state: 'broken', recorded: 'b'.repeat(64), actual: 'a'.repeat(64) });
    expect(checkLink(old, { dir: 'q3', period: '2026-Q3', manifestSha256: 'c'.repeat(64) }).state).toBe(
      'unlinked',
    );
  });
});
