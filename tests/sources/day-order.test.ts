/**
 * Day-first detection (issue 17): a datetime field whose formats hold a month-first and a day-first
 * spelling of one shape is read in the order its values prove (a day over 12), earlier rows included;
 * a source where every value fits both orders gets one warning naming the order assumed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { MemorySink, writeEvidencePack } from '../../src/evidence/build-pack.js';
import { formatProblem } from '../../src/problems.js';
import { cellValue } from '../../src/sources/table.js';
import { compileDayOrderReader, dayOrderPairs } from '../../src/time/day-order.js';
import { spawnCli } from '../helpers/cli.js';
import { loadCatalogue, loadSources, resolvePeriod, run } from '../helpers/run.js';
import { loadPreset } from '../presets/load-preset.js';
import { csvRecords } from '../render/csv-parse.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'isms-day-order-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const BOTH = ['MM/dd/yyyy', 'dd/MM/yyyy'];

let n = 0;
/** One events source `s` over data.csv (or data.json) with an `at` datetime field read with `formats`. */
function project(text: string, formats: string[], extra: Record<string, unknown> = {}): string {
  const dir = path.join(tmp, `p${n++}`);
  const file = extra.format === 'json' ? 'data.json' : 'data.csv';
  const config = {
    organisation: 'Day order test',
    timezone: 'UTC',
    period: '2026-Q3',
    sources: {
      s: {
        path: file,
        kind: 'events',
        time_field: 'at',
        fields: {
          id: { column: 'id', required: true },
          at: { column: 'at', type: 'datetime', format: formats, required: true },
          score: { column: 'score', type: 'number' },
        },
        ...extra,
      },
    },
    kpis: [{ id: 'K', name: 'Rows', owner: 'QA', cadence: 'quarterly', unit: 'count', formula: 'count(s)' }],
  };
  mkdirSync(dir);
  writeFileSync(path.join(dir, file), text);
  writeFileSync(path.join(dir, 'metrics.yaml'), stringify(config));
  return dir;
}

const day = (ms: unknown) => new Date(ms as number).toISOString().slice(0, 10);

async function read(dir: string) {
  const catalogue = await loadCatalogue({ catalogue: 'metrics.yaml', cwd: dir });
  const loaded = (await loadSources(catalogue, ['s'], resolvePeriod(catalogue, { now: 0 }), dir)).get('s')!;
  if ('missing' in loaded) throw new Error('missing');
  const column = loaded.table.columns.get('at')!;
  return {
    days: Array.from({ length: loaded.table.length }, (_, i) => day(cellValue(column, i))),
    problems: loaded.problems.map(formatProblem),
    stats: loaded.stats,
  };
}

const csv = (...rows: string[]) => `id,at,score\n${rows.join('\n')}\n`;

describe('day-first detection', () => {
  it('pairs formats of one shape and opposite orders, d and dd alike', () => {
    expect(
      dayOrderPairs(['M/d/yyyy H:mm:ss', 'M/d/yyyy h:mm:ss a', 'd.M.yyyy H:mm:ss', 'dd/MM/yyyy HH:mm:ss']),
    ).toEqual({
      partner: [-1, -1, -1, -1],
      order: [undefined, undefined, undefined, undefined],
    });
    expect(dayOrderPairs(['M/d/yyyy H:mm:ss', 'd.M.yyyy H:mm:ss', 'd/M/yyyy H:mm:ss'])).toEqual({
      partner: [2, -1, 0],
      order: ['month-first', undefined, 'day-first'],
    });
    expect(dayOrderPairs(BOTH).partner).toEqual([1, 0]);
    expect(dayOrderPairs(['yyyy-MM-dd', 'yyyy-dd-MM']).order).toEqual(['month-first', 'day-first']);
  });

  it('reads earlier ambiguous rows day-first once a day over 12 proves it (span path)', async () => {
    const dir = project(csv('a,06/07/2026,1', 'b,05/08/2026,2', 'c,25/07/2026,3', 'd,01/08/2026,4'), BOTH);
    const { days, problems, stats } = await read(dir);
    expect(days).toEqual(['2026-07-06', '2026-08-05', '2026-07-25', '2026-08-01']);
    expect(problems).toEqual([]);
    // The time range is the corrected one (month-first, b would be 8 May).
    expect(day(stats.minTime)).toBe('2026-07-06');
    expect(day(stats.maxTime)).toBe('2026-08-05');
  });

  it('gives the same values on the row path and in JSON', async () => {
    const rows = ['a,06/07/2026,1', 'b,05/08/2026,2', 'c,25/07/2026,3', 'd,01/08/2026,4'];
    const rowPath = await read(project(csv(...rows), BOTH, { duplicates: 'drop-exact' }));
    expect(rowPath.days).toEqual(['2026-07-06', '2026-08-05', '2026-07-25', '2026-08-01']);
    const json = JSON.stringify(
      rows.map((r) => {
        const [id, at, score] = r.split(',');
        return { id, at, score: Number(score) };
      }),
    );
    const fromJson = await read(project(json, BOTH, { format: 'json' }));
    expect(fromJson.days).toEqual(rowPath.days);
  });

  it('keeps month-first when a value proves it, and rejects a later value that only fits day-first', async () => {
    const dir = project(csv('a,06/07/2026,1', 'b,07/25/2026,2', 'c,05/08/2026,3', 'd,25/07/2026,4'), BOTH);
    const { days, problems } = await read(dir);
    expect(days).toEqual(['2026-06-07', '2026-07-25', '2026-05-08']);
    expect(problems).toEqual([
      expect.stringMatching(
        /^data\.csv:5: column "at": expected a date like "MM\/dd\/yyyy" or "dd\/MM\/yyyy", got "25\/07\/2026"/,
      ),
    ]);
  });

  it('does not replace the value of a later row that took the index of a rejected one', async () => {
    // Row a is rejected (its score), so b is stored at index 0, where a's reading was noted.
    const dir = project(csv('a,06/07/2026,lots', 'b,05/03/2026,2', 'c,25/07/2026,3'), BOTH);
    const { days } = await read(dir);
    expect(days).toEqual(['2026-03-05', '2026-07-25']);
  });

  it('warns once, naming the assumption, when every value fits both orders', async () => {
    const dir = project(csv('a,06/07/2026,1', 'b,05/08/2026,2', 'c,01/09/2026,3'), BOTH);
    const { days, problems, stats } = await read(dir);
    expect(days).toEqual(['2026-06-07', '2026-05-08', '2026-01-09']);
    expect(problems).toEqual(
      [
        'warning: data.csv: column "at": every date fits both "MM/dd/yyyy" and "dd/MM/yyyy" (day and month 12 or less, e.g. "06/07/2026"): read month-first as "MM/dd/yyyy", the format listed first; if the export is day-first, list "dd/MM/yyyy" first or alone in format:',
      ].map((p) => p.replace(/^warning: /, '')),
    );
    expect(stats.warnings).toBe(1);
    // A value with day == month is the same date in both orders: no assumption, no warning.
    const same = await read(project(csv('a,05/05/2026,1', 'b,25/07/2026,2'), BOTH));
    expect(same.problems).toEqual([]);
    expect(same.days).toEqual(['2026-05-05', '2026-07-25']);
  });

  it('adds one match per value only while undecided', () => {
    const { read: readDate, state } = compileDayOrderReader(BOTH, 'UTC');
    expect(readDate('25/07/2026', 0, 10)).toBe(Date.UTC(2026, 6, 25));
    expect(state?.decided).toBe('day-first');
    expect(state?.proof).toBe('25/07/2026');
    // After the proof the month-first format is not tried: 07/25/2026 fits nothing.
    expect(readDate('07/25/2026', 0, 10)).toBeNaN();
    expect(compileDayOrderReader(['dd.MM.yyyy'], 'UTC').state).toBeUndefined();
  });

  it('reads an en-GB Veeam export day-first through the preset', async () => {
    const header = '"JobName","VMName","Status","IsRetry","WorkDuration","CreationTime"';
    const file = path.join(tmp, 'veeam-en-gb.csv');
    writeFileSync(
      file,
      [
        header,
        '"Daily","srv-01","Success","False","600","06/07/2026 22:00:14"',
        '"Daily","srv-01","Success","False","600","13/07/2026 22:00:14"',
      ].join('\n'),
    );
    const { rows, problems } = await loadPreset('veeam-sessions', 'veeam-sessions.csv', { path: file });
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.started)).toEqual([
      Date.UTC(2026, 6, 6, 22, 0, 14),
      Date.UTC(2026, 6, 13, 22, 0, 14),
    ]);
  });
});

describe('day-first detection when a file is read again or in ranges', () => {
  // Day and month both 12 or less (never equal) on every row but the last: the proof (day-first) comes last.
  const ambiguous = (i: number) => {
    const m = 7 + (i % 3);
    const d = 1 + (i % 12 === m - 1 ? (i + 1) % 12 : i % 12);
    return `${i},${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/2026,${i % 10}`;
  };
  const dayFirst = (line: string) => {
    const [dd, mm, yyyy] = line.split(',')[1]!.split('/');
    return `${yyyy}-${mm}-${dd}`;
  };

  it('a file read in ranges decides the order once: the same report as one read, the last row proving it', () => {
    const rows = [...Array.from({ length: 3000 }, (_, i) => ambiguous(i)), '3000,25/07/2026,1'];
    const dir = project(csv(...rows), BOTH);
    // Every ambiguous value, read day-first, falls in 2026-Q3; read month-first, most fall outside it.
    const args = ['report', '--format', 'json', '--fail-on', 'never'];
    const inRanges = spawnCli(args, { cwd: dir, env: { ISMS_KPI_WORKERS: 'always', ISMS_KPI_RANGES: '3' } });
    const inProcess = spawnCli(args, { cwd: dir, env: { ISMS_KPI_WORKERS: 'never' } });
    expect(inRanges.stderr).toBe('');
    expect(inRanges.stdout).toBe(inProcess.stdout);
    const report = JSON.parse(inRanges.stdout);
    expect(report.kpis[0].value).toBe(3001);
    expect(report.sources[0]).toMatchObject({ rowsRead: 3001, rejected: 0 });
  }, 60_000);

  it('the evidence pack reads the file again in the order the first read proved, also rows read before the proof', async () => {
    // Over 1 MB, so the second read hands on rows (chunkRows 1) before it reaches the proof.
    const rows = [...Array.from({ length: 70_000 }, (_, i) => ambiguous(i)), '70000,25/07/2026,1'];
    const dir = project(csv(...rows), BOTH);
    const result = await run({ catalogue: 'metrics.yaml', cwd: dir, trace: true });
    const sink = new MemorySink();
    await writeEvidencePack(
      {
        report: result.report,
        catalogue: result.catalogue,
        sources: result.sources,
        traces: result.evaluation.traces,
      },
      sink,
      { chunkRows: 1 },
    );
    const records = csvRecords(Buffer.concat(sink.files.get('kpis/K.csv')!).toString('utf8'));
    expect(records).toHaveLength(rows.length);
    for (const k of [0, 1, 12, 40_000, 70_000]) expect(records[k]!.at!.slice(0, 10)).toBe(dayFirst(rows[k]!));
  }, 120_000);
});
