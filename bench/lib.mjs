// What the data generators of the benchmark share: a seeded PRNG, weighted choices and a buffered
// writer that hashes what it writes. bench/generate.mjs (profile `synthetic`) and
// bench/realistic/generate.mjs (profile `realistic`) include this file in their generator hash, so a
// change here regenerates both profiles' data.

import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The 32-bit mulberry32 PRNG: uniform numbers in [0, 1), the same sequence on every machine. */
export function mulberry32(seed) {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A picker: maps a uniform number in [0, 1) to one of `values`, with the given weights. */
export function weighted(values, weights) {
  const cumulative = [];
  let total = 0;
  for (const w of weights) {
    total += w;
    cumulative.push(total);
  }
  return (u) => {
    const x = u * total;
    for (let i = 0; i < cumulative.length; i++) if (x < cumulative[i]) return values[i];
    return values[values.length - 1];
  };
}

/** sha256 (16 hex digits) of the given source files: a generator's version. */
export function sourceHash(...files) {
  const hash = createHash('sha256');
  for (const file of files) hash.update(readFileSync(file instanceof URL ? fileURLToPath(file) : file));
  return hash.digest('hex').slice(0, 16);
}

/** Buffered writer that hashes what it writes. */
export class Out {
  constructor(path) {
    this.fd = openSync(path, 'w');
    this.hash = createHash('sha256');
    this.parts = [];
    this.length = 0;
    this.bytes = 0;
  }
  write(text) {
    this.parts.push(text);
    this.length += text.length;
    if (this.length > 1 << 20) this.flush();
  }
  flush() {
    const buffer = Buffer.from(this.parts.join(''), 'utf8');
    this.hash.update(buffer);
    writeSync(this.fd, buffer);
    this.bytes += buffer.length;
    this.parts = [];
    this.length = 0;
  }
  close() {
    this.flush();
    closeSync(this.fd);
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}

/**
 * Writes the files of one data set unless they are already there: `writers` is a list of
 * [file name, (rows, out) => void]. The manifest (manifest.json in `dir`) records the generator's
 * hash, the seed, the rows and each file's size and sha256; the files are reused while the manifest
 * matches and every file still has its recorded size. Returns { dir, manifest, generated }.
 */
export function ensureFiles({ dir, generator, seed, rows, writers, force = false, log = () => {} }) {
  const manifestPath = join(dir, 'manifest.json');
  if (!force && existsSync(manifestPath)) {
    try {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      const intact =
        manifest.generator === generator &&
        manifest.rows === rows &&
        manifest.seed === seed &&
        writers.every(
          ([f]) => existsSync(join(dir, f)) && statSync(join(dir, f)).size === manifest.files[f]?.bytes,
        );
      if (intact) return { dir, manifest, generated: false };
    } catch {
      // regenerate below
    }
  }
  mkdirSync(dir, { recursive: true });
  const started = process.hrtime.bigint();
  const files = {};
  for (const [file, write] of writers) {
    const out = new Out(join(dir, file));
    write(rows, out);
    files[file] = out.close();
  }
  const manifest = { generator, seed, rows, files };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const mb = Object.values(files).reduce((a, f) => a + f.bytes, 0) / 1e6;
  log(`generated ${rows} rows per source in ${dir} (${mb.toFixed(1)} MB, ${seconds.toFixed(1)} s)`);
  return { dir, manifest, generated: true };
}
