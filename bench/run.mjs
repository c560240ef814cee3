#!/usr/bin/env node
// The scale benchmark: isms-kpi against DuckDB on synthetic exports of N rows per source.
//
//   npm run bench                                   # N = 100k, 1M, 2M; 3 runs each (medians)
//   npm run bench -- --sizes 100000 --runs 1        # a quick check
//   node bench/run.mjs --sizes 10k,1M --runs 5 --no-targets
//
// For each N it generates the three exports (bench/generate.mjs; reused when already there), copies
// bench/catalogue.yaml next to them, then times as whole processes
//   node bin/isms-kpi.js report -c <catalogue> --format json --fail-on never
//   node bench/duckdb.mjs <dir>
// (isms-kpi from a copy of bin/ and dist/ taken at the start, bench/.data/engine/; wall time from
// spawn to exit; peak RSS and CPU seconds from GNU time, else peak RSS from polling
// /proc/PID/status VmHWM), compares the 20 KPI values, the segment values and the rows in the
// period, and prints N | isms-kpi s | rows/s | peak RSS MB | DuckDB s | ratio | CPU seconds of both |
// DuckDB RSS MB (medians of the runs). rows/s counts the rows of all three sources (3 N) per second
// of isms-kpi wall time.
//
// Exit code 1 when a value differs (relative tolerance 1e-9; null must equal null), when a run fails,
// or when a target is missed (unless --no-targets). Results are also written to
// bench/.data/results.json.
//
// Options: --sizes LIST (comma-separated, 100k / 1M suffixes allowed), --runs R (default 3),
// --no-targets, --timeout SECONDS (per process, default 900), --force (regenerate the data),
// --wait-idle SECONDS (before each timed process, wait at most this long for the other processes of
// the machine to use less than 0.25 core; default 120, 0 = do not wait), --max-other-load CORES and
// --retries K (a run during which other processes used more than CORES, default 0.25, is repeated up
// to K times, default 3; the last attempt is kept and flagged). Each run reports the CPU the rest of
// the machine used while it ran, so a noisy measurement can be recognised.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, freemem, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATA_ROOT, ensureData, FILES } from './generate.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(HERE);
const ENGINE = join(DATA_ROOT, 'engine');
const CLI = join(ENGINE, 'bin', 'isms-kpi.js');
const DUCKDB = join(HERE, 'duckdb.mjs');
const KPI_COUNT = 20;
const TOLERANCE = 1e-9;

const TARGETS = {
  ratioAt1M: 1.5,
  stretchRatioAt1M: 1.0,
  rssAt1MMb: 1024,
  timeGrowth2MOver1M: 2.2,
};

// ---------------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------------
function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  if (!m) throw new Error(`--sizes: "${text}" is not a row count like 100000, 100k or 1M`);
  const n = Number(m[1]) * (m[2] === '' ? 1 : m[2].toLowerCase() === 'k' ? 1e3 : 1e6);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--sizes: "${text}" is not a whole number of rows`);
  return n;
}

function parseArgs(argv) {
  const options = {
    sizes: [100_000, 1_000_000, 2_000_000],
    runs: 3,
    targets: true,
    timeout: 900,
    waitIdle: 120,
    maxOtherLoad: 0.25,
    retries: 3,
    force: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--sizes': {
        const sizes = [value()];
        while (argv[i + 1] !== undefined && /^\d/.test(argv[i + 1])) sizes.push(argv[++i]);
        options.sizes = sizes
          .flatMap((s) => s.split(','))
          .filter((s) => s !== '')
          .map(parseSize);
        break;
      }
      case '--runs':
        options.runs = Number(value());
        if (!Number.isInteger(options.runs) || options.runs < 1)
          throw new Error('--runs needs a whole number >= 1');
        break;
      case '--timeout':
        options.timeout = Number(value());
        if (!(options.timeout > 0)) throw new Error('--timeout needs a number of seconds');
        break;
      case '--wait-idle':
        options.waitIdle = Number(value());
        if (!(options.waitIdle >= 0))
          throw new Error('--wait-idle needs a number of seconds (0: do not wait)');
        break;
      case '--max-other-load':
        options.maxOtherLoad = Number(value());
        if (!(options.maxOtherLoad >= 0)) throw new Error('--max-other-load needs a number of cores');
        break;
      case '--retries':
        options.retries = Number(value());
        if (!Number.isInteger(options.retries) || options.retries < 0)
          throw new Error('--retries needs a whole number >= 0');
        break;
      case '--no-targets':
        options.targets = false;
        break;
      case '--force':
        options.force = true;
        break;
      case '-h':
      case '--help':
        console.log(
          readFileSync(fileURLToPath(import.meta.url), 'utf8')
            .split('\n\n')[0]
            .replace(/^#!.*\n/, '')
            .replace(/^\/\/ ?/gm, ''),
        );
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${arg} (see --help)`);
    }
  }
  return options;
}

// ---------------------------------------------------------------------------------------------
// Measuring a process
// ---------------------------------------------------------------------------------------------
const GNU_TIME = '/usr/bin/time';
const hasGnuTime =
  existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;

/** CPU jiffies of the whole machine from /proc/stat: [busy, total]; null where there is no /proc. */
function cpuJiffies() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = fields[3] + fields[4];
    return [total - idle, total];
  } catch {
    return null;
  }
}
const USER_HZ = 100;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits (at most `maxSeconds`) until the other processes of the machine use less than `cores` CPU over
 * one second, so a timed run does not share the cores with a build or a test run. Returns the last
 * load seen, in cores.
 */
async function waitIdle(maxSeconds, cores = 0.25) {
  const deadline = Date.now() + maxSeconds * 1000;
  let load = 0;
  do {
    const a = cpuJiffies();
    await sleep(1000);
    const b = cpuJiffies();
    if (!a || !b) return 0;
    load = (b[0] - a[0]) / USER_HZ;
    if (load < cores) return load;
  } while (Date.now() < deadline);
  return load;
}

/**
 * Runs a command to completion: wall seconds, peak RSS in MB, CPU seconds (user + sys, with GNU time),
 * the CPU the rest of the machine used meanwhile (cores), exit code, stdout and stderr.
 */
function measure(command, args, timeoutSeconds) {
  return new Promise((resolvePromise) => {
    const rssFile = join(DATA_ROOT, `.rss-${process.pid}.txt`);
    const viaTime = hasGnuTime;
    const cpuBefore = cpuJiffies();
    const started = process.hrtime.bigint();
    const child = viaTime
      ? spawn(GNU_TIME, ['-f', '%e %M %U %S', '-o', rssFile, command, ...args], { cwd: ROOT })
      : spawn(command, args, { cwd: ROOT });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (c) => stdout.push(c));
    child.stderr.on('data', (c) => stderr.push(c));
    let polledKb = 0;
    const poll = viaTime
      ? null
      : setInterval(() => {
          try {
            const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
            const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
            if (kb > polledKb) polledKb = kb;
          } catch {
            // the process has exited
          }
        }, 10);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutSeconds * 1000);
    child.on('close', (code, signal) => {
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      const cpuAfter = cpuJiffies();
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      let rssKb = polledKb;
      let cpu = null;
      if (viaTime && existsSync(rssFile)) {
        const fields = readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        rssKb = fields[1];
        cpu = fields[2] + fields[3];
        rmSync(rssFile, { force: true });
      }
      const machineBusy = cpuBefore && cpuAfter ? (cpuAfter[0] - cpuBefore[0]) / USER_HZ : null;
      resolvePromise({
        wall,
        rssMb: rssKb / 1024,
        cpu,
        /** Cores the rest of the machine kept busy during the run (noise indicator). */
        otherLoad: machineBusy !== null && cpu !== null ? Math.max(0, (machineBusy - cpu) / wall) : null,
        code: timedOut ? 'timeout' : (code ?? signal),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}

/**
 * One timed run on a machine other people use too: waits for the machine to be idle, runs, and runs
 * again (at most `options.retries` times) when other processes used more than `options.maxOtherLoad`
 * cores meanwhile. The last attempt is kept either way; `discarded` counts the noisy attempts.
 */
async function quietRun(command, args, options) {
  let discarded = 0;
  for (;;) {
    if (options.waitIdle > 0) await waitIdle(options.waitIdle);
    const result = await measure(command, args, options.timeout);
    const isNoisy = result.otherLoad !== null && result.otherLoad > options.maxOtherLoad;
    if (result.code !== 0 || !isNoisy || discarded >= options.retries) return { ...result, discarded };
    discarded++;
  }
}

/** Reads the files once so every timed run starts from the same (warm) page cache. */
async function warmCache(dir) {
  for (const file of FILES) {
    await new Promise((res, rej) => {
      createReadStream(join(dir, file), { highWaterMark: 1 << 20 })
        .on('data', () => {})
        .on('end', res)
        .on('error', rej);
    });
  }
}

/**
 * Copies the built CLI (bin/, dist/, package.json) to bench/.data/engine/ and returns a hash of dist/.
 * Every run of one benchmark uses this copy, so a rebuild of dist/ while the benchmark runs (someone
 * working on src/) cannot mix two versions of the engine in one table. Its node_modules are the
 * repository's, found by walking up from bench/.data/engine/.
 */
function snapshotEngine() {
  rmSync(ENGINE, { recursive: true, force: true });
  mkdirSync(ENGINE, { recursive: true });
  cpSync(join(ROOT, 'dist'), join(ENGINE, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'bin'), join(ENGINE, 'bin'), { recursive: true });
  copyFileSync(join(ROOT, 'package.json'), join(ENGINE, 'package.json'));
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.js')) hash.update(entry.name).update(readFileSync(path));
    }
  };
  walk(join(ENGINE, 'dist'));
  return hash.digest('hex').slice(0, 12);
}

// ---------------------------------------------------------------------------------------------
// Comparing values
// ---------------------------------------------------------------------------------------------
function same(a, b) {
  if (a === null || a === undefined || b === null || b === undefined)
    return (a ?? null) === null && (b ?? null) === null;
  if (a === b) return true;
  return Math.abs(a - b) <= TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

/** Every difference between the isms-kpi report and the DuckDB result. */
function compare(report, duck) {
  const mismatches = [];
  const kpis = new Map(report.kpis.map((k) => [k.id, k]));
  const ids = Object.keys(duck.values);
  if (ids.length !== KPI_COUNT || kpis.size !== KPI_COUNT)
    mismatches.push({
      what: `KPI count: isms-kpi ${kpis.size}, DuckDB ${ids.length} (expected ${KPI_COUNT})`,
    });
  for (const id of ids) {
    const kpi = kpis.get(id);
    if (!kpi) {
      mismatches.push({ id, what: 'missing from the isms-kpi report' });
      continue;
    }
    if (!same(kpi.value, duck.values[id]))
      mismatches.push({ id, what: 'value', isms: kpi.value, duckdb: duck.values[id] });
  }
  for (const [id, expected] of Object.entries(duck.segments)) {
    const got = new Map((kpis.get(id)?.segments ?? []).map((s) => [s.key, s.value]));
    for (const key of new Set([...got.keys(), ...Object.keys(expected)])) {
      if (!got.has(key) || !(key in expected) || !same(got.get(key), expected[key]))
        mismatches.push({
          id,
          what: `segment ${JSON.stringify(key)}`,
          isms: got.has(key) ? got.get(key) : 'absent',
          duckdb: key in expected ? expected[key] : 'absent',
        });
    }
  }
  for (const [name, rows] of Object.entries(duck.rowsInPeriod)) {
    const source = report.sources.find((s) => s.name === name);
    if (source?.rowsInPeriod !== rows)
      mismatches.push({ id: name, what: 'rows in the period', isms: source?.rowsInPeriod, duckdb: rows });
  }
  return mismatches;
}

// ---------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmtN = (n) =>
  n >= 1e6 && n % 1e5 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 100 === 0 ? `${n / 1e3}k` : String(n);
const fmtInt = (x) => Math.round(x).toLocaleString('en-US');

function table(rows) {
  const header = [
    'N per source',
    'isms-kpi s',
    'rows/s',
    'peak RSS MB',
    'DuckDB s',
    'ratio',
    'isms-kpi CPU s',
    'DuckDB CPU s',
    'DuckDB RSS MB',
  ];
  const cpu = (x) => (x === null ? 'n/a' : x.toFixed(2));
  const body = rows.map((r) => [
    fmtN(r.n),
    r.isms.wall.toFixed(2),
    fmtInt((3 * r.n) / r.isms.wall),
    fmtInt(r.isms.rssMb),
    r.duckdb.wall.toFixed(2),
    (r.isms.wall / r.duckdb.wall).toFixed(2),
    cpu(r.isms.cpu),
    cpu(r.duckdb.cpu),
    fmtInt(r.duckdb.rssMb),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (i === 0 ? ':' : '-') + '-'.repeat(w) + (i === 0 ? '-' : ':')).join('|')}|`,
    ...body.map(line),
  ].join('\n');
}

function checkTargets(rows) {
  const at = (n) => rows.find((r) => r.n === n);
  const m1 = at(1_000_000);
  const m2 = at(2_000_000);
  const checks = [];
  if (m1) {
    const ratio = m1.isms.wall / m1.duckdb.wall;
    checks.push({
      target: `ratio isms-kpi / DuckDB at 1M rows <= ${TARGETS.ratioAt1M}`,
      measured: ratio.toFixed(2),
      ok: ratio <= TARGETS.ratioAt1M,
    });
    checks.push({
      target: `(stretch) ratio at 1M rows <= ${TARGETS.stretchRatioAt1M}`,
      measured: ratio.toFixed(2),
      ok: ratio <= TARGETS.stretchRatioAt1M,
      stretch: true,
    });
    checks.push({
      target: `peak RSS at 1M rows <= ${TARGETS.rssAt1MMb} MB`,
      measured: `${fmtInt(m1.isms.rssMb)} MB`,
      ok: m1.isms.rssMb <= TARGETS.rssAt1MMb,
    });
  }
  if (m1 && m2) {
    const rssGrowth = m2.isms.rssMb / m1.isms.rssMb;
    checks.push({
      target: 'peak RSS grows no faster than linearly (RSS 2M / RSS 1M <= 2)',
      measured: rssGrowth.toFixed(2),
      ok: rssGrowth <= 2,
    });
    const growth = m2.isms.wall / m1.isms.wall;
    checks.push({
      target: `time at 2M rows <= ${TARGETS.timeGrowth2MOver1M} x time at 1M rows`,
      measured: `${growth.toFixed(2)} x`,
      ok: growth <= TARGETS.timeGrowth2MOver1M,
    });
  }
  return checks;
}

function machine() {
  const duckVersion = (() => {
    try {
      return JSON.parse(
        readFileSync(join(ROOT, 'node_modules', '@duckdb', 'node-api', 'package.json'), 'utf8'),
      ).version;
    } catch {
      return 'unknown';
    }
  })();
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: +(totalmem() / 2 ** 30).toFixed(1),
    freeMemoryGb: +(freemem() / 2 ** 30).toFixed(1),
    node: process.version,
    duckdbNodeApi: duckVersion,
    platform: `${process.platform} ${process.arch}`,
    rssSource: hasGnuTime ? 'GNU time %M' : '/proc/PID/status VmHWM (polled every 10 ms)',
  };
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------
async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`bench: ${error.message}`);
    process.exit(2);
  }
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js')) || !existsSync(join(ROOT, 'bin', 'isms-kpi.js'))) {
    console.error('bench: dist/ is missing; run `npm run bench` (it builds first) or `npm run build`');
    process.exit(2);
  }
  const info = machine();
  info.engine = snapshotEngine();
  console.log(
    `machine: ${info.cpus} x ${info.cpuModel}, ${info.memoryGb} GB RAM; Node ${info.node}; @duckdb/node-api ${info.duckdbNodeApi}; peak RSS from ${info.rssSource}`,
  );
  console.log(`engine: dist/ copied to ${ENGINE} (hash ${info.engine}); every run below uses that copy`);
  console.log(
    `sizes: ${options.sizes.map(fmtN).join(', ')} rows per source; ${options.runs} run(s) each, medians\n`,
  );

  const rows = [];
  const failures = [];
  const allMismatches = [];
  for (const n of options.sizes) {
    const { dir } = ensureData(n, { force: options.force, log: (m) => console.log(m) });
    const catalogue = join(dir, 'catalogue.yaml');
    copyFileSync(join(HERE, 'catalogue.yaml'), catalogue);
    await warmCache(dir);
    const isms = [];
    const duck = [];
    let mismatches = [];
    const summarise = (runs) => ({
      wall: median(runs.map((x) => x.wall)),
      rssMb: median(runs.map((x) => x.rssMb)),
      cpu: runs.every((x) => x.cpu !== null) ? median(runs.map((x) => x.cpu)) : null,
      best: Math.min(...runs.map((x) => x.wall)),
      walls: runs.map((x) => +x.wall.toFixed(3)),
      discarded: runs.reduce((a, x) => a + x.discarded, 0),
      otherLoad: runs.map((x) => (x.otherLoad === null ? null : +x.otherLoad.toFixed(2))),
    });
    for (let r = 0; r < options.runs; r++) {
      const a = await quietRun(
        process.execPath,
        [CLI, 'report', '-c', catalogue, '--format', 'json', '--fail-on', 'never'],
        options,
      );
      if (a.code !== 0) {
        failures.push(
          `isms-kpi at ${fmtN(n)} exited with ${a.code} after ${a.wall.toFixed(1)} s:\n${a.stderr.slice(0, 2000)}`,
        );
        break;
      }
      const b = await quietRun(process.execPath, [DUCKDB, dir], options);
      if (b.code !== 0) {
        failures.push(
          `DuckDB at ${fmtN(n)} exited with ${b.code} after ${b.wall.toFixed(1)} s:\n${b.stderr.slice(0, 2000)}`,
        );
        break;
      }
      isms.push(a);
      duck.push(b);
      mismatches = compare(JSON.parse(a.stdout), JSON.parse(b.stdout));
      const duckTimes = JSON.parse(b.stdout).timings;
      const noise = (x) =>
        x.otherLoad === null
          ? ''
          : `, other processes ${x.otherLoad.toFixed(2)} cores${x.otherLoad > options.maxOtherLoad ? ' (busy machine: noisy)' : ''}${x.discarded > 0 ? `, ${x.discarded} noisy attempt(s) discarded` : ''}`;
      const cpu = (x) => (x.cpu === null ? '' : `, CPU ${x.cpu.toFixed(2)} s`);
      console.log(
        `  N=${fmtN(n)} run ${r + 1}/${options.runs}: isms-kpi ${a.wall.toFixed(2)} s${cpu(a)}, ${fmtInt(a.rssMb)} MB${noise(a)}\n` +
          `  ${' '.repeat(fmtN(n).length + 8 + String(r + 1).length + String(options.runs).length)}DuckDB   ${b.wall.toFixed(2)} s${cpu(b)}, ${fmtInt(b.rssMb)} MB${noise(b)} (in-process: load ${duckTimes.load_s.toFixed(2)} s, queries ${duckTimes.query_s.toFixed(2)} s)\n` +
          `  ${' '.repeat(fmtN(n).length + 8 + String(r + 1).length + String(options.runs).length)}${mismatches.length === 0 ? `all ${KPI_COUNT} KPI values match` : `${mismatches.length} MISMATCH(ES)`}`,
      );
      if (mismatches.length > 0) break;
    }
    for (const m of mismatches) allMismatches.push({ n, ...m });
    if (isms.length === 0) continue;
    rows.push({
      n,
      runs: isms.length,
      isms: summarise(isms),
      duckdb: summarise(duck),
      values: Object.fromEntries(JSON.parse(isms[0].stdout).kpis.map((k) => [k.id, k.value])),
    });
  }

  console.log('');
  if (rows.length > 0) console.log(table(rows));
  console.log(
    'rows/s = 3 x N (rows of all three sources) / isms-kpi wall time; ratio = isms-kpi s / DuckDB s (wall);\n' +
      'CPU s = user + sys seconds of all threads of the process (above the wall time when both cores work)\n',
  );
  const busy = rows
    .flatMap((r) => [...r.isms.otherLoad, ...r.duckdb.otherLoad])
    .filter((x) => x !== null && x > options.maxOtherLoad);
  if (busy.length > 0)
    console.log(
      `note: ${busy.length} kept run(s) shared the machine with other processes (up to ${Math.max(...busy).toFixed(2)} cores); those wall times are noisy\n`,
    );
  if (rows.length > 0 && options.runs > 1) {
    console.log('best runs (minimum wall time, the least disturbed by other processes):');
    for (const r of rows)
      console.log(
        `  ${fmtN(r.n).padEnd(5)} isms-kpi ${r.isms.best.toFixed(2)} s, DuckDB ${r.duckdb.best.toFixed(2)} s, ratio ${(r.isms.best / r.duckdb.best).toFixed(2)}`,
      );
    console.log('');
  }

  if (allMismatches.length > 0) {
    console.log(`VALUE MISMATCHES (relative tolerance ${TOLERANCE}):`);
    for (const m of allMismatches)
      console.log(
        `  N=${fmtN(m.n)} ${m.id ?? ''} ${m.what}: isms-kpi ${JSON.stringify(m.isms)}, DuckDB ${JSON.stringify(m.duckdb)}`,
      );
  } else if (rows.length > 0) {
    console.log(
      `values: all ${KPI_COUNT} KPIs, their segments and the rows in the period match DuckDB at every size`,
    );
  }
  for (const f of failures) console.log(`FAILED: ${f}`);

  const checks = checkTargets(rows);
  if (checks.length > 0) {
    console.log('\ntargets (2-core machine):');
    for (const c of checks)
      console.log(`  ${c.ok ? 'met   ' : c.stretch ? 'not yet' : 'MISSED'} ${c.target}: ${c.measured}`);
  } else {
    console.log('\ntargets: not checked (they need N = 1M, and 2M for the growth targets)');
  }
  const missed = checks.filter((c) => !c.ok && !c.stretch);

  writeFileSync(
    join(DATA_ROOT, 'results.json'),
    `${JSON.stringify({ date: new Date().toISOString(), machine: info, options, rows, mismatches: allMismatches, failures, targets: checks }, null, 2)}\n`,
  );

  if (allMismatches.length > 0 || failures.length > 0) process.exit(1);
  if (missed.length > 0) {
    if (options.targets) {
      console.log(`\n${missed.length} target(s) missed; exit 1 (use --no-targets to only report them)`);
      process.exit(1);
    }
    console.log(`\n${missed.length} target(s) missed (reported only: --no-targets)`);
  }
}

await main();
