/**
 * Presets asset-inventory (generic CSV) and servicenow-cmdb-ci (ServiceNow list export) over their samples
 * in fixtures/presets: the rows as read, and the data protection and legacy KPIs counted by hand.
 */
import { describe, expect, it } from 'vitest';
import { loadPreset, presetKpiValues, variantWriter } from './load-preset.js';

const variant = variantWriter('isms-assets-');

const KEY = 'criticality in ["critical", "high"]';
const SENSITIVE = 'classification in ["confidential", "restricted"]';

describe('preset asset-inventory', () => {
  it('reads the register: flags, n/a and "-" as no value, enum spellings', async () => {
    const { rows, problems } = await loadPreset('asset-inventory', 'asset-inventory.csv');
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(8);
    expect(rows[2]).toEqual({
      asset: 'mes-hmi-03',
      class: 'workstation',
      system: 'MES',
      site: 'Leipzig',
      owner: 'Marek Nowak',
      criticality: 'high',
      classification: 'internal',
      os: 'Windows 7 Embedded',
      os_supported: false,
      edr: false,
      logging: true,
      backup: true,
      encrypted: false,
      legacy: true,
      compensating_controls: 'OT VLAN isolation; USB ports locked; vendor access via jump host only',
    });
    // Not classified; EDR does not apply (n/a).
    expect(rows[3]).toMatchObject({
      asset: 'plc-ldz-07',
      classification: null,
      edr: null,
      compensating_controls: null,
    });
    // "High" and "Confidential" are stored in the preset's spelling.
    expect(rows[4]).toMatchObject({ criticality: 'high', classification: 'confidential' });
    // "-" as site, n/a as OS and as os_supported.
    expect(rows[6]).toMatchObject({ asset: 'aws-prod', site: null, os: null, os_supported: null });
  });

  it('gives the data protection and legacy KPIs the values counted by hand', async () => {
    const values = await presetKpiValues(
      { source: 'assets', preset: 'asset-inventory', file: 'asset-inventory.csv' },
      {
        // Critical or high: erp-app-01, erp-db-01, mes-hmi-03, plc-ldz-07, plm-vault-01, aws-prod; plc-ldz-07
        // is not classified.
        CLASSIFIED: `pct(count(assets, ${KEY} and classification != null), count(assets, ${KEY}))`,
        // Confidential or restricted: erp-app-01, erp-db-01 (not encrypted), plm-vault-01, aws-prod.
        ENCRYPTED: `pct(count(assets, ${SENSITIVE} and encrypted), count(assets, ${SENSITIVE}))`,
        // Legacy and critical or high: mes-hmi-03 and plm-vault-01 have controls, plc-ldz-07 has none.
        COMPENSATED: `pct(count(assets, legacy and ${KEY} and compensating_controls != null), count(assets, legacy and ${KEY}))`,
        UNSUPPORTED: 'count(assets, os_supported == false)',
        EXPOSED: 'count(assets, os_supported == false and compensating_controls == null)',
      },
    );
    expect(values).toEqual({
      CLASSIFIED: 500 / 6,
      ENCRYPTED: 75,
      COMPENSATED: 200 / 3,
      UNSUPPORTED: 3,
      EXPOSED: 1,
    });
  });

  it('accepts the alternative column names and rejects a classification outside the scheme', async () => {
    const file = await variant(
      'assets-alt.csv',
      [
        'hostname,asset_type,location,business_criticality,data_classification,operating_system,supported_os,edr_installed,is_legacy',
        'srv-1,server,Brno,Critical,Restricted,Debian 12,y,x,n',
        'srv-2,server,Brno,low,streng vertraulich,Debian 9,n,n,y',
      ].join('\n'),
    );
    const { rows, problems } = await loadPreset('asset-inventory', file);
    expect(rows).toEqual([
      expect.objectContaining({
        asset: 'srv-1',
        class: 'server',
        site: 'Brno',
        criticality: 'critical',
        classification: 'restricted',
        os: 'Debian 12',
        os_supported: true,
        edr: true,
        legacy: false,
      }),
    ]);
    const invalid = problems.filter((p) => !p.includes('is not in the header'));
    expect(invalid).toHaveLength(1);
    expect(invalid[0]).toContain('streng vertraulich');
  });
});

describe('preset servicenow-cmdb-ci', () => {
  it('reads the quoted display values, the criticality scale and the custom columns', async () => {
    const { rows, problems } = await loadPreset('servicenow-cmdb-ci', 'servicenow-cmdb-ci.csv');
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(8);
    expect(rows[2]).toEqual({
      asset: 'SCADA-HIST-01',
      class: 'Windows Server',
      asset_tag: 'P1000310',
      serial_number: 'CZ2481K0QF',
      site: 'Plant Györ',
      operational_status: 'Operational',
      install_status: 'Installed',
      used_for: 'Production',
      os: 'Windows 2008 R2 Standard',
      os_version: '6.1.7601',
      ip_address: '10.80.3.5',
      assignee: null,
      group: 'OT Operations',
      owner: 'Zoltán Varga',
      criticality: 'high',
      updated: Date.parse('2026-09-15T08:30:00Z'),
      classification: 'Internal',
      os_supported: false,
      edr: null,
      logging: null,
      backup: null,
      encrypted: false,
      legacy: true,
      compensating_controls: 'Firewall zone OT-3; no internet access; read-only replication',
    });
    expect(rows.map((r) => r.criticality)).toEqual([
      'critical',
      'critical',
      'high',
      'medium',
      'high',
      'high',
      'low',
      null,
    ]);
    // A literal null is no value.
    expect(rows[6]).toMatchObject({ asset: 'KIOSK-03', classification: null, os_version: null });
  });

  it('gives the KPIs over live CIs the values counted by hand', async () => {
    const live = 'install_status != "Retired"';
    const values = await presetKpiValues(
      { source: 'cmdb', preset: 'servicenow-cmdb-ci', file: 'servicenow-cmdb-ci.csv' },
      {
        LIVE: `count(cmdb, ${live})`,
        // Live and critical or high: SAP-PRD-APP01, SAP-PRD-DB01, SCADA-HIST-01, HR-APP-01 (not classified).
        CLASSIFIED: `pct(count(cmdb, ${live} and ${KEY} and classification != null), count(cmdb, ${live} and ${KEY}))`,
        // Confidential or restricted and live: SAP-PRD-APP01 (encrypted), SAP-PRD-DB01 (not).
        ENCRYPTED: `pct(count(cmdb, ${live} and lower(classification) in ["confidential", "restricted"] and encrypted), count(cmdb, ${live} and lower(classification) in ["confidential", "restricted"]))`,
        // SCADA-HIST-01 and LAB-WS-17; the retired OLD-FS-02 does not count.
        UNSUPPORTED: `count(cmdb, ${live} and os_supported == false)`,
        EXPOSED: `count(cmdb, ${live} and os_supported == false and compensating_controls == null)`,
      },
    );
    expect(values).toEqual({ LIVE: 7, CLASSIFIED: 75, ENCRYPTED: 50, UNSUPPORTED: 2, EXPOSED: 1 });
  });

  it('reads an export with the column labels instead of the field names', async () => {
    const file = await variant(
      'cmdb-labels.csv',
      [
        '"Name","Class","Location","Operational status","Status","Operating System","Business criticality","Updated"',
        '"MES-APP-02","Linux Server","Plant Györ","Operational","Installed","Linux Red Hat","2 - Somewhat critical","7/1/2026 6:04"',
      ].join('\n'),
    );
    const { rows } = await loadPreset('servicenow-cmdb-ci', file);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      asset: 'MES-APP-02',
      class: 'Linux Server',
      site: 'Plant Györ',
      install_status: 'Installed',
      os: 'Linux Red Hat',
      criticality: 'high',
      updated: Date.parse('2026-07-01T06:04:00Z'),
    });
  });
});
