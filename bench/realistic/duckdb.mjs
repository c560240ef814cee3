#!/usr/bin/env node
// The 20 KPIs of bench/realistic/catalogue.yaml computed independently with DuckDB, over the same files.
//
//   node bench/realistic/duckdb.mjs bench/.data/realistic/100000
//
// Prints one JSON object, as bench/duckdb.mjs does (values, segments, rowsInPeriod, timings), plus
// `duplicates` (exact duplicate rows per source). bench/run.mjs times it as a whole process, CSV
// reading included, exactly as it times isms-kpi.
//
// Nothing here uses isms-kpi's code or its presets: the SQL restates, from docs/catalogue.md and the
// presets' documented mapping, what isms-kpi does with each cell:
// - every column is read as text (read_csv, all VARCHAR, explicit positional names: Jira repeats
//   `Labels`, `Watchers`, `Component/s`, `Comment`); each cell a KPI reads is trimmed once, as
//   JavaScript's trim() would, of the whitespace the generator can leave at the edge of a cell (space,
//   tab, CR, LF: it writes no other), and the default null tokens (`""`, N/A, n/a, NA, null, NULL, ?,
//   no_information, not_supported; exact case) are no value. Nessus `Risk` has `null_tokens: [""]`
//   (`None` is a value);
// - booleans: true / yes / y / 1 and false / no / n / 0, any case; anything else stops the query;
// - lists: each non-null cell of the repeated columns is split on "," and every item trimmed, empty
//   items dropped; `len()` of no items is 0; a segment of a list is its items joined with ", ";
// - Jira dates `dd/MMM/yy h:mm a` are local times in Europe/Berlin (the catalogue's zone): strptime,
//   then timezone('Europe/Berlin', ...) to an instant. The generator never writes a local time in the
//   hour the clocks change, where the engines could pick different instants (isms-kpi takes the
//   earlier of an hour that exists twice, DuckDB's ICU the later). weekday() and hour() are local
//   (the session's TimeZone is Europe/Berlin);
// - the period is 2026-Q3 in Europe/Berlin, [2026-07-01 00:00+02, 2026-10-01 00:00+02); Jira (events,
//   by Created) keeps the rows in it, the IAM and Nessus snapshots keep every row;
// - age(x) = (period end - x) in ms / 86 400 000; hours(a, b) = (b - a) in ms / 3 600 000 (DOUBLE);
// - Nessus `duplicates: drop-exact`: rows whose cells are all identical (raw text) count once;
// - exists(jira, ...) looks at the Jira rows of the period; a missing key never matches;
// - regular expressions: the patterns are plain enough that RE2 and JavaScript agree ("i" = ignore
//   case, no character in the data folds differently in the two).

import { resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { count, csv, evaluate, hours, pct, runAsScript } from '../duckdb.mjs';
import { JIRA_HEADER } from './generate.mjs';

const ZONE = 'Europe/Berlin';
const PERIOD_START = "TIMESTAMPTZ '2026-07-01 00:00:00+02:00'";
const PERIOD_END = "TIMESTAMPTZ '2026-10-01 00:00:00+02:00'";

const NULL_TOKENS = ['', 'N/A', 'n/a', 'NA', 'null', 'NULL', '?', 'no_information', 'not_supported'];
const sqlText = (s) => `'${s.replaceAll("'", "''")}'`;

const MACROS = [
  // Trim as JavaScript's trim() does, for the whitespace the generator can leave at the edge of a cell.
  `CREATE MACRO t(x) AS trim(x, ' ' || chr(9) || chr(10) || chr(13))`,
  // A trimmed cell: no value when it is a null token.
  `CREATE MACRO v(x) AS CASE WHEN x IN (${NULL_TOKENS.map(sqlText).join(', ')}) THEN NULL ELSE x END`,
  `CREATE MACRO b(x) AS CASE WHEN v(x) IS NULL THEN NULL
     WHEN lower(x) IN ('true', 'yes', 'y', '1') THEN true
     WHEN lower(x) IN ('false', 'no', 'n', '0') THEN false
     ELSE error('not a boolean: ' || x) END`,
  `CREATE MACRO items(cells) AS list_filter(
     list_transform(flatten(list_transform(list_filter(cells, c -> v(c) IS NOT NULL), c -> string_split(c, ','))), i -> t(i)),
     i -> i <> '')`,
  `CREATE MACRO jira_time(x) AS timezone('${ZONE}', strptime(v(x), '%d/%b/%y %I:%M %p'))`,
  `CREATE MACRO age(x) AS (epoch_ms(${PERIOD_END}) - epoch_ms(x))::DOUBLE / 86400000.0::DOUBLE`,
];

/** `SELECT t(a) AS a, t(b) AS b, ... FROM <csv>`: every cell a query reads, trimmed once. */
const trimmed = (columns, from) =>
  `(SELECT ${columns.map((c) => `t(${c}) AS ${c}`).join(', ')} FROM ${from})`;

/** Positional column names for a header with repeated names: `Labels` -> labels_1, labels_2, ... */
function columnNames(header) {
  const seen = new Map();
  const base = header.map((h) =>
    h
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, ''),
  );
  const total = new Map();
  for (const b of base) total.set(b, (total.get(b) ?? 0) + 1);
  return base.map((b) => {
    const k = (seen.get(b) ?? 0) + 1;
    seen.set(b, k);
    return total.get(b) > 1 ? `${b}_${k}` : b;
  });
}
/** The columns the KPIs read, by source. */
const JIRA_USED = [
  'issue_key',
  'summary',
  'issue_type',
  'priority',
  'project_key',
  'status_category',
  'created',
  'resolved',
  'labels_1',
  'labels_2',
  'labels_3',
  'labels_4',
  'watchers_1',
  'watchers_2',
  'watchers_3',
  'component_s_1',
  'component_s_2',
  'description',
  'custom_field_severity',
  'custom_field_affected_user',
  'custom_field_affected_host',
];
const AWS_USED = [
  '"user"',
  'password_enabled',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_2_active',
  'access_key_2_last_rotated',
];
const NESSUS_USED = ['plugin_id', 'host', 'risk', 'cve', 'cvss_v3_0_base_score', 'plugin_output'];
const allText = (names) => Object.fromEntries(names.map((n) => [n, 'VARCHAR']));
const list = (prefix, n) => `[${Array.from({ length: n }, (_, i) => `${prefix}_${i + 1}`).join(', ')}]`;

const JIRA_COLUMNS = columnNames(JIRA_HEADER);
const AWS_COLUMNS =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated'.split(
    ',',
  );
const NESSUS_COLUMNS = columnNames([
  'Plugin ID',
  'CVE',
  'CVSS v2.0 Base Score',
  'Risk',
  'Host',
  'Protocol',
  'Port',
  'Name',
  'Synopsis',
  'Description',
  'Solution',
  'See Also',
  'Plugin Output',
  'CVSS v3.0 Base Score',
  'VPR Score',
  'Risk Factor',
  'Plugin Publication Date',
]);

const incident = `type = 'Incident'`;
const urgentIncident = `${incident} AND priority IN ('Highest', 'High')`;
const JIRA_KPIS = [
  ['JI-01', count()],
  ['JI-02', pct(count(`${urgentIncident} AND ${hours('opened', 'resolved')} <= 72`), count(urgentIncident))],
  ['JI-03', `quantile_cont(${hours('opened', 'resolved')}, 0.9) FILTER (WHERE ${incident})`],
  ['JI-04', count(`regexp_matches(summary, 'phish|hameçon|フィッシング', 'i')`)],
  ['JI-05', count(`regexp_matches(description, 'CVE-[0-9]{4}-[0-9]{4,7}')`)],
  ['JI-06', count(`list_contains(labels, 'phishing')`)],
  ['JI-07', 'avg(len(labels))'],
  ['JI-08', count(`priority = 'Highest' AND len(watchers) = 0`)],
  ['JI-09', `count(DISTINCT lower(affected_user)) FILTER (WHERE ${incident})`],
  [
    'JI-10',
    pct(
      count(`${incident} AND (isodow(opened) >= 6 OR hour(opened) < 7 OR hour(opened) >= 19)`),
      count(incident),
    ),
  ],
  ['JI-11', count(`status_category <> 'Done'`)],
];
const console_ = `id <> '<root_account>' AND password_enabled`;
const IAM_KPIS = [
  ['IAM-01', pct(count(`${console_} AND NOT mfa`), count(console_))],
  [
    'IAM-02',
    `${count('key1_active AND age(key1_rotated) > 90')} + ${count('key2_active AND age(key2_rotated) > 90')}`,
  ],
  ['IAM-03', 'quantile_cont(age(key1_rotated), 0.5) FILTER (WHERE key1_active)'],
  [
    'IAM-04',
    count(
      `(key1_active OR key2_active) AND lower(id) IN (SELECT lower(affected_user) FROM jira WHERE affected_user IS NOT NULL AND severity IN ('1 - Critical', '2 - High'))`,
    ),
  ],
];
const NESSUS_KPIS = [
  ['VU-01', `count(DISTINCT plugin_id || '|' || asset) FILTER (WHERE severity = 'Critical')`],
  [
    'VU-02',
    count(
      `severity IN ('Critical', 'High') AND asset NOT IN (SELECT affected_host FROM jira WHERE affected_host IS NOT NULL)`,
    ),
  ],
  ['VU-03', `avg(cvss3) FILTER (WHERE severity <> 'None')`],
  ['VU-04', count(`contains(plugin_output, 'Installed version')`)],
  ['VU-05', 'count(DISTINCT cve)'],
];
/** KPIs with segment_by: [id, table, segment key, SQL aggregate]. */
const SEGMENTED = [
  ['JI-02', 'jira', 'project', JIRA_KPIS[1][1]],
  [
    'JI-11',
    'jira',
    `CASE WHEN len(components) > 0 THEN array_to_string(components, ', ') END`,
    JIRA_KPIS[10][1],
  ],
  ['VU-03', 'nessus', 'severity', NESSUS_KPIS[2][1]],
];

export async function computeKpis(dir) {
  const file = (name) => resolve(dir, name);
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  const t0 = process.hrtime.bigint();
  await db.run(`SET TimeZone = '${ZONE}'`);
  for (const macro of MACROS) await db.run(macro);
  await db.run(
    `CREATE TABLE jira AS SELECT * FROM (SELECT
       v(issue_key) AS id,
       v(summary) AS summary,
       v(issue_type) AS type,
       v(priority) AS priority,
       v(project_key) AS project,
       v(status_category) AS status_category,
       jira_time(created) AS opened,
       jira_time(resolved) AS resolved,
       items(${list('labels', 4)}) AS labels,
       items(${list('watchers', 3)}) AS watchers,
       items(${list('component_s', 2)}) AS components,
       v(description) AS description,
       v(custom_field_severity) AS severity,
       v(custom_field_affected_user) AS affected_user,
       v(custom_field_affected_host) AS affected_host
     FROM ${trimmed(JIRA_USED, csv(file('jira-issues.csv'), allText(JIRA_COLUMNS)))})
     WHERE opened >= ${PERIOD_START} AND opened < ${PERIOD_END}`,
  );
  await db.run(
    `CREATE TABLE iam AS SELECT
       v("user") AS id,
       b(password_enabled) AS password_enabled,
       b(mfa_active) AS mfa,
       b(access_key_1_active) AS key1_active,
       v(access_key_1_last_rotated)::TIMESTAMPTZ AS key1_rotated,
       b(access_key_2_active) AS key2_active,
       v(access_key_2_last_rotated)::TIMESTAMPTZ AS key2_rotated
     FROM ${trimmed(AWS_USED, csv(file('aws-credential-report.csv'), allText(AWS_COLUMNS)))}`,
  );
  await db.run(
    `CREATE TABLE nessus_raw AS SELECT * FROM ${csv(file('nessus.csv'), allText(NESSUS_COLUMNS))}`,
  );
  await db.run(
    `CREATE TABLE nessus AS SELECT
       v(plugin_id) AS plugin_id,
       v(host) AS asset,
       CASE WHEN risk = '' THEN NULL ELSE risk END AS severity,
       v(cve) AS cve,
       v(cvss_v3_0_base_score)::DOUBLE AS cvss3,
       v(plugin_output) AS plugin_output
     FROM ${trimmed(NESSUS_USED, '(SELECT DISTINCT * FROM nessus_raw)')}`,
  );
  const t1 = process.hrtime.bigint();

  const result = await evaluate(db, {
    kpis: [
      ['jira', JIRA_KPIS],
      ['iam', IAM_KPIS],
      ['nessus', NESSUS_KPIS],
    ],
    segmented: SEGMENTED,
    tables: ['jira', 'iam', 'nessus'],
  });
  const reader = await db.runAndReadAll(
    'SELECT ((SELECT count(*) FROM nessus_raw) - (SELECT count(*) FROM nessus))::DOUBLE AS n',
  );
  const duplicates = { jira: 0, iam: 0, nessus: reader.getRowObjects()[0].n };
  const t2 = process.hrtime.bigint();
  db.closeSync();
  instance.closeSync();
  return {
    ...result,
    duplicates,
    timings: { load_s: Number(t1 - t0) / 1e9, query_s: Number(t2 - t1) / 1e9 },
  };
}

await runAsScript(import.meta.url, computeKpis);
