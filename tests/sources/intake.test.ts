/**
 * Evidence intake through the library: each case writes small export files and a one-source catalogue
 * into a temp folder, loads them with loadCatalogue() + loadSources() (or run()), and checks the typed
 * cells, the counts and the exact problem text users see. Expected values are written out by hand.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatProblem, IsmsKpiError } from '../../src/problems.js';
import type { LoadedSource } from '../../src/sources/load-source.js';
import { type CellValue, cellValue } from '../../src/sources/table.js';
import { loadCatalogue, loadSources, resolvePeriod, run } from '../helpers/run.js';

let root = '';
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'isms-intake-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

type SourceDef = { path: string; fields: Record<string, unknown> } & Record<string, unknown>;

/** A fresh folder holding `files` and a metrics.yaml with one snapshot source `s` and one KPI (count(s)). */
async function setup(
  files: Record<string, string | Buffer>,
  source: SourceDef,
  formula = 'count(s)',
): Promise<string> {
  const dir = path.join(root, `case-${++counter}`);
  await mkdir(dir);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  const catalogue = {
    organisation: 'Intake test',
    timezone: 'Europe/Berlin',
    period: '2026-Q3',
    sources: { s: { kind: 'snapshot', ...source } },
    kpis: [{ id: 'K-1', name: 'Rows', owner: 'QA', cadence: 'quarterly', unit: 'count', formula }],
  };
  await writeFile(path.join(dir, 'metrics.yaml'), stringify(catalogue));
  return dir;
}

async function loadIn(dir: string): Promise<LoadedSource> {
  const catalogue = await loadCatalogue({ catalogue: 'metrics.yaml', cwd: dir });
  const period = resolvePeriod(catalogue, { now: 0 });
  const loaded = (await loadSources(catalogue, ['s'], period, dir)).get('s');
  if (loaded === undefined || 'missing' in loaded)
    throw new Error(`source s was not loaded: ${JSON.stringify(loaded)}`);
  return loaded;
}

async function load(
  files: Record<string, string | Buffer>,
  source: SourceDef,
  formula?: string,
): Promise<LoadedSource> {
  return loadIn(await setup(files, source, formula));
}

/** The formatted problems of a load that must fail. */
async function loadError(files: Record<string, string | Buffer>, source: SourceDef): Promise<string[]> {
  const dir = await setup(files, source);
  try {
    await loadIn(dir);
  } catch (error) {
    if (error instanceof IsmsKpiError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error('expected the load to fail');
}

function col(loaded: LoadedSource, field: string): CellValue[] {
  const column = loaded.table.columns.get(field);
  if (!column) throw new Error(`no column ${field}`);
  return Array.from({ length: loaded.table.length }, (_, row) => cellValue(column, row));
}

function problemTexts(loaded: LoadedSource): string[] {
  return loaded.problems.map((p) => `${p.severity}: ${formatProblem(p)}`);
}

/** Each value in a CSV cell of its own, quoted RFC 4180 style. */
function quoted(values: readonly string[]): string {
  return values.map((v) => `"${v.replace(/"/g, '""')}"`).join(',');
}

const H = 3_600_000;

// ---------------------------------------------------------------------------------------------------

describe('field types', () => {
  it('converts string, integer, number, boolean, datetime, duration, enum and list cells', async () => {
    const csv = [
      'name,count,amount,flag,when,took,level,tags',
      ' Alice ,42,"1,5",yes,2026-07-01 09:30,90,critical,a;b; c',
      'Bob,-7,"1.234,5",False,2026-12-24 18:00,01:30:00,LOW,x',
      'Carol,0,"1,234.5",1,2026-03-29 03:30,PT1H30M,High,',
    ].join('\n');
    const s = await load(
      { 'data.csv': `${csv}\n` },
      {
        path: 'data.csv',
        fields: {
          name: 'name',
          count: { type: 'integer' },
          amount: { type: 'number' },
          flag: { type: 'boolean' },
          when: { type: 'datetime', format: 'yyyy-MM-dd HH:mm' },
          took: { type: 'duration' },
          level: { type: 'enum', values: ['Critical', 'High', 'Medium', 'Low'] },
          tags: { type: 'list', separator: ';' },
        },
      },
    );
    expect(s.stats.accepted).toBe(3);
    expect(s.stats.rejected).toBe(0);
    expect(col(s, 'name')).toEqual(['Alice', 'Bob', 'Carol']);
    expect(col(s, 'count')).toEqual([42, -7, 0]);
    expect(col(s, 'amount')).toEqual([1.5, 1234.5, 1234.5]);
    expect(col(s, 'flag')).toEqual([true, false, true]);
    // Berlin: CEST (+2) in July, CET (+1) at Christmas; 29 Mar 2026 03:30 is just after the switch to CEST.
    expect(col(s, 'when')).toEqual([
      Date.UTC(2026, 6, 1, 7, 30),
      Date.UTC(2026, 11, 24, 17, 0),
      Date.UTC(2026, 2, 29, 1, 30),
    ]);
    expect(col(s, 'took')).toEqual([90, 5400, 5400]);
    expect(col(s, 'level')).toEqual(['Critical', 'Low', 'High']);
    expect(col(s, 'tags')).toEqual([['a', 'b', 'c'], ['x'], null]);
  });

  it('reads decimal commas and thousands separators in numbers', async () => {
    const cells = ['1,5', '1.234,5', '1,234.5', '-0,25', '1234.5', '1.234.567,89', '2'];
    const csv = `n\n${cells.map((c) => quoted([c])).join('\n')}\n`;
    const s = await load({ 'n.csv': csv }, { path: 'n.csv', fields: { n: { type: 'number' } } });
    expect(col(s, 'n')).toEqual([1.5, 1234.5, 1234.5, -0.25, 1234.5, 1234567.89, 2]);
  });

  it('rejects text and fractions in an integer field', async () => {
    const s = await load(
      { 'i.csv': 'id,n\na,12\nb,4.5\nc,ten\n' },
      { path: 'i.csv', fields: { id: 'id', n: { type: 'integer' } } },
    );
    expect(col(s, 'id')).toEqual(['a']);
    expect(s.stats.rejected).toBe(2);
    expect(problemTexts(s)).toEqual([
      'error: i.csv:3: column "n": expected a whole number, got "4.5"',
      'error: i.csv:4: column "n": expected a whole number, got "ten"',
    ]);
  });

  it('reads durations as seconds: plain seconds, HH:MM:SS, ISO 8601 and "1h 30m"', async () => {
    const cells = ['5400', '01:30:00', 'PT1H30M', '1h 30m', '5400,5', '0:00:01', 'P1DT2H'];
    const csv = `took\n${cells.map((c) => quoted([c])).join('\n')}\n`;
    const s = await load(
      { 'd.csv': csv },
      { path: 'd.csv', fields: { took: { type: 'duration', unit: 'seconds' } } },
    );
    expect(col(s, 'took')).toEqual([5400, 5400, 5400, 5400, 5400.5, 1, 26 * 3600]);
  });

  it('reads bare duration numbers in the declared unit', async () => {
    const s = await load(
      { 'd.csv': 'a,b,c\n90,1.5,01:30:00\n' },
      {
        path: 'd.csv',
        fields: {
          a: { type: 'duration', unit: 'minutes' },
          b: { type: 'duration', unit: 'hours' },
          c: { type: 'duration', unit: 'minutes' },
        },
      },
    );
    expect(col(s, 'a')).toEqual([5400]);
    expect(col(s, 'b')).toEqual([5400]);
    // HH:MM:SS is a clock reading, not a number of minutes.
    expect(col(s, 'c')).toEqual([5400]);
  });

  it('rejects a duration it cannot read, naming the accepted forms', async () => {
    const s = await load(
      { 'd.csv': 'took\n90\nsoon\n' },
      { path: 'd.csv', fields: { took: { type: 'duration' } } },
    );
    expect(col(s, 'took')).toEqual([90]);
    expect(problemTexts(s)).toEqual([
      'error: d.csv:3: column "took": expected a duration (seconds as a number, HH:MM:SS, PT1H30M or "1h 30m"), got "soon"',
    ]);
  });

  it('matches enum values case-insensitively and stores the declared spelling', async () => {
    const s = await load(
      { 'e.csv': 'sev\ncRiTiCaL\nHIGH\nmedium\nLow\nSevere\n' },
      { path: 'e.csv', fields: { sev: { type: 'enum', values: ['Critical', 'High', 'Medium', 'Low'] } } },
    );
    expect(col(s, 'sev')).toEqual(['Critical', 'High', 'Medium', 'Low']);
    expect(s.stats.rejected).toBe(1);
    expect(problemTexts(s)).toEqual([
      'error: e.csv:6: column "sev": expected one of "Critical", "High", "Medium", "Low", got "Severe"',
    ]);
  });

  it('splits a list cell on its separator, trimming items and dropping empty ones', async () => {
    const s = await load(
      { 'l.csv': 'a,b\n"x, y,,z",p | q||r\nsolo,one\n' },
      { path: 'l.csv', fields: { a: { type: 'list' }, b: { type: 'list', separator: '|' } } },
    );
    expect(col(s, 'a')).toEqual([['x', 'y', 'z'], ['solo']]);
    expect(col(s, 'b')).toEqual([['p', 'q', 'r'], ['one']]);
  });
});

describe('null tokens', () => {
  const DEFAULTS = ['', 'N/A', 'n/a', 'NA', 'null', 'NULL', '?', 'no_information', 'not_supported'];

  it('treats each default null token as no value, in text and number fields', async () => {
    const lines = [
      'id,text,n',
      ...DEFAULTS.map((token, i) => `r${i},${token},${token}`),
      'last,kept,7',
      'q,"",""',
    ];
    const s = await load(
      { 'n.csv': `${lines.join('\n')}\n` },
      { path: 'n.csv', fields: { id: 'id', text: 'text', n: { type: 'number' } } },
    );
    expect(s.stats.rejected).toBe(0);
    expect(s.stats.accepted).toBe(DEFAULTS.length + 2);
    expect(col(s, 'text')).toEqual([...DEFAULTS.map(() => null), 'kept', null]);
    expect(col(s, 'n')).toEqual([...DEFAULTS.map(() => null), 7, null]);
  });

  it('does not treat look-alikes as null', async () => {
    const s = await load({ 'n.csv': 'text\nnone\nNil\n-\n0\n' }, { path: 'n.csv', fields: { text: 'text' } });
    expect(col(s, 'text')).toEqual(['none', 'Nil', '-', '0']);
  });

  it('replaces the defaults with per-source null_tokens', async () => {
    const s = await load(
      { 'n.csv': 'text,n\n-,-\nN/A,n.v.\nok,3\n' },
      { path: 'n.csv', null_tokens: ['-', 'n.v.'], fields: { text: 'text', n: { type: 'number' } } },
    );
    expect(col(s, 'text')).toEqual([null, 'N/A', 'ok']);
    expect(col(s, 'n')).toEqual([null, null, 3]);
  });

  it('lets a field override the source null_tokens', async () => {
    const s = await load(
      { 'n.csv': 'a,b\n-,-\nn.v.,n.v.\nN/A,N/A\n' },
      { path: 'n.csv', null_tokens: ['-'], fields: { a: 'a', b: { null_tokens: ['n.v.'] } } },
    );
    expect(col(s, 'a')).toEqual([null, 'n.v.', 'N/A']);
    expect(col(s, 'b')).toEqual(['-', null, 'N/A']);
  });
});

describe('booleans', () => {
  it('reads true/false, True/False, TRUE/FALSE, Yes/No, yes/no and 1/0', async () => {
    const pairs = [
      ['true', 'false'],
      ['True', 'False'],
      ['TRUE', 'FALSE'],
      ['Yes', 'No'],
      ['yes', 'no'],
      ['1', '0'],
    ];
    const lines = ['flag', ...pairs.flat()];
    const s = await load(
      { 'b.csv': `${lines.join('\n')}\n` },
      { path: 'b.csv', fields: { flag: { type: 'boolean' } } },
    );
    expect(s.stats.rejected).toBe(0);
    expect(col(s, 'flag')).toEqual(pairs.flatMap(() => [true, false]));
  });

  it('rejects a word that is not a boolean token', async () => {
    const s = await load(
      { 'b.csv': 'flag\ntrue\nmaybe\n' },
      { path: 'b.csv', fields: { flag: { type: 'boolean' } } },
    );
    expect(col(s, 'flag')).toEqual([true]);
    expect(problemTexts(s)).toEqual([
      'error: b.csv:3: column "flag": expected a boolean (true/false), got "maybe"',
    ]);
  });

  it('uses custom true_values/false_values of a field instead of the defaults', async () => {
    const s = await load(
      { 'b.csv': 'id,flag\na,Ja\nb,nein\nc,JA\nd,true\n' },
      {
        path: 'b.csv',
        fields: { id: 'id', flag: { type: 'boolean', true_values: ['Ja'], false_values: ['Nein'] } },
      },
    );
    expect(col(s, 'id')).toEqual(['a', 'b', 'c']);
    expect(col(s, 'flag')).toEqual([true, false, true]);
    expect(problemTexts(s)).toEqual([
      'error: b.csv:5: column "flag": expected a boolean (Ja/Nein), got "true"',
    ]);
  });

  it('uses custom true_values/false_values of the source for every boolean field', async () => {
    const s = await load(
      { 'b.csv': 'a,b\nX,-\n-,X\n' },
      {
        path: 'b.csv',
        true_values: ['X'],
        false_values: ['-'],
        fields: { a: { type: 'boolean' }, b: { type: 'boolean' } },
      },
    );
    expect(col(s, 'a')).toEqual([true, false]);
    expect(col(s, 'b')).toEqual([false, true]);
  });
});

describe('date styles of real exports, read through a catalogue format', () => {
  // [style, format, text, expected instant]. Zone-less values are Berlin time unless a zone is given.
  const cases: [string, string, string, number][] = [
    ['Jira', 'dd/MMM/yy h:mm a', '09/Sep/26 2:23 PM', Date.UTC(2026, 8, 9, 12, 23)],
    ['Jira 12 AM', 'dd/MMM/yy h:mm a', '01/Jul/26 12:04 AM', Date.UTC(2026, 5, 30, 22, 4)],
    ['Jira 12 PM', 'dd/MMM/yy h:mm a', '15/Jul/26 12:30 PM', Date.UTC(2026, 6, 15, 10, 30)],
    ['Jira in CET', 'dd/MMM/yy h:mm a', '28/Mar/26 10:00 PM', Date.UTC(2026, 2, 28, 21, 0)],
    ['Excel re-save', 'M/d/yyyy H:mm', '6/21/2025 16:14', Date.UTC(2025, 5, 21, 14, 14)],
    ['ServiceNow', 'yyyy-MM-dd HH:mm:ss', '2018-08-31 21:35:21', Date.UTC(2018, 7, 31, 19, 35, 21)],
    ['ServiceNow US', 'MM-dd-yyyy HH:mm:ss', '02-13-2025 15:46:06', Date.UTC(2025, 1, 13, 14, 46, 6)],
    ['Entra', 'M/d/yyyy h:mm:ss a', '8/19/2021 3:02:10 PM', Date.UTC(2021, 7, 19, 13, 2, 10)],
    ['Veeam', 'M/d/yyyy HH:mm:ss', '6/30/2026 23:40:02', Date.UTC(2026, 5, 30, 21, 40, 2)],
    [
      'Veeam EM',
      "yyyy-MM-dd'T'HH:mm:ss.SSX",
      '2019-04-18T17:27:47.74Z',
      Date.UTC(2019, 3, 18, 17, 27, 47, 740),
    ],
    [
      'restic',
      "yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX",
      '2024-03-02T21:33:49.139060166+08:00',
      Date.UTC(2024, 2, 2, 13, 33, 49, 139),
    ],
    ['AWS', "yyyy-MM-dd'T'HH:mm:ssXXX", '2017-06-10T02:35:07+00:00', Date.UTC(2017, 5, 10, 2, 35, 7)],
    ['Okta', "yyyy-MM-dd'T'HH:mm:ss.SSSX", '2013-06-24T16:39:18.000Z', Date.UTC(2013, 5, 24, 16, 39, 18)],
    // EST is UTC-5.
    ['Tenable', 'MMM d, yyyy HH:mm:ss z', 'Jan 20, 2016 05:38:52 EST', Date.UTC(2016, 0, 20, 10, 38, 52)],
  ];

  it.each(cases)('%s: %s', async (_style, format, text, expected) => {
    const s = await load(
      { 'd.csv': `when\n${quoted([text])}\n` },
      { path: 'd.csv', fields: { when: { type: 'datetime', format } } },
    );
    expect(s.problems.map(formatProblem)).toEqual([]);
    expect(col(s, 'when')).toEqual([expected]);
  });

  it('reads zone-less values in the field timezone when one is given', async () => {
    const s = await load(
      { 'd.csv': 'berlin,ny\n6/30/2026 23:40:02,6/30/2026 23:40:02\n' },
      {
        path: 'd.csv',
        fields: {
          berlin: { type: 'datetime', format: 'M/d/yyyy HH:mm:ss' },
          ny: { type: 'datetime', format: 'M/d/yyyy HH:mm:ss', timezone: 'America/New_York' },
        },
      },
    );
    const berlin = col(s, 'berlin')[0] as number;
    const ny = col(s, 'ny')[0] as number;
    expect(berlin).toBe(Date.UTC(2026, 5, 30, 21, 40, 2));
    // New York is on EDT (UTC-4) in June.
    expect(ny).toBe(Date.UTC(2026, 6, 1, 3, 40, 2));
    expect(ny - berlin).toBe(6 * H);
  });

  it('tries several formats in order', async () => {
    const s = await load(
      { 'd.csv': 'when\n2026-04-28 15:52:00\n4/28/2026 15:52\n' },
      {
        path: 'd.csv',
        fields: { when: { type: 'datetime', format: ['yyyy-MM-dd HH:mm:ss', 'M/d/yyyy H:mm'] } },
      },
    );
    expect(col(s, 'when')).toEqual([Date.UTC(2026, 3, 28, 13, 52), Date.UTC(2026, 3, 28, 13, 52)]);
  });

  it('rejects an impossible date with the format it expected', async () => {
    const s = await load(
      { 'd.csv': 'when\n28/Feb/26 1:00 PM\n31/Feb/26 1:00 PM\n' },
      { path: 'd.csv', fields: { when: { type: 'datetime', format: 'dd/MMM/yy h:mm a' } } },
    );
    expect(col(s, 'when')).toEqual([Date.UTC(2026, 1, 28, 12, 0)]);
    expect(problemTexts(s)).toEqual([
      'error: d.csv:3: column "when": expected a date like "dd/MMM/yy h:mm a", got "31/Feb/26 1:00 PM"',
    ]);
  });
});

describe('header matching', () => {
  it('matches headers case-insensitively and trimmed, after stripping a BOM', async () => {
    const s = await load(
      { 'h.csv': '\uFEFFIssue key,  SUMMARY  ,Custom field (Site)\r\nSEC-1,Phish,Bremen\r\n' },
      {
        path: 'h.csv',
        fields: {
          id: { column: 'ISSUE KEY', required: true },
          summary: 'Summary',
          site: 'custom field (site)',
        },
      },
    );
    expect(s.problems).toEqual([]);
    expect(col(s, 'id')).toEqual(['SEC-1']);
    expect(col(s, 'summary')).toEqual(['Phish']);
    expect(col(s, 'site')).toEqual(['Bremen']);
    expect(s.header[0]).toBe('Issue key');
  });

  it('takes the first name of a column list that is present in the header', async () => {
    const source = {
      path: 'u.csv',
      fields: { id: { column: ['id', 'objectId'], required: true }, upn: 'upn' },
    };
    const older = await load({ 'u.csv': 'objectId,upn\nobj-1,a@x\n' }, source);
    expect(col(older, 'id')).toEqual(['obj-1']);
    // Both present: the list order decides, not the header order.
    const both = await load({ 'u.csv': 'objectId,upn,id\nobj-1,a@x,new-1\n' }, source);
    expect(col(both, 'id')).toEqual(['new-1']);
  });
});

describe('duplicate headers', () => {
  const csv = [
    'key,Labels,Labels,Watchers,Watchers',
    'A,phishing,malware,w1,w2',
    'B,,third-party,,w3',
    'C,,,,',
  ].join('\r\n');

  it('picks an occurrence, or collects all occurrences into a list', async () => {
    const s = await load(
      { 'j.csv': `${csv}\r\n` },
      {
        path: 'j.csv',
        fields: {
          key: 'key',
          first_label: { column: 'Labels' },
          second_label: { column: 'Labels', occurrence: 2 },
          labels: { column: 'Labels', type: 'list', occurrence: 'all' },
          watchers: { column: 'Watchers', type: 'list' },
        },
      },
    );
    expect(s.problems).toEqual([]);
    expect(col(s, 'first_label')).toEqual(['phishing', null, null]);
    expect(col(s, 'second_label')).toEqual(['malware', 'third-party', null]);
    expect(col(s, 'labels')).toEqual([['phishing', 'malware'], ['third-party'], null]);
    // A list takes every occurrence by default.
    expect(col(s, 'watchers')).toEqual([['w1', 'w2'], ['w3'], null]);
  });

  it('warns when an optional field asks for an occurrence the header does not have', async () => {
    const source = { path: 'j.csv', fields: { key: 'key', third: { column: 'Labels', occurrence: 3 } } };
    // No KPI reads the field: listed, no warning (issue 17) ...
    const unused = await load({ 'j.csv': `${csv}\r\n` }, source);
    expect(unused.problems).toEqual([]);
    expect(unused.unusedAbsentFields).toEqual(['third']);
    expect(unused.emptyFields).toEqual(['third']);
    // ... a KPI that reads it gets the warning.
    const s = await load({ 'j.csv': `${csv}\r\n` }, source, 'count(s, third == "x")');
    expect(s.unusedAbsentFields).toEqual([]);
    expect(col(s, 'third')).toEqual([null, null, null]);
    expect(s.problems).toHaveLength(1);
    expect(s.problems[0]!.severity).toBe('warning');
    expect(formatProblem(s.problems[0]!)).toMatch(
      /^j\.csv:1: column "Labels" \(field third\) is not in the header \(occurrence 3; the header has 2\); the field is empty for every row/,
    );
  });
});

describe('JSON and JSON Lines', () => {
  it('reads records inside an API envelope, with nested paths and absent keys', async () => {
    const document = {
      '@odata.context': 'https://graph.example/$metadata#alerts',
      value: [
        {
          number: 7,
          security_advisory: { severity: 'HIGH', cvss: { score: 8.1 } },
          repository: { full_name: 'acme/erp' },
          created_at: '2026-07-15T07:43:03Z',
          auto_dismissed_at: null,
          ok: true,
        },
        {
          number: 8,
          security_advisory: { severity: 'low', cvss: { score: 2 } },
          repository: { full_name: 'acme/plm' },
          created_at: '2026-07-16T00:00:00Z',
          ok: false,
        },
      ],
    };
    const text = `${JSON.stringify(document, null, 2)}\n`;
    const s = await load(
      { 'alerts.json': text },
      {
        path: 'alerts.json',
        json: { records: '/value' },
        fields: {
          number: { type: 'integer', required: true },
          severity: {
            path: 'security_advisory.severity',
            type: 'enum',
            values: ['low', 'medium', 'high', 'critical'],
          },
          score: { path: 'security_advisory.cvss.score', type: 'number' },
          repo: { path: 'repository.full_name' },
          created: { path: 'created_at', type: 'datetime' },
          auto: { path: 'auto_dismissed_at', type: 'datetime' },
          ok: { type: 'boolean' },
        },
      },
    );
    expect(s.problems).toEqual([]);
    expect(s.stats.format).toBe('json');
    expect(col(s, 'number')).toEqual([7, 8]);
    expect(col(s, 'severity')).toEqual(['high', 'low']);
    expect(col(s, 'score')).toEqual([8.1, 2]);
    expect(col(s, 'repo')).toEqual(['acme/erp', 'acme/plm']);
    expect(col(s, 'created')).toEqual([Date.UTC(2026, 6, 15, 7, 43, 3), Date.UTC(2026, 6, 16)]);
    expect(col(s, 'auto')).toEqual([null, null]);
    expect(col(s, 'ok')).toEqual([true, false]);
    // Each record is located on the line of its opening brace.
    const braces = text.split('\n').flatMap((line, i) => (line === '    {' ? [i + 1] : []));
    expect(braces).toHaveLength(2);
    expect([...s.table.line]).toEqual(braces);
  });

  it('says where the array is when an envelope is read without json.records', async () => {
    const problems = await loadError(
      { 'a.json': '{"@odata.context":"x","value":[{"id":1}]}' },
      { path: 'a.json', fields: { id: { type: 'integer' } } },
    );
    expect(problems).toEqual([
      'a.json: expected an array of records at the top level, found an object with keys "@odata.context", "value"; set json.records to the pointer of the array, e.g. "/value"',
    ]);
  });

  it('reports a JSON value of the wrong type with its line and path', async () => {
    const text = '[\n  {"id": 1, "n": 2},\n  {"id": 2, "n": "many"}\n]\n';
    const s = await load(
      { 'a.json': text },
      { path: 'a.json', fields: { id: { type: 'integer' }, n: { type: 'number' } } },
    );
    expect(col(s, 'id')).toEqual([1]);
    expect(problemTexts(s)).toEqual(['error: a.json:3: column "n": expected a number, got "many"']);
  });

  it('locates records of an envelope array that follows another array', async () => {
    const text = JSON.stringify({ other: [{ id: 9 }, { id: 10 }], value: [{ id: 1 }, { id: 2 }] }, null, 2);
    const s = await load(
      { 'a.json': text },
      { path: 'a.json', json: { records: '/value' }, fields: { id: { type: 'integer' } } },
    );
    expect(col(s, 'id')).toEqual([1, 2]);
    const lines = text.split('\n');
    const from = lines.indexOf('  "value": [');
    const braces = lines.flatMap((line, i) => (i > from && line === '    {' ? [i + 1] : []));
    expect(braces).toHaveLength(2);
    expect([...s.table.line]).toEqual(braces);
  });

  it('reports a JSON syntax error with its line', async () => {
    const problems = await loadError(
      { 'a.json': '[\n  {"id": 1},\n  {"id": 2,}\n]\n' },
      { path: 'a.json', fields: { id: { type: 'integer' } } },
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^a\.json:3: not valid JSON: /);
  });

  it('reports a required JSON key that is absent', async () => {
    const s = await load(
      { 'a.json': '[\n  {"id": 1},\n  {"other": 2}\n]\n' },
      { path: 'a.json', fields: { id: { type: 'integer', required: true } } },
    );
    expect(col(s, 'id')).toEqual([1]);
    expect(problemTexts(s)).toEqual([
      'error: a.json:3: column "id": required value is missing (no such key)',
    ]);
  });

  it('reads JSON Lines, skipping blank lines and keeping physical line numbers', async () => {
    const text = [
      '{"id":"a","n":1,"ok":true,"tags":["x","y"]}',
      '',
      '{"id":"b","n":2.5,"ok":false,"tags":[]}',
      '{"id":"c","n":"3,5","ok":"yes","tags":null}',
    ].join('\r\n');
    const s = await load(
      { 'e.jsonl': `${text}\r\n` },
      {
        path: 'e.jsonl',
        fields: { id: 'id', n: { type: 'number' }, ok: { type: 'boolean' }, tags: { type: 'list' } },
      },
    );
    expect(s.stats.format).toBe('jsonl');
    expect(s.problems).toEqual([]);
    expect(col(s, 'id')).toEqual(['a', 'b', 'c']);
    expect(col(s, 'n')).toEqual([1, 2.5, 3.5]);
    expect(col(s, 'ok')).toEqual([true, false, true]);
    expect(col(s, 'tags')).toEqual([['x', 'y'], [], null]);
    expect([...s.table.line]).toEqual([1, 3, 4]);
  });

  it('reports a JSON Lines record that is not JSON with its line', async () => {
    const s = await load(
      { 'e.jsonl': '{"id":"a"}\n{"id":\n{"id":"c"}\n' },
      { path: 'e.jsonl', fields: { id: 'id' } },
    );
    expect(col(s, 'id')).toEqual(['a', 'c']);
    expect(s.stats.rejected).toBe(1);
    expect(formatProblem(s.problems[0]!)).toMatch(/^e\.jsonl:2: not valid JSON: /);
  });
});

describe('CSV dialects and duplicates', () => {
  it('detects a semicolon delimiter and reads decimal commas (European Excel re-save)', async () => {
    const csv =
      'employee_id;upn;notice_days;site\r\n1;a@x;69,5;Brno\r\n2;b@x;"1.234,5";Bremen, Nord\r\n3;c@x;30;Leipzig\r\n';
    const s = await load(
      { 'hr.csv': csv },
      {
        path: 'hr.csv',
        fields: {
          id: 'employee_id',
          upn: 'upn',
          days: { column: 'notice_days', type: 'number' },
          site: 'site',
        },
      },
    );
    expect(s.stats.delimiter).toBe(';');
    expect(s.problems).toEqual([]);
    expect(col(s, 'days')).toEqual([69.5, 1234.5, 30]);
    expect(col(s, 'site')).toEqual(['Brno', 'Bremen, Nord', 'Leipzig']);
  });

  it('skips blank lines between rows and reads N/A as null (Tenable.sc)', async () => {
    const csv =
      '"Plugin","First Discovered","CVE"\n\n"19506","Jan 20, 2016 05:38:52 EST","N/A"\n\n"97833","Feb 1, 2016 00:00:00 EST","CVE-2017-0143"\n';
    const s = await load(
      { 't.csv': csv },
      {
        path: 't.csv',
        fields: {
          plugin: { column: 'Plugin', type: 'integer' },
          first: { column: 'First Discovered', type: 'datetime', format: 'MMM d, yyyy HH:mm:ss z' },
          cve: 'CVE',
        },
      },
    );
    expect(s.problems).toEqual([]);
    expect(col(s, 'plugin')).toEqual([19506, 97833]);
    expect(col(s, 'first')).toEqual([Date.UTC(2016, 0, 20, 10, 38, 52), Date.UTC(2016, 1, 1, 5, 0, 0)]);
    expect(col(s, 'cve')).toEqual([null, 'CVE-2017-0143']);
    expect([...s.table.line]).toEqual([3, 5]);
  });

  it('finds the header after a metadata preamble (Qualys) and keeps physical line numbers', async () => {
    const csv =
      '"Scan Results","ACME"\n"Launch Date","09/29/2026"\n\n"IP","QID","Severity"\n"10.0.0.1","38173","5"\n"10.0.0.2","x","3"\n';
    const s = await load(
      { 'q.csv': csv },
      {
        path: 'q.csv',
        csv: { header_starts_with: '"IP"' },
        fields: { ip: 'IP', qid: { column: 'QID', type: 'integer' } },
      },
    );
    expect(col(s, 'ip')).toEqual(['10.0.0.1']);
    expect(col(s, 'qid')).toEqual([38173]);
    expect([...s.table.line]).toEqual([5]);
    expect(problemTexts(s)).toEqual(['error: q.csv:6: column "QID": expected a whole number, got "x"']);
  });

  it('counts lines ending in a lone CR', async () => {
    const s = await load(
      { 'r.csv': 'id,n\ra,1\rb,x\r' },
      { path: 'r.csv', fields: { id: 'id', n: { type: 'number' } } },
    );
    expect(col(s, 'id')).toEqual(['a']);
    expect(problemTexts(s)).toEqual(['error: r.csv:3: column "n": expected a number, got "x"']);
  });

  it('reads UTF-16LE with a BOM', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id,n\r\nJiří,1\r\n', 'utf16le')]);
    const s = await load({ 'u.csv': bytes }, { path: 'u.csv', fields: { id: 'id', n: { type: 'number' } } });
    expect(s.stats.encoding).toBe('utf-16le');
    expect(col(s, 'id')).toEqual(['Jiří']);
    expect(col(s, 'n')).toEqual([1]);
  });

  const dupCsv = 'job,status,size\na,Success,1\na,Success,1\na,Success,2\nb,Success,1\n"a","Success","1"\n';

  it('drops exact duplicate rows with duplicates: drop-exact, and counts them', async () => {
    const s = await load(
      { 'v.csv': dupCsv },
      {
        path: 'v.csv',
        duplicates: 'drop-exact',
        fields: { job: 'job', status: 'status', size: { type: 'integer' } },
      },
    );
    expect(s.stats.rowsRead).toBe(5);
    expect(s.stats.accepted).toBe(3);
    expect(s.stats.duplicates).toBe(2);
    expect(col(s, 'size')).toEqual([1, 2, 1]);
    expect([...s.table.line]).toEqual([2, 4, 5]);
  });

  it('keeps duplicate rows by default, and the KPI value follows the setting', async () => {
    const fields = { job: 'job', status: 'status', size: { type: 'integer' } };
    const keepDir = await setup({ 'v.csv': dupCsv }, { path: 'v.csv', fields });
    const dropDir = await setup({ 'v.csv': dupCsv }, { path: 'v.csv', duplicates: 'drop-exact', fields });
    const keep = await run({ catalogue: 'metrics.yaml', cwd: keepDir, now: 0 });
    const drop = await run({ catalogue: 'metrics.yaml', cwd: dropDir, now: 0 });
    expect(keep.report.kpis[0]!.value).toBe(5);
    expect(drop.report.kpis[0]!.value).toBe(3);
    expect(drop.report.sources[0]!.duplicates).toBe(2);
  });

  it('on_invalid: fail stops at the first bad value and names its line', async () => {
    const problems = await loadError(
      { 'f.csv': 'id,n\na,1\nb,x\nc,y\n' },
      { path: 'f.csv', on_invalid: 'fail', fields: { id: 'id', n: { type: 'number' } } },
    );
    expect(problems).toEqual([
      'f.csv:3: column "n": expected a number, got "x" (source s has on_invalid: fail)',
    ]);
  });

  it('on_invalid: reject (the default) keeps going and keeps the rejected rows with their reasons', async () => {
    const s = await load(
      { 'f.csv': 'id,n\na,1\nb,x\nc,y\n' },
      { path: 'f.csv', fields: { id: 'id', n: { type: 'number' } } },
    );
    expect(col(s, 'id')).toEqual(['a']);
    expect(s.rejectedRows.map((r) => ({ line: r.line, reasons: r.reasons, cells: r.cells }))).toEqual([
      { line: 3, reasons: ['column "n": expected a number, got "x"'], cells: ['b', 'x'] },
      { line: 4, reasons: ['column "n": expected a number, got "y"'], cells: ['c', 'y'] },
    ]);
  });
});

describe('errors and their locations', () => {
  const fields = { id: { column: 'id', required: true }, n: { type: 'number' } };

  it('missing file', async () => {
    expect(await loadError({}, { path: 'nope.csv', fields })).toEqual(['nope.csv: file not found']);
  });

  it('missing optional file is reported as missing, not as an error', async () => {
    const dir = await setup({}, { path: 'nope-{period}.csv', optional: true, fields });
    const catalogue = await loadCatalogue({ catalogue: 'metrics.yaml', cwd: dir });
    const loaded = await loadSources(catalogue, ['s'], resolvePeriod(catalogue, { now: 0 }), dir);
    expect(loaded.get('s')).toEqual({ missing: 'nope-2026-Q3.csv not found (optional source s)' });
  });

  it('a directory as the path', async () => {
    expect(await loadError({ 'exports/readme.txt': 'x' }, { path: 'exports', fields })).toEqual([
      'exports: is a directory, not a file',
    ]);
  });

  it('empty file, and a file holding only a BOM', async () => {
    expect(await loadError({ 'e.csv': '' }, { path: 'e.csv', fields })).toEqual(['e.csv: file is empty']);
    expect(await loadError({ 'b.csv': '\uFEFF' }, { path: 'b.csv', fields })).toEqual([
      'b.csv: file is empty (it holds only a byte order mark)',
    ]);
  });

  it('a header without rows loads 0 rows and no problem', async () => {
    for (const text of ['id,n\n', 'id,n', 'id,n\r\n\r\n']) {
      const s = await load({ 'h.csv': text }, { path: 'h.csv', fields });
      expect(s.stats.rowsRead).toBe(0);
      expect(s.table.length).toBe(0);
      expect(s.problems).toEqual([]);
    }
  });

  it('a required column absent from the header, with the closest header', async () => {
    const problems = await loadError(
      { 'j.csv': 'Summary,Issue-Key,Status\nx,SEC-1,Open\n' },
      { path: 'j.csv', fields: { id: { column: 'Issue key', required: true }, summary: 'Summary' } },
    );
    expect(problems).toEqual([
      'j.csv:1: required column "Issue key" (field id) is not in the header; closest header: "Issue-Key"',
    ]);
  });

  it('a required column absent, with no header close enough: the header is listed', async () => {
    const problems = await loadError(
      { 'j.csv': 'alpha,beta\n1,2\n' },
      { path: 'j.csv', fields: { id: { column: ['number', 'sys_id'], required: true } } },
    );
    expect(problems).toEqual([
      'j.csv:1: required column "number" or "sys_id" (field id) is not in the header; the header has "alpha", "beta"',
    ]);
  });

  it('a bad value: file:LINE: column "X": expected ..., got "..."', async () => {
    const s = await load({ 'b.csv': 'id,n\r\na,1\r\nb,12 EUR\r\n' }, { path: 'b.csv', fields });
    expect(problemTexts(s)).toEqual(['error: b.csv:3: column "n": expected a number, got "12 EUR"']);
    expect(s.stats).toMatchObject({ rowsRead: 2, accepted: 1, rejected: 1 });
  });

  it('a required value that is empty or a null token', async () => {
    const s = await load({ 'r.csv': 'id,n\n,1\nN/A,2\nc,3\n' }, { path: 'r.csv', fields });
    expect(col(s, 'id')).toEqual(['c']);
    expect(problemTexts(s)).toEqual([
      'error: r.csv:2: column "id": required value is missing',
      'error: r.csv:3: column "id": required value is missing ("N/A" means no value)',
    ]);
  });

  it('a quoted multi-line record is reported with its record number and line range', async () => {
    const csv =
      'id,note,n\na,plain,1\nb,"line one\nline two, still quoted\nline three",x\nc,"two\r\nlines",2\nd,ok,3\n';
    const s = await load(
      { 'm.csv': csv },
      { path: 'm.csv', fields: { id: 'id', note: 'note', n: { type: 'number' } } },
    );
    expect(problemTexts(s)).toEqual([
      'error: m.csv:3: record 2 (lines 3-5): column "n": expected a number, got "x"',
    ]);
    expect(col(s, 'id')).toEqual(['a', 'c', 'd']);
    expect(col(s, 'note')).toEqual(['plain', 'two\r\nlines', 'ok']);
    expect([...s.table.line]).toEqual([2, 6, 8]);
    expect(s.rejectedRows[0]).toMatchObject({ line: 3, endLine: 5, record: 2 });
  });

  it('a quote that is never closed stops the load at the line it opens (issue 14.3: a cut-off export)', async () => {
    expect(await loadError({ 'q.csv': 'id,n\na,1\nb,"2\nc,3\n' }, { path: 'q.csv', fields })).toEqual([
      'q.csv:3: quoted field opened on line 3 is never closed (reached end of file): the export looks cut off, or a closing quote is missing',
    ]);
  });

  it('stray quotes are warnings in file order, between the problems of the rows', async () => {
    const s = await load(
      { 'q.csv': 'id,n\na,1\nb,"O"1\nc,x\nd, "4"\n' },
      { path: 'q.csv', fields: { id: 'id', n: { type: 'number' } } },
    );
    expect(problemTexts(s)).toEqual([
      'warning: q.csv:3: column "n": text after the closing quote of a quoted field, appended to it: a quote inside a quoted field must be written twice ("")',
      'error: q.csv:3: column "n": expected a number, got "O1"',
      'error: q.csv:4: column "n": expected a number, got "x"',
      'warning: q.csv:5: column "n": quote inside an unquoted field, read as a plain character: only a quote at the very start opens a quoted field, so a delimiter after it may have split the value',
      'error: q.csv:5: column "n": expected a number, got " \\"4\\""',
    ]);
    expect(s.stats).toMatchObject({ rowsRead: 4, accepted: 1, rejected: 3, warnings: 2 });
  });

  it('a file of blank lines has no header', async () => {
    expect(await loadError({ 'b.csv': '\n\r\n\n' }, { path: 'b.csv', fields })).toEqual([
      'b.csv: no header: the file has no non-blank line',
    ]);
  });

  // Issue 14.3: a row with more values than the header has columns may have shifted (a delimiter
  // inside an unquoted value), putting values under the wrong columns: it is rejected. Extra cells
  // that are all empty (Excel's `a,b,c,`) and missing cells stay warnings.
  it.each([
    ['duplicates kept', {}],
    ['duplicates dropped', { duplicates: 'drop-exact' }],
  ])(
    'rows with more values than the header are rejected, trailing empty cells and missing cells are warnings (%s)',
    async (_path, options) => {
      const s = await load(
        { 'r.csv': 'id,n,m\na,1,2,EXTRA\nb,3\nc,4,5\nd,6,7,, \ne,8,9,,x,\n' },
        { path: 'r.csv', ...options, fields: { id: 'id', n: { type: 'number' }, m: { type: 'number' } } },
      );
      expect(problemTexts(s)).toEqual([
        'error: r.csv:2: row has 4 cells but the header has 3, and extra cell 4 is not empty ("EXTRA"): values may be under the wrong columns (a delimiter inside an unquoted value?)',
        'warning: r.csv:3: row has 2 cells but the header has 3; missing cells are empty',
        'warning: r.csv:5: row has 5 cells but the header has 3; the extra cells are empty and ignored',
        'error: r.csv:6: row has 6 cells but the header has 3, and extra cell 5 is not empty ("x"): values may be under the wrong columns (a delimiter inside an unquoted value?)',
      ]);
      expect(s.stats).toMatchObject({ rowsRead: 5, accepted: 3, rejected: 2, warnings: 2 });
      expect(col(s, 'id')).toEqual(['b', 'c', 'd']);
      expect(col(s, 'm')).toEqual([null, 5, 7]);
      expect(s.rejectedRows.map((r) => [r.line, r.cells])).toEqual([
        [2, ['a', '1', '2', 'EXTRA']],
        [6, ['e', '8', '9', '', 'x', '']],
      ]);
    },
  );

  it('rejects the shifted HR row of issue 14.3 with file and line', async () => {
    const s = await load(
      {
        'hr.csv':
          'employee_id,email,termination_date\nE10902,jan.berg@example.com,2026-05-04\nE10903,sabine.koch@example.com,2026-05-11,rehire 2026-09-01\n',
      },
      {
        path: 'hr.csv',
        fields: {
          id: { column: 'employee_id', required: true },
          email: 'email',
          effective: { column: 'termination_date', type: 'datetime' },
        },
      },
    );
    expect(col(s, 'id')).toEqual(['E10902']);
    expect(problemTexts(s)).toEqual([
      'error: hr.csv:3: row has 4 cells but the header has 3, and extra cell 4 is not empty ("rehire 2026-09-01"): values may be under the wrong columns (a delimiter inside an unquoted value?)',
    ]);
  });

  it('a shifted row stops a source with on_invalid: fail', async () => {
    expect(
      await loadError(
        { 'r.csv': 'id,n\na,1\nb,2,3\n' },
        { path: 'r.csv', on_invalid: 'fail', fields: { id: 'id', n: { type: 'number' } } },
      ),
    ).toEqual([
      'r.csv:3: row has 3 cells but the header has 2, and extra cell 3 is not empty ("3"): values may be under the wrong columns (a delimiter inside an unquoted value?) (source s has on_invalid: fail)',
    ]);
  });

  it('invalid UTF-8 names the line and byte, and hints at latin1', async () => {
    const bytes = Buffer.concat([
      Buffer.from('id,name\na,caf'),
      Buffer.from([0xe9]),
      Buffer.from('\nb,ok\n'),
    ]);
    const problems = await loadError(
      { 'l.csv': bytes },
      { path: 'l.csv', fields: { id: 'id', name: 'name' } },
    );
    expect(problems).toEqual([
      'l.csv:2: bytes are not valid UTF-8 (byte 0xE9 at offset 13); if the file is Latin-1 or Windows-1252, set encoding: latin1 on the source',
    ]);
    const latin = await load(
      { 'l.csv': bytes },
      { path: 'l.csv', csv: { encoding: 'latin1' }, fields: { id: 'id', name: 'name' } },
    );
    expect(col(latin, 'name')).toEqual(['café', 'ok']);
  });
});
