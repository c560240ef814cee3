/**
 * The Io of a real run reads catalogues and saved reports only when they are regular files, within a byte
 * limit, in valid UTF-8 (issue 15, items 2 and 12); and diff, trend, --history and --baseline do not
 * hang on a named pipe called *.json. Named pipes are made with mkfifo; opening one without a writer
 * would block forever, so each of these tests would time out without the regular-file rule.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeIo } from '../../src/app/node-io.js';
import { FileRefusal, fileProblem } from '../../src/util/file-problem.js';
import { REPO, runCli } from '../helpers/cli.js';

const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;
const CASE = path.join(REPO, 'fixtures', 'bad', 'semicolon-decimal-comma');

let tmp = '';
let report = '';

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'isms-node-io-'));
  const r = await runCli(['report', '-c', 'metrics.yaml', '--fail-on', 'never', '--format', 'json'], {
    cwd: CASE,
  });
  expect(r.status).toBe(0);
  report = r.stdout;
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const at = (...parts: string[]) => path.join(tmp, ...parts);

async function refusal(promise: Promise<unknown>): Promise<FileRefusal['refusal']> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FileRefusal);
  return (error as FileRefusal).refusal;
}

describe('Io.readText', () => {
  const io = nodeIo();

  it.skipIf(!hasMkfifo)('refuses a named pipe without opening it', async () => {
    execFileSync('mkfifo', [at('pipe.yaml')]);
    expect(await refusal(io.readText(at('pipe.yaml'), 1024))).toEqual({
      kind: 'not-a-file',
      special: 'fifo',
    });
  });

  it.skipIf(!existsSync('/dev/zero'))(
    'refuses a device (stat gives it size 0, so no size limit would stop it)',
    async () => {
      expect(await refusal(io.readText('/dev/zero', 1024))).toEqual({
        kind: 'not-a-file',
        special: 'character-device',
      });
    },
  );

  it('refuses a file over the limit by its size, before reading it (a sparse 1 GB file)', async () => {
    writeFileSync(at('big.yaml'), 'a: 1\n');
    truncateSync(at('big.yaml'), 1024 * 1024 * 1024);
    expect(await refusal(io.readText(at('big.yaml'), 5 * 1024 * 1024))).toEqual({
      kind: 'too-large',
      limit: 5 * 1024 * 1024,
    });
  });

  it('refuses Latin-1 text at its first invalid byte, with line and offset', async () => {
    writeFileSync(at('latin1.yaml'), Buffer.from('a: 1\nname: M\xfcnchen\n', 'latin1'));
    const refused = await refusal(io.readText(at('latin1.yaml'), 1024));
    expect(refused).toEqual({ kind: 'not-utf8', line: 2, detail: 'byte 0xFC at offset 12' });
    expect(fileProblem(new FileRefusal(refused), 'latin1.yaml')).toEqual({
      code: 'undecodable',
      severity: 'error',
      message: 'bytes are not valid UTF-8 (byte 0xFC at offset 12); save the file as UTF-8',
      location: { file: 'latin1.yaml', line: 2 },
    });
  });

  it('reads UTF-8, keeping a byte order mark for the caller to drop', async () => {
    writeFileSync(at('bom.yaml'), '\uFEFFname: München\n');
    expect(await io.readText(at('bom.yaml'), 1024)).toBe('\uFEFFname: München\n');
    expect(await io.readText(at('bom.yaml'), Buffer.byteLength('\uFEFFname: München\n'))).toBe(
      readFileSync(at('bom.yaml'), 'utf8'),
    );
  });
});

describe.skipIf(!hasMkfifo)('saved reports: a named pipe called *.json', () => {
  it('trend skips it with a warning and reads the other reports', async () => {
    const dir = at('trend');
    execFileSync('mkdir', [dir]);
    writeFileSync(path.join(dir, 'q3.json'), report);
    execFileSync('mkfifo', [path.join(dir, 'pipe.json')]);
    const r = await runCli(['trend', dir]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      `warning: ${path.join(dir, 'pipe.json')}: skipped: is a named pipe (FIFO), not a regular file; only regular files are read\n`,
    );
    expect(r.stdout).toContain('2026-Q3');
  });

  it('trend over a folder holding only a pipe: the warning says why there is no report, exit 2', async () => {
    const dir = at('trend-pipe-only');
    execFileSync('mkdir', [dir]);
    execFileSync('mkfifo', [path.join(dir, 'pipe.json')]);
    const r = await runCli(['trend', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')).toEqual([
      `warning: ${path.join(dir, 'pipe.json')}: skipped: is a named pipe (FIFO), not a regular file; only regular files are read`,
      `error: ${dir}: no isms-kpi JSON reports in this folder`,
      '',
    ]);
  });

  it('report --history DIR, --baseline and diff refuse it with a located error naming the option, exit 2', async () => {
    const dir = at('history');
    execFileSync('mkdir', [dir]);
    const pipe = path.join(dir, 'pipe.json');
    execFileSync('mkfifo', [pipe]);
    const message = (option: string) =>
      `error: ${pipe}: ${option}is a named pipe (FIFO), not a regular file; only regular files are read\n`;
    const base = ['report', '-c', 'metrics.yaml', '--fail-on', 'never'];
    for (const [args, option] of [
      [[...base, '--history', dir, '-o', path.join(tmp, 'h.html')], '--history: '],
      [[...base, '--baseline', pipe], '--baseline: '],
      [['diff', pipe, pipe], ''],
    ] as const) {
      const r = await runCli(args, { cwd: CASE });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(message(option));
    }
  });
});
