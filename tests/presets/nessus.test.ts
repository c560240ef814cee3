import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPreset, presetKpiValues } from './load-preset.js';

const kpiValues = (source: string, preset: string, file: string, formulas: Record<string, string>) =>
  presetKpiValues({ source, preset, file }, formulas);

describe('preset nessus', () => {
  it('reads the full CSV: quoted CRLF rows, multi-line text, None risk, n/a solution', async () => {
    const { rows, problems } = await loadPreset('nessus', 'nessus.csv');
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(13);
    expect(rows.map((r) => `${r.plugin_id}@${r.asset}`)).toEqual([
      '19506@10.20.0.5',
      '156032@app01.example.com',
      '156032@app01.example.com',
      '156032@app01.example.com',
      '156032@10.20.0.12',
      '156032@10.20.0.12',
      '108797@10.20.0.30',
      '97833@10.20.0.30',
      '97833@10.20.0.30',
      '201194@10.20.0.5',
      '187315@10.20.0.5',
      '51192@10.20.0.12',
      '10114@10.20.0.12',
    ]);
    const [info, log4j1, log4j2, , , , unsupported, ms17, , openssh, terrapin, , icmp] = rows;
    expect(info).toMatchObject({
      severity: 'None',
      risk_factor: 'None',
      cve: null,
      cvss: null,
      port: 0,
      protocol: 'tcp',
      solution: null, // "n/a"
      published: Date.parse('2005-08-26T00:00:00Z'),
    });
    // Plugin Output spans lines; the text is kept whole
    expect(info!.plugin_output).toBe(
      'Information about this scan : \n\nNessus version : 10.8.3\nPlugin feed version : 202608140512\nScan policy used : Advanced Scan\nScan Start Date : 2026/8/14 2:00 CEST',
    );
    expect(log4j1).toMatchObject({
      plugin_id: '156032',
      cve: 'CVE-2021-44228',
      severity: 'Critical',
      cvss: 10,
      cvss3: 10,
      vpr: 9.8,
      name: 'Apache Log4j < 2.17.0 Multiple Vulnerabilities',
      published: Date.parse('2021-12-17T00:00:00Z'),
    });
    expect(log4j1!.description).toContain('JNDI lookup feature ("Log4Shell").\n  - A denial');
    // one row per CVE: same plugin and host, another CVE
    expect(log4j2).toMatchObject({ plugin_id: '156032', asset: 'app01.example.com', cve: 'CVE-2021-45046' });
    expect(unsupported).toMatchObject({ severity: 'Critical', cve: null, vpr: null, cvss: 10 });
    expect(ms17).toMatchObject({ severity: 'High', risk_factor: 'High', port: 445, cve: 'CVE-2017-0143' });
    expect(openssh).toMatchObject({ cvss: null, cvss3: 8.1, port: 22, severity: 'High' });
    expect(terrapin).toMatchObject({ severity: 'Medium', risk_factor: null });
    expect(icmp).toMatchObject({ severity: 'Low', protocol: 'icmp', cve: 'CVE-1999-0524', see_also: null });
  });

  it('keeps Risk "None" as a value even when the catalogue lists None as a null token', async () => {
    const { rows, problems } = await loadPreset('nessus', 'nessus.csv', { null_tokens: ['', 'None', 'n/a'] });
    expect(problems).toEqual([]);
    expect(rows[0]).toMatchObject({ severity: 'None', solution: null });
  });

  it('reads a column-subset export (unquoted header, quoted values, the older CVSS column)', async () => {
    const { rows, problems, loaded } = await loadPreset('nessus', 'nessus-subset.csv');
    // The columns the subset leaves out are empty fields; no KPI reads them, so they are no warning.
    expect(problems).toEqual([]);
    expect(loaded.unusedAbsentFields).toEqual([
      'risk_factor',
      'cvss3',
      'vpr',
      'synopsis',
      'description',
      'solution',
      'see_also',
      'plugin_output',
      'published',
    ]);
    expect(rows).toHaveLength(7);
    expect(rows[0]).toMatchObject({
      plugin_id: '19506',
      cve: null,
      cvss: null,
      severity: 'None',
      asset: '192.0.2.10',
      port: 0,
      description: null,
    });
    // "CVSS" (older exports) fills cvss
    expect(rows[1]).toMatchObject({ plugin_id: '42873', cvss: 5, severity: 'Medium', port: 443 });
    expect(rows.map((r) => r.cvss)).toEqual([null, 5, 5, 7.5, 7.5, 7.5, null]);
    expect(rows[5]).toMatchObject({
      asset: '192.0.2.12',
      port: 8443,
      cve: 'CVE-2022-3602',
      severity: 'Critical',
    });
    expect(rows[6]).toMatchObject({ protocol: 'udp', name: 'Traceroute Information' });
  });

  it('counts distinct findings (plugin + host), not CVE rows, with the documented formula', async () => {
    const values = await kpiValues('nessus', 'nessus', 'nessus.csv', {
      ROWS: 'count(nessus, severity == "Critical")',
      FINDINGS: 'count_distinct(nessus, plugin_id + "|" + asset, severity == "Critical")',
      ALL: 'count_distinct(nessus, plugin_id + "|" + asset, severity != "None")',
      HOSTS: 'count_distinct(nessus, asset, severity in ["Critical", "High"])',
    });
    // Log4j: 3 CVE rows on app01 + 2 on 10.20.0.12, unsupported Windows: 1 row
    expect(values).toEqual({ ROWS: 6, FINDINGS: 3, ALL: 8, HOSTS: 4 });
    const subset = await kpiValues('nessus', 'nessus', 'nessus-subset.csv', {
      ROWS: 'count(nessus, severity == "Critical")',
      FINDINGS: 'count_distinct(nessus, plugin_id + "|" + asset, severity == "Critical")',
    });
    expect(subset).toEqual({ ROWS: 3, FINDINGS: 2 });
  });

  it('falls back to Risk Factor when an export has no Risk column', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'isms-nessus-'));
    try {
      const file = path.join(dir, 'risk-factor.csv');
      await writeFile(
        file,
        '"Plugin ID","CVE","CVSS","Risk Factor","Host","Port","Name"\r\n' +
          '"156032","CVE-2021-44228","10.0","Critical","10.20.0.12","0","Apache Log4j"\r\n' +
          '"10114","CVE-1999-0524","2.1","Low","10.20.0.12","0","ICMP Timestamp"\r\n',
      );
      const { rows } = await loadPreset('nessus', 'unused.csv', { path: file });
      expect(rows.map((r) => [r.severity, r.risk_factor, r.cvss])).toEqual([
        ['Critical', 'Critical', 10],
        ['Low', 'Low', 2.1],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
