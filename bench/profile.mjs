#!/usr/bin/env node
// Where isms-kpi spends its time (and memory) on the benchmark data.
//
//   npm run build && node bench/profile.mjs 1000000 [--profile realistic|synthetic] [--top 25] [--engine DIR]
//   node bench/profile.mjs 1000000 --per-kpi        # peak RSS and time of `report -k ID`, for each KPI
//
// Generates the profile's data for N if needed (bench/profiles.mjs; default profile: realistic), runs
//   node --cpu-prof bin/isms-kpi.js report -c <data dir>/catalogue.yaml --format json --fail-on never
// and prints the functions with the most self time, then the most inclusive time, over all threads.
// The .cpuprofile files (one per thread) are kept in the data directory (open them in Chrome DevTools >
// Performance, or speedscope). --engine DIR profiles the build in DIR (a checkout with bin/ and dist/, or
// a copy bench/run.mjs made in bench/.data/engine/HASH/) instead of this repository's.
//
// --per-kpi runs the report once for each KPI alone (`-k ID`, under GNU time) and prints its wall time,
// CPU time and peak RSS: what reading the columns that one KPI needs costs, since only the fields a
// formula reads are stored.

import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PROFILE, profileNamed } from './profiles.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(HERE);

const args = process.argv.slice(2);
const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 25;

const profileIndex = args.indexOf('--profile');
const profile = profileNamed(profileIndex >= 0 ? args[profileIndex + 1] : DEFAULT_PROFILE);
const engineIndex = args.indexOf('--engine');
const cli = join(engineIndex >= 0 ? resolve(args[engineIndex + 1]) : ROOT, 'bin', 'isms-kpi.js');

const { dir } = profile.ensureData(n, { log: console.log });
const catalogue = join(dir, 'catalogue.yaml');
copyFileSync(profile.catalogue, catalogue);

if (args.includes('--per-kpi')) {
  const ids = [...readFileSync(catalogue, 'utf8').matchAll(/^ {2}- id: (\S+)$/gm)].map((m) => m[1]);
  console.log(`N = ${n} rows per source, profile ${profile.name}: each KPI alone (report -k ID)`);
  console.log('KPI        wall s   CPU s   peak RSS MB');
  for (const id of ['(all)', ...ids]) {
    const run = spawnSync(
      '/usr/bin/time',
      [
        '-f',
        '%e %U %S %M',
        process.execPath,
        cli,
        'report',
        '-c',
        catalogue,
        '--format',
        'json',
        '--fail-on',
        'never',
        ...(id === '(all)' ? [] : ['-k', id]),
      ],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    if (run.status !== 0) {
      console.log(`${id.padEnd(10)} failed (exit ${run.status}): ${run.stderr.split('\n')[0]}`);
      continue;
    }
    const [wall, user, sys, kb] = run.stderr.trim().split('\n').pop().split(' ').map(Number);
    console.log(
      `${id.padEnd(10)} ${wall.toFixed(2).padStart(6)} ${(user + sys).toFixed(2).padStart(7)} ${Math.round(
        kb / 1024,
      )
        .toLocaleString('en-US')
        .padStart(13)}`,
    );
  }
  process.exit(0);
}
for (const f of readdirSync(dir)) if (f.endsWith('.cpuprofile')) rmSync(join(dir, f));

const started = process.hrtime.bigint();
const run = spawnSync(
  process.execPath,
  [
    '--cpu-prof',
    `--cpu-prof-dir=${dir}`,
    cli,
    'report',
    '-c',
    catalogue,
    '--format',
    'json',
    '--fail-on',
    'never',
  ],
  { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 },
);
const wall = Number(process.hrtime.bigint() - started) / 1e9;
if (run.status !== 0) {
  console.error(run.stderr);
  process.exit(1);
}
const label = (node) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
};

// One profile per thread: the main thread and each worker thread the engine starts.
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .sort();
const self = new Map();
const inclusive = new Map();
const threads = [];
let total = 0;
for (const file of files) {
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const sampleTime = new Map();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    sampleTime.set(id, (sampleTime.get(id) ?? 0) + us);
    if (nodes.get(id).callFrame.functionName !== '(idle)') busy += us;
  });
  for (const [id, us] of sampleTime) {
    const key = label(nodes.get(id));
    if (key === '(idle)') continue;
    self.set(key, (self.get(key) ?? 0) + us);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = label(nodes.get(cur));
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  total += busy;
  threads.push({ file, wall: (profile.endTime - profile.startTime) / 1e6, busy: busy / 1e6 });
}

const print = (title, map) => {
  console.log(`\n${title} (all threads, idle samples left out)`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(
      `${(us / 1e6).toFixed(2).padStart(8)} s ${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`,
    );
};
console.log(`N = ${n} rows per source: wall ${wall.toFixed(2)} s with the profiler on; profiles in ${dir}`);
for (const t of threads) console.log(`  ${t.file}: ${t.wall.toFixed(2)} s long, ${t.busy.toFixed(2)} s busy`);
console.log('percentages are of the busy time of all threads together');
print('self time', self);
print('inclusive time', inclusive);
