#!/usr/bin/env node
// Big JSON read as a stream (issue 17): a JSON array larger than the 512 MB whole-document limit is read
// one record at a time, so memory stays bounded by the table, not by the file.
//
//   npm run build && node bench/json-stream.mjs              # a 600 MB array (default)
//   node bench/json-stream.mjs --mb 100 --pages 4            # 100 MB, written as 4 pages ([...][...]...)
//   node bench/json-stream.mjs --gzip                        # the same file gzipped (alerts.json.gz)
//
// It writes bench/.data/json-<MB>mb[-pN][-gz]/alerts.json (reused when already there, --force to
// rewrite), a catalogue with three KPIs over it, and runs `node bin/isms-kpi.js report --format json`
// as a whole process under GNU time (else polling /proc/PID/status VmHWM): wall seconds, CPU seconds,
// peak RSS, and the load average of the machine before and after (the bench does not wait for an idle
// machine: read the CPU seconds when the load is high). It checks the row count and the KPI values
// against the numbers it wrote. Exit code 1 when a value differs or the run fails.

import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const megabytes = Number(option('--mb', '600'));
const pages = Number(option('--pages', '1'));
const isGzip = args.includes('--gzip');
const isForce = args.includes('--force');

const SEVERITIES = ['critical', 'high', 'medium', 'low'];
const STATES = ['open', 'fixed', 'dismissed'];

/** One Dependabot-like alert (about 330 bytes), deterministic in `i`. */
function record(i) {
  const day = 1 + (i % 28);
  return {
    number: i + 1,
    state: STATES[i % 3],
    created_at: `2026-0${7 + (i % 3)}-${String(day).padStart(2, '0')}T10:00:00Z`,
    security_advisory: {
      ghsa_id: `GHSA-${(i * 7919).toString(36).padStart(4, '0')}-xxxx-yyyy`,
      severity: SEVERITIES[i % 4],
      summary: `Prototype pollution in package-${i % 1000} before 1.${i % 50}.0 allows attackers to "inject" {props}`,
    },
    repository: { full_name: `acme/service-${i % 250}` },
  };
}

const label = `json-${megabytes}mb${pages > 1 ? `-p${pages}` : ''}${isGzip ? '-gz' : ''}`;
const dir = path.join(ROOT, 'bench', '.data', label);
const file = path.join(dir, isGzip ? 'alerts.json.gz' : 'alerts.json');
const meta = path.join(dir, 'expected.json');

async function generate() {
  mkdirSync(dir, { recursive: true });
  const target = megabytes * 1024 * 1024;
  const out = createWriteStream(file);
  const gzip = isGzip ? createGzip({ level: 1 }) : undefined;
  if (gzip) gzip.pipe(out);
  const sink = gzip ?? out;
  const write = (text) => (sink.write(text) ? undefined : new Promise((r) => sink.once('drain', r)));
  let bytes = 0;
  let count = 0;
  let critical = 0;
  let openCritical = 0;
  const perPage = Math.ceil(target / pages);
  for (let p = 0; p < pages; p++) {
    let pageBytes = 0;
    let first = true;
    let text = '[';
    while (pageBytes < perPage && bytes < target) {
      const r = record(count);
      const line = `${first ? '\n' : ',\n'}  ${JSON.stringify(r)}`;
      first = false;
      text += line;
      pageBytes += line.length;
      bytes += line.length;
      count++;
      if (r.security_advisory.severity === 'critical') {
        critical++;
        if (r.state === 'open') openCritical++;
      }
      if (text.length > 1 << 20) {
        await write(text);
        text = '';
      }
    }
    await write(`${text}\n]\n`);
  }
  await new Promise((resolve) => {
    out.once('finish', resolve);
    sink.end();
  });
  writeFileSync(meta, JSON.stringify({ count, critical, openCritical }));
}

const CATALOGUE = `organisation: JSON stream bench
timezone: UTC
period: 2026-Q3
sources:
  alerts:
    path: ${path.basename(file)}
    format: json
    kind: snapshot
    as_of: 2026-09-30
    fields:
      id: { path: number, type: integer, required: true }
      state: { type: enum, values: [open, fixed, dismissed] }
      severity: { path: security_advisory.severity, type: enum, values: [critical, high, medium, low] }
      asset: { path: repository.full_name }
      created: { path: created_at, type: datetime }
kpis:
  - { id: J-1, name: Alerts, owner: QA, cadence: quarterly, unit: count, formula: count(alerts) }
  - { id: J-2, name: Critical, owner: QA, cadence: quarterly, unit: count, formula: 'count(alerts, severity == "critical")' }
  - { id: J-3, name: Open critical, owner: QA, cadence: quarterly, unit: count, formula: 'count(alerts, severity == "critical" and state == "open")' }
`;

function hasGnuTime() {
  return spawnSync('/usr/bin/time', ['-v', 'true'], { stdio: 'ignore' }).status === 0;
}

async function runReport() {
  const gnu = hasGnuTime();
  const command = [
    process.execPath,
    path.join(ROOT, 'bin', 'isms-kpi.js'),
    'report',
    '-c',
    path.join(dir, 'metrics.yaml'),
    '--format',
    'json',
    '--fail-on',
    'never',
  ];
  const started = performance.now();
  const child = gnu
    ? spawn('/usr/bin/time', ['-v', ...command], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let peakKb = 0;
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const poll = gnu
    ? undefined
    : setInterval(() => {
        try {
          const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
          const hwm = /VmHWM:\s+(\d+)/.exec(status);
          if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
        } catch {}
      }, 50);
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (poll) clearInterval(poll);
  const wall = (performance.now() - started) / 1000;
  let cpu;
  if (gnu) {
    const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
    if (kb) peakKb = Number(kb[1]);
    const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
    const system = /System time \(seconds\): ([\d.]+)/.exec(stderr);
    if (user && system) cpu = Number(user[1]) + Number(system[1]);
  }
  return { code, stdout, stderr, wall, cpu, peakMb: peakKb / 1024 };
}

if (!existsSync(meta) || isForce) {
  const t = performance.now();
  process.stdout.write(
    `writing ${path.relative(ROOT, file)} (${megabytes} MB of JSON, ${pages} page(s))... `,
  );
  await generate();
  process.stdout.write(`${((performance.now() - t) / 1000).toFixed(1)} s\n`);
}
writeFileSync(path.join(dir, 'metrics.yaml'), CATALOGUE);
const expected = JSON.parse(readFileSync(meta, 'utf8'));
const loadBefore = os.loadavg();
const result = await runReport();
const loadAfter = os.loadavg();
if (result.code !== 0) {
  console.error(result.stderr);
  process.exit(1);
}
const report = JSON.parse(result.stdout);
const values = Object.fromEntries(report.kpis.map((k) => [k.id, k.value]));
const source = report.sources[0];
const checks = [
  ['rows read', source.rowsRead, expected.count],
  ['J-1', values['J-1'], expected.count],
  ['J-2', values['J-2'], expected.critical],
  ['J-3', values['J-3'], expected.openCritical],
];
const stored = statSync(file).size;
console.log(
  `file: ${path.relative(ROOT, file)}, ${(stored / 1024 / 1024).toFixed(0)} MB stored, ${expected.count} records`,
);
console.log(
  `node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB`,
);
console.log(
  `wall ${result.wall.toFixed(1)} s, CPU ${result.cpu === undefined ? '?' : `${result.cpu.toFixed(1)} s`}, peak RSS ${result.peakMb.toFixed(0)} MB`,
);
console.log(
  `load average before ${loadBefore.map((l) => l.toFixed(1)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(1)).join(' ')}`,
);
let isOk = true;
for (const [what, got, want] of checks) {
  const same = got === want;
  isOk &&= same;
  console.log(`${same ? 'ok  ' : 'DIFF'} ${what}: ${got}${same ? '' : ` (expected ${want})`}`);
}
process.exit(isOk ? 0 : 1);
