/**
 * JSON Lines are read in time linear in their length, with a line limit, and are never held to the size
 * limit of JSON documents (issue 15, items 3 and 5). Bounds are stated as work: characters searched,
 * bytes read; the limits are lowered for the tests (LoadOptions.limits) instead of writing 512 MB.
 */
import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatProblem, IsmsKpiError } from '../../src/problems.js';
import { LineSplitter, MAX_JSON_LINE_CHARS } from '../../src/sources/json-intake.js';
import { type LoadOptions, loadSource, MAX_JSON_BYTES } from '../../src/sources/load-source.js';
import { loadCatalogue } from '../helpers/run.js';

let root = '';
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'isms-json-limits-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const RECORDS = Array.from({ length: 40 }, (_, i) => ({ id: `R${i}`, note: 'n'.repeat(40) }));
const JSONL = RECORDS.map((r) => `${JSON.stringify(r)}\n`).join('');

/** A folder with `file` (content, or a function that makes it) and a catalogue whose source s reads it. */
async function source(file: string, content: string | ((absolute: string) => Promise<void>)) {
  const dir = path.join(root, `case-${++counter}`);
  await mkdir(dir);
  const absolute = path.join(dir, file);
  if (typeof content === 'string') await writeFile(absolute, content);
  else await content(absolute);
  const catalogue = {
    organisation: 'Limits',
    timezone: 'UTC',
    sources: { s: { path: file, kind: 'snapshot', fields: { id: { required: true }, note: {} } } },
    kpis: [
      { id: 'K-1', name: 'Rows', owner: 'QA', cadence: 'quarterly', unit: 'count', formula: 'count(s)' },
    ],
  };
  await writeFile(path.join(dir, 'metrics.yaml'), stringify(catalogue));
  const loaded = await loadCatalogue({ catalogue: 'metrics.yaml', cwd: dir });
  return { resolved: loaded.sources.get('s')!, options: { path: absolute, displayPath: file } };
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

describe('LineSplitter (the JSON Lines reader)', () => {
  it('searches each character once: a 2-million-character line in one-character chunks', () => {
    // Re-splitting the carried-over text for every chunk would search about 2 * 10^12 characters here.
    const length = 2_000_000;
    const splitter = new LineSplitter(MAX_JSON_LINE_CHARS, () => {
      throw new Error('too long');
    });
    const lines: string[] = [];
    for (let i = 0; i < length; i++) splitter.push('x', (line) => lines.push(line));
    splitter.push('\nnext', (line) => lines.push(line));
    splitter.end((line) => lines.push(line));
    expect(lines.map((l) => l.length)).toEqual([length, 4]);
    expect(lines[1]).toBe('next');
    expect(splitter.scanned).toBe(length + 5);
    expect(splitter.lines).toBe(2);
  });

  it('splits lines wherever the chunks are cut, CR LF and a last line without a break included', () => {
    const text = 'a\r\n\nbc\ndef';
    for (let size = 1; size <= text.length; size++) {
      const splitter = new LineSplitter(100, () => {
        throw new Error('too long');
      });
      const lines: string[] = [];
      for (let at = 0; at < text.length; at += size)
        splitter.push(text.slice(at, at + size), (l) => lines.push(l));
      splitter.end((l) => lines.push(l));
      expect(lines, `chunks of ${size}`).toEqual(['a\r', '', 'bc', 'def']);
    }
  });

  it('stops at the first line over the limit, holding no more than the limit', () => {
    const seen: number[] = [];
    const splitter = new LineSplitter(10, (line) => {
      seen.push(line);
      throw new Error(`line ${line} too long`);
    });
    splitter.push('short\n', () => undefined);
    expect(() => {
      for (let i = 0; i < 100; i++) splitter.push('xxxx', () => undefined);
    }).toThrow('line 2 too long');
    expect(seen).toEqual([2]);
    expect(splitter.scanned).toBeLessThanOrEqual(6 + 12);
  });
});

describe('JSON Lines limits, end to end through loadSource', () => {
  it('a line over the line limit is a located error naming file and line', async () => {
    const { resolved, options } = await source(
      's.jsonl',
      `${JSONL}{"id":"long","note":"${'x'.repeat(5000)}"}\n`,
    );
    const problems = await problemsOf(loadSource(resolved, { ...options, limits: { jsonLineChars: 1000 } }));
    expect(problems).toEqual([
      's.jsonl:41: line 41 is longer than 1000 characters; a JSON Lines file holds one record per line',
    ]);
  });

  it('a JSON Lines file over the JSON document limit is read (it is streamed)', async () => {
    const { resolved, options } = await source('s.jsonl', JSONL);
    expect(Buffer.byteLength(JSONL)).toBeGreaterThan(1000);
    const loaded = await loadSource(resolved, { ...options, limits: { jsonBytes: 1000 } });
    expect(loaded.stats.accepted).toBe(40);
  });

  it('the same records as one JSON document over the limit are read as a stream (issue 17)', async () => {
    const { resolved, options } = await source('s.json', JSON.stringify(RECORDS));
    const loaded = await loadSource(resolved, { ...options, limits: { jsonBytes: 1000 } });
    expect(loaded.stats.accepted).toBe(40);
  });

  it('a sparse JSON Lines file of 513 MB is not refused by size; reading stops at its first over-long line', async () => {
    // One record, then 513 MB of zero bytes without a line break (a sparse file: no disk space used).
    const size = MAX_JSON_BYTES + 1024 * 1024;
    const { resolved, options } = await source('s.jsonl', async (file) => {
      await writeFile(file, `${JSON.stringify(RECORDS[0])}\n`);
      await truncate(file, size);
    });
    const progress: number[] = [];
    const load: LoadOptions = {
      ...options,
      limits: { jsonLineChars: 1024 * 1024 },
      onProgress: (p) => progress.push(p.bytes),
    };
    const problems = await problemsOf(loadSource(resolved, load));
    expect(problems).toEqual([
      's.jsonl:2: line 2 is longer than 1M characters; a JSON Lines file holds one record per line',
    ]);
    // Work: progress is reported every 4 MB read; the error came before the first report.
    expect(progress).toEqual([]);
  });
});
