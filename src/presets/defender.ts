import type { Preset, PresetField } from './types.js';

const DEFENDER_KEYS = [
  'id',
  'deviceId',
  'rbacGroupName',
  'deviceName',
  'osPlatform',
  'osVersion',
  'osArchitecture',
  'softwareVendor',
  'softwareName',
  'softwareVersion',
  'cveId',
  'vulnerabilitySeverityLevel',
  'recommendedSecurityUpdate',
  'recommendedSecurityUpdateId',
  'recommendedSecurityUpdateUrl',
  'diskPaths',
  'registryPaths',
  'lastSeenTimestamp',
  'firstSeenTimestamp',
  'exploitabilityLevel',
  'recommendationReference',
  'status',
  'eventTimestamp',
];

/** `2021-01-05 17:04:30`: no zone in the export; Microsoft documents these timestamps as UTC. */
const NO_ZONE: PresetField = { type: 'datetime', format: ['yyyy-MM-dd HH:mm:ss'], timezone: 'UTC' };

export const defenderVulnerabilities: Preset = {
  name: 'defender-vulnerabilities',
  title: 'Microsoft Defender Vulnerability Management, vulnerabilities by device (JSON)',
  notes: [
    'The records are read from the `value` array of the API envelope (`{"@odata.context": ..., "value": [...]}`).',
    'One record is one CVE in one software product on one device (`asset` is the device name); count devices with `count_distinct(defender, device_id, severity == "Critical")`.',
    '`firstSeenTimestamp` and `lastSeenTimestamp` are written without a zone (`2021-01-05 17:04:30`); Microsoft documents them as UTC and the preset reads them as UTC whatever the catalogue time zone. `eventTimestamp` carries its zone (`Z`).',
    '`diskPaths` and `registryPaths` are JSON arrays and are read as lists; `exploitabilityLevel` (`NoExploit`, `ExploitIsPublic`, `ExploitIsVerified`, `ExploitIsInKit`) and `status` (`New`, `Updated`, `Fixed` in the delta export) are kept as written, so `status != "Fixed"` leaves out remediated records.',
  ],
  formats: {
    json: {
      kind: 'snapshot',
      key: 'id',
      record_type: 'finding',
      json: { records: '/value' },
      fields: {
        id: { path: 'id', description: 'record id (device, software and CVE)' },
        device_id: { path: 'deviceId' },
        asset: { path: 'deviceName', required: true, description: 'device name' },
        rbac_group: { path: 'rbacGroupName', description: 'device group' },
        os_platform: { path: 'osPlatform' },
        os_version: { path: 'osVersion' },
        os_architecture: { path: 'osArchitecture' },
        software_vendor: { path: 'softwareVendor' },
        software_name: { path: 'softwareName' },
        software_version: { path: 'softwareVersion' },
        cve: { path: 'cveId' },
        severity: {
          path: 'vulnerabilitySeverityLevel',
          type: 'enum',
          values: ['Critical', 'High', 'Medium', 'Low'],
          required: true,
        },
        recommended_update: { path: 'recommendedSecurityUpdate' },
        recommended_update_id: { path: 'recommendedSecurityUpdateId' },
        recommended_update_url: { path: 'recommendedSecurityUpdateUrl' },
        disk_paths: { path: 'diskPaths', type: 'list' },
        registry_paths: { path: 'registryPaths', type: 'list' },
        first_seen: { path: 'firstSeenTimestamp', ...NO_ZONE },
        last_seen: { path: 'lastSeenTimestamp', ...NO_ZONE },
        exploitability: { path: 'exploitabilityLevel' },
        recommendation_reference: { path: 'recommendationReference' },
        status: { path: 'status' },
        event_time: { path: 'eventTimestamp', type: 'datetime' },
      },
      signature: {
        required: ['deviceId', 'deviceName', 'cveId', 'vulnerabilitySeverityLevel', 'softwareName'],
        optional: DEFENDER_KEYS,
      },
    },
  },
};
