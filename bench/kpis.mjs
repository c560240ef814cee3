#!/usr/bin/env node
// The many-KPIs benchmark: time per phase for catalogues of N KPIs, to show the cost is linear in N.
//
//   npm run bench:kpis                          # N = 12,500, 25,000, 50,000
//   node bench/kpis.mjs --sizes 5000,10000      # other sizes
//
// For each N it writes bench/.data/kpis-N/ (a catalogue of N monthly KPIs in compact flow style, so
// 50,000 fit under the 5 MB catalogue limit, and one 2,000-row ticket export) and measures, in this process
// from dist/: load (read, parse and compile the catalogue), evaluate (run the period), the terminal
// table of `report`, and the table of `list`; then `isms-kpi report` as a whole process (spawn to exit,
// output discarded). The KPIs cycle through eight formulas (counts with conditions, a percentage, a
// mean, a median, matches(), kpi() of the KPI before), so the shared-aggregate cache does not make
// every KPI free. "per KPI" columns are microseconds; a linear cost shows as a flat per-KPI column and
// a ratio near 2.0 for each doubling of N.

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(HERE);
const dist = (file) => import(join(ROOT, 'dist', file));
const { loadCatalogue } = await dist('app/catalogue.js');
const { nodeIo } = await dist('app/node-io.js');
const { resolvePeriod } = await dist('app/request.js');
const { run } = await dist('engine/run.js');
const { renderTable } = await dist('render/table.js');
const { renderListTable } = await dist('render/list.js');
const { listOf } = await dist('app/list.js');
const { formatProblem } = await dist('problems.js');
process.on('unhandledRejection', (error) => {
  console.error(error?.problems ? error.problems.map(formatProblem).join('\n') : error);
  process.exit(1);
});

function parseArgs(argv) {
  let sizes = [12_500, 25_000, 50_000];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--sizes') sizes = argv[++i].split(',').map(Number);
    else if (argv[i] === '-h' || argv[i] === '--help') {
      console.log('node bench/kpis.mjs [--sizes 12500,25000,50000]');
      process.exit(0);
    } else throw new Error(`unknown option ${argv[i]}`);
  }
  if (!sizes.every((n) => Number.isInteger(n) && n > 0)) throw new Error('--sizes needs whole numbers');
  return { sizes };
}

// Short names throughout: 50,000 KPIs must fit under the 5 MB catalogue limit.
const FORMULAS = [
  'count(t)',
  'count(t, v == "H")',
  'pct(count(t, d), count(t))',
  'mean(t, hours(o, c))',
  'median(t, hours(o, c), v == "L")',
  'count(t, matches(m, "vpn$", "i"))',
  'count(t, v in ["H", "C"] and not d)',
  null, // kpi() of the KPI before
];

function writeProject(dir, n) {
  mkdirSync(dir, { recursive: true });
  const lines = [
    'organisation: Bench GmbH',
    'timezone: UTC',
    'period: 2026-Q3',
    'sources:',
    '  t:',
    '    path: t.csv',
    '    kind: events',
    '    time_field: o',
    '    fields:',
    '      id: { column: id, required: true }',
    '      o: { column: opened, type: datetime }',
    '      c: { column: closed, type: datetime }',
    '      v: { column: sev }',
    '      d: { column: done, type: boolean }',
    '      m: { column: summary }',
    'kpis:',
  ];
  for (let i = 0; i < n; i++) {
    const formula = FORMULAS[i % FORMULAS.length] ?? `kpi("K${i - 1}")+1`;
    lines.push(`- {id: K${i},name: K${i},owner: S,cadence: monthly,unit: n,formula: '${formula}'}`);
  }
  const text = `${lines.join('\n')}\n`;
  if (text.length > 5 * 1024 * 1024) throw new Error(`${n} KPIs do not fit in the 5 MB catalogue limit`);
  writeFileSync(join(dir, 'metrics.yaml'), text);
  const rows = ['id,opened,closed,sev,done,summary'];
  const sevs = ['L', 'M', 'H', 'C'];
  for (let r = 0; r < 2000; r++) {
    const day = 1 + (r % 90);
    const opened = new Date(Date.UTC(2026, 6, day, r % 24)).toISOString();
    const closed = new Date(Date.UTC(2026, 6, day, (r % 24) + 1 + (r % 7))).toISOString();
    rows.push(
      `T${r},${opened},${closed},${sevs[r % 4]},${r % 3 === 0},INC-${r} ${r % 5 === 0 ? 'VPN' : 'Zugriff'} Störung`,
    );
  }
  writeFileSync(join(dir, 't.csv'), `${rows.join('\n')}\n`);
}

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

async function measure(n) {
  const dir = join(HERE, '.data', `kpis-${n}`);
  writeProject(dir, n);
  const io = nodeIo({ cwd: dir });
  let t = process.hrtime.bigint();
  const catalogue = await loadCatalogue(io, 'metrics.yaml');
  const load = seconds(t);
  t = process.hrtime.bigint();
  const period = resolvePeriod(catalogue, { period: '2026-Q3', now: 0 });
  const { report } = await run({ catalogue, period, cwd: dir });
  const evaluate = seconds(t);
  t = process.hrtime.bigint();
  const table = renderTable(report, { color: false });
  const render = seconds(t);
  t = process.hrtime.bigint();
  const listed = renderListTable(listOf(catalogue));
  const list = seconds(t);
  t = process.hrtime.bigint();
  const child = spawnSync(
    process.execPath,
    [join(ROOT, 'bin', 'isms-kpi.js'), 'report', '-c', 'metrics.yaml', '--fail-on', 'never'],
    {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 1 << 30,
    },
  );
  const process_ = seconds(t);
  if (child.status !== 0) throw new Error(`isms-kpi report failed: ${child.stderr}`);
  if (report.kpis.length !== n) throw new Error(`expected ${n} KPIs, got ${report.kpis.length}`);
  return {
    n,
    load,
    evaluate,
    render,
    list,
    process: process_,
    tableLines: table.split('\n').length,
    listLines: listed.split('\n').length,
  };
}

const { sizes } = parseArgs(process.argv.slice(2));
console.log(`machine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, node ${process.version}`);
console.log(
  `load average before: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
);
const rows = [];
for (const n of sizes) rows.push(await measure(n));
const us = (s, n) => ((s * 1e6) / n).toFixed(0);
console.log(
  '| KPIs | load s | evaluate s | report table s | list table s | in-process total s | per KPI µs | isms-kpi report (process) s | ratio to previous |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
let previous;
for (const r of rows) {
  const total = r.load + r.evaluate + r.render + r.list;
  console.log(
    `| ${r.n.toLocaleString('en')} | ${r.load.toFixed(2)} | ${r.evaluate.toFixed(2)} | ${r.render.toFixed(2)} | ${r.list.toFixed(2)} | ${total.toFixed(2)} | ${us(total, r.n)} | ${r.process.toFixed(2)} | ${previous ? (r.process / previous.process).toFixed(2) : '-'} |`,
  );
  previous = r;
}
console.log(
  `\nload average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
