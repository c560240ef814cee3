/**
 * `isms-kpi sample`: the same pack draws the same bytes; the population hash and the drawn rows are
 * recomputed here from the method as docs/sampling.md states it (not from the code's own helpers);
 * stratified samples hold each stratum within one row of its proportional share; and the errors.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocate, SmallestKeys } from '../../src/evidence/sample.js';
import { runCli } from '../helpers/cli.js';
import { parseCsv } from '../render/csv-parse.js';

let dir: string;
let pack: string;
let manifestBytes: Buffer;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-sample-'));
  pack = path.join(dir, 'pack');
  const run = await runCli([
    'report',
    '--period',
    '2026-Q3',
    '--fail-on',
    'never',
    '--quiet',
    '--evidence',
    pack,
  ]);
  expect(run.status).toBe(0);
  manifestBytes = fs.readFileSync(path.join(pack, 'manifest.json'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const sample = (...args: string[]) => runCli(['sample', ...args]);
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** The population as docs/sampling.md defines it, read from the KPI's file with a plain CSV reader. */
function population(kpi: string): { rows: string[][]; header: string[] } {
  const [header, ...records] = parseCsv(fs.readFileSync(path.join(pack, `kpis/${kpi}.csv`), 'utf8'));
  const seen = new Set<string>();
  const rows: string[][] = [];
  for (const r of records) {
    const id = r.slice(3, 6).join('\n');
    if (seen.has(id)) continue;
    seen.add(id);
    rows.push(r.slice(3));
  }
  return { rows, header: header! };
}

function sampleFiles(): string[] {
  const folder = path.join(pack, 'samples');
  return fs.existsSync(folder) ? fs.readdirSync(folder).sort() : [];
}

describe('isms-kpi sample', () => {
  it('draws the n rows with the smallest SHA-256(seed:j), seeded by the manifest, and records the population', async () => {
    const run = await sample('AC-03', '--size', '7', '--evidence', pack, '--format', 'csv');
    expect(run.status).toBe(0);
    const seed = sha256(manifestBytes);
    const { rows } = population('AC-03');
    const expectedHash = sha256(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const keys = rows.map((_, i) => ({ j: i + 1, key: sha256(`${seed}:${i + 1}`) }));
    keys.sort((a, b) => (a.key < b.key ? -1 : 1));
    const expected = keys.slice(0, 7);

    const name = `AC-03-n7-${sha256(seed).slice(0, 12)}`;
    expect(sampleFiles()).toContain(`${name}.csv`);
    const csvText = fs.readFileSync(path.join(pack, 'samples', `${name}.csv`), 'utf8');
    expect(run.stdout).toBe(csvText);
    const [header, ...drawn] = parseCsv(csvText);
    expect(header!.slice(0, 7)).toEqual([
      'draw',
      'draw_key',
      'population_index',
      'roles',
      'source',
      'file',
      'line',
    ]);
    expect(drawn.map((r) => [Number(r[0]), r[1], Number(r[2])])).toEqual(
      expected.map((e, i) => [i + 1, e.key, e.j]),
    );
    // Each drawn row is population row j, cell for cell, with its file and line.
    for (const r of drawn) expect(r.slice(4)).toEqual(rows[Number(r[2]) - 1]);

    const meta = JSON.parse(fs.readFileSync(path.join(pack, 'samples', `${name}.json`), 'utf8'));
    expect(meta.seed).toBe(seed);
    expect(meta.population).toMatchObject({ rows: rows.length, sha256: expectedHash });
    expect(meta.evidencePack.manifestSha256).toBe(seed);
    expect(meta.file).toEqual({ path: `samples/${name}.csv`, sha256: sha256(csvText) });
    expect(meta).toMatchObject({ kpi: 'AC-03', size: 7, drawn: 7, wholePopulation: false });
    // The pack's own manifest is not touched (its hash is the seed).
    expect(fs.readFileSync(path.join(pack, 'manifest.json'))).toEqual(manifestBytes);
  });

  it('re-draws byte-identical samples from the same pack, and from a copy of it', async () => {
    const first = await sample('BK-01', '--size', '12', '--evidence', pack, '--format', 'json');
    const files = Object.fromEntries(
      sampleFiles().map((f) => [f, fs.readFileSync(path.join(pack, 'samples', f), 'utf8')]),
    );
    const second = await sample('BK-01', '--size', '12', '--evidence', pack, '--format', 'json');
    expect(second.stdout).toBe(first.stdout);
    for (const [f, content] of Object.entries(files))
      expect(fs.readFileSync(path.join(pack, 'samples', f), 'utf8')).toBe(content);
    const copy = path.join(dir, 'copy');
    fs.cpSync(pack, copy, { recursive: true });
    fs.rmSync(path.join(copy, 'samples'), { recursive: true });
    const third = await sample('BK-01', '--size', '12', '--evidence', copy, '--format', 'json');
    expect(third.stdout).toBe(first.stdout);
    // Another seed draws other rows.
    const seeded = await sample(
      'BK-01',
      '--size',
      '12',
      '--seed',
      'audit 2026',
      '--evidence',
      copy,
      '--format',
      'json',
    );
    const drawn = (out: string) =>
      (JSON.parse(out).rows as { population_index: number }[]).map((r) => r.population_index);
    expect(drawn(seeded.stdout)).not.toEqual(drawn(first.stdout));
    expect(JSON.parse(seeded.stdout).seedFrom).toBe('--seed');
  });

  it('holds each stratum within one row of its proportional share', async () => {
    const size = 25;
    const run = await sample(
      'BK-01',
      '--size',
      String(size),
      '--stratify',
      'job',
      '--evidence',
      pack,
      '--format',
      'json',
    );
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout);
    const { rows, header } = population('BK-01');
    const job = header.indexOf('job') - 3;
    const sizes = new Map<string, number>();
    for (const r of rows) sizes.set(r[job]!, (sizes.get(r[job]!) ?? 0) + 1);
    expect(sizes.size).toBeGreaterThan(2);
    const drawnPer = new Map<string, number>();
    for (const r of out.rows as Record<string, string>[]) {
      expect(r.stratum).toBe(r.job);
      drawnPer.set(r.job!, (drawnPer.get(r.job!) ?? 0) + 1);
    }
    let total = 0;
    for (const [value, n] of sizes) {
      const share = (size * n) / rows.length;
      const got = drawnPer.get(value) ?? 0;
      expect(Math.abs(got - share), value).toBeLessThan(1);
      total += got;
    }
    expect(total).toBe(size);
    expect(
      out.stratify.strata.map((s: { value: string; population: number }) => [s.value, s.population]),
    ).toEqual([...sizes]);
  });

  it('takes the whole population when the size is larger, and says so', async () => {
    const run = await sample('BK-03', '--size', '500', '--evidence', pack, '--format', 'json');
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.wholePopulation).toBe(true);
    expect(out.drawn).toBe(population('BK-03').rows.length);
    expect(run.stderr).toMatch(
      /^the population of BK-03 has \d+ rows, not more than --size 500: the sample is the whole population\n/,
    );
  });

  it('refuses an unknown KPI, a derived KPI, an unknown field and a changed pack (exit 2, nothing written)', async () => {
    const before = sampleFiles();
    const unknown = await sample('XX-99', '--size', '3', '--evidence', pack);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^error: KPI "XX-99" is not in the evidence pack .* \(it holds "IR-01", /);
    const derived = await sample('GV-01', '--size', '3', '--evidence', pack);
    expect(derived.status).toBe(2);
    expect(derived.stderr).toMatch(/KPI GV-01 is computed from other KPIs \(AC-02, AC-04, AC-09\)/);
    const field = await sample('AC-03', '--size', '3', '--stratify', 'team', '--evidence', pack);
    expect(field.status).toBe(2);
    expect(field.stderr).toMatch(
      /--stratify "team": KPI AC-03's rows have no such field \(they have "id", "arn"/,
    );
    const zero = await sample('AC-03', '--size', '0', '--evidence', pack);
    expect(zero.status).toBe(2);
    const notPack = await sample('AC-03', '--size', '3', '--evidence', dir);
    expect(notPack.status).toBe(2);
    expect(notPack.stderr).toMatch(/manifest\.json: not found: the folder is not an evidence pack/);

    const changed = path.join(dir, 'changed');
    fs.cpSync(pack, changed, { recursive: true });
    const file = path.join(changed, 'kpis/AC-03.csv');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('\r\n', '\r\n\r\n'));
    const tampered = await sample('AC-03', '--size', '3', '--evidence', changed);
    expect(tampered.status).toBe(2);
    expect(tampered.stderr).toMatch(/AC-03\.csv: differs from the SHA-256 the pack's manifest lists/);
    expect(sampleFiles()).toEqual(before);
  });

  it('keeps report --evidence from deleting samples with the pack they were drawn from', async () => {
    const copy = path.join(dir, 'with-samples');
    fs.cpSync(pack, copy, { recursive: true });
    expect(fs.readdirSync(path.join(copy, 'samples')).length).toBeGreaterThan(0);
    const run = await runCli(['report', '--period', '2026-Q3', '--fail-on', 'never', '--evidence', copy]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/the folder holds samples drawn from the earlier evidence pack/);
  });
});

describe('allocation and selection', () => {
  it('allocates by largest remainder: the hand-checked example', () => {
    // Shares 2.01, 2.01, 2.02, 0.99, 2.97: floors 2, 2, 2, 0, 2 and the two rows left to .99 and .97.
    const strata = [187, 187, 188, 92, 276].map((size, i) => ({ value: String(i), size }));
    expect(allocate(strata, 10)).toEqual([2, 2, 2, 1, 3]);
    expect(
      allocate(
        [
          { value: 'a', size: 1 },
          { value: 'b', size: 1 },
        ],
        1,
      ),
    ).toEqual([1, 0]);
  });

  it('gives every stratum its share rounded down or up, never more than it has, n in all', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 12 }),
        fc.nat(),
        (sizes, k) => {
          const total = sizes.reduce((a, b) => a + b, 0);
          const n = 1 + (k % total);
          const got = allocate(
            sizes.map((size, i) => ({ value: String(i), size })),
            n,
          );
          expect(got.reduce((a, b) => a + b, 0)).toBe(n);
          got.forEach((g, i) => {
            expect(g).toBeLessThanOrEqual(sizes[i]!);
            expect(Math.abs(g - (n * sizes[i]!) / total)).toBeLessThan(1);
          });
        },
      ),
    );
  });

  it('keeps the smallest keys as a full sort would', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16).padStart(4, '0')),
          { maxLength: 60 },
        ),
        fc.integer({ min: 0, max: 20 }),
        (keys, limit) => {
          const heap = new SmallestKeys(limit);
          for (const [i, k] of keys.entries()) heap.offer(k, i);
          const sorted = keys
            .map((key, index) => ({ key, index }))
            .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
          expect(heap.smallest(limit).map((e) => e.key)).toEqual(sorted.slice(0, limit).map((e) => e.key));
        },
      ),
    );
  });
});
