/**
 * The memory guard (src/util/memory.ts) in a real process with a small heap limit: a run that needs
 * more than it may use stops with one `not enough memory` line, exit 2, no stack trace, and writes
 * nothing (no --output file, no evidence pack, no temporary). The tables count against the limit in
 * the main thread and in a worker thread alike. tests/heavy/memory-abort.test.ts shows the same line
 * where V8 itself would otherwise abort.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';

const MEMORY_MODULE = path.join(path.dirname(path.dirname(BIN)), 'dist', 'util', 'memory.js');

/** A 35 MB heap limit: the bundled example runs in it (about 15 MB), this export's tables do not. */
const SMALL_HEAP = ['--max-old-space-size=32', '--max-semi-space-size=1'];
const FIELDS = 40;
const ROWS = 120_000;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-memory-'));
  // 40 numbers a row: 80 bytes of CSV, 320 bytes of table (8 bytes a number); 120,000 rows = 37 MB.
  const header = Array.from({ length: FIELDS }, (_, f) => `n${f}`).join(',');
  const row = Array.from({ length: FIELDS }, (_, f) => String(f % 10)).join(',');
  fs.writeFileSync(path.join(dir, 'numbers.csv'), `${header}\n${`${row}\n`.repeat(ROWS)}`);
  const fields = Array.from({ length: FIELDS }, (_, f) => `      n${f}: { column: n${f}, type: number }`);
  const sum = Array.from({ length: FIELDS }, (_, f) => `n${f}`).join(' + ');
  fs.writeFileSync(
    path.join(dir, 'metrics.yaml'),
    [
      'organisation: Test GmbH',
      'timezone: UTC',
      'sources:',
      '  numbers:',
      '    path: numbers.csv',
      '    kind: snapshot',
      '    fields:',
      ...fields,
      'kpis:',
      '  - id: SUM',
      '    name: Sum of every number',
      '    owner: Tester',
      '    cadence: quarterly',
      '    unit: count',
      `    formula: sum(numbers, ${sum})`,
      '',
    ].join('\n'),
  );
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function run(workers: 'never' | 'always', extra: string[] = []) {
  const r = spawnSync(
    process.execPath,
    [...SMALL_HEAP, BIN, 'report', '--period', '2026-Q3', '--fail-on', 'never', ...extra],
    {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', ISMS_KPI_WORKERS: workers },
      timeout: 120_000,
    },
  );
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

describe('memory guard', () => {
  it.each(['never', 'always'] as const)(
    'stops with one line, exit 2, and writes nothing (workers: %s)',
    (workers) => {
      const r = run(workers, ['--output', 'q3.json', '--evidence', 'pack']);
      expect(r.signal).toBeNull();
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^error: not enough memory while reading numbers\.csv: \d+ MB in use of the \d+ MB isms-kpi may use; nothing was written\. Give Node more \(NODE_OPTIONS=--max-old-space-size=\d+\) or ask for less: /,
      );
      expect(r.stderr).not.toContain('    at ');
      expect(fs.readdirSync(dir).sort()).toEqual(['metrics.yaml', 'numbers.csv']);
    },
  );

  it.each([
    [['--max-old-space-size=64'], '', 64],
    [['--max-old-space-size=64', '--max-semi-space-size=2'], '', 64],
    [[], '--max-old-space-size=96 --max-semi-space-size=4', 96],
  ])('counts against the old generation node was given (%j, NODE_OPTIONS %j)', (flags, nodeOptions, mb) => {
    // V8 aborts when the old generation is full; heap_size_limit adds the young generation's reserve
    // (48 MB by default), which let a 64 MB run abort before the guard's 85 % of 112 MB.
    const r = spawnSync(
      process.execPath,
      [
        ...flags,
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(MEMORY_MODULE)}); console.log(m.memoryLimit() / 1048576);`,
      ],
      { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: nodeOptions }, timeout: 60_000 },
    );
    expect(r.stderr).toBe('');
    expect(Number(r.stdout)).toBe(mb);
  });

  it('lets the same run through with the limit it suggests', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--max-old-space-size=2048',
        BIN,
        'report',
        '--period',
        '2026-Q3',
        '--format',
        'json',
        '--fail-on',
        'never',
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
        timeout: 120_000,
      },
    );
    expect(r.status).toBe(0);
    // Every row: 0 + 1 + ... + 9, four times.
    expect(JSON.parse(r.stdout).kpis[0].value).toBe(ROWS * 4 * 45);
  });
});
