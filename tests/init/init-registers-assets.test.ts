/**
 * `isms-kpi init --from DIR` over the supplier and asset register samples of fixtures/presets (issue 22):
 * it recognises each register, proposes the supplier, data protection and legacy KPIs of the library over
 * it, and the report gives the values worked out by hand from the samples (2026-Q3, UTC).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../helpers/cli.js';

const SAMPLES = [
  'supplier-register.csv',
  'remote-access-sessions.csv',
  'asset-inventory.csv',
  'servicenow-cmdb-ci.csv',
];
const TAKEN = new Date(Date.UTC(2026, 8, 30, 17, 5));

interface JsonKpi {
  id: string;
  name: string;
  value: number | null;
  numerator?: number;
  denominator?: number;
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'isms-init-assets-'));
  mkdirSync(path.join(dir, 'exports'));
  for (const file of SAMPLES) {
    cpSync(path.join(REPO, 'fixtures', 'presets', file), path.join(dir, 'exports', file));
    utimesSync(path.join(dir, 'exports', file), TAKEN, TAKEN);
  }
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('init --from a folder of supplier and asset registers', { timeout: 60_000 }, () => {
  it('recognises every register and proposes its KPIs', async () => {
    const r = await runCli(['init', '--from', 'exports'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/exports\/supplier-register\.csv \(supplier-register, 2 KPIs\)/);
    expect(r.stdout).toMatch(/exports\/remote-access-sessions\.csv \(remote-access-sessions, 1 KPIs\)/);
    expect(r.stdout).toMatch(/exports\/asset-inventory\.csv \(asset-inventory, 4 KPIs\)/);
    expect(r.stdout).toMatch(/exports\/servicenow-cmdb-ci\.csv \(servicenow-cmdb-ci, 4 KPIs\)/);
    const text = readFileSync(path.join(dir, 'metrics.yaml'), 'utf8');
    // Retired CIs are left out of every KPI over the CMDB.
    const cmdbFormulas = text
      .split('\n')
      .filter((l) => l.includes('formula:') && l.includes('servicenow_cmdb_ci'));
    expect(cmdbFormulas).toHaveLength(4);
    for (const line of cmdbFormulas) expect(line).toContain('lower(install_status) != "retired"');

    const report = await runCli(['report', '--format', 'json', '--period', '2026-Q3'], { cwd: dir });
    expect(report.stderr).toBe('');
    const kpis = (JSON.parse(report.stdout) as { kpis: JsonKpi[] }).kpis;
    const value = (id: string) => kpis.find((k) => k.id === id)?.value;
    // supplier-register.csv: critical Nordlicht (assessed 203 days before the period end) and Sorbus
    // (exactly 365) count, Vistula (382) and Kessler (never) do not.
    expect(kpis.find((k) => k.id === 'SU-01')).toMatchObject({ value: 50, numerator: 2, denominator: 4 });
    // Critical or high: five suppliers, Helix has no security clauses.
    expect(value('SU-02')).toBe(80);
    // remote-access-sessions.csv: 8 Q3 sessions; RA-1001, RA-1003 (exactly 8 h) and RA-1006 comply
    // (RA-1009 ends before it starts: not within 8 hours).
    expect(kpis.find((k) => k.id === 'SU-03')).toMatchObject({ numerator: 3, denominator: 8 });
    // asset-inventory.csv: 5 of 6 critical/high assets classified, 3 of 4 confidential ones encrypted,
    // 2 of 3 critical/high legacy assets with controls, plc-ldz-07 unsupported without controls.
    expect(
      kpis.find((k) => k.name.startsWith('Classification coverage') && k.name.endsWith('asset_inventory')),
    ).toMatchObject({ numerator: 5, denominator: 6 });
    expect(
      kpis.find((k) => k.name.startsWith('Encryption coverage') && k.name.endsWith('asset_inventory')),
    ).toMatchObject({ numerator: 3, denominator: 4 });
    expect(
      kpis.find((k) => k.name.startsWith('Critical legacy') && k.name.endsWith('asset_inventory')),
    ).toMatchObject({ numerator: 2, denominator: 3 });
    // servicenow-cmdb-ci.csv, without the retired OLD-FS-02: HR-APP-01 is not classified, SAP-PRD-DB01 is
    // not encrypted, SCADA-HIST-01 has controls, LAB-WS-17 (Windows XP) has none.
    const cmdb = (prefix: string) =>
      kpis.find((k) => k.name.startsWith(prefix) && k.name.endsWith('servicenow_cmdb_ci'));
    expect(cmdb('Classification coverage')).toMatchObject({ numerator: 3, denominator: 4 });
    expect(cmdb('Encryption coverage')).toMatchObject({ numerator: 1, denominator: 2 });
    expect(cmdb('Critical legacy')).toMatchObject({ numerator: 1, denominator: 1 });
    expect(cmdb('Assets on an unsupported OS')?.value).toBe(1);
  });
});
