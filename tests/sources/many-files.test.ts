/**
 * A source read from several files (issue 17): a glob or a list of paths, read in path order as one table.
 * The rows, rejected rows and values are those of the concatenated file, with each file's own name and
 * line numbers; headers must agree; a key removes rows read twice across files; reports and evidence
 * packs list every file with its sha256. Expected values are written out by hand.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildEvidencePack, MemorySink, writeEvidencePack } from '../../src/evidence/build-pack.js';
import { formatProblem, IsmsKpiError } from '../../src/problems.js';
import { matchGlob } from '../../src/sources/inputs.js';
import { fileOfRow } from '../../src/sources/intake.js';
import type { LoadedSource } from '../../src/sources/load-source.js';
import { cellValue } from '../../src/sources/table.js';
import { spawnCli } from '../helpers/cli.js';
import { loadCatalogue, loadSources, resolvePeriod, run } from '../helpers/run.js';
import { PRESET_FIXTURES } from '../presets/load-preset.js';
import { csvRecords } from '../render/csv-parse.js';

let root = '';
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'isms-many-files-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const HEADER = 'Number,Opened,State,Risk';
// Twelve changes; CHG-4 has a bad date, CHG-8 no number, CHG-11 an unknown risk: rejected.
const ROWS = [
  'CHG-1,2026-07-01,Closed,Low',
  'CHG-2,2026-07-03,Closed,High',
  'CHG-3,2026-07-09,Open,Low',
  'CHG-4,July 10th,Closed,Low',
  'CHG-5,2026-08-01,Closed,Moderate',
  'CHG-6,2026-08-05,Open,High',
  'CHG-7,2026-08-12,Closed,Low',
  ',2026-08-20,Closed,Low',
  'CHG-9,2026-09-02,Closed,High',
  'CHG-10,2026-09-09,Open,Low',
  'CHG-11,2026-09-15,Closed,Extreme',
  'CHG-12,2026-09-29,Closed,Low',
];
const csv = (rows: string[]) => `${[HEADER, ...rows].join('\n')}\n`;

const SOURCE = {
  kind: 'events',
  time_field: 'opened',
  fields: {
    id: { column: 'Number', required: true },
    opened: { column: 'Opened', type: 'datetime' },
    state: { column: 'State' },
    risk: { column: 'Risk', type: 'enum', values: ['Low', 'Moderate', 'High'] },
  },
};

const KPIS = [
  {
    id: 'CH-1',
    name: 'Changes',
    owner: 'QA',
    cadence: 'quarterly',
    unit: 'count',
    formula: 'count(changes)',
  },
  {
    id: 'CH-2',
    name: 'Closed high-risk share',
    owner: 'QA',
    cadence: 'quarterly',
    unit: '%',
    formula: 'pct(count(changes, state == "Closed" and risk == "High"), count(changes))',
  },
];

async function project(
  files: Record<string, string | Buffer>,
  source: Record<string, unknown>,
): Promise<string> {
  const dir = path.join(root, `case-${++counter}`);
  await mkdir(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    if (name.endsWith('/')) await mkdir(path.join(dir, name));
    else await writeFile(path.join(dir, name), content);
  }
  const catalogue = {
    organisation: 'Many files',
    timezone: 'UTC',
    period: '2026-Q3',
    sources: { changes: { ...SOURCE, ...source } },
    kpis: KPIS,
  };
  await writeFile(path.join(dir, 'metrics.yaml'), stringify(catalogue));
  return dir;
}

async function load(dir: string): Promise<LoadedSource> {
  const catalogue = await loadCatalogue({ catalogue: 'metrics.yaml', cwd: dir });
  const period = resolvePeriod(catalogue, { now: 0 });
  const loaded = (await loadSources(catalogue, ['changes'], period, dir)).get('changes');
  if (loaded === undefined || 'missing' in loaded) throw new Error(`not loaded: ${JSON.stringify(loaded)}`);
  return loaded;
}

async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof IsmsKpiError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error('expected the load to fail');
}

function rows(loaded: LoadedSource) {
  const ids = loaded.table.columns.get('id')!;
  return Array.from({ length: loaded.table.length }, (_, row) => ({
    id: cellValue(ids, row),
    at: `${fileOfRow(loaded, row)}:${loaded.table.line[row]}`,
  }));
}

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');

// The split: rows 1-4 in the first file, 5-8 gzipped in the second, 9-12 in the third; each has the header.
const SPLIT = {
  'exports/changes-2026-07.csv': csv(ROWS.slice(0, 4)),
  'exports/changes-2026-08.csv.gz': gzipSync(csv(ROWS.slice(4, 8))),
  'exports/changes-2026-09.csv': csv(ROWS.slice(8)),
};

describe('a source split over three files, one of them .gz', () => {
  it('gives the values and rejected rows of the concatenated file, each at its own file and inner line', async () => {
    const whole = await load(await project({ 'all.csv': csv(ROWS) }, { path: 'all.csv' }));
    const split = await load(await project(SPLIT, { path: 'exports/changes-*.csv*' }));
    expect(rows(split).map((r) => r.id)).toEqual(rows(whole).map((r) => r.id));
    expect(rows(split).map((r) => r.at)).toEqual([
      'exports/changes-2026-07.csv:2',
      'exports/changes-2026-07.csv:3',
      'exports/changes-2026-07.csv:4',
      'exports/changes-2026-08.csv.gz:2',
      'exports/changes-2026-08.csv.gz:3',
      'exports/changes-2026-08.csv.gz:4',
      'exports/changes-2026-09.csv:2',
      'exports/changes-2026-09.csv:3',
      'exports/changes-2026-09.csv:5',
    ]);
    const reasons = (l: LoadedSource) => l.rejectedRows.map((r) => ({ reasons: r.reasons, cells: r.cells }));
    expect(reasons(split)).toEqual(reasons(whole));
    expect(split.rejectedRows.map((r) => [r.part, r.line])).toEqual([
      [0, 5],
      [1, 5],
      [2, 4],
    ]);
    const at = (l: LoadedSource) => l.problems.map(formatProblem).map((p) => p.replace(/: column .*/, ''));
    expect(at(whole)).toEqual(['all.csv:5', 'all.csv:9', 'all.csv:12']);
    expect(at(split)).toEqual([
      'exports/changes-2026-07.csv:5',
      'exports/changes-2026-08.csv.gz:5',
      'exports/changes-2026-09.csv:4',
    ]);
    expect(split.stats.rowsRead).toBe(12);
    expect(split.stats.rejected).toBe(3);
    expect(split.stats.minTime).toBe(whole.stats.minTime);
    expect(split.stats.maxTime).toBe(whole.stats.maxTime);
  });

  it('reports the same KPI values; the manifest lists each file with its sha256 and counts', async () => {
    const wholeDir = await project({ 'all.csv': csv(ROWS) }, { path: 'all.csv' });
    const splitDir = await project(SPLIT, { path: 'exports/changes-*.csv*' });
    const whole = await run({ catalogue: 'metrics.yaml', cwd: wholeDir });
    const split = await run({ catalogue: 'metrics.yaml', cwd: splitDir });
    expect(split.report.kpis.map((k) => [k.id, k.value])).toEqual(
      whole.report.kpis.map((k) => [k.id, k.value]),
    );
    expect(split.report.kpis.map((k) => k.value)).toEqual([9, 200 / 9]);
    const source = split.report.sources[0]!;
    expect(source.file).toBe('exports/changes-*.csv*');
    expect(source.files).toEqual([
      {
        file: 'exports/changes-2026-07.csv',
        bytes: Buffer.byteLength(SPLIT['exports/changes-2026-07.csv']),
        sha256: sha256(SPLIT['exports/changes-2026-07.csv']),
        rowsRead: 4,
        accepted: 3,
        rejected: 1,
        duplicates: 0,
      },
      {
        file: 'exports/changes-2026-08.csv.gz',
        bytes: SPLIT['exports/changes-2026-08.csv.gz'].length,
        sha256: sha256(SPLIT['exports/changes-2026-08.csv.gz']),
        rowsRead: 4,
        accepted: 3,
        rejected: 1,
        duplicates: 0,
      },
      {
        file: 'exports/changes-2026-09.csv',
        bytes: Buffer.byteLength(SPLIT['exports/changes-2026-09.csv']),
        sha256: sha256(SPLIT['exports/changes-2026-09.csv']),
        rowsRead: 4,
        accepted: 3,
        rejected: 1,
        duplicates: 0,
      },
    ]);
    expect(source.sha256).toBe(sha256(source.files!.map((f) => `${f.sha256}\n`).join('')));
    expect(source.bytes).toBe(source.files!.reduce((n, f) => n + f.bytes, 0));
  });

  it('the evidence pack names each row and rejected row by its own file and line', async () => {
    const dir = await project(SPLIT, { path: 'exports/changes-*.csv*' });
    const result = await run({ catalogue: 'metrics.yaml', cwd: dir, trace: true, storeAllFields: true });
    const pack = await buildEvidencePack({
      report: result.report,
      catalogue: result.catalogue,
      sources: result.sources,
      traces: result.evaluation.traces,
    });
    const content = (p: string) => csvRecords(pack.find((f) => f.path === p)!.content);
    const kpiRows = content('kpis/CH-1.csv');
    expect(kpiRows.map((r) => `${r.file}:${r.line}`)).toEqual([
      'exports/changes-2026-07.csv:2',
      'exports/changes-2026-07.csv:3',
      'exports/changes-2026-07.csv:4',
      'exports/changes-2026-08.csv.gz:2',
      'exports/changes-2026-08.csv.gz:3',
      'exports/changes-2026-08.csv.gz:4',
      'exports/changes-2026-09.csv:2',
      'exports/changes-2026-09.csv:3',
      'exports/changes-2026-09.csv:5',
    ]);
    const rejected = content('rejected/changes.csv');
    expect(rejected.map((r) => `${r.file}:${r.line}`)).toEqual([
      'exports/changes-2026-07.csv:5',
      'exports/changes-2026-08.csv.gz:5',
      'exports/changes-2026-09.csv:4',
    ]);
  });
});

describe('which files, in which order', () => {
  it('a list of paths is read in path order, whatever order it is written in; a file named twice is read once', async () => {
    const dir = await project(SPLIT, {
      path: [
        'exports/changes-2026-09.csv',
        'exports/changes-2026-07.csv',
        'exports/changes-2026-07.csv',
        'exports/changes-2026-08.csv.gz',
      ],
    });
    const loaded = await load(dir);
    expect(loaded.files!.map((f) => f.file)).toEqual([
      'exports/changes-2026-07.csv',
      'exports/changes-2026-08.csv.gz',
      'exports/changes-2026-09.csv',
    ]);
    expect(loaded.stats.accepted).toBe(9);
  });

  it('matches *, ? and ** as documented (hidden names and folders left out)', async () => {
    const dir = await project(
      {
        'a/x-1.csv': '',
        'a/x-22.csv': '',
        'a/.x-3.csv': '',
        'a/b/x-4.csv': '',
        'a/b/c/x-5.csv': '',
        'a/.git/x-6.csv': '',
        'a/x-7.csv/keep.csv': '',
      },
      { path: 'unused.csv' },
    );
    const rel = (files: string[]) => files.map((f) => path.relative(dir, f).split(path.sep).join('/'));
    expect(rel(await matchGlob(path.join(dir, 'a/x-?.csv')))).toEqual(['a/x-1.csv']);
    expect(rel(await matchGlob(path.join(dir, 'a/*.csv')))).toEqual(['a/x-1.csv', 'a/x-22.csv']);
    expect(rel(await matchGlob(path.join(dir, 'a/**/x-*.csv'))).sort()).toEqual([
      'a/b/c/x-5.csv',
      'a/b/x-4.csv',
      'a/x-1.csv',
      'a/x-22.csv',
    ]);
    expect(rel(await matchGlob(path.join(dir, 'a/.x-*.csv')))).toEqual(['a/.x-3.csv']);
  });

  it("the modification time of a source of several files is the newest file's", async () => {
    const dir = await project(SPLIT, { path: 'exports/changes-*.csv*' });
    const times = [Date.UTC(2026, 8, 30), Date.UTC(2026, 9, 2), Date.UTC(2026, 9, 1)];
    for (const [i, name] of Object.keys(SPLIT).entries())
      await utimes(path.join(dir, name), times[i]! / 1000, times[i]! / 1000);
    expect((await load(dir)).modified).toBe(Date.UTC(2026, 9, 2));
  });

  it('a glob that matches nothing is a missing file listing what the folder holds; an optional source is then missing', async () => {
    const dir = await project(
      { 'exports/changes-2026-07.csv': csv(ROWS.slice(0, 2)), 'exports/old/': '' },
      { path: 'exports/snow-*.csv' },
    );
    expect(await problemsOf(load(dir))).toEqual([
      `exports/snow-*.csv: no file matches the pattern; "exports" holds "changes-2026-07.csv", "old/"`,
    ]);
    const optional = await project({}, { path: 'exports/snow-*.csv', optional: true });
    const result = await run({ catalogue: 'metrics.yaml', cwd: optional });
    expect(result.report.sources[0]!.missing).toBe('exports/snow-*.csv not found (optional source changes)');
  });

  it('a file whose header differs stops the read, naming the file and the first differing column', async () => {
    const dir = await project(
      {
        'p-1.csv': csv(ROWS.slice(0, 2)),
        'p-2.csv': `Number,Opened,Status,Risk\n${ROWS[2]}\n`,
      },
      { path: 'p-*.csv' },
    );
    expect(await problemsOf(load(dir))).toEqual([
      'p-2.csv:1: header differs from that of p-1.csv, read before it: column 3 is "Status", "State" there (every file of a source needs the same columns in the same order)',
    ]);
  });
});

describe('rows read twice across files', () => {
  it('with a key, a row whose key an earlier file held is left out and counted; within one file both stay', async () => {
    const files = {
      'page-1.csv': csv([ROWS[0]!, ROWS[1]!, ROWS[1]!]),
      // Overlapping pages: CHG-2 again (changed meanwhile), then CHG-3.
      'page-2.csv': csv(['CHG-2,2026-07-03,Open,High', ROWS[2]!]),
    };
    const keyed = await load(await project(files, { path: 'page-*.csv', key: 'id' }));
    expect(rows(keyed)).toEqual([
      { id: 'CHG-1', at: 'page-1.csv:2' },
      { id: 'CHG-2', at: 'page-1.csv:3' },
      { id: 'CHG-2', at: 'page-1.csv:4' },
      { id: 'CHG-3', at: 'page-2.csv:3' },
    ]);
    expect(keyed.stats.duplicates).toBe(1);
    expect(keyed.files!.map((f) => [f.accepted, f.duplicates, f.firstRow])).toEqual([
      [3, 0, 0],
      [1, 1, 3],
    ]);
    const state = keyed.table.columns.get('state')!;
    expect(cellValue(state, 1)).toBe('Closed');
    const unkeyed = await load(await project(files, { path: 'page-*.csv' }));
    expect(unkeyed.table.length).toBe(5);
    expect(unkeyed.stats.duplicates).toBe(0);
  });
});

describe('period tokens in a glob', () => {
  it("{year} and {quarter} are filled as in a single path: only the reported quarter's folder is read", async () => {
    const files = {
      '2026-q3/changes-07.csv': csv(ROWS.slice(0, 2)),
      '2026-q3/changes-08.csv': csv(ROWS.slice(4, 5)),
      '2026-q2/changes-06.csv': csv(ROWS.slice(8, 10)),
    };
    const loaded = await load(await project(files, { path: '{year}-q{quarter}/changes-*.csv' }));
    expect(rows(loaded).map((r) => r.at)).toEqual([
      '2026-q3/changes-07.csv:2',
      '2026-q3/changes-07.csv:3',
      '2026-q3/changes-08.csv:2',
    ]);
  });
});

describe('the evidence pack reads the files again in pieces', () => {
  it('with a key and a gzipped file: the rows of the first read, each with its own file, in any piece size', async () => {
    const files = {
      'page-1.csv': csv([ROWS[0]!, ROWS[1]!, ROWS[1]!]),
      // CHG-2 again (left out: page-1 held it), then CHG-3.
      'page-2.csv.gz': gzipSync(csv(['CHG-2,2026-07-03,Open,High', ROWS[2]!])),
    };
    const dir = await project(files, { path: 'page-*.csv*', key: 'id' });
    const result = await run({ catalogue: 'metrics.yaml', cwd: dir, trace: true });
    const input = {
      report: result.report,
      catalogue: result.catalogue,
      sources: result.sources,
      traces: result.evaluation.traces,
    };
    for (const chunkRows of [1, 2, 1000]) {
      const sink = new MemorySink();
      await writeEvidencePack(input, sink, { chunkRows });
      const text = Buffer.concat(sink.files.get('kpis/CH-1.csv')!).toString('utf8');
      expect(csvRecords(text).map((r) => `${r.id} ${r.state} ${r.file}:${r.line}`)).toEqual([
        'CHG-1 Closed page-1.csv:2',
        'CHG-2 Closed page-1.csv:3',
        'CHG-2 Closed page-1.csv:4',
        'CHG-3 Open page-2.csv.gz:3',
      ]);
    }
  });
});

describe('read in worker threads, and JSON', () => {
  it('a worker reads the files as the main thread does (the CLI, with workers forced)', async () => {
    const dir = await project(SPLIT, { path: 'exports/changes-*.csv*', key: 'id' });
    const args = ['report', '--format', 'json', '--fail-on', 'never'];
    const inWorkers = spawnCli(args, { cwd: dir, env: { ISMS_KPI_WORKERS: 'always' } });
    const inProcess = spawnCli(args, { cwd: dir, env: { ISMS_KPI_WORKERS: 'never' } });
    expect(inWorkers.status).toBe(0);
    expect(inWorkers.stdout).toBe(inProcess.stdout);
    const report = JSON.parse(inWorkers.stdout);
    expect(report.sources[0].files.map((f: { file: string }) => f.file)).toEqual(Object.keys(SPLIT));
  });

  it('with ranges forced on, a gzipped file and several files are read as on one thread (report and validate)', async () => {
    // Byte ranges have no meaning in a gzip stream, and several files are one job: both are read whole
    // by a worker even when every file is to be split (ISMS_KPI_RANGES; load-ranges.ts).
    const many = await project(SPLIT, { path: 'exports/changes-*.csv*', key: 'id' });
    const gzipped = await project(
      { 'exports/changes.csv.gz': gzipSync(csv(ROWS)) },
      { path: 'exports/changes.csv.gz' },
    );
    const ranges = { ISMS_KPI_WORKERS: 'always', ISMS_KPI_RANGES: '3' };
    for (const dir of [many, gzipped]) {
      for (const command of ['report', 'validate']) {
        const args = [command, '--format', 'json', ...(command === 'report' ? ['--fail-on', 'never'] : [])];
        const inRanges = spawnCli(args, { cwd: dir, env: ranges });
        const inProcess = spawnCli(args, { cwd: dir, env: { ISMS_KPI_WORKERS: 'never' } });
        expect(inRanges.stderr).toBe('');
        expect(inRanges.status).toBe(inProcess.status);
        expect(inRanges.stdout).toBe(inProcess.stdout);
      }
      const report = JSON.parse(
        spawnCli(['report', '--format', 'json', '--fail-on', 'never'], { cwd: dir, env: ranges }).stdout,
      );
      // Twelve rows, three rejected (CHG-4, the row without a number, CHG-11).
      expect(report.sources[0]).toMatchObject({ rowsRead: 12, rejected: 3 });
    }
  }, 120_000);

  it('JSON pages saved one file per page, with a key: a record on two pages is read once', async () => {
    const page = (records: object[]) => JSON.stringify({ result: records });
    const files = {
      'snow/page-001.json': page([
        { number: 'CHG-1', opened_at: '2026-07-01 10:00:00', state: 'Closed', risk: 'Low' },
        { number: 'CHG-2', opened_at: '2026-07-02 10:00:00', state: 'Closed', risk: 'High' },
      ]),
      'snow/page-002.json': page([
        { number: 'CHG-2', opened_at: '2026-07-02 10:00:00', state: 'Closed', risk: 'High' },
        { number: 'CHG-3', opened_at: '2026-07-03 10:00:00', state: 'Open', risk: 'Bad' },
      ]),
    };
    const dir = await project(files, {
      path: 'snow/page-*.json',
      key: 'id',
      json: { records: '/result' },
      fields: {
        id: { path: 'number', required: true },
        opened: { path: 'opened_at', type: 'datetime' },
        state: {},
        risk: { type: 'enum', values: ['Low', 'Moderate', 'High'] },
      },
    });
    const loaded = await load(dir);
    expect(rows(loaded)).toEqual([
      { id: 'CHG-1', at: 'snow/page-001.json:1' },
      { id: 'CHG-2', at: 'snow/page-001.json:1' },
    ]);
    expect(loaded.stats.duplicates).toBe(1);
    expect(loaded.problems.map(formatProblem)).toEqual([
      'snow/page-002.json:1: column "risk": expected one of "Low", "Moderate", "High", got "Bad"',
    ]);
  });
});

describe('with a preset', () => {
  it('a glob of ServiceNow JSON pages, one gzipped, picks the JSON variant and reads every record once', async () => {
    const sample = JSON.parse(
      await readFile(path.join(PRESET_FIXTURES, 'servicenow-change.json'), 'utf8'),
    ) as {
      records: object[];
    };
    const half = Math.ceil(sample.records.length / 2);
    const files = {
      'snow/changes-1.json': JSON.stringify({ records: sample.records.slice(0, half) }),
      // The second page repeats the last record of the first (fetched while the list changed).
      'snow/changes-2.json.gz': gzipSync(JSON.stringify({ records: sample.records.slice(half - 1) })),
    };
    const dir = path.join(root, `case-${++counter}`);
    await mkdir(path.join(dir, 'snow'), { recursive: true });
    for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
    const catalogue = {
      organisation: 'Preset pages',
      timezone: 'UTC',
      period: '2026-Q3',
      sources: { changes: { preset: 'servicenow-change', path: 'snow/changes-*.json*' } },
      kpis: [
        {
          id: 'CH-1',
          name: 'Changes',
          owner: 'QA',
          cadence: 'quarterly',
          unit: 'count',
          formula: 'count(changes)',
        },
      ],
    };
    await writeFile(path.join(dir, 'metrics.yaml'), stringify(catalogue));
    const loaded = await load(dir);
    expect(loaded.source.format).toBe('json');
    expect(loaded.stats.rowsRead).toBe(sample.records.length + 1);
    expect(loaded.stats.duplicates).toBe(1);
    expect(loaded.stats.accepted + loaded.stats.rejected).toBe(sample.records.length);
  });
});
