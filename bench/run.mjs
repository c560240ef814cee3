#!/usr/bin/env node
// The scale benchmark: isms-kpi against DuckDB on exports of N rows per source.
//
//   npm run bench                                   # profile realistic: N = 100k, 1M, 5M; 3 runs each
//   npm run bench -- --sizes 100000 --runs 1        # a quick check
//   npm run bench -- --profile synthetic            # the original synthetic profile (100k, 1M, 2M)
//   node bench/run.mjs --sizes 10k,1M --runs 5 --no-targets
//
// Profiles (bench/profiles.mjs): `realistic` (the default) reads a Jira issue export, an AWS IAM
// credential report and a Nessus CSV in their vendor layouts through the real presets
// (bench/realistic/); `synthetic` reads three narrow exports with typed columns (bench/generate.mjs).
// For each N it generates the profile's three exports (reused when already there), copies the
// profile's catalogue next to them, then times as whole processes
//   node bin/isms-kpi.js report -c <catalogue> --format json --fail-on never
//   node <profile's DuckDB twin> <dir>
// and, with the commands `validate` and `evidence` (the realistic profile's default, see --commands),
//   node bin/isms-kpi.js validate -c <catalogue> --format json
//   node bin/isms-kpi.js report -c <catalogue> --format json --fail-on never --evidence <dir>/evidence-pack
// (isms-kpi from a copy of bin/ and dist/ taken at the start, bench/.data/engine/HASH/; wall time from
// spawn to exit; peak RSS and CPU seconds from GNU time, else peak RSS from polling
// /proc/PID/status VmHWM), compares the KPI values, the segment values, the rows in the period and the
// duplicates dropped (and, for the realistic profile, checks that no row was rejected or warned about),
// and prints N | isms-kpi s | rows/s | peak RSS MB | DuckDB s | ratio | CPU seconds of both | DuckDB
// RSS MB | other load (medians of the runs), then the validate and evidence times. rows/s counts the
// rows of all three sources (3 N) per second of isms-kpi wall time. Every table is printed with the
// machine it was measured on: CPU model (/proc/cpuinfo), cores, RAM, Node version, load average.
//
// A command that fails (an exit code other than 0, a signal such as V8's heap abort, a timeout) is
// recorded as a failure line (exit code, wall time, peak RSS, first line of stderr) and is not run
// again at that size or at larger sizes; the benchmark carries on with the other commands.
//
// Exit code 1 when a value differs (relative tolerance 1e-9; null must equal null), when a run fails,
// or when a target is missed (unless --no-targets). Results are also written to
// bench/.data/results-<profile>.json.
//
// Options: --profile realistic|synthetic, --sizes LIST (comma-separated, 100k / 1M suffixes allowed),
// --runs R (default 3), --commands LIST (among report, validate, evidence; report is always run;
// default: the profile's), --engine DIR (measure the build in DIR, a checkout with bin/ and dist/,
// e.g. an earlier commit for a before/after table; default: this repository's), --no-targets,
// --timeout SECONDS (per process, default 900), --force (regenerate the data), --wait-idle SECONDS
// (before each timed process, wait at most this long for the other processes of the machine to use
// less than 0.25 core; default 120, 0 = do not wait), --max-other-load CORES and --retries K (a run
// during which other processes used more than CORES, default 0.25, is repeated up to K times,
// default 3; the last attempt is kept and flagged). Each run reports the CPU the rest of the
// machine used while it ran, so a noisy measurement can be recognised.

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
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATA_ROOT } from './generate.mjs';
import { DEFAULT_PROFILE, profileNamed } from './profiles.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(HERE);
/** Copies of the measured builds, one directory per build (named by the hash of its dist/). */
const ENGINES = join(DATA_ROOT, 'engine');
const TOLERANCE = 1e-9;
const COMMANDS = ['report', 'validate', 'evidence'];

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
    profile: DEFAULT_PROFILE,
    sizes: undefined,
    commands: undefined,
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
      case '--profile':
        options.profile = profileNamed(value()).name;
        break;
      case '--commands': {
        const list = value()
          .split(',')
          .map((c) => c.trim())
          .filter((c) => c !== '');
        const unknown = list.find((c) => !COMMANDS.includes(c));
        if (unknown) throw new Error(`--commands: "${unknown}" is not one of ${COMMANDS.join(', ')}`);
        options.commands = ['report', ...list.filter((c) => c !== 'report')];
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
      case '--engine':
        options.engine = resolve(value());
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
  const profile = profileNamed(options.profile);
  options.sizes ??= profile.sizes;
  options.commands ??= profile.commands;
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

/** The measured processes still running, ended with the benchmark (Ctrl-C, SIGTERM). */
const running = new Set();
function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    for (const child of running) killGroup(child);
    process.exit(130);
  });

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
    // A process group of its own: a timeout or an interrupted benchmark ends GNU time and the measured
    // process together (killing GNU time alone would leave the engine running).
    const child = viaTime
      ? spawn(GNU_TIME, ['-f', '%e %M %U %S', '-o', rssFile, command, ...args], { cwd: ROOT, detached: true })
      : spawn(command, args, { cwd: ROOT, detached: true });
    running.add(child);
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
      killGroup(child);
    }, timeoutSeconds * 1000);
    child.on('close', (code, signal) => {
      running.delete(child);
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
async function warmCache(dir, files) {
  for (const file of files) {
    await new Promise((res, rej) => {
      createReadStream(join(dir, file), { highWaterMark: 1 << 20 })
        .on('data', () => {})
        .on('end', res)
        .on('error', rej);
    });
  }
}

/** Bytes of the files below `dir` (0 when it does not exist). */
function diskBytes(dir) {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? diskBytes(path) : statSync(path).size;
  }
  return total;
}

/**
 * Copies the built CLI (bin/, dist/, package.json) of `from` (this repository, or --engine DIR) to
 * bench/.data/engine/<hash of dist/>/ and returns that hash and directory.
 * Every run of one benchmark uses this copy, so a rebuild of dist/ while the benchmark runs (someone
 * working on src/) cannot mix two versions of the engine in one table. A copy is never replaced or
 * removed once made (it is written under a temporary name, then renamed), so two benchmarks running
 * at the same time, of the same build or of two builds, do not pull the engine from under each other.
 * Its node_modules are the repository's, found by walking up from bench/.data/engine/<hash>/.
 */
function snapshotEngine(from) {
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
  walk(join(from, 'dist'));
  hash.update(readFileSync(join(from, 'bin', 'isms-kpi.js')));
  const id = hash.digest('hex').slice(0, 12);
  const dir = join(ENGINES, id);
  if (!existsSync(dir)) {
    const temporary = `${dir}.tmp-${process.pid}`;
    rmSync(temporary, { recursive: true, force: true });
    mkdirSync(temporary, { recursive: true });
    cpSync(join(from, 'dist'), join(temporary, 'dist'), { recursive: true });
    cpSync(join(from, 'bin'), join(temporary, 'bin'), { recursive: true });
    copyFileSync(join(from, 'package.json'), join(temporary, 'package.json'));
    try {
      renameSync(temporary, dir);
    } catch (error) {
      // another benchmark made the same copy meanwhile
      rmSync(temporary, { recursive: true, force: true });
      if (!existsSync(dir)) throw error;
    }
  }
  return { hash: id, dir };
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
function compare(report, duck, profile) {
  const mismatches = [];
  const kpis = new Map(report.kpis.map((k) => [k.id, k]));
  const ids = Object.keys(duck.values);
  if (ids.length !== profile.kpiCount || kpis.size !== profile.kpiCount)
    mismatches.push({
      what: `KPI count: isms-kpi ${kpis.size}, DuckDB ${ids.length} (expected ${profile.kpiCount})`,
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
  for (const [name, count] of Object.entries(duck.duplicates ?? {})) {
    const source = report.sources.find((s) => s.name === name);
    if (source?.duplicates !== count)
      mismatches.push({ id: name, what: 'duplicates dropped', isms: source?.duplicates, duckdb: count });
  }
  if (profile.cleanData)
    for (const source of report.sources)
      if (source.rejected !== 0 || source.warnings !== 0)
        mismatches.push({
          id: source.name,
          what: 'rejected rows and warnings (the data is clean by construction)',
          isms: `${source.rejected} rejected, ${source.warnings} warnings`,
          duckdb: '0 rejected, 0 warnings',
        });
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
const fmtCpu = (x) => (x === null ? 'n/a' : x.toFixed(2));
const fmtLoad = (xs) => {
  const known = xs.filter((x) => x !== null);
  return known.length === 0 ? 'n/a' : Math.max(...known).toFixed(2);
};

function markdownTable(header, body) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (i === 0 ? ':' : '-') + '-'.repeat(w) + (i === 0 ? '-' : ':')).join('|')}|`,
    ...body.map(line),
  ].join('\n');
}

function table(rows) {
  return markdownTable(
    [
      'N per source',
      'isms-kpi s',
      'rows/s',
      'peak RSS MB',
      'DuckDB s',
      'ratio',
      'isms-kpi CPU s',
      'DuckDB CPU s',
      'DuckDB RSS MB',
      'other load',
    ],
    rows.map((r) => [
      fmtN(r.n),
      r.isms.wall.toFixed(2),
      fmtInt((3 * r.n) / r.isms.wall),
      fmtInt(r.isms.rssMb),
      r.duckdb.wall.toFixed(2),
      (r.isms.wall / r.duckdb.wall).toFixed(2),
      fmtCpu(r.isms.cpu),
      fmtCpu(r.duckdb.cpu),
      fmtInt(r.duckdb.rssMb),
      fmtLoad([...r.isms.otherLoad, ...r.duckdb.otherLoad]),
    ]),
  );
}

/** validate and report --evidence next to the plain report, or the failure of either. */
function commandTable(rows, commands) {
  const extra = commands.filter((c) => c !== 'report');
  if (extra.length === 0) return null;
  const header = ['N per source', 'report s'];
  if (extra.includes('validate')) header.push('validate s', 'validate / report', 'validate RSS MB');
  if (extra.includes('evidence'))
    header.push('evidence s', 'evidence / report', 'evidence RSS MB', 'pack MB on disk');
  const body = rows.map((r) => {
    const cells = [fmtN(r.n), r.isms.wall.toFixed(2)];
    for (const command of extra) {
      const m = r[command];
      const width = command === 'evidence' ? 4 : 3;
      if (!m) cells.push(...Array(width).fill('not run'));
      else if (m.failed)
        cells.push(
          `FAILED (exit ${m.failed.code})`,
          `after ${m.failed.wall.toFixed(1)} s`,
          fmtInt(m.failed.rssMb),
          ...(command === 'evidence' ? [fmtInt(m.failed.packMb ?? 0)] : []),
        );
      else
        cells.push(
          m.wall.toFixed(2),
          (m.wall / r.isms.wall).toFixed(2),
          fmtInt(m.rssMb),
          ...(command === 'evidence' ? [fmtInt(m.packMb)] : []),
        );
    }
    return cells;
  });
  return markdownTable(header, body);
}

function checkTargets(rows, targets) {
  const at = (n) => rows.find((r) => r.n === n);
  const m1 = at(1_000_000);
  const m2 = at(2_000_000);
  const m5 = at(5_000_000);
  const checks = [];
  const check = (target, measured, ok, stretch = false) => checks.push({ target, measured, ok, stretch });
  if (m1) {
    const ratio = m1.isms.wall / m1.duckdb.wall;
    check(
      `ratio isms-kpi / DuckDB at 1M rows <= ${targets.ratioAt1M}`,
      ratio.toFixed(2),
      ratio <= targets.ratioAt1M,
    );
    check(
      `(stretch) ratio at 1M rows <= ${targets.stretchRatioAt1M}`,
      ratio.toFixed(2),
      ratio <= targets.stretchRatioAt1M,
      true,
    );
    check(
      `peak RSS at 1M rows <= ${targets.rssAt1MMb} MB`,
      `${fmtInt(m1.isms.rssMb)} MB`,
      m1.isms.rssMb <= targets.rssAt1MMb,
    );
    if (targets.evidenceRssAt1MMb !== undefined && m1.evidence) {
      const e = m1.evidence;
      if (e.failed) {
        check(
          `report --evidence at 1M rows completes with peak RSS <= ${targets.evidenceRssAt1MMb} MB`,
          `failed: exit ${e.failed.code} after ${e.failed.wall.toFixed(1)} s, ${fmtInt(e.failed.rssMb)} MB`,
          false,
        );
      } else {
        check(
          `report --evidence at 1M rows: peak RSS <= ${targets.evidenceRssAt1MMb} MB`,
          `${fmtInt(e.rssMb)} MB`,
          e.rssMb <= targets.evidenceRssAt1MMb,
        );
        check(
          `report --evidence at 1M rows <= ${targets.evidenceOverReportAt1M} x report`,
          `${(e.wall / m1.isms.wall).toFixed(2)} x`,
          e.wall / m1.isms.wall <= targets.evidenceOverReportAt1M,
        );
      }
    }
    if (targets.validateOverReportAt1M !== undefined && m1.validate) {
      const v = m1.validate;
      check(
        'validate at 1M rows no slower than report',
        v.failed ? `failed: exit ${v.failed.code}` : `${(v.wall / m1.isms.wall).toFixed(2)} x report`,
        !v.failed && v.wall / m1.isms.wall <= targets.validateOverReportAt1M,
      );
    }
  }
  if (m1 && m2 && targets.timeGrowth2MOver1M !== undefined) {
    const rssGrowth = m2.isms.rssMb / m1.isms.rssMb;
    check(
      'peak RSS grows no faster than linearly (RSS 2M / RSS 1M <= 2)',
      rssGrowth.toFixed(2),
      rssGrowth <= 2,
    );
    const growth = m2.isms.wall / m1.isms.wall;
    check(
      `time at 2M rows <= ${targets.timeGrowth2MOver1M} x time at 1M rows`,
      `${growth.toFixed(2)} x`,
      growth <= targets.timeGrowth2MOver1M,
    );
  }
  if (m5 && targets.rssAt5MMb !== undefined)
    check(
      `peak RSS at 5M rows <= ${targets.rssAt5MMb} MB`,
      `${fmtInt(m5.isms.rssMb)} MB`,
      m5.isms.rssMb <= targets.rssAt5MMb,
    );
  if (m1 && m5 && targets.timeGrowth5MOver1M !== undefined) {
    const growth = m5.isms.wall / m1.isms.wall;
    check(
      `time at 5M rows <= ${targets.timeGrowth5MOver1M} x time at 1M rows`,
      `${growth.toFixed(2)} x`,
      growth <= targets.timeGrowth5MOver1M,
    );
  }
  return checks;
}

/** The CPU model as /proc/cpuinfo names it ("model name"), else as Node reports it. */
function cpuModel() {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown';
}

/** Load averages (1, 5, 15 minutes) of the machine, two decimals. */
const loadAverage = () => loadavg().map((x) => +x.toFixed(2));

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
    cpuModel: cpuModel(),
    memoryGb: +(totalmem() / 2 ** 30).toFixed(1),
    freeMemoryGb: +(freemem() / 2 ** 30).toFixed(1),
    loadAverage: loadAverage(),
    node: process.version,
    duckdbNodeApi: duckVersion,
    platform: `${process.platform} ${process.arch}`,
    rssSource: hasGnuTime ? 'GNU time %M' : '/proc/PID/status VmHWM (polled every 10 ms)',
  };
}

/** Which build is measured: the commit of the engine's checkout (and whether its src/ is modified). */
function engineCommit(dir) {
  const git = (args) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  const head = git(['rev-parse', '--short', 'HEAD']);
  if (head.status !== 0 || resolve(git(['rev-parse', '--show-toplevel']).stdout.trim()) !== resolve(dir))
    return `the build in ${dir} (not a git checkout)`;
  const dirty = git(['status', '--porcelain', '--', 'src']).stdout.trim() !== '';
  return `commit ${head.stdout.trim()}${dirty ? ' (src/ has uncommitted changes)' : ''}`;
}

const describeMachine = (info) =>
  `${info.cpus} x ${info.cpuModel}, ${info.memoryGb} GB RAM; Node ${info.node}; @duckdb/node-api ${info.duckdbNodeApi}`;

/** The first non-empty line of a failed process's stderr, and V8's fatal error line if there is one. */
function failureText(stderr) {
  const lines = stderr.split('\n').map((l) => l.trim());
  const first = lines.find((l) => l !== '') ?? '(no output on stderr)';
  const fatal = lines.find((l) => l.startsWith('FATAL ERROR'));
  return fatal && fatal !== first ? `${first} ... ${fatal}` : first;
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
  const profile = profileNamed(options.profile);
  const engineDir = options.engine ?? ROOT;
  if (
    !existsSync(join(engineDir, 'dist', 'cli', 'main.js')) ||
    !existsSync(join(engineDir, 'bin', 'isms-kpi.js'))
  ) {
    console.error(
      options.engine
        ? `bench: ${engineDir} has no bin/isms-kpi.js and dist/ (build it first)`
        : 'bench: dist/ is missing; run `npm run bench` (it builds first) or `npm run build`',
    );
    process.exit(2);
  }
  const info = machine();
  const engine = snapshotEngine(engineDir);
  const CLI = join(engine.dir, 'bin', 'isms-kpi.js');
  info.engine = engine.hash;
  info.commit = engineCommit(engineDir);
  const started = new Date();
  console.log(`profile: ${profile.name} (${profile.catalogue.replace(`${ROOT}/`, '')})`);
  console.log(
    `machine: ${describeMachine(info)}; load average ${info.loadAverage.join(' ')}; peak RSS from ${info.rssSource}`,
  );
  console.log(`engine: dist/ of ${info.commit} copied to ${engine.dir}; every run below uses that copy`);
  console.log(
    `sizes: ${options.sizes.map(fmtN).join(', ')} rows per source; ${options.runs} run(s) each, medians; commands: ${options.commands.join(', ')}\n`,
  );

  const rows = [];
  const failures = [];
  const allMismatches = [];
  /** Commands that failed at a smaller size are not run again. */
  const givenUp = new Map();
  for (const n of options.sizes) {
    const { dir } = profile.ensureData(n, { force: options.force, log: (m) => console.log(m) });
    const catalogue = join(dir, 'catalogue.yaml');
    copyFileSync(profile.catalogue, catalogue);
    const pack = join(dir, 'evidence-pack');
    await warmCache(dir, profile.files);
    const loadAtStart = loadAverage();
    console.log(`  N=${fmtN(n)}: load average ${loadAtStart.join(' ')} before the runs`);
    const runs = { report: [], duckdb: [], validate: [], evidence: [] };
    const failed = {};
    let mismatches = [];
    const summarise = (list) => ({
      wall: median(list.map((x) => x.wall)),
      rssMb: median(list.map((x) => x.rssMb)),
      cpu: list.every((x) => x.cpu !== null) ? median(list.map((x) => x.cpu)) : null,
      best: Math.min(...list.map((x) => x.wall)),
      walls: list.map((x) => +x.wall.toFixed(3)),
      discarded: list.reduce((a, x) => a + x.discarded, 0),
      otherLoad: list.map((x) => (x.otherLoad === null ? null : +x.otherLoad.toFixed(2))),
      ...(list[0]?.packMb !== undefined ? { packMb: median(list.map((x) => x.packMb)) } : {}),
    });
    const noise = (x) =>
      x.otherLoad === null
        ? ''
        : `, other processes ${x.otherLoad.toFixed(2)} cores${x.otherLoad > options.maxOtherLoad ? ' (busy machine: noisy)' : ''}${x.discarded > 0 ? `, ${x.discarded} noisy attempt(s) discarded` : ''}`;
    const cpu = (x) => (x.cpu === null ? '' : `, CPU ${x.cpu.toFixed(2)} s`);
    const indent = ' '.repeat(4);
    const fail = (what, x) => {
      const line = `${what} at ${fmtN(n)} exited with ${x.code} after ${x.wall.toFixed(1)} s (${x.cpu === null ? '' : `CPU ${x.cpu.toFixed(1)} s, `}peak RSS ${fmtInt(x.rssMb)} MB): ${failureText(x.stderr)}`;
      failures.push(line);
      console.log(`${indent}FAILED: ${line}`);
      return { code: x.code, wall: x.wall, cpu: x.cpu, rssMb: x.rssMb, stderr: failureText(x.stderr) };
    };
    for (let r = 0; r < options.runs; r++) {
      console.log(`  N=${fmtN(n)} run ${r + 1}/${options.runs}:`);
      const a = await quietRun(
        process.execPath,
        [CLI, 'report', '-c', catalogue, '--format', 'json', '--fail-on', 'never'],
        options,
      );
      if (a.code !== 0) {
        failed.report = fail('isms-kpi report', a);
        break;
      }
      console.log(`${indent}isms-kpi ${a.wall.toFixed(2)} s${cpu(a)}, ${fmtInt(a.rssMb)} MB${noise(a)}`);
      const b = await quietRun(process.execPath, [profile.duckdb, dir], options);
      if (b.code !== 0) {
        failed.duckdb = fail('DuckDB', b);
        break;
      }
      const duck = JSON.parse(b.stdout);
      console.log(
        `${indent}DuckDB   ${b.wall.toFixed(2)} s${cpu(b)}, ${fmtInt(b.rssMb)} MB${noise(b)} (in-process: load ${duck.timings.load_s.toFixed(2)} s, queries ${duck.timings.query_s.toFixed(2)} s)`,
      );
      runs.report.push(a);
      runs.duckdb.push(b);
      mismatches = compare(JSON.parse(a.stdout), duck, profile);
      console.log(
        `${indent}${mismatches.length === 0 ? `all ${profile.kpiCount} KPI values match` : `${mismatches.length} MISMATCH(ES)`}`,
      );
      if (options.commands.includes('validate') && !givenUp.has('validate')) {
        const v = await quietRun(
          process.execPath,
          [CLI, 'validate', '-c', catalogue, '--format', 'json'],
          options,
        );
        if (v.code !== 0) {
          failed.validate = fail('isms-kpi validate', v);
          givenUp.set('validate', n);
        } else {
          runs.validate.push(v);
          console.log(`${indent}validate ${v.wall.toFixed(2)} s${cpu(v)}, ${fmtInt(v.rssMb)} MB${noise(v)}`);
        }
      }
      if (options.commands.includes('evidence') && !givenUp.has('evidence')) {
        rmSync(pack, { recursive: true, force: true });
        const e = await quietRun(
          process.execPath,
          [CLI, 'report', '-c', catalogue, '--format', 'json', '--fail-on', 'never', '--evidence', pack],
          options,
        );
        const packMb = diskBytes(pack) / 1e6;
        rmSync(pack, { recursive: true, force: true });
        if (e.code !== 0) {
          failed.evidence = { ...fail('isms-kpi report --evidence', e), packMb };
          givenUp.set('evidence', n);
        } else {
          runs.evidence.push({ ...e, packMb });
          const extra = compare(JSON.parse(e.stdout), duck, profile);
          if (extra.length > 0)
            mismatches.push(...extra.map((m) => ({ ...m, what: `${m.what} (with --evidence)` })));
          console.log(
            `${indent}evidence ${e.wall.toFixed(2)} s${cpu(e)}, ${fmtInt(e.rssMb)} MB, pack ${fmtInt(packMb)} MB on disk${noise(e)}`,
          );
        }
      }
      if (mismatches.length > 0) break;
    }
    for (const m of mismatches) allMismatches.push({ n, ...m });
    if (runs.report.length === 0) continue;
    const row = {
      n,
      runs: runs.report.length,
      loadAverageAtStart: loadAtStart,
      isms: summarise(runs.report),
      duckdb: summarise(runs.duckdb),
      values: Object.fromEntries(JSON.parse(runs.report[0].stdout).kpis.map((k) => [k.id, k.value])),
    };
    for (const command of ['validate', 'evidence']) {
      if (!options.commands.includes(command)) continue;
      if (failed[command]) row[command] = { failed: failed[command] };
      else if (runs[command].length > 0) row[command] = summarise(runs[command]);
      else if (givenUp.has(command))
        row[command] = { skipped: `failed at ${fmtN(givenUp.get(command))}, not run at larger sizes` };
    }
    rows.push(row);
  }

  console.log(
    `\nprofile ${profile.name}, measured ${started.toISOString().slice(0, 16)} UTC on ${describeMachine(info)}`,
  );
  console.log(
    `load average at the start ${info.loadAverage.join(' ')}; before each size: ${rows.map((r) => `${fmtN(r.n)} ${r.loadAverageAtStart[0]}`).join(', ')}\n`,
  );
  if (rows.length > 0) console.log(table(rows));
  console.log(
    'rows/s = 3 x N (rows of all three sources) / isms-kpi wall time; ratio = isms-kpi s / DuckDB s (wall);\n' +
      'CPU s = user + sys seconds of all threads of the process (above the wall time when both cores work);\n' +
      'other load = the most CPU (cores) the rest of the machine used during a kept run of either tool\n',
  );
  const commands = commandTable(
    rows.map((r) => ({
      ...r,
      validate: r.validate?.skipped ? undefined : r.validate,
      evidence: r.evidence?.skipped ? undefined : r.evidence,
    })),
    options.commands,
  );
  if (commands) console.log(`${commands}\n`);
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
      `values: all ${profile.kpiCount} KPIs, their segments, the rows in the period and the duplicates dropped match DuckDB at every size`,
    );
  }
  for (const f of failures) console.log(`FAILED: ${f}`);

  const checks = checkTargets(rows, profile.targets);
  if (checks.length > 0) {
    console.log(`\ntargets (${info.cpus}-core machine):`);
    for (const c of checks)
      console.log(`  ${c.ok ? 'met   ' : c.stretch ? 'not yet' : 'MISSED'} ${c.target}: ${c.measured}`);
  } else {
    console.log('\ntargets: not checked (they need N = 1M, and 2M or 5M for the growth targets)');
  }
  const missed = checks.filter((c) => !c.ok && !c.stretch);

  writeFileSync(
    join(DATA_ROOT, `results-${profile.name}.json`),
    `${JSON.stringify({ date: started.toISOString(), profile: profile.name, machine: info, options, rows, mismatches: allMismatches, failures, targets: checks }, null, 2)}\n`,
  );

  // A command that fails (evidence aborting on the V8 heap, say) is a missed target, not a broken run.
  const broken = failures.filter((f) => f.startsWith('isms-kpi report at') || f.startsWith('DuckDB'));
  if (allMismatches.length > 0 || broken.length > 0) process.exit(1);
  if (missed.length > 0 || failures.length > 0) {
    if (options.targets) {
      console.log(
        `\n${missed.length} target(s) missed, ${failures.length} failed command(s); exit 1 (use --no-targets to only report them)`,
      );
      process.exit(1);
    }
    console.log(`\n${missed.length} target(s) missed (reported only: --no-targets)`);
  }
}

await main();
