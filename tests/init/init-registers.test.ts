/**
 * `isms-kpi init --from DIR` over the registers an ISMS team keeps (issue 22): the ACME risk register
 * snapshots, Statement of Applicability and exceptions register are recognised as their presets, the
 * register snapshots saved once per quarter get one source with a `{period}` path, and the governance
 * KPIs of the library are proposed over them and report the values of the bundled catalogue.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../helpers/cli.js';

const ACME = path.join(REPO, 'fixtures', 'acme');
const FILES = [
  'risk-register-2026-Q2.csv',
  'risk-register-2026-Q3.csv',
  'soa.csv',
  'exceptions-register.csv',
];

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'isms-init-registers-'));
  mkdirSync(path.join(dir, 'registers'));
  for (const file of FILES) cpSync(path.join(ACME, file), path.join(dir, 'registers', file));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('init --from a folder of registers', { timeout: 60_000 }, () => {
  it('recognises each register and proposes the governance KPIs over it', async () => {
    const r = await runCli(['init', '--from', 'registers'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const text = readFileSync(path.join(dir, 'metrics.yaml'), 'utf8');
    expect(text).toContain('preset: risk-register');
    expect(text).toContain('path: registers/risk-register-{year}-Q{quarter}.csv');
    expect(text).toContain('preset: soa');
    expect(text).toContain('preset: exceptions-register');
    for (const name of [
      'Risk treatment coverage',
      'Overdue risk treatment actions',
      'Applicable Annex A controls implemented',
      'Exceptions with an expiry date',
    ])
      expect(text).toContain(`name: ${name}`);

    expect(text).toContain('one_file_per: quarter');
    // The values are those of the bundled catalogue (the SoA and the exceptions register carry the as_of
    // init wrote for review, the copies' date, so their KPIs are stale, with the same values).
    const report = await runCli(['report', '--period', '2026-Q3', '--format', 'json'], { cwd: dir });
    const kpis = (JSON.parse(report.stdout) as { kpis: { name: string; value: number | null }[] }).kpis;
    const value = (name: string) => kpis.find((k) => k.name === name)?.value;
    expect(value('Risk treatment coverage')).toBe(81.25);
    expect(value('Overdue risk treatment actions')).toBe(6);
    expect(value('Applicable Annex A controls implemented')).toBeCloseTo((100 * 70) / 90, 9);
    expect(value('Exceptions with an expiry date')).toBe(80);
  });
});
