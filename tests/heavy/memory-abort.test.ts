/**
 * Heavy (npm run test:heavy): where V8 itself would run out of heap, the memory guard stops first
 * with its one line. The export's text column looks repetitive in its first 65,536 rows (so it stays
 * a dictionary of JS strings, see ColumnBuilder.checkPlain) and then holds 70,000 distinct values of
 * 1 KB: about 70 MB of strings in the heap, with a 64 MB heap limit. Without the guard the main
 * thread ended with V8's "JavaScript heap out of memory" (exit 134, a stack trace) and a worker
 * thread with "unexpected failure: Worker terminated due to reaching memory limit".
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-heap-'));
  const out = fs.openSync(path.join(dir, 'notes.csv'), 'w');
  fs.writeSync(out, 'id,note\n');
  fs.writeSync(
    out,
    `${Array.from({ length: 65_536 }, (_, i) => `r${i},common value ${i % 100}`).join('\n')}\n`,
  );
  const pad = 'x'.repeat(1000);
  for (let block = 0; block < 14; block++)
    fs.writeSync(
      out,
      `${Array.from({ length: 5000 }, (_, k) => `u${block * 5000 + k},unique ${block * 5000 + k} ${pad}`).join('\n')}\n`,
    );
  fs.closeSync(out);
  fs.writeFileSync(
    path.join(dir, 'metrics.yaml'),
    [
      'organisation: Test GmbH',
      'timezone: UTC',
      'sources:',
      '  notes:',
      '    path: notes.csv',
      '    kind: snapshot',
      '    fields:',
      '      id: id',
      '      note: note',
      'kpis:',
      '  - id: K',
      '    name: Notes about unique things',
      '    owner: Tester',
      '    cadence: quarterly',
      '    unit: count',
      '    formula: count(notes, contains(note, "unique 5"))',
      '',
    ].join('\n'),
  );
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('memory guard where V8 would abort', () => {
  it.each(['never', 'always'] as const)('one line, exit 2, nothing written (workers: %s)', (workers) => {
    const r = spawnSync(
      process.execPath,
      ['--max-old-space-size=64', BIN, 'report', '--period', '2026-Q3', '--output', 'q3.json'],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', ISMS_KPI_WORKERS: workers },
        timeout: 300_000,
      },
    );
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^error: not enough memory while reading notes\.csv: .* may use; nothing was written\. /,
    );
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toContain('    at ');
    expect(fs.readdirSync(dir).sort()).toEqual(['metrics.yaml', 'notes.csv']);
  });
});
