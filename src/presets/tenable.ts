import type { Preset } from './types.js';

const TENABLE_SC_COLUMNS = [
  'Plugin',
  'Plugin Name',
  'Family',
  'Severity',
  'IP Address',
  'Protocol',
  'Port',
  'Exploit?',
  'Repository',
  'MAC Address',
  'DNS Name',
  'NetBIOS Name',
  'Plugin Text',
  'First Discovered',
  'Last Observed',
  'Exploit Frameworks',
  'Synopsis',
  'Description',
  'Solution',
  'See Also',
  'CVE',
  'Vuln Publication Date',
  'Exploit Ease',
];

/** `Jan 20, 2016 05:38:52 EST`: the zone abbreviation (EST, EDT, CET, ...) gives the offset. */
const SC_DATE = ['MMM d, yyyy HH:mm:ss z'];

export const tenableSc: Preset = {
  name: 'tenable-sc',
  title: 'Tenable.sc (SecurityCenter) vulnerability list (CSV)',
  notes: [
    'Dates look like `Jan 20, 2016 05:38:52 EST`; the zone abbreviation (EST, EDT, CET, ...) is read as a fixed offset, so no time zone needs to be set.',
    '`N/A` (no MAC address, no publication date, no CVE) is read as no value; the blank lines Tenable.sc writes between rows are skipped.',
    '`Exploit?` is `Yes`/`No` and becomes a true/false field `exploit_available`; `CVE` holds several CVEs joined with commas and is read as a list (`"CVE-2021-44228" in cve`).',
    'One row is one plugin on one host and port, so `count()` counts findings. Severity `Info` is the informational level: leave it out with `severity != "Info"`.',
  ],
  formats: {
    csv: {
      kind: 'snapshot',
      key: ['plugin_id', 'asset'],
      record_type: 'finding',
      fields: {
        plugin_id: { column: 'Plugin', description: 'Nessus plugin number' },
        name: { column: 'Plugin Name' },
        family: { column: 'Family' },
        severity: {
          column: 'Severity',
          type: 'enum',
          values: ['Critical', 'High', 'Medium', 'Low', 'Info'],
          required: true,
          description: 'Critical, High, Medium, Low or Info (informational)',
        },
        asset: { column: 'IP Address', required: true, description: 'IP address of the host' },
        protocol: { column: 'Protocol' },
        port: { column: 'Port', type: 'integer', description: '0 for host-level findings' },
        exploit_available: { column: 'Exploit?', type: 'boolean', description: 'Exploit? Yes/No' },
        repository: { column: 'Repository' },
        mac_address: { column: 'MAC Address' },
        dns_name: { column: 'DNS Name' },
        netbios_name: { column: 'NetBIOS Name' },
        plugin_output: { column: 'Plugin Text' },
        first_seen: { column: 'First Discovered', type: 'datetime', format: SC_DATE },
        last_seen: { column: 'Last Observed', type: 'datetime', format: SC_DATE },
        exploit_frameworks: { column: 'Exploit Frameworks' },
        synopsis: { column: 'Synopsis' },
        description: { column: 'Description' },
        solution: { column: 'Solution' },
        see_also: { column: 'See Also' },
        cve: { column: 'CVE', type: 'list', description: 'CVE ids, comma-joined in the export' },
        vuln_published: { column: 'Vuln Publication Date', type: 'datetime', format: SC_DATE },
        exploit_ease: { column: 'Exploit Ease' },
      },
      signature: {
        required: ['Plugin', 'Plugin Name', 'Severity', 'IP Address', 'Repository'],
        optional: TENABLE_SC_COLUMNS,
      },
    },
  },
};
