/**
 * `report --evidence DIR` end to end: the pack appears whole or not at all, a second run replaces an earlier
 * pack with the same bytes, and a folder holding anything else is refused and left as it was.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let dir: string;
let pack: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-evidence-'));
  pack = path.join(dir, 'pack');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every file under a folder with its bytes, by relative path. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else out[p] = fs.readFileSync(path.join(root, p), 'latin1');
    }
  };
  walk('');
  return out;
}

/** Through the CLI in-process; `code` is the exit code. */
async function cli(args: string[]) {
  const { status, stdout, stderr } = await runCli(args);
  return { code: status, stdout, stderr };
}

const report = (...args: string[]) => cli(['report', '--period', '2026-Q3', '--fail-on', 'never', ...args]);

describe('report --evidence', () => {
  it('writes the pack (and nothing on stdout), then replaces it with the same bytes', async () => {
    const first = await report('--evidence', pack);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('');
    expect(first.stderr).toBe(`wrote evidence pack ${pack} (56 KPIs, 20 sources)\n`);
    const files = snapshot(pack);
    // manifest.json, one kpis/<ID>.csv per reported KPI, one rejected/<source>.csv per source that was read
    // (all 20 of the example; a missing source gets none).
    expect(Object.keys(files)).toHaveLength(1 + 56 + 20);
    expect(files['kpis/AC-02.csv']).toBeDefined();
    expect(files['rejected/incidents.csv']).toBeDefined();
    const second = await report('--evidence', pack, '--quiet');
    expect(second.code).toBe(0);
    expect(snapshot(pack)).toEqual(files);
    expect(fs.readdirSync(dir)).toEqual(['pack']);
  });

  it('writes the JSON report beside it, carrying the same source manifest', async () => {
    const json = path.join(dir, 'q3.json');
    expect((await report('--evidence', pack, '--output', json)).code).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(pack, 'manifest.json'), 'utf8'));
    expect(JSON.parse(fs.readFileSync(json, 'utf8')).sources).toEqual(manifest.sources);
  });

  it('uses an empty folder', async () => {
    fs.mkdirSync(pack);
    expect((await report('--evidence', pack)).code).toBe(0);
    expect(fs.existsSync(path.join(pack, 'manifest.json'))).toBe(true);
  });

  it('refuses a folder with files isms-kpi did not write, and leaves it alone', async () => {
    fs.mkdirSync(pack);
    fs.writeFileSync(path.join(pack, 'notes.txt'), 'mine');
    const run = await report('--evidence', pack);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /--evidence: the folder is not empty and is not an evidence pack written by isms-kpi/,
    );
    expect(snapshot(pack)).toEqual({ 'notes.txt': 'mine' });
    expect(fs.readdirSync(dir)).toEqual(['pack']);
  });

  it('refuses to replace an earlier pack that someone added a file to', async () => {
    expect((await report('--evidence', pack)).code).toBe(0);
    fs.writeFileSync(path.join(pack, 'kpis', 'auditor-notes.txt'), 'keep me');
    const before = snapshot(pack);
    const run = await report('--evidence', pack);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('files isms-kpi did not write (kpis/auditor-notes.txt)');
    expect(snapshot(pack)).toEqual(before);
  });

  it('a failed run creates no folder and leaves no temporary folder', async () => {
    const run = await report('--evidence', pack, '--catalogue', path.join(dir, 'missing.yaml'));
    expect(run.code).toBe(2);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses a file as the folder, a missing parent, and an --output inside the pack', async () => {
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    expect((await report('--evidence', path.join(dir, 'file'))).stderr).toMatch(/exists and is not a folder/);
    expect((await report('--evidence', path.join(dir, 'no', 'pack'))).stderr).toMatch(
      /does not exist; create it first/,
    );
    const inside = await report('--evidence', pack, '--output', path.join(pack, 'q3.json'));
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/is inside the --evidence folder/);
    expect(fs.readdirSync(dir)).toEqual(['file']);
  });
});
