#!/usr/bin/env node
// The matches() engine benchmark: the cost per distinct value of each candidate engine on realistic
// ticket summaries, and on the hostile patterns of issue 15.
//
//   npm run bench:matches                          # 1,000,000 distinct summaries
//   node bench/matches.mjs --values 100000 --rounds 1   # a quick check
//
// matches() runs once per distinct value of a column (columns are dictionary-encoded), so the cost
// that matters is nanoseconds per DISTINCT value. The summaries are Jira-like: a key, German, French
// and English words with umlauts and accents, host names, change numbers, mail addresses, and two to
// four lines each (about 150 characters); every one is different. Six patterns, three with "i".
//
// Engines:
//   dfa           isms-kpi's engine (dist/formula/regex.js): JavaScript syntax, lazy DFA, linear time
//   re2js         re2js (pure-JS port of RE2), test(); linear time, RE2 syntax
//   v8+re2js      V8's RegExp with --enable-experimental-regexp-engine-on-excessive-backtracks for
//                 patterns without "i" (the fallback works only without the i and u flags), re2js for "i"
//   v8-linear     V8's experimental linear engine forced with the "l" flag (patterns without "i" only;
//                 timed on the first 100,000 values, it is the slowest)
//   v8            V8's backtracking RegExp: the fastest, and the one a hostile pattern hangs (reference)
//
// Every engine must give the same number of matches per pattern as V8 (exit 1 otherwise). The table
// gives ns per distinct value (best of --rounds rounds, engines interleaved), the total seconds for all
// values, and the machine (CPU model, cores, load average before and after) so that a run on a busy
// machine can be recognised. Results also go to
// bench/.data/matches.json.

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
v8.setFlagsFromString('--enable-experimental-regexp-engine');

const HERE = dirname(fileURLToPath(import.meta.url));
const { compileRegex } = await import(join(HERE, '..', 'dist', 'formula', 'regex.js'));
const { RE2JS } = await import('re2js');

function parseArgs(argv) {
  const options = { values: 1_000_000, rounds: 3 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--values') options.values = Number(argv[++i]);
    else if (argv[i] === '--rounds') options.rounds = Number(argv[++i]);
    else if (argv[i] === '-h' || argv[i] === '--help') {
      console.log('node bench/matches.mjs [--values N] [--rounds R]   (defaults 1000000 and 3)');
      process.exit(0);
    } else throw new Error(`unknown option ${argv[i]}`);
  }
  if (!Number.isInteger(options.values) || options.values < 20_000)
    throw new Error('--values needs a whole number >= 20000');
  if (!Number.isInteger(options.rounds) || options.rounds < 1)
    throw new Error('--rounds needs a whole number >= 1');
  return options;
}

// ---------------------------------------------------------------------------------------------
// Data: deterministic (mulberry32), distinct (each holds its own key), multi-line, non-ASCII.
// ---------------------------------------------------------------------------------------------
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROJECTS = ['SEC', 'OPS', 'IT', 'NET', 'HR', 'CHG'];
const OPENINGS = [
  'Zugriff auf',
  'Störung bei',
  'Échec de la sauvegarde sur',
  'Passwort-Reset für',
  'VPN-Verbindung zu',
  'Berechtigungsprüfung für',
  'Phishing-Meldung von',
  'Patch ausstehend auf',
  'Accès refusé à',
  'Login failure on',
  'Ticket',
];
const WORDS = [
  'Benutzer',
  'Übergabe',
  'prüfen',
  'dringend',
  'Größe',
  'Schlüssel',
  'Zertifikat',
  'abgelaufen',
  'Fehler',
  'erledigt',
  'réseau',
  'sécurité',
  'mise à jour',
  'error',
  'timeout',
  'firewall',
  'Änderung',
  'genehmigt',
  'Außendienst',
  'Straße',
  'zugriff',
  'vpn',
];
const PEOPLE = ['jörg.müller', 'anaïs.lefèvre', 'søren.østergaard', 'a.schmidt', 'k.öztürk'];

export function summaries(count) {
  const rand = mulberry32(15);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const out = new Array(count);
  for (let i = 0; i < count; i++) {
    const key = `${pick(PROJECTS)}-${100000 + i}`;
    const host = `${rand() < 0.5 ? 'prod' : 'test'}-${Math.floor(rand() * 40)}`;
    const words = [];
    const n = 4 + Math.floor(rand() * 6);
    for (let w = 0; w < n; w++) words.push(pick(WORDS));
    const lines = [`[${key}] ${pick(OPENINGS)} ${host} – ${words.slice(0, 3).join(' ')}`];
    lines.push(`Gemeldet von ${pick(PEOPLE)}@acme-gmbh.de: ${words.slice(3).join(' ')}`);
    if (rand() < 0.6) lines.push(`Bezug: CHG${String(Math.floor(rand() * 1000)).padStart(3, '0')}`);
    if (rand() < 0.3) lines.push(`Notiz: ${pick(WORDS)} ${pick(WORDS)} (${Math.floor(rand() * 100)} %)`);
    out[i] = lines.join('\n');
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Patterns and engines.
// ---------------------------------------------------------------------------------------------
const PATTERNS = [
  { pattern: 'prod-1[0-5]', flags: '' },
  { pattern: 'zugriff', flags: 'i' },
  { pattern: '^\\[SEC-\\d+\\] .*Ü', flags: '' },
  { pattern: 'CHG\\d{3}$', flags: '' },
  { pattern: '\\bvpn\\b.*(fehler|error|timeout)', flags: 'i' },
  { pattern: '[a-z0-9._%+-]+@acme-gmbh\\.de: .*änderung', flags: 'i' },
];

const re2 = (pattern, flags) => {
  const compiled = RE2JS.compile(pattern, flags === 'i' ? RE2JS.CASE_INSENSITIVE : 0);
  return (s) => compiled.test(s);
};
const regexp = (pattern, flags) => {
  const compiled = new RegExp(pattern, flags);
  return (s) => compiled.test(s);
};

const ENGINES = {
  dfa: (pattern, flags) => {
    const result = compileRegex(pattern, flags);
    if (!result.ok) throw new Error(result.error.message);
    return (s) => result.regex.test(s);
  },
  re2js: re2,
  'v8+re2js': (pattern, flags) => (flags === 'i' ? re2(pattern, flags) : regexp(pattern, flags)),
  'v8-linear': (pattern, flags) => (flags === 'i' ? undefined : regexp(pattern, 'l')),
  v8: regexp,
};

/** Engines that are too slow to run on every value are timed on the first SAMPLE values. */
const SAMPLED = new Set(['v8-linear']);
const SAMPLE = 100_000;

/**
 * ns per distinct value for every engine and pattern: the best of `rounds` rounds, the engines
 * interleaved within a round, so that a burst of load on a shared machine does not pick one engine out.
 */
function timeAll(values, rounds) {
  const results = {};
  const compiled = {};
  for (const [name, make] of Object.entries(ENGINES)) {
    results[name] = PATTERNS.map(({ pattern, flags }) => ({ pattern, flags, ns: null, matches: null }));
    compiled[name] = PATTERNS.map(({ pattern, flags }) => make(pattern, flags));
  }
  for (let round = 0; round < rounds; round++) {
    for (let p = 0; p < PATTERNS.length; p++) {
      for (const name of Object.keys(ENGINES)) {
        const test = compiled[name][p];
        if (!test) continue;
        const n = SAMPLED.has(name) ? Math.min(SAMPLE, values.length) : values.length;
        if (round === 0) for (let i = 0; i < 20_000; i++) test(values[i % n]); // warm-up
        let matches = 0;
        const started = process.hrtime.bigint();
        for (let i = 0; i < n; i++) if (test(values[i])) matches++;
        const ns = Number(process.hrtime.bigint() - started) / n;
        const row = results[name][p];
        if (row.ns === null || ns < row.ns) row.ns = ns;
        row.matches = matches;
        row.values = n;
      }
    }
  }
  return results;
}

/** Hostile patterns on 10,000-character values: the time of one call (ms), or "hangs" when not run. */
function hostile() {
  const cases = [
    { pattern: '(\\w\\w?)*$', text: `${'x'.repeat(10_000)}!` },
    { pattern: 'a*a*a*a*a*a*a*a*b', text: 'a'.repeat(10_000) },
    { pattern: '^(a+)+$', text: `${'a'.repeat(10_000)}!` },
  ];
  const out = [];
  for (const { pattern, text } of cases) {
    const row = { pattern };
    for (const name of ['dfa', 're2js', 'v8+re2js']) {
      if (name === 'v8+re2js' && pattern === 'a*a*a*a*a*a*a*a*b') {
        // polynomial, not exponential: V8 counts backtracks per attempt, so the fallback may not trigger
        row[name] = null;
        continue;
      }
      const test = ENGINES[name](pattern, '');
      const started = process.hrtime.bigint();
      test(text);
      row[name] = Number(process.hrtime.bigint() - started) / 1e6;
    }
    out.push(row);
  }
  return out;
}

const options = parseArgs(process.argv.slice(2));
const loadBefore = loadavg();
const cpu = cpus()[0]?.model ?? 'unknown';
console.log(`machine: ${cpu}, ${cpus().length} cores, node ${process.version}`);
console.log(`load average before: ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
const generated = process.hrtime.bigint();
const values = summaries(options.values);
const totalChars = values.reduce((sum, v) => sum + v.length, 0);
console.log(
  `${values.length.toLocaleString('en')} distinct summaries, ${(totalChars / values.length).toFixed(0)} characters on average (generated in ${(Number(process.hrtime.bigint() - generated) / 1e9).toFixed(1)} s)`,
);
console.log(`example: ${JSON.stringify(values[7])}\n`);

const results = timeAll(values, options.rounds);

const names = Object.keys(ENGINES);
const header = ['pattern', ...names.map((n) => `${n} ns`)];
const lines = [header, header.map(() => '---')];
let differs = false;
for (let p = 0; p < PATTERNS.length; p++) {
  const { pattern, flags } = PATTERNS[p];
  const reference = results.v8[p].matches;
  const referenceSample = values.slice(0, SAMPLE).filter((v) => new RegExp(pattern, flags).test(v)).length;
  lines.push([
    `/${pattern}/${flags}`,
    ...names.map((n) => {
      const row = results[n][p];
      if (row.ns === null) return '-';
      const expected = row.values === values.length ? reference : referenceSample;
      if (row.matches !== expected) differs = true;
      return `${row.ns.toFixed(0)}${row.matches === expected ? '' : ` (${row.matches} matches, V8 ${expected})`}`;
    }),
  ]);
}
const totals = names.map((n) => {
  const rows = results[n].filter((r) => r.ns !== null);
  return { ns: rows.reduce((s, r) => s + r.ns, 0), patterns: rows.length };
});
lines.push([
  `all ${PATTERNS.length} patterns: total s`,
  ...totals.map(
    (t, i) =>
      `${((t.ns * values.length) / 1e9).toFixed(2)} s${t.patterns < PATTERNS.length ? ` (${t.patterns} patterns)` : ''}${SAMPLED.has(names[i]) && values.length > SAMPLE ? ' (extrapolated)' : ''}`,
  ),
]);
console.log(lines.map((l) => `| ${l.join(' | ')} |`).join('\n'));
console.log(
  `\nmatches per pattern (V8): ${PATTERNS.map((_, p) => results.v8[p].matches.toLocaleString('en')).join(', ')}`,
);

const hostileRows = hostile();
console.log('\nhostile patterns, one 10,000-character value (ms):');
console.log('| pattern | dfa | re2js | v8+re2js | v8 |\n| --- | --- | --- | --- | --- |');
for (const row of hostileRows)
  console.log(
    `| ${row.pattern} | ${row.dfa.toFixed(2)} | ${row.re2js.toFixed(2)} | ${row['v8+re2js'] === null ? 'not run' : row['v8+re2js'].toFixed(2)} | hangs |`,
  );
const loadAfter = loadavg();
console.log(`\nload average after: ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`);

mkdirSync(join(HERE, '.data'), { recursive: true });
writeFileSync(
  join(HERE, '.data', 'matches.json'),
  `${JSON.stringify({ cpu, cores: cpus().length, node: process.version, loadBefore, loadAfter, values: values.length, averageChars: totalChars / values.length, results, hostile: hostileRows }, null, 2)}\n`,
);
if (differs) {
  console.error('an engine gave a different number of matches than V8');
  process.exit(1);
}
