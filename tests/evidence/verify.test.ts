/**
 * `isms-kpi verify` end to end (issue 21): a pack as written verifies; a changed byte, a missing file, an
 * added file, a changed source export, a broken chain link, a signature of another key and a tampered
 * manifest each fail it (exit 1), naming what failed; a folder that is no pack is exit 2. Keys are made
 * here, never committed.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../helpers/cli.js';

let dir: string;
/** Packs written once and copied by each test that changes one. */
let q2: string;
let q3: string;
let signedQ2: string;
let keyA: { private: string; public: string };
let keyB: { private: string; public: string };

const KPIS = ['--kpi', 'AC-01', '--kpi', 'IR-02'];

function writeKeys(name: string): { private: string; public: string; pair: { privateKey: KeyObject } } {
  const pair = generateKeyPairSync('ed25519');
  const priv = path.join(dir, `${name}.pem`);
  const pub = path.join(dir, `${name}.pub.pem`);
  fs.writeFileSync(priv, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  fs.writeFileSync(pub, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  return { private: priv, public: pub, pair };
}

async function report(period: string, pack: string, ...args: string[]) {
  const r = await runCli([
    'report',
    '--period',
    period,
    '--fail-on',
    'never',
    '--quiet',
    ...KPIS,
    '--evidence',
    pack,
    ...args,
  ]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

/** A copy of a pack to change. */
function copy(pack: string, name: string): string {
  const target = path.join(dir, name);
  fs.cpSync(pack, target, { recursive: true });
  return target;
}

async function verify(...args: string[]) {
  const r = await runCli(['verify', ...args]);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function verifyJson(...args: string[]) {
  const r = await verify(...args, '--format', 'json');
  return { code: r.code, json: JSON.parse(r.stdout), stderr: r.stderr };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-verify-'));
  keyA = writeKeys('a');
  keyB = writeKeys('b');
  q2 = path.join(dir, 'q2');
  q3 = path.join(dir, 'q3');
  signedQ2 = path.join(dir, 'signed-q2');
  await report('2026-Q2', q2);
  await report('2026-Q3', q3, '--previous', path.join(q2, 'manifest.json'));
  await report('2026-Q2', signedQ2, '--sign', keyA.private);
}, 60_000);

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('verify: the files of a pack', () => {
  it('verifies a pack as written, its source exports included', async () => {
    const r = await verify(q2);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`evidence pack ${q2} (2026-Q2): verified`);
    expect(r.stdout).toContain('4 of 4 files listed in the manifest unchanged');
    expect(r.stdout).toContain('2 of 2 exports unchanged');
    expect(r.stdout).toMatch(/signature +not signed/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('verified: 1 pack');
  });

  it('fails on a changed byte and names the file', async () => {
    const pack = copy(q2, 'byte');
    const file = path.join(pack, 'kpis', 'AC-01.csv');
    const bytes = fs.readFileSync(file);
    const at = bytes.length - 3;
    bytes[at] = bytes[at]! ^ 0x01;
    fs.writeFileSync(file, bytes);
    const r = await verify(pack);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^ {2}changed +kpis\/AC-01\.csv \(sha256 now [0-9a-f]{12}, the manifest says [0-9a-f]{12}\)$/m,
    );
    expect(r.stdout).toContain(`evidence pack ${pack} (2026-Q2): FAILED`);
    const json = await verifyJson(pack);
    expect(json.code).toBe(1);
    expect(json.json.ok).toBe(false);
    const states = Object.fromEntries(
      json.json.packs[0].files.map((f: { path: string; state: string }) => [f.path, f.state]),
    );
    expect(states).toEqual({
      'kpis/AC-01.csv': 'changed',
      'kpis/IR-02.csv': 'ok',
      'rejected/incidents.csv': 'ok',
      'rejected/leavers.csv': 'ok',
    });
  });

  it('fails on a missing file and on added files and folders, but not on the signature file', async () => {
    const pack = copy(signedQ2, 'missing-added');
    fs.rmSync(path.join(pack, 'rejected', 'leavers.csv'));
    fs.writeFileSync(path.join(pack, 'notes.txt'), 'mine');
    fs.writeFileSync(path.join(pack, 'kpis', 'AC-01 (copy).csv'), 'x');
    fs.mkdirSync(path.join(pack, 'empty'));
    const r = await verify(pack);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}missing +rejected\/leavers\.csv$/m);
    expect(r.stdout).toMatch(/^ {2}added +notes\.txt \(not listed in the manifest\)$/m);
    expect(r.stdout).toMatch(/^ {2}added +kpis\/AC-01 \(copy\)\.csv/m);
    expect(r.stdout).toMatch(/^ {2}added +empty\//m);
    expect(r.stdout).not.toContain('manifest.json.sig (not listed');
    expect(r.stdout).toContain('3 of 4 files listed in the manifest unchanged');
  });

  it('refuses to read a listed path outside the pack, and a listed link', async () => {
    const pack = copy(q2, 'outside');
    const manifestFile = path.join(pack, 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    const listed = manifest.files.find((f: { path: string }) => f.path === 'kpis/AC-01.csv');
    listed.path = '../q3/manifest.json';
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    fs.rmSync(path.join(pack, 'kpis', 'IR-02.csv'));
    fs.symlinkSync(path.join(q2, 'kpis', 'IR-02.csv'), path.join(pack, 'kpis', 'IR-02.csv'));
    const { code, json } = await verifyJson(pack);
    expect(code).toBe(1);
    const states = json.packs[0].files.map((f: { path: string; state: string }) => `${f.path} ${f.state}`);
    expect(states).toContain('../q3/manifest.json outside');
    expect(states).toContain('kpis/IR-02.csv not-a-file');
    expect(states).toContain('kpis/AC-01.csv added');
  });

  it('is exit 2 for a folder that is no pack, and for a manifest isms-kpi did not write', async () => {
    const missing = await verify(path.join(dir, 'nowhere'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`error: ${path.join(dir, 'nowhere')}: evidence pack folder not found\n`);
    const empty = path.join(dir, 'empty-folder');
    fs.mkdirSync(empty);
    const none = await verify(empty);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      'no manifest.json in the folder: not an evidence pack written by report --evidence',
    );
    const other = path.join(dir, 'other');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'manifest.json'), '{"name": "something else"}');
    const foreign = await verify(other);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain('is not the manifest of an evidence pack written by isms-kpi');
    expect(foreign.stdout).toBe('');
  });
});

describe('verify: the source exports', () => {
  /** A catalogue folder holding copies of the exports the packs name. */
  function sourcesCopy(name: string): string {
    const root = path.join(dir, name);
    fs.mkdirSync(path.join(root, 'fixtures'), { recursive: true });
    fs.cpSync(path.join(REPO, 'fixtures', 'acme'), path.join(root, 'fixtures', 'acme'), { recursive: true });
    return root;
  }

  it('fails on an export changed at its recorded path', async () => {
    const root = sourcesCopy('src-changed');
    fs.appendFileSync(path.join(root, 'fixtures', 'acme', 'hr-leavers.csv'), '\n');
    const r = await verify(q2, '--sources', root);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /changed +source fixtures\/acme\/hr-leavers\.csv \(sha256 now [0-9a-f]{12}, the manifest says [0-9a-f]{12}\): not the export the pack was computed from/,
    );
    expect(r.stdout).toContain('1 of 2 exports unchanged');
  });

  it('does not check an export that is no longer there, unless --require-sources', async () => {
    const root = sourcesCopy('src-gone');
    fs.rmSync(path.join(root, 'fixtures', 'acme', 'jira-incidents.csv'));
    const r = await verify(q2, '--sources', root);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `1 of 1 export unchanged; 1 export not checked: not found under ${root} (fixtures/acme/jira-incidents.csv)`,
    );
    const required = await verify(q2, '--sources', root, '--require-sources');
    expect(required.code).toBe(1);
    const skipped = await verify(q2, '--sources', root, '--no-sources');
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain('not checked (--no-sources)');
  });
});

describe('verify --chain', () => {
  it('checks each link and records the previous period', async () => {
    const r = await verify('--chain', q2, q3);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`2026-Q2 (${q2}) -> 2026-Q3 (${q3}): intact`);
    expect(r.stdout).toMatch(/previous +the pack of 2026-Q2 \(manifest sha256 [0-9a-f]{12}\)/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('verified: 2 packs, 1 link');
  });

  it('names the broken link when an earlier manifest was changed', async () => {
    const old = copy(q2, 'chain-q2');
    const newer = copy(q3, 'chain-q3');
    // A changed manifest whose files still verify: only the chain can tell.
    fs.appendFileSync(path.join(old, 'manifest.json'), ' ');
    expect((await verify(old)).code).toBe(0);
    const r = await verify('--chain', old, newer);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `2026-Q2 \\(${old}\\) -> 2026-Q3 \\(${newer}\\): BROKEN: ${newer} records the manifest sha256 [0-9a-f]{12} of 2026-Q2, ${old}/manifest.json has [0-9a-f]{12}`,
      ),
    );
    expect(r.stdout).toContain('verification FAILED: 0 of 2 packs, 1 of 1 link broken');
    const { json } = await verifyJson('--chain', old, newer);
    expect(json.links[0].state).toBe('broken');
  });

  it('fails a pack that records no previous pack, and needs two folders', async () => {
    const r = await verify('--chain', q3, q2);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${q2} records no previous pack (written without --previous)`);
    const one = await verify('--chain', q2);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('--chain needs the folders of two or more packs');
  });
});

describe('report --previous', () => {
  it('accepts the previous pack folder as well as its manifest, with the same record', async () => {
    const pack = path.join(dir, 'prev-folder');
    await report('2026-Q3', pack, '--previous', q2);
    const read = (p: string) => JSON.parse(fs.readFileSync(path.join(p, 'manifest.json'), 'utf8'));
    expect(read(pack).previous).toEqual(read(q3).previous);
    expect(read(q3).previous.period).toBe('2026-Q2');
    expect(read(q2).previous).toBeUndefined();
  });

  it('refuses a file that is not a manifest, a later period, and --previous without --evidence', async () => {
    const run = (...args: string[]) =>
      runCli(['report', '--period', '2026-Q2', '--fail-on', 'never', ...KPIS, ...args]);
    const savedReport = path.join(dir, 'q2.json');
    fs.writeFileSync(
      savedReport,
      (await runCli(['report', '--period', '2026-Q2', '--format', 'json', ...KPIS, '--fail-on', 'never']))
        .stdout,
    );
    const target = path.join(dir, 'never-written');
    const notManifest = await run('--evidence', target, '--previous', savedReport);
    expect(notManifest.status).toBe(2);
    expect(notManifest.stderr).toBe(
      `error: ${savedReport}: --previous: is a saved JSON report, not an evidence pack manifest; give the manifest.json in the folder written by report --evidence\n`,
    );
    const later = await run('--evidence', target, '--previous', q3);
    expect(later.status).toBe(2);
    expect(later.stderr).toContain("its period 2026-Q3 comes after this report's period 2026-Q2");
    const alone = await run('--previous', q2);
    expect(alone.status).toBe(2);
    expect(alone.stderr).toBe('error: --previous belongs to an evidence pack; add --evidence DIR\n');
    expect(fs.existsSync(target)).toBe(false);
  });
});

describe('signed packs', () => {
  it('verifies with the signing key, and says a signature was not checked without one', async () => {
    const r = await verify(signedQ2, '--key', keyA.public);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/signature +valid \(Ed25519, key [0-9a-f]{16}\)/);
    const unchecked = await verify(signedQ2);
    expect(unchecked.code).toBe(0);
    expect(unchecked.stdout).toMatch(
      /signature +present, not checked \(give the public key with --key PUB\.pem\)/,
    );
  });

  it('fails with another key', async () => {
    const r = await verify(signedQ2, '--key', keyB.public);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('INVALID: the pack was signed with another key than the one given');
    const { json } = await verifyJson(signedQ2, '--key', keyB.public);
    expect(json.packs[0].signature.state).toBe('invalid');
    expect(json.packs[0].signature.signedWith).not.toBe(json.packs[0].signature.checkedWith);
  });

  it('fails when the manifest was changed after signing, even with matching file hashes', async () => {
    const pack = copy(signedQ2, 'tampered');
    const file = path.join(pack, 'manifest.json');
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace('"organisation": "', '"organisation": "Not '),
    );
    const r = await verify(pack, '--key', keyA.public);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'INVALID: the signature does not match manifest.json: the manifest was changed after it was signed',
    );
    expect(r.stdout).toContain('4 of 4 files listed in the manifest unchanged');
  });

  it('fails an unsigned pack when a key is given, and a malformed signature file', async () => {
    const unsigned = await verify(q2, '--key', keyA.public);
    expect(unsigned.code).toBe(1);
    expect(unsigned.stdout).toContain('NOT SIGNED, though --key was given');
    const pack = copy(signedQ2, 'malformed');
    fs.writeFileSync(path.join(pack, 'manifest.json.sig'), 'not a signature');
    const malformed = await verify(pack);
    expect(malformed.code).toBe(1);
    expect(malformed.stdout).toContain(
      'INVALID: manifest.json.sig is not a signature isms-kpi writes (not JSON)',
    );
  });

  it('replaces an earlier signed pack in place', async () => {
    const pack = copy(signedQ2, 'resign');
    await report('2026-Q2', pack, '--sign', keyB.private);
    expect((await verify(pack, '--key', keyB.public)).code).toBe(0);
  });
});

describe('key files', () => {
  const sign = (key: string, env: Record<string, string> = {}) =>
    runCli(['report', '--period', '2026-Q2', ...KPIS, '--evidence', path.join(dir, 'never'), '--sign', key], {
      env,
    });

  function keyFile(name: string, content: string | Buffer): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  }

  it('refuses keys of the wrong kind or format with the way to make the right one, quoting no key material', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const rsaPem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const body = 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQ';
    const cases: [string, string, RegExp][] = [
      [
        'rsa.pem',
        rsaPem,
        /is an RSA key; evidence packs are signed with Ed25519 keys only: openssl genpkey -algorithm ed25519/,
      ],
      [
        'openssh',
        `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----\n`,
        /is an OpenSSH private key; only PKCS#8 PEM keys are read/,
      ],
      ['public.pem', fs.readFileSync(keyA.public, 'utf8'), /is a public key; --sign needs the private key/],
      ['garbage.pem', 'hello\n', /is not a PEM private key/],
      [
        'broken.pem',
        `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`,
        /is not a readable PEM private key/,
      ],
    ];
    for (const [name, content, message] of cases) {
      const file = keyFile(name, content);
      const r = await sign(file);
      expect(r.status, name).toBe(2);
      expect(r.stderr, name).toMatch(message);
      expect(r.stderr.startsWith(`error: ${file}: `), name).toBe(true);
      expect(r.stderr.split('\n')).toHaveLength(2);
      expect(r.stderr, name).not.toContain(body.slice(0, 20));
      expect(r.stderr, name).not.toContain(rsaPem.split('\n')[1]!.slice(0, 20));
    }
    const missing = await sign(path.join(dir, 'no-such-key.pem'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(`error: ${path.join(dir, 'no-such-key.pem')}: --sign: key file not found\n`);
  });

  it('reads an encrypted key with the passphrase from ISMS_KPI_SIGNING_PASSPHRASE, and says when it is missing or wrong', async () => {
    const pair = generateKeyPairSync('ed25519');
    const file = keyFile(
      'encrypted.pem',
      pair.privateKey.export({
        type: 'pkcs8',
        format: 'pem',
        cipher: 'aes-256-cbc',
        passphrase: 'correct horse',
      }),
    );
    const none = await sign(file);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain(
      'the private key is encrypted; put its passphrase in the environment variable ISMS_KPI_SIGNING_PASSPHRASE',
    );
    const wrong = await sign(file, { ISMS_KPI_SIGNING_PASSPHRASE: 'wrong' });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('cannot be decrypted with the passphrase in ISMS_KPI_SIGNING_PASSPHRASE');
    expect(wrong.stderr).not.toContain('wrong');
    const pack = path.join(dir, 'encrypted-pack');
    const signed = await runCli(
      ['report', '--period', '2026-Q2', '--fail-on', 'never', ...KPIS, '--evidence', pack, '--sign', file],
      { env: { ISMS_KPI_SIGNING_PASSPHRASE: 'correct horse' } },
    );
    expect(signed.status).toBe(0);
    const pub = keyFile('encrypted.pub.pem', pair.publicKey.export({ type: 'spki', format: 'pem' }));
    expect((await verify(pack, '--key', pub)).code).toBe(0);
  });

  it('refuses a private key or an OpenSSH public key for verify --key', async () => {
    const priv = await verify(signedQ2, '--key', keyA.private);
    expect(priv.code).toBe(2);
    expect(priv.stderr).toContain('is a private key; verify needs only the public key');
    const ssh = keyFile('id.pub', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE9wZW5TU0g user@host\n');
    const r = await verify(signedQ2, '--key', ssh);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is an OpenSSH public key; only PEM public keys');
    expect(r.stderr).not.toContain('AAAAC3Nza');
    expect(r.stdout).toBe('');
  });
});
