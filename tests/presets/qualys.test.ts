import { describe, expect, it } from 'vitest';
import { loadPreset, presetKpiValues } from './load-preset.js';

const kpiValues = (formulas: Record<string, string>) =>
  presetKpiValues({ source: 'qualys', preset: 'qualys-scan', file: 'qualys-scan.csv' }, formulas);

describe('preset qualys-scan', () => {
  it('skips the metadata block and reads the rows after the "IP" header', async () => {
    const { rows, problems } = await loadPreset('qualys-scan', 'qualys-scan.csv');
    expect(problems).toEqual([]);
    expect(rows.map((r) => `${r.asset} ${r.qid} ${r.type} ${r.severity}`)).toEqual([
      '10.40.2.11 92154 Vuln Urgent',
      '10.40.2.11 105943 Vuln Critical',
      '10.40.2.11 38173 Vuln Medium',
      '10.40.2.11 82003 Vuln Minimal',
      '10.40.2.11 45038 Ig Minimal',
      '10.40.2.12 38739 Vuln Serious',
      '10.40.2.12 42430 Vuln Urgent',
      '10.40.2.12 20455 Practice Critical',
      '10.40.2.12 6 Ig Minimal',
      '192.0.2.25 86000 Ig Minimal',
      '192.0.2.25 38628 Vuln Serious',
      '192.0.2.25 11827 Vuln Medium',
    ]);
    const [patch, eol, cert, , scanTime, , regresshion, mysql, dnsName] = rows;
    expect(patch).toMatchObject({
      dns: 'web01.example.com',
      netbios: 'WEB01',
      os: 'Windows Server 2019 Standard 64 bit Edition Version 1809',
      ip_status: 'host scanned, found vuln',
      name: 'Microsoft Windows Security Update for August 2024',
      severity: 'Urgent',
      severity_level: 5,
      port: null, // bare empty cell
      protocol: null,
      cve: ['CVE-2024-38063', 'CVE-2024-38077', 'CVE-2024-38106'],
      vendor_reference: 'KB5041578',
      bugtraq_id: null,
      cvss: '9.3',
      cvss3: '9.8 (AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H)',
      cvss3_temporal: '8.5 (E:U/RL:O/RC:C)',
      pci_vuln: true,
      os_cpe: 'cpe:/o:microsoft:windows_server_2019:1809:::x64',
      category: 'Windows',
    });
    expect(patch!.threat).toBe(
      'Microsoft releases the security update for Windows August 2024.\nThe KB Articles associated with the update:\nKB5041578 (https://support.microsoft.com/help/5041578)',
    );
    expect(eol).toMatchObject({ cve: null, severity_level: 4 });
    expect(cert).toMatchObject({ port: 3389, protocol: 'tcp', ssl: 'over ssl', severity: 'Medium' });
    expect(scanTime).toMatchObject({ type: 'Ig', impact: null, solution: null, pci_vuln: false, cvss: null });
    expect(scanTime!.results).toContain('Scan duration: 1123 seconds\n\nStart time:');
    expect(regresshion).toMatchObject({ cve: ['CVE-2024-6387'], port: 22, vendor_reference: 'regreSSHion' });
    expect(regresshion!.exploitability).toBe(
      'The Exploit-DB\nReference: CVE-2024-6387\nDescription: OpenSSH regreSSHion proof of concept',
    );
    expect(mysql).toMatchObject({ type: 'Practice', port: 3306, cve: ['CVE-2024-20996', 'CVE-2024-21125'] });
    expect(dnsName).toMatchObject({
      netbios: null,
      results: '#table\nIP_address Host_name\n10.40.2.12 db01.example.com',
    });
  });

  it('finds no header without header_starts_with (the preamble is what a plain read sees)', async () => {
    await expect(
      loadPreset('qualys-scan', 'qualys-scan.csv', { csv: { header_starts_with: '"Scan' } }),
    ).rejects.toThrow(
      /required column "IP" \(field asset\) is not in the header; the header has "Scan Results"/,
    );
  });

  it('supports the documented KPI formulas on the severity names, the 1-5 level and the Ig type', async () => {
    const values = await kpiValues({
      URGENT_CRITICAL: 'count(qualys, severity in ["Urgent", "Critical"] and type == "Vuln")',
      URGENT_CRITICAL_LEVEL: 'count(qualys, severity_level >= 4 and type == "Vuln")',
      WITH_POTENTIAL: 'count(qualys, severity in ["Urgent", "Critical"] and type != "Ig")',
      NOT_IG: 'count(qualys, type != "Ig")',
      ALL_ROWS: 'count(qualys)',
      HOSTS_URGENT: 'count_distinct(qualys, asset, severity == "Urgent")',
      PCI: 'count(qualys, pci_vuln and type == "Vuln")',
      REGRESSHION: 'count(qualys, "CVE-2024-6387" in cve)',
    });
    expect(values).toEqual({
      URGENT_CRITICAL: 3,
      URGENT_CRITICAL_LEVEL: 3,
      WITH_POTENTIAL: 4,
      NOT_IG: 9,
      ALL_ROWS: 12,
      HOSTS_URGENT: 2,
      PCI: 5,
      REGRESSHION: 1,
    });
  });

  it('refuses a severity written as its code or a number in a formula (the values are the names)', async () => {
    await expect(kpiValues({ BAD: 'count(qualys, severity == "5")' })).rejects.toThrow(
      /"5" is not a value of qualys.severity/,
    );
    await expect(kpiValues({ BAD: 'count(qualys, severity == 4)' })).rejects.toThrow(
      /cannot compare a string with a number/,
    );
    // `in` follows the same rule as `==`
    await expect(kpiValues({ BAD: 'count(qualys, severity in [4, 5])' })).rejects.toThrow(
      /the list holds numbers but the value is a string; write the items in quotes/,
    );
    await expect(kpiValues({ BAD: 'count(qualys, severity_level in ["4", 5])' })).rejects.toThrow(
      /the list holds a mix of text and numbers but the value is a number/,
    );
  });
});
