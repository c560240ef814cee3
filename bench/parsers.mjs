#!/usr/bin/env node
// The measurements behind two decisions in docs/performance.md ("Decision records"): the hand-written
// CSV tokenizer instead of a CSV library, and the compiled datetime reader instead of date-fns `parse`.
//
//   npm run build && node bench/parsers.mjs [N] [--runs R] [--modules DIR]
//
// Reads the Jira issue export of the realistic profile at N rows (default 100000; generated if needed:
// BOM, CRLF, quoted multi-line non-ASCII descriptions and comments, 70-odd columns) and times, each in
// a fresh process, R times (default 3), reporting medians of wall and CPU seconds:
//
// - tokenizers: isms-kpi's `readCsvFile` (dist/sources/csv-reader.js) with a `record` sink (a string
//   per cell, like the libraries) and with a `spans` sink (no strings: what the intake uses), against
//   csv-parse (its streaming parser) and papaparse (its Node stream input), each reading the file from
//   disk and counting records, cells and the characters of every cell. The counts must agree, or the
//   script exits 1: a faster parser that reads the file differently is no answer.
// - datetime readers: the Created, Updated and Resolved cells of the same file (Jira's `dd/MMM/yy h:mm
//   a`, local time), read by `compileDateTimeParser` (dist/time/parse-datetime.js) and by date-fns
//   `parse` with the same format (then converted from the zone's wall time to UTC, as the fallback in
//   parse-datetime.ts does). The instants must agree.
//
// csv-parse and papaparse are not dependencies of isms-kpi. The script loads them from --modules DIR
// (a folder with a node_modules/ holding both, e.g. made with
// `mkdir /tmp/parsers && cd /tmp/parsers && npm init -y && npm install csv-parse papaparse`), by default
// from this repository; a library that is missing is reported as not measured.

import { spawnSync } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureData } from './realistic/generate.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(HERE);
const DIST = join(ROOT, 'dist');
const TZ = 'Europe/Berlin';
const JIRA_FORMAT = 'dd/MMM/yy h:mm a';
const DATE_COLUMNS = ['Created', 'Updated', 'Resolved'];

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const modules = resolve(option('--modules', ROOT));
const requireFrom = createRequire(join(modules, 'noop.js'));

/** One measurement in this process: prints a JSON line {counts, wall, cpu}. */
async function one(kind, file) {
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const counts = await MEASURES[kind](file);
  const cpu = process.cpuUsage(cpu0);
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({ counts, wall, cpu: (cpu.user + cpu.system) / 1e6 }));
}

/** records, cells and characters of the cells (the header row is a record for every parser here). */
const counter = () => ({ records: 0, cells: 0, chars: 0 });

const MEASURES = {
  async 'isms-kpi tokenizer, strings'(file) {
    const { readCsvFile } = await import(pathToFileURL(join(DIST, 'sources', 'csv-reader.js')).href);
    const c = counter();
    const count = (cells) => {
      c.records++;
      c.cells += cells.length;
      for (const cell of cells) c.chars += cell.length;
    };
    await readCsvFile(file, 'jira-issues.csv', { delimiter: ',' }, { header: count, record: count });
    return c;
  },
  async 'isms-kpi tokenizer, spans'(file) {
    const { readCsvFile } = await import(pathToFileURL(join(DIST, 'sources', 'csv-reader.js')).href);
    const c = counter();
    await readCsvFile(
      file,
      'jira-issues.csv',
      { delimiter: ',' },
      {
        header(cells) {
          c.records++;
          c.cells += cells.length;
          for (const cell of cells) c.chars += cell.length;
        },
        record() {
          throw new Error('spans sink: record() should not be called');
        },
        spans(_text, starts, ends, cells, n) {
          c.records++;
          c.cells += n;
          for (let k = 0; k < n; k++) c.chars += starts[k] >= 0 ? ends[k] - starts[k] : cells[k].length;
        },
      },
    );
    return c;
  },
  async 'csv-parse (stream)'(file) {
    const { parse } = requireFrom('csv-parse');
    const c = counter();
    const parser = createReadStream(file).pipe(parse({ bom: true, relax_column_count: false }));
    for await (const cells of parser) {
      c.records++;
      c.cells += cells.length;
      for (const cell of cells) c.chars += cell.length;
    }
    return c;
  },
  async 'papaparse (stream)'(file) {
    const Papa = requireFrom('papaparse');
    const c = counter();
    await new Promise((resolvePromise, reject) => {
      const stream = createReadStream(file, { encoding: 'utf8' });
      let first = true;
      Papa.parse(stream, {
        delimiter: ',',
        newline: '\r\n',
        step(result) {
          let cells = result.data;
          if (first) {
            // papaparse keeps a BOM on a stream's first cell
            if (cells[0]?.charCodeAt(0) === 0xfeff) cells = [cells[0].slice(1), ...cells.slice(1)];
            first = false;
          }
          c.records++;
          c.cells += cells.length;
          for (const cell of cells) c.chars += cell.length;
        },
        complete: resolvePromise,
        error: reject,
      });
    });
    return c;
  },
  async 'isms-kpi datetime reader'(file) {
    const { compileDateTimeParser } = await import(
      pathToFileURL(join(DIST, 'time', 'parse-datetime.js')).href
    );
    const parse = compileDateTimeParser([JIRA_FORMAT], TZ);
    return timeDates(file, (text) => parse(text));
  },
  async 'date-fns parse'(file) {
    const { parse, isValid } = createRequire(join(ROOT, 'noop.js'))('date-fns');
    const { wallToUtc } = await import(pathToFileURL(join(DIST, 'time', 'zone.js')).href);
    // The child runs with TZ=UTC, so date-fns builds the wall-clock time in UTC fields (what the
    // fallback in parse-datetime.ts gets from its WallDate reference, without that subclass's cost),
    // then the zone's wall time is converted to the instant as the fallback does.
    // Reference year 2020: two-digit years 00-69 are 20xx, 70-99 19xx, as in the compiled reader.
    const reference = new Date(Date.UTC(2020, 0, 1));
    return timeDates(file, (text) => {
      const date = parse(text, JIRA_FORMAT, reference);
      return isValid(date) ? wallToUtc(TZ, date.getTime()) : Number.NaN;
    });
  },
};

/**
 * The date cells of the file (collected first, not timed), then `read` on each of them: the time of
 * the reads alone is what the process reports (collecting is subtracted by timing it separately).
 */
async function timeDates(file, read) {
  const { readCsvFile } = await import(pathToFileURL(join(DIST, 'sources', 'csv-reader.js')).href);
  const values = [];
  let columns = [];
  await readCsvFile(
    file,
    'jira-issues.csv',
    { delimiter: ',' },
    {
      header(cells) {
        columns = DATE_COLUMNS.map((name) => cells.indexOf(name));
      },
      record(cells) {
        for (const k of columns) if (cells[k] !== '') values.push(cells[k]);
      },
    },
  );
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let sum = 0;
  let invalid = 0;
  for (const value of values) {
    const ms = read(value);
    if (Number.isNaN(ms)) invalid++;
    else sum += ms / 1e6; // a checksum of the instants (minutes, exact enough to compare)
  }
  const cpu = process.cpuUsage(cpu0);
  return {
    values: values.length,
    invalid,
    checksum: Math.round(sum),
    readWall: Number(process.hrtime.bigint() - started) / 1e9,
    readCpu: (cpu.user + cpu.system) / 1e6,
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main() {
  const child = option('--one');
  if (child !== undefined) return one(child, option('--file'));

  const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000);
  const runs = Number(option('--runs', 3));
  const { dir } = ensureData(n, { log: console.log });
  const file = join(dir, 'jira-issues.csv');
  const mb = readFileSync(file).length / 1e6;
  const version = (name) => {
    try {
      return JSON.parse(readFileSync(join(modules, 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      return 'not installed';
    }
  };
  console.log(
    `csv-parse ${version('csv-parse')}, papaparse ${version('papaparse')} (from ${modules}); Node ${process.version}`,
  );
  console.log(`file: ${file} (${mb.toFixed(0)} MB, ${n} issues); ${runs} run(s) each, medians`);
  console.log(
    `load average at the start: ${(await import('node:os'))
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );

  const results = {};
  for (const kind of Object.keys(MEASURES)) {
    const measured = [];
    for (let r = 0; r < runs; r++) {
      const run = spawnSync(
        process.execPath,
        [fileURLToPath(import.meta.url), '--one', kind, '--file', file, '--modules', modules],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 24,
          env: { ...process.env, TZ: 'UTC' },
        },
      );
      if (run.status !== 0) {
        const first = run.stderr.split('\n').find((l) => l.trim() !== '') ?? `exit ${run.status}`;
        console.log(`${kind}: not measured (${first.trim()})`);
        break;
      }
      measured.push(JSON.parse(run.stdout.trim().split('\n').pop()));
    }
    if (measured.length === 0) continue;
    const dates = measured[0].counts.readWall !== undefined;
    results[kind] = {
      counts: measured[0].counts,
      wall: median(measured.map((m) => (dates ? m.counts.readWall : m.wall))),
      cpu: median(measured.map((m) => (dates ? m.counts.readCpu : m.cpu))),
    };
    const { wall, cpu } = results[kind];
    console.log(
      `${kind.padEnd(30)} wall ${wall.toFixed(3)} s, CPU ${cpu.toFixed(3)} s  ${JSON.stringify(measured[0].counts)}`,
    );
  }

  let failed = false;
  const compareGroup = (kinds, base, fields) => {
    const reference = results[base];
    if (!reference) return;
    console.log(`\nrelative to "${base}" (wall, CPU):`);
    for (const kind of kinds) {
      const r = results[kind];
      if (!r) continue;
      const differs = fields.filter((f) => r.counts[f] !== reference.counts[f]);
      if (differs.length > 0) {
        failed = true;
        console.log(
          `  ${kind}: READ THE FILE DIFFERENTLY (${differs.map((f) => `${f} ${r.counts[f]} vs ${reference.counts[f]}`).join(', ')})`,
        );
      }
      console.log(
        `  ${kind.padEnd(30)} ${(r.wall / reference.wall).toFixed(2)} x, ${(r.cpu / reference.cpu).toFixed(2)} x`,
      );
    }
  };
  compareGroup(
    ['isms-kpi tokenizer, spans', 'csv-parse (stream)', 'papaparse (stream)'],
    'isms-kpi tokenizer, strings',
    ['records', 'cells', 'chars'],
  );
  compareGroup(['date-fns parse'], 'isms-kpi datetime reader', ['values', 'invalid', 'checksum']);
  if (failed) process.exit(1);
}

await main();
