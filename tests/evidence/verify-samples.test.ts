/**
 * `verify` and the samples `isms-kpi sample` writes into a pack's samples/ folder: a sample drawn from
 * the pack verifies (it is not "added"), a changed or missing sample CSV and a sample copied from another
 * pack fail it, naming the sample; other files in samples/ are still "added". And `report --evidence`
 * over a signed pack holding samples refuses (exit 2, nothing touched), while the same signed pack
 * without samples is replaced as a whole. Keys are made here, never committed.
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let dir: string;
let q2: string;
let q3: string;
let publicKey: string;
let privateKey: string;
/** The sample drawn from q2 and from q3: samples/<name> without the extension. */
let q2Sample: string;
let q3Sample: string;

const KPIS = ['--kpi', 'AC-01', '--kpi', 'IR-02'];

async function report(period: string, pack: string, ...args: string[]) {
  return runCli([
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
}

/** Draws a sample of AC-01 into the pack; its name (samples/<name>.csv and .json). */
async function drawSample(pack: string): Promise<string> {
  const before = new Set(
    fs.existsSync(path.join(pack, 'samples')) ? fs.readdirSync(path.join(pack, 'samples')) : [],
  );
  const r = await runCli(['sample', 'AC-01', '--size', '3', '--evidence', pack, '--format', 'json']);
  expect(r.status, r.stderr).toBe(0);
  const added = fs.readdirSync(path.join(pack, 'samples')).filter((f) => !before.has(f));
  expect(added.sort()).toHaveLength(2);
  return added.find((f) => f.endsWith('.json'))!.replace(/\.json$/, '');
}

function copy(pack: string, name: string): string {
  const target = path.join(dir, name);
  fs.cpSync(pack, target, { recursive: true });
  return target;
}

async function verify(...args: string[]) {
  const r = await runCli(['verify', '--no-sources', ...args]);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function verifyJson(...args: string[]) {
  const r = await verify(...args, '--format', 'json');
  return { code: r.code, pack: JSON.parse(r.stdout).packs[0] };
}

/** Every file under a folder with its bytes, by relative path. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) {
      const p = path.join(e.parentPath, e.name);
      out[path.relative(root, p)] = fs.readFileSync(p).toString('base64');
    }
  }
  return out;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-verify-samples-'));
  const pair = generateKeyPairSync('ed25519');
  privateKey = path.join(dir, 'k.pem');
  publicKey = path.join(dir, 'k.pub.pem');
  fs.writeFileSync(privateKey, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  fs.writeFileSync(publicKey, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  q2 = path.join(dir, 'q2');
  q3 = path.join(dir, 'q3');
  expect((await report('2026-Q2', q2, '--sign', privateKey)).status).toBe(0);
  expect((await report('2026-Q3', q3)).status).toBe(0);
  q2Sample = await drawSample(q2);
  q3Sample = await drawSample(q3);
}, 120_000);

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('verify: samples drawn from the pack', () => {
  it('checks a sample against its sample manifest instead of calling it added', async () => {
    const r = await verify(q2, '--key', publicKey);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain('added');
    expect(r.stdout).toMatch(/^ {2}samples +1 of 1 sample drawn from this pack unchanged$/m);
    expect(r.stdout).toMatch(/signature +valid/);
    expect(r.code).toBe(0);
    const json = await verifyJson(q2);
    expect(json.code).toBe(0);
    expect(json.pack.files.some((f: { path: string }) => f.path.startsWith('samples'))).toBe(false);
    expect(json.pack.samples).toEqual([
      expect.objectContaining({
        manifest: `samples/${q2Sample}.json`,
        file: `samples/${q2Sample}.csv`,
        kpi: 'AC-01',
        state: 'ok',
        drawnFrom: json.pack.manifestSha256,
      }),
    ]);
    // A pack without samples says nothing about them.
    const plain = copy(q3, 'no-samples');
    fs.rmSync(path.join(plain, 'samples'), { recursive: true });
    const none = await verify(plain);
    expect(none.code).toBe(0);
    expect(none.stdout).not.toMatch(/^ {2}samples /m);
  });

  it('fails on a changed sample CSV, naming the sample and both hashes', async () => {
    const pack = copy(q2, 'changed');
    const csv = path.join(pack, 'samples', `${q2Sample}.csv`);
    fs.writeFileSync(csv, fs.readFileSync(csv, 'utf8').replace(/\r?\n$/, '\r\nextra,row\r\n'));
    const r = await verify(pack);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`evidence pack ${pack} (2026-Q2): FAILED`);
    expect(r.stdout).toMatch(
      new RegExp(
        `^ {2}changed +sample samples/${q2Sample}\\.json \\(AC-01\\): samples/${q2Sample}\\.csv has sha256 [0-9a-f]{12}, samples/${q2Sample}\\.json records [0-9a-f]{12}$`,
        'm',
      ),
    );
    expect(r.stdout).toMatch(/^ {2}samples +0 of 1 sample drawn from this pack unchanged$/m);
    expect(r.stdout).not.toContain('added');
    const json = await verifyJson(pack);
    expect(json.pack.samples[0].state).toBe('changed');
    expect(json.pack.samples[0].actual).not.toBe(json.pack.samples[0].recorded);
  });

  it('fails on a missing sample CSV', async () => {
    const pack = copy(q2, 'missing');
    fs.rmSync(path.join(pack, 'samples', `${q2Sample}.csv`));
    const r = await verify(pack);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(`^ {2}missing +sample samples/${q2Sample}\\.json \\(AC-01\\): `, 'm'),
    );
    expect((await verifyJson(pack)).pack.samples[0].state).toBe('missing');
  });

  it('fails on a sample of another pack (foreign), its CSV included, and not on the own sample', async () => {
    const pack = copy(q2, 'foreign');
    for (const ext of ['csv', 'json'])
      fs.copyFileSync(
        path.join(q3, 'samples', `${q3Sample}.${ext}`),
        path.join(pack, 'samples', `${q3Sample}.${ext}`),
      );
    const r = await verify(pack);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `^ {2}foreign +sample samples/${q3Sample}\\.json \\(AC-01\\): drawn from another evidence pack \\(manifest sha256 [0-9a-f]{12}\\), not from this one$`,
        'm',
      ),
    );
    expect(r.stdout).not.toContain('added');
    expect(r.stdout).toMatch(/^ {2}samples +1 of 2 samples drawn from this pack unchanged$/m);
    const json = await verifyJson(pack);
    const q3Manifest = (await verifyJson(q3)).pack.manifestSha256;
    expect(
      Object.fromEntries(
        json.pack.samples.map((s: { manifest: string; state: string }) => [s.manifest, s.state]),
      ),
    ).toEqual({ [`samples/${q2Sample}.json`]: 'ok', [`samples/${q3Sample}.json`]: 'foreign' });
    expect(json.pack.samples.find((s: { state: string }) => s.state === 'foreign').drawnFrom).toBe(
      q3Manifest,
    );
  });

  it('still calls other files in samples/ added: a CSV no sample names, a JSON that is no sample manifest', async () => {
    const pack = copy(q2, 'stray');
    fs.writeFileSync(path.join(pack, 'samples', 'mine.csv'), 'a,b\r\n');
    fs.writeFileSync(path.join(pack, 'samples', 'notes.json'), '{"sample": "no"}');
    const r = await verify(pack);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}added +samples\/mine\.csv \(not listed in the manifest\)$/m);
    expect(r.stdout).toMatch(/^ {2}added +samples\/notes\.json \(not listed in the manifest\)$/m);
    expect(r.stdout).toMatch(/^ {2}samples +1 of 1 sample drawn from this pack unchanged$/m);
  });
});

describe('report --evidence over a signed pack', () => {
  it('refuses a folder holding samples, touching nothing; replaces the same pack without them as a whole', async () => {
    const pack = copy(q2, 'rewrite');
    expect(fs.existsSync(path.join(pack, 'manifest.json.sig'))).toBe(true);
    const before = snapshot(pack);
    const refused = await report('2026-Q2', pack);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/the folder holds samples drawn from the earlier evidence pack/);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(snapshot(pack)).toEqual(before);

    fs.rmSync(path.join(pack, 'samples'), { recursive: true });
    const replaced = await report('2026-Q2', pack);
    expect(replaced.stderr).toBe('');
    expect(replaced.status).toBe(0);
    // Written without --sign: the old signature went with the old pack.
    expect(fs.existsSync(path.join(pack, 'manifest.json.sig'))).toBe(false);
    expect((await verify(pack)).code).toBe(0);
  });
});
