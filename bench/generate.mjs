#!/usr/bin/env node
// Deterministic generator of the synthetic exports the benchmark reads (nothing large is committed).
//
//   node bench/generate.mjs 100000 [--force]
//
// Writes bench/.data/<N>/{incidents,backups,vulns}.csv (N data rows each) and manifest.json, which
// records the generator version, the seed and each file's size and sha256. A later call for the same N
// skips the work when the manifest matches this generator and the files still have the recorded sizes.
//
// All randomness comes from seeded mulberry32 streams (one per source) and all dates are computed in
// UTC from integers: the same N gives byte-identical files on every machine.
//
// incidents.csv  id, opened, contained, resolved, severity, site, system, assignee, summary
//                "yyyy-MM-dd HH:mm:ss" (UTC); contained / resolved empty when not yet; summary quoted,
//                with commas. About 125 bytes a row.
// backups.csv    job, vm, status, started, duration_s, size_gb, is_retry
//                started is ISO 8601 with "+00:00"; duration_s and size_gb have decimals.
// vulns.csv      host, plugin_id, severity, cvss, first_seen, description, fixed
//                first_seen "dd.MM.yyyy"; description quoted, 1 % of rows span several lines and contain
//                "" escapes; a few `fixed` cells are empty (no value).
// Backup VMs and vulnerability hosts share the "srv-NNNNN" names, so the cross-source lookup matches.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFiles, mulberry32, sourceHash, weighted } from './lib.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const DATA_ROOT = join(HERE, '.data');
export const SEED = 20260701;
export const FILES = ['incidents.csv', 'backups.csv', 'vulns.csv'];
const GENERATOR_HASH = sourceHash(fileURLToPath(import.meta.url), join(HERE, 'lib.mjs'));

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------
const DAY_S = 86_400;
const P2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const BASE_DAY = Date.UTC(2024, 0, 1) / 1000 / DAY_S;
/** "yyyy-MM-dd" and "dd.MM.yyyy" for every day from 2024-01-01, and its ISO weekday. */
const DAYS = Array.from({ length: 5 * 366 }, (_, i) => {
  const d = new Date((BASE_DAY + i) * DAY_S * 1000);
  const y = d.getUTCFullYear();
  const m = P2[d.getUTCMonth() + 1];
  const day = P2[d.getUTCDate()];
  return { iso: `${y}-${m}-${day}`, de: `${day}.${m}.${y}` };
});

/** Epoch seconds -> "yyyy-MM-dd HH:mm:ss" (sep " ") or "yyyy-MM-ddTHH:mm:ss" (sep "T"). */
function dateTime(s, sep) {
  const day = Math.floor(s / DAY_S);
  let r = s - day * DAY_S;
  const h = Math.floor(r / 3600);
  r -= h * 3600;
  const m = Math.floor(r / 60);
  return `${DAYS[day - BASE_DAY].iso}${sep}${P2[h]}:${P2[m]}:${P2[r - m * 60]}`;
}

const utcSeconds = (y, m, d) => Date.UTC(y, m - 1, d) / 1000;
/** Events span June to October 2026, so about 60 % of them fall in the reported 2026-Q3. */
const EVENTS_FROM = utcSeconds(2026, 6, 1);
const EVENTS_TO = utcSeconds(2026, 11, 1);

// ---------------------------------------------------------------------------------------------
// Sources
// ---------------------------------------------------------------------------------------------
const SITES = ['Bremen', 'Hamburg', 'Lyon', 'Porto', 'Krakow', 'Brno', 'Austin', 'Pune'];
const SYSTEMS = [
  'SAP-ERP',
  'MES',
  'PLM',
  'CRM',
  'HR-Portal',
  'Mail',
  'VPN',
  'AD',
  'Entra',
  'Jira',
  'Confluence',
  'GitLab',
  'Jenkins',
  'SCADA',
  'Historian',
  'WMS',
  'TMS',
  'Payroll',
  'Intranet',
  'Webshop',
  'B2B-EDI',
  'SIEM',
  'EDR',
  'Firewall',
  'Proxy',
  'DNS',
  'Backup',
  'NAS',
  'Print',
  'Wi-Fi',
];
const WHAT = [
  'phishing mail reported',
  'Phishing link clicked',
  'malware blocked',
  'suspicious login',
  'account locked',
  'data sent to wrong recipient',
  'lost laptop',
  'port scan detected',
  'privilege misuse',
  'service outage',
];
const HOW = ['user informed', 'host isolated', 'password reset', 'ticket escalated', 'no impact'];
const SEVERITY = weighted(['Critical', 'High', 'Medium', 'Low'], [0.05, 0.15, 0.4, 0.4]);
/** Mean hours to containment and then to resolution, by severity. */
const CONTAIN_H = { Critical: 3, High: 8, Medium: 24, Low: 48 };
const RESOLVE_H = { Critical: 30, High: 60, Medium: 120, Low: 200 };

function incidents(n, out) {
  const rnd = mulberry32(SEED ^ 0x1111);
  const exp = (mean) => -mean * Math.log(1 - rnd());
  out.write('id,opened,contained,resolved,severity,site,system,assignee,summary\n');
  const span = EVENTS_TO - EVENTS_FROM;
  for (let i = 0; i < n; i++) {
    const opened = EVENTS_FROM + Math.floor(rnd() * span);
    const severity = SEVERITY(rnd());
    const contained = rnd() < 0.08 ? -1 : opened + Math.round(exp(CONTAIN_H[severity]) * 3600);
    const resolved =
      contained < 0 || rnd() < 0.12 ? -1 : contained + Math.round(exp(RESOLVE_H[severity]) * 3600);
    const site = SITES[Math.floor(rnd() * SITES.length)];
    const system = SYSTEMS[Math.floor(rnd() * SYSTEMS.length)];
    const assignee = `an${P2[Math.floor(rnd() * 100)]}${Math.floor(rnd() * 4)}`;
    const summary = `${WHAT[Math.floor(rnd() * WHAT.length)]}, ${HOW[Math.floor(rnd() * HOW.length)]}`;
    out.write(
      `INC${String(i + 1).padStart(7, '0')},${dateTime(opened, ' ')},${contained < 0 ? '' : dateTime(contained, ' ')},${resolved < 0 ? '' : dateTime(resolved, ' ')},${severity},${site},${system},${assignee},"${summary}"\n`,
    );
  }
}

const VM_COUNT = 6000;
const HOST_COUNT = 10000;
const host = (k) => `srv-${String(k).padStart(5, '0')}`;
const STATUS = weighted(['Success', 'Warning', 'Failed'], [0.9, 0.06, 0.04]);

function backups(n, out) {
  const rnd = mulberry32(SEED ^ 0x2222);
  out.write('job,vm,status,started,duration_s,size_gb,is_retry\n');
  const span = EVENTS_TO - EVENTS_FROM;
  for (let i = 0; i < n; i++) {
    const vmIndex = 1 + Math.floor(rnd() * VM_COUNT);
    const job = `BJ-${SITES[vmIndex % SITES.length]}-${P2[vmIndex % 5]}`;
    const vm = rnd() < 0.002 ? '' : host(vmIndex);
    const started = EVENTS_FROM + Math.floor(rnd() * span);
    const status = STATUS(rnd());
    const duration = (30 + rnd() * rnd() * 14_400).toFixed(2);
    const size = (0.05 + rnd() * 800).toFixed(3);
    const retry = rnd() < 0.07 ? 'true' : 'false';
    out.write(`${job},${vm},${status},${dateTime(started, 'T')}+00:00,${duration},${size},${retry}\n`);
  }
}

const VULN_SEVERITY = weighted(['Critical', 'High', 'Medium', 'Low'], [0.04, 0.16, 0.45, 0.35]);
const CVSS_RANGE = { Critical: [9, 10], High: [7, 8.9], Medium: [4, 6.9], Low: [0.1, 3.9] };
const PRODUCTS = ['OpenSSL', 'Apache httpd', 'nginx', 'OpenSSH', 'Samba', 'Java', 'PHP', 'glibc'];
const FLAWS = [
  'remote code execution',
  'Remote denial of service',
  'information disclosure',
  'privilege escalation, local',
  'remote authentication bypass',
  'outdated version, no fix',
];
const FIRST_SEEN_FROM = utcSeconds(2025, 1, 1) / DAY_S;
const FIRST_SEEN_DAYS = utcSeconds(2026, 10, 1) / DAY_S - FIRST_SEEN_FROM;

function vulns(n, out) {
  const rnd = mulberry32(SEED ^ 0x3333);
  out.write('host,plugin_id,severity,cvss,first_seen,description,fixed\n');
  for (let i = 0; i < n; i++) {
    const h = host(1 + Math.floor(rnd() * HOST_COUNT));
    const plugin = 10000 + Math.floor(rnd() * 190000);
    const severity = VULN_SEVERITY(rnd());
    const [lo, hi] = CVSS_RANGE[severity];
    const cvss = (lo + Math.floor(rnd() * ((hi - lo) * 10 + 1)) / 10).toFixed(1);
    const seen = DAYS[FIRST_SEEN_FROM + Math.floor(rnd() * FIRST_SEEN_DAYS) - BASE_DAY].de;
    const product = PRODUCTS[Math.floor(rnd() * PRODUCTS.length)];
    const flaw = FLAWS[Math.floor(rnd() * FLAWS.length)];
    let description;
    if (rnd() < 0.01) {
      // Plugin output pasted into the cell: several lines and "" escapes.
      const version = `${1 + Math.floor(rnd() * 3)}.${Math.floor(rnd() * 10)}`;
      const crlf = rnd() < 0.3 ? '\r\n' : '\n';
      description = `${product} ${flaw}.${crlf}  Installed version : ${version}.0${crlf}  Fixed version     : ${version}.1${crlf}The ""${rnd() < 0.5 ? 'remote' : 'local'}"" service answered: ""HTTP/1.1 200 OK, ok"".`;
    } else {
      description = `${product}: ${flaw}`;
    }
    const u = rnd();
    const fixed = u < 0.005 ? '' : u < 0.3 ? 'true' : 'false';
    out.write(`${h},${plugin},${severity},${cvss},${seen},"${description}",${fixed}\n`);
  }
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------
export function dataDir(n) {
  return join(DATA_ROOT, String(n));
}

/** Generates the files for N rows unless they already exist; returns the directory and the manifest. */
export function ensureData(n, { force = false, log = () => {} } = {}) {
  return ensureFiles({
    dir: dataDir(n),
    generator: GENERATOR_HASH,
    seed: SEED,
    rows: n,
    writers: [
      ['incidents.csv', incidents],
      ['backups.csv', backups],
      ['vulns.csv', vulns],
    ],
    force,
    log,
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const n = Number(args.find((a) => !a.startsWith('--')) ?? 10000);
  if (!Number.isInteger(n) || n < 1) {
    console.error('usage: node bench/generate.mjs N [--force]');
    process.exit(2);
  }
  const { dir, generated } = ensureData(n, { force: args.includes('--force'), log: console.log });
  if (!generated) console.log(`${dir}: up to date`);
}
