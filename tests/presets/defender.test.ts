import { describe, expect, it } from 'vitest';
import { loadPreset, presetKpiValues } from './load-preset.js';

const kpiValues = (formulas: Record<string, string>) =>
  presetKpiValues(
    { source: 'defender', preset: 'defender-vulnerabilities', file: 'defender-vulnerabilities.json' },
    formulas,
  );

const LAPTOP = '5f1e2d3c4b5a69788796a5b4c3d2e1f00a1b2c3d';

describe('preset defender-vulnerabilities', () => {
  it('reads the records inside the Graph envelope ("value")', async () => {
    const { rows, problems } = await loadPreset('defender-vulnerabilities', 'defender-vulnerabilities.json');
    expect(problems).toEqual([]);
    expect(rows.map((r) => `${r.asset} ${r.cve} ${r.severity}`)).toEqual([
      'lt-0142.corp.example.com CVE-2024-38063 Critical',
      'lt-0142.corp.example.com CVE-2024-6779 High',
      'lt-0142.corp.example.com CVE-2024-38081 High',
      'srv-app01.corp.example.com CVE-2024-38063 Critical',
      'srv-app01.corp.example.com CVE-2024-38077 Critical',
      'srv-app01.corp.example.com CVE-2021-44228 Critical',
      'srv-app01.corp.example.com CVE-2024-21147 Medium',
      'lnx-web02.example.org CVE-2024-6387 High',
      'lnx-web02.example.org CVE-2023-48795 Medium',
      'lnx-web02.example.org CVE-2024-7347 Low',
    ]);
    const [win, chrome, dotnet, server, , log4j, , , , nginx] = rows;
    expect(win).toMatchObject({
      id: `${LAPTOP}_microsoft_windows_11_10.0.22631.3880_CVE-2024-38063`,
      device_id: LAPTOP,
      rbac_group: 'Finance laptops',
      os_platform: 'Windows11',
      os_version: '10.0.22631.3880',
      os_architecture: 'x64',
      software_vendor: 'microsoft',
      software_name: 'windows_11',
      software_version: '10.0.22631.3880',
      recommended_update: 'August 2024 Security Updates',
      recommended_update_id: '5041585',
      recommended_update_url: 'https://catalog.update.microsoft.com/v7/site/Search.aspx?q=KB5041585',
      disk_paths: ['C:\\Windows\\System32\\drivers\\tcpip.sys'],
      first_seen: Date.parse('2026-07-14T08:22:10Z'),
      last_seen: Date.parse('2026-09-28T06:01:44Z'),
      exploitability: 'NoExploit',
      recommendation_reference: 'va-_-microsoft-_-windows_11',
      status: 'New',
      event_time: Date.parse('2026-09-28T06:05:12.291Z'),
    });
    expect(chrome).toMatchObject({
      recommended_update: null,
      recommended_update_id: null,
      recommended_update_url: null,
      registry_paths: [
        'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Google Chrome',
      ],
      exploitability: 'ExploitIsPublic',
    });
    expect(dotnet).toMatchObject({ status: 'Fixed', first_seen: Date.parse('2026-06-30T23:59:59Z') });
    // osVersion null in the JSON; one fraction digit in eventTimestamp
    expect(server).toMatchObject({ os_version: null, event_time: Date.parse('2026-09-29T22:41:30.500Z') });
    expect(log4j!.disk_paths).toEqual([
      'D:\\apps\\billing\\lib\\log4j-core-2.14.1.jar',
      'E:\\backup\\billing\\lib\\log4j-core-2.14.1.jar',
    ]);
    expect(nginx).toMatchObject({
      severity: 'Low',
      os_platform: 'Linux',
      event_time: Date.parse('2026-09-30T03:02:00Z'),
    });
    expect(nginx!.disk_paths ?? []).toEqual([]);
  });

  it('reads the zone-less first/last seen timestamps as UTC whatever the catalogue time zone', async () => {
    const { rows, problems } = await loadPreset(
      'defender-vulnerabilities',
      'defender-vulnerabilities.json',
      {},
      { timezone: 'Europe/Berlin' },
    );
    expect(problems).toEqual([]);
    expect(rows[0]).toMatchObject({
      first_seen: Date.parse('2026-07-14T08:22:10Z'),
      last_seen: Date.parse('2026-09-28T06:01:44Z'),
      event_time: Date.parse('2026-09-28T06:05:12.291Z'),
    });
  });

  it('answers device and finding KPIs', async () => {
    const values = await kpiValues({
      CRITICAL: 'count(defender, severity == "Critical")',
      CRITICAL_DEVICES: 'count_distinct(defender, device_id, severity == "Critical")',
      OPEN_HIGH: 'count(defender, severity in ["Critical", "High"] and status != "Fixed")',
      EXPLOITED: 'count(defender, exploitability in ["ExploitIsVerified", "ExploitIsInKit"])',
      AGED: 'count(defender, status != "Fixed" and days(first_seen, last_seen) > 60)',
    });
    // AGED: Log4j (May 2 -> Sep 29), Terrapin (Apr 11 -> Sep 30), Win11 (Jul 14 -> Sep 28: 76 d),
    // server 38063 and 38077 (Jul 14 -> Sep 29), JRE (Jul 17 -> Sep 29: 74 d), OpenSSH (Jul 2 -> Sep 30), Chrome (Jul 20 -> Sep 28: 69.7 d)
    expect(values).toEqual({ CRITICAL: 4, CRITICAL_DEVICES: 2, OPEN_HIGH: 6, EXPLOITED: 3, AGED: 8 });
  });
});
