import { describe, expect, it } from 'vitest';
import { loadPreset, presetKpiValues } from './load-preset.js';

const kpiValues = (formulas: Record<string, string>) =>
  presetKpiValues(
    { source: 'sc', preset: 'tenable-sc', file: 'tenable-sc.csv', timezone: 'Europe/Berlin' },
    formulas,
  );

describe('preset tenable-sc', () => {
  it('reads the all-quoted CSV with blank lines between rows', async () => {
    const { rows, problems } = await loadPreset('tenable-sc', 'tenable-sc.csv');
    expect(problems).toEqual([]);
    // ten records: the blank line before each one is not a row
    expect(rows.map((r) => r.plugin_id)).toEqual([
      '156032',
      '97833',
      '108797',
      '51192',
      '10114',
      '19506',
      '187315',
      '201194',
      '11219',
      '42873',
    ]);
    expect(rows.map((r) => r.severity)).toEqual([
      'Critical',
      'High',
      'Critical',
      'Medium',
      'Low',
      'Info',
      'Medium',
      'High',
      'Info',
      'Medium',
    ]);
    const [log4j, ms17, unsupported, , icmp, , terrapin, , syn, sweet32] = rows;
    expect(log4j).toMatchObject({
      name: 'Apache Log4j < 2.17.0 Multiple Vulnerabilities',
      family: 'Misc.',
      asset: '10.30.1.15',
      protocol: 'TCP',
      port: 0,
      exploit_available: true,
      repository: 'Datacenter',
      mac_address: '00:50:56:9a:12:01',
      dns_name: 'billing01.example.com',
      netbios_name: 'EXAMPLE\\BILLING01',
      // EST = UTC-5, EDT = UTC-4
      first_seen: Date.parse('2025-12-14T07:14:07Z'),
      last_seen: Date.parse('2026-08-13T07:05:41Z'),
      vuln_published: Date.parse('2021-12-10T00:00:00Z'),
      exploit_frameworks: 'Metasploit (Log4Shell HTTP Header Injection), Core Impact',
      exploit_ease: 'Exploits are available',
      cve: ['CVE-2021-44228', 'CVE-2021-45046', 'CVE-2021-45105'],
    });
    expect(log4j!.plugin_output).toBe(
      'Plugin Output: \n  Path              : /opt/billing/lib/log4j-core-2.14.1.jar\n  Installed version : 2.14.1\n  Fixed version     : 2.17.0',
    );
    expect(log4j!.description).toContain('including "Log4Shell"');
    // comma-joined without spaces works too
    expect(ms17!.cve).toEqual([
      'CVE-2017-0143',
      'CVE-2017-0144',
      'CVE-2017-0145',
      'CVE-2017-0146',
      'CVE-2017-0147',
      'CVE-2017-0148',
    ]);
    expect(ms17).toMatchObject({ port: 445, first_seen: Date.parse('2026-04-18T05:47:12Z') });
    // the documented example: Jan 20, 2016 05:38:52 EST (here 2026)
    expect(unsupported).toMatchObject({
      first_seen: Date.parse('2026-01-20T10:38:52Z'),
      exploit_available: false,
      cve: null, // N/A
      vuln_published: null, // N/A
      exploit_ease: null, // N/A
      exploit_frameworks: null,
    });
    expect(icmp).toMatchObject({
      protocol: 'ICMP',
      see_also: null,
      vuln_published: Date.parse('1999-08-01T04:00:00Z'),
    });
    expect(terrapin).toMatchObject({
      asset: '192.0.2.40',
      repository: 'DMZ',
      mac_address: null, // N/A
      netbios_name: null,
      first_seen: Date.parse('2026-07-01T03:59:59Z'),
    });
    expect(syn).toMatchObject({
      plugin_output: 'Plugin Output: Port 22/tcp was found to be open',
      cve: null,
    });
    expect(sweet32).toMatchObject({
      port: 3389,
      dns_name: null,
      first_seen: Date.parse('2025-11-03T14:12:00Z'),
    });
  });

  it('answers KPIs on severity, exploitability and CVE membership', async () => {
    const values = await kpiValues({
      FINDINGS: 'count(sc, severity != "Info")',
      CRIT_HIGH_EXPLOITABLE: 'count(sc, severity in ["Critical", "High"] and exploit_available)',
      LOG4SHELL_HOSTS: 'count_distinct(sc, asset, "CVE-2021-44228" in cve)',
      OLD: 'count(sc, severity != "Info" and age(first_seen) > 180)',
    });
    // OLD: first seen more than 180 days before 2026-09-30 24:00 Berlin: Log4j (Dec 14), unsupported (Jan 20),
    // ICMP (Feb 2), SWEET32 (Nov 3)
    expect(values).toEqual({ FINDINGS: 8, CRIT_HIGH_EXPLOITABLE: 3, LOG4SHELL_HOSTS: 1, OLD: 4 });
  });
});
