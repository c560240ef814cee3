#!/usr/bin/env node
// The 20 KPIs of bench/catalogue.yaml computed independently with DuckDB, over the same CSV files.
//
//   node bench/duckdb.mjs bench/.data/100000
//
// Prints one JSON object:
//   { values: { "INC-01": 5936, ... }, segments: { "INC-02": { "Austin": 61.2, ... }, "BK-02": {...} },
//     rowsInPeriod: { incidents, backups, vulns }, timings: { load_s, query_s } }
// bench/run.mjs runs it as its own process and times the whole process, CSV reading included,
// exactly as it times isms-kpi.
//
// The SQL follows the isms-kpi semantics the catalogue relies on:
// - the period is 2026-Q3 in UTC, [2026-07-01, 2026-10-01); events sources (incidents by `opened`,
//   backups by `started`) keep only the rows in it, the vulns snapshot keeps every row;
// - hours(a, b) = (b - a) in ms / 3 600 000 and age(x) = (period end - x) in ms / 86 400 000, in DOUBLE;
// - a condition that is NULL does not count (SQL FILTER does the same), aggregates skip NULL values;
// - median / percentile = quantile_cont (linear interpolation between closest ranks);
// - pct(a, b) = 100 * a / b and ratio(a, b) = a / b, NULL when b is 0;
// - exists(backups, ...) looks at the backup sessions of the period only, and a NULL vm never matches.
// Datetime cells are parsed by read_csv with explicit column types and formats; empty cells are NULL.

import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const PERIOD_START = "TIMESTAMP '2026-07-01 00:00:00'";
const PERIOD_END = "TIMESTAMP '2026-10-01 00:00:00'";
const PERIOD_START_TZ = "TIMESTAMPTZ '2026-07-01 00:00:00+00:00'";
const PERIOD_END_TZ = "TIMESTAMPTZ '2026-10-01 00:00:00+00:00'";

export const csv = (file, columns, extra = '') =>
  `read_csv('${file.replaceAll("'", "''")}', header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', ` +
  `columns = {${Object.entries(columns)
    .map(([name, type]) => `'${name}': '${type}'`)
    .join(', ')}}${extra})`;

/** SQL for the formula functions the catalogue uses, with the same arithmetic in DOUBLE. */
export const hours = (a, b) => `((epoch_ms(${b}) - epoch_ms(${a}))::DOUBLE / 3600000.0::DOUBLE)`;
export const pct = (a, b) => `(100.0::DOUBLE * (${a})::DOUBLE / nullif((${b})::DOUBLE, 0))`;
export const ratio = (a, b) => `((${a})::DOUBLE / nullif((${b})::DOUBLE, 0))`;
export const count = (cond) => (cond ? `count(*) FILTER (WHERE ${cond})` : 'count(*)');

/** The 20 KPIs, per source: [id, SQL aggregate expression]. */
const INCIDENT_KPIS = [
  ['INC-01', count()],
  [
    'INC-02',
    pct(
      count(`severity = 'Critical' AND ${hours('opened', 'contained')} <= 4`),
      count(`severity = 'Critical'`),
    ),
  ],
  ['INC-03', `avg(${hours('opened', 'resolved')}) FILTER (WHERE severity IN ('Critical', 'High'))`],
  ['INC-04', `quantile_cont(${hours('opened', 'contained')}, 0.5)`],
  ['INC-05', `quantile_cont(${hours('opened', 'resolved')}, 0.9) FILTER (WHERE severity = 'High')`],
  ['INC-06', pct(count('resolved IS NULL'), count())],
  ['INC-07', `count(DISTINCT assignee || '@' || site || '@' || system) FILTER (WHERE severity = 'Critical')`],
  ['INC-08', count(`contains(summary, 'phishing')`)],
  ['INC-09', pct(count('isodow(opened) >= 6'), count())],
];
const BACKUP_KPIS = [
  ['BK-01', pct(count(`status IN ('Success', 'Warning')`), count())],
  ['BK-02', count(`status = 'Failed'`)],
  ['BK-03', `avg(duration_s) FILTER (WHERE status = 'Success')`],
  ['BK-04', ratio('sum(size_gb) FILTER (WHERE NOT is_retry)', count('NOT is_retry'))],
  ['BK-05', pct(count(`is_retry AND status = 'Success'`), count('is_retry'))],
  ['BK-06', `max(size_gb) FILTER (WHERE status <> 'Failed')`],
];
const VULN_KPIS = [
  ['VU-01', count(`severity = 'Critical' AND NOT fixed`)],
  ['VU-02', 'avg(cvss) FILTER (WHERE NOT fixed)'],
  [
    'VU-03',
    `count(DISTINCT host) FILTER (WHERE severity = 'Critical' AND NOT fixed AND cvss >= 9.8::DOUBLE)`,
  ],
  ['VU-04', count(`severity = 'Critical' AND host IN (SELECT vm FROM failed_vms)`)],
  [
    'VU-05',
    count(
      `contains(description, 'remote') AND (epoch_ms(${PERIOD_END}) - epoch_ms(first_seen::TIMESTAMP))::DOUBLE / 86400000.0::DOUBLE > 90`,
    ),
  ],
];
/** KPIs with segment_by: [id, table, segment column, SQL aggregate]. */
const SEGMENTED = [
  ['INC-02', 'incidents', 'site', INCIDENT_KPIS[1][1]],
  ['BK-02', 'backups', 'job', BACKUP_KPIS[1][1]],
];

/**
 * Runs the KPI queries on the loaded tables: `kpis` is a list of [table, [[id, SQL aggregate], ...]],
 * `segmented` a list of [id, table, segment key (SQL), SQL aggregate], `tables` the tables whose rows
 * are counted. Returns { values, segments, rowsInPeriod } as the harness compares them.
 */
export async function evaluate(db, { kpis, segmented, tables }) {
  const values = {};
  for (const [table, list] of kpis) {
    const select = list.map(([id, sql]) => `(${sql})::DOUBLE AS "${id}"`).join(',\n  ');
    const reader = await db.runAndReadAll(`SELECT\n  ${select}\nFROM ${table}`);
    Object.assign(values, reader.getRowObjects()[0]);
  }
  const segments = {};
  for (const [id, table, key, sql] of segmented) {
    const reader = await db.runAndReadAll(
      `SELECT ${key} AS key, (${sql})::DOUBLE AS value FROM ${table} WHERE ${key} IS NOT NULL GROUP BY ${key} ORDER BY ${key}`,
    );
    segments[id] = Object.fromEntries(reader.getRowObjects().map((r) => [r.key, r.value]));
  }
  const rowsInPeriod = {};
  for (const table of tables) {
    const reader = await db.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM ${table}`);
    rowsInPeriod[table] = reader.getRowObjects()[0].n;
  }
  return { values, segments, rowsInPeriod };
}

/** The command line of a DuckDB twin: `node FILE DATA_DIR` prints compute(DATA_DIR) as one JSON line. */
export async function runAsScript(moduleUrl, compute) {
  if (!process.argv[1] || resolve(process.argv[1]) !== resolve(fileURLToPath(moduleUrl))) return;
  const dir = process.argv[2];
  if (!dir) {
    console.error(`usage: node ${relative(process.cwd(), fileURLToPath(moduleUrl))} DATA_DIR`);
    process.exit(2);
  }
  const result = await compute(dir);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export async function computeKpis(dir) {
  const file = (name) => resolve(dir, name);
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  const t0 = process.hrtime.bigint();
  await db.run(`SET TimeZone = 'UTC'`);
  await db.run(
    `CREATE TABLE incidents AS SELECT * FROM ${csv(
      file('incidents.csv'),
      {
        id: 'VARCHAR',
        opened: 'TIMESTAMP',
        contained: 'TIMESTAMP',
        resolved: 'TIMESTAMP',
        severity: 'VARCHAR',
        site: 'VARCHAR',
        system: 'VARCHAR',
        assignee: 'VARCHAR',
        summary: 'VARCHAR',
      },
      `, timestampformat = '%Y-%m-%d %H:%M:%S'`,
    )} WHERE opened >= ${PERIOD_START} AND opened < ${PERIOD_END}`,
  );
  await db.run(
    `CREATE TABLE backups AS SELECT * FROM ${csv(file('backups.csv'), {
      job: 'VARCHAR',
      vm: 'VARCHAR',
      status: 'VARCHAR',
      started: 'TIMESTAMPTZ',
      duration_s: 'DOUBLE',
      size_gb: 'DOUBLE',
      is_retry: 'BOOLEAN',
    })} WHERE started >= ${PERIOD_START_TZ} AND started < ${PERIOD_END_TZ}`,
  );
  await db.run(
    `CREATE TABLE vulns AS SELECT * FROM ${csv(
      file('vulns.csv'),
      {
        host: 'VARCHAR',
        plugin_id: 'VARCHAR',
        severity: 'VARCHAR',
        cvss: 'DOUBLE',
        first_seen: 'DATE',
        description: 'VARCHAR',
        fixed: 'BOOLEAN',
      },
      `, dateformat = '%d.%m.%Y'`,
    )}`,
  );
  await db.run(
    `CREATE TABLE failed_vms AS SELECT DISTINCT vm FROM backups WHERE status = 'Failed' AND vm IS NOT NULL`,
  );
  const t1 = process.hrtime.bigint();

  const { values, segments, rowsInPeriod } = await evaluate(db, {
    kpis: [
      ['incidents', INCIDENT_KPIS],
      ['backups', BACKUP_KPIS],
      ['vulns', VULN_KPIS],
    ],
    segmented: SEGMENTED,
    tables: ['incidents', 'backups', 'vulns'],
  });
  const t2 = process.hrtime.bigint();
  db.closeSync();
  instance.closeSync();
  return {
    values,
    segments,
    rowsInPeriod,
    timings: { load_s: Number(t1 - t0) / 1e9, query_s: Number(t2 - t1) / 1e9 },
  };
}

await runAsScript(import.meta.url, computeKpis);
