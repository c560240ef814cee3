#!/usr/bin/env node
// Times the intake alone: reads sources of a catalogue the way `report` does (only the fields its KPIs
// read are stored, large files in worker threads) and prints wall time, CPU time of all threads, peak
// RSS, the rows read and the machine's load. No KPI is evaluated.
//
//   node bench/load.mjs DIR/catalogue.yaml [SOURCE ...] [--runs R] [--engine DIST] [--all-fields]
//                       [--workers auto|always|never] [--ranges N]
//
// SOURCE: the sources to read together (default: all of the catalogue). --engine: a dist/ folder to
// load the engine from (default: this checkout's dist/, so `npm run build` first), for before/after
// comparisons. --ranges sets ISMS_KPI_RANGES (parts per file; 1 = one worker per file). Each run is a
// fresh process.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function option(args, name, fallback) {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = args[at + 1];
  args.splice(at, 2);
  return value;
}

function flag(args, name) {
  const at = args.indexOf(name);
  if (at < 0) return false;
  args.splice(at, 1);
  return true;
}

/** One measured load, in this process (the child of `main`). */
async function child(args) {
  const engine = path.resolve(option(args, '--engine', path.join(HERE, '..', 'dist')));
  const workers = option(args, '--workers', 'auto');
  const allFields = flag(args, '--all-fields');
  const [catalogueFile, ...names] = args;
  const { loadCatalogue } = await import(pathToFileURL(path.join(engine, 'app', 'catalogue.js')).href);
  const { nodeIo } = await import(pathToFileURL(path.join(engine, 'app', 'node-io.js')).href);
  const { loadSources } = await import(pathToFileURL(path.join(engine, 'engine', 'run.js')).href);
  const { resolvePeriod } = await import(pathToFileURL(path.join(engine, 'app', 'request.js')).href);
  const cwd = path.dirname(path.resolve(catalogueFile));
  const io = nodeIo({ cwd });
  const catalogue = await loadCatalogue(io, path.basename(catalogueFile));
  const period = resolvePeriod(catalogue, { now: Date.now() });
  const wanted = names.length > 0 ? names : [...catalogue.sources.keys()];
  // The fields report stores: those the KPIs read, and their segment fields.
  const keep = new Map();
  for (const kpi of catalogue.kpis) {
    for (const s of kpi.formula.sources) {
      const fields = keep.get(s) ?? new Set();
      for (const f of kpi.formula.fields.get(s) ?? []) fields.add(f);
      for (const f of kpi.segmentBy) fields.add(f);
      keep.set(s, fields);
    }
  }
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const ranges = Number(process.env.ISMS_KPI_RANGES) || undefined;
  const loaded = await loadSources(catalogue, wanted, period, cwd, {
    ...(allFields ? {} : { keep }),
    workers,
    cores: os.availableParallelism(),
    ...(ranges ? { ranges } : {}),
  });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const rows = {};
  for (const [name, l] of loaded) rows[name] = 'missing' in l ? 'missing' : l.stats.rowsRead;
  process.stdout.write(
    `${JSON.stringify({ wall, cpu: (cpu.user + cpu.system) / 1e6, rssMB: process.resourceUsage().maxRSS / 1024, rows })}\n`,
  );
}

async function main(args) {
  const runs = Number(option(args, '--runs', '3'));
  const ranges = option(args, '--ranges', undefined);
  const results = [];
  for (let r = 0; r < runs; r++) {
    const load0 = os.loadavg()[0];
    const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...(ranges ? { ISMS_KPI_RANGES: ranges } : {}) },
      maxBuffer: 1 << 24,
    });
    if (out.status !== 0) {
      process.stderr.write(out.stderr);
      process.exit(1);
    }
    const result = JSON.parse(out.stdout.trim().split('\n').pop());
    result.load = [load0, os.loadavg()[0]];
    results.push(result);
    console.log(
      `run ${r + 1}: ${result.wall.toFixed(2)} s wall, ${result.cpu.toFixed(2)} s CPU, ${Math.round(result.rssMB)} MB peak RSS, load ${result.load.map((l) => l.toFixed(2)).join(' -> ')}, rows ${JSON.stringify(result.rows)}`,
    );
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `median of ${runs}: ${median(results.map((r) => r.wall)).toFixed(2)} s wall, ${median(results.map((r) => r.cpu)).toFixed(2)} s CPU, ${Math.round(median(results.map((r) => r.rssMB)))} MB; ${os.cpus()[0]?.model ?? '?'} x ${os.cpus().length}; node ${process.version}`,
  );
}

const args = process.argv.slice(2);
if (args[0] === '--child') await child(args.slice(1));
else if (args.length === 0 || args.includes('--help')) {
  console.log(
    readFileSync(fileURLToPath(import.meta.url), 'utf8')
      .split('\n')
      .slice(1, 12)
      .join('\n'),
  );
} else await main(args);
