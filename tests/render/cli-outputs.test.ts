/**
 * `report --output` end to end: several formats in one run, the format from the extension, the same bytes
 * as the golden files, and atomic writes (a failed run leaves existing files alone and no temporary files).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { GOLDEN } from './bundled.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-out-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Through the CLI in-process; `code` is the exit code. */
async function cli(args: string[]) {
  const { status, stdout, stderr } = await runCli(args);
  return { code: status, stdout, stderr };
}

const EXTENSIONS = ['txt', 'json', 'csv', 'md', 'html', 'xml'];

describe('report --output', () => {
  it('writes every format in one run, byte for byte the golden files, twice the same', async () => {
    const outputs = EXTENSIONS.flatMap((ext) => ['--output', path.join(dir, `q3.${ext}`)]);
    const first = await cli(['report', '--period', '2026-Q3', ...outputs]);
    expect(first.code).toBe(1); // red KPIs, the default --fail-on
    expect(first.stdout).toBe('');
    expect(first.stderr).toContain(`wrote ${path.join(dir, 'q3.md')} (markdown)`);
    expect(first.stderr).toContain(`wrote ${path.join(dir, 'q3.xml')} (junit)`);
    const bytes = (ext: string) => fs.readFileSync(path.join(dir, `q3.${ext}`));
    const firstBytes = EXTENSIONS.map(bytes);
    for (const ext of EXTENSIONS)
      expect(bytes(ext).equals(fs.readFileSync(path.join(GOLDEN, `2026-Q3.${ext}`))), ext).toBe(true);
    const second = await cli(['report', '--period', '2026-Q3', '--quiet', ...outputs]);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe('');
    EXTENSIONS.forEach((ext, i) => {
      expect(bytes(ext).equals(firstBytes[i]!), ext).toBe(true);
    });
    expect(fs.readdirSync(dir).sort()).toEqual(EXTENSIONS.map((e) => `q3.${e}`).sort());
  });

  it('prints a format to stdout with --format, also while writing files', async () => {
    const run = await cli(['report', '--format', 'markdown', '--output', path.join(dir, 'q3.csv')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(fs.readFileSync(path.join(GOLDEN, '2026-Q3.md'), 'utf8'));
    expect(fs.existsSync(path.join(dir, 'q3.csv'))).toBe(true);
  });

  it('a failed run leaves an existing file untouched and no temporary file behind', async () => {
    const target = path.join(dir, 'q3.html');
    fs.writeFileSync(target, 'the previous report');
    const run = await cli(['report', '--period', '2026-Q13', '--output', target]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: --period/m);
    expect(fs.readFileSync(target, 'utf8')).toBe('the previous report');
    expect(fs.readdirSync(dir)).toEqual(['q3.html']);
  });

  it('refuses an extension it cannot map, naming the ones it can', async () => {
    const run = await cli(['report', '--output', path.join(dir, 'q3.docx')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'cannot tell the format from the extension; use one of .txt (table), .json (json), .csv (csv), .md (markdown), .html (html), .xml (junit), .oscal.json (oscal), .ciso-assistant.csv (ciso-assistant), .pdf (pdf)',
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
