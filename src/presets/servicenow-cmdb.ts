/**
 * ServiceNow CMDB configuration items, as a list export (CSV) of `cmdb_ci` or one of its classes
 * (`cmdb_ci_computer`, `cmdb_ci_server`, ...).
 *
 * Column names: the field names of the Configuration Item [cmdb_ci] class in ServiceNow's product
 * documentation ("Configuration Item [cmdb_ci] class", CMDB table property descriptions: name,
 * sys_class_name, asset_tag, serial_number, location, operational_status, install_status, used_for,
 * assigned_to, support_group, managed_by, owned_by, ip_address, sys_updated_on) and of the computer class
 * (os, os_version); the labels (`Class`, `Operational status`, `Status`) are what a list exported "as
 * displayed" or from Excel carries. Business criticality is `busines_criticality` (ServiceNow's own
 * spelling, on service and application classes; values `1 - most critical` to `4 - not critical`).
 * A list export writes display values (`Operational`, `Installed`, the location's and the people's
 * names, class labels such as `Windows Server`), all quoted, as the change and incident exports do.
 *
 * ServiceNow has no base-system fields for data classification, encryption, EDR, OS vendor support or
 * compensating controls: instances that track them add custom columns. The preset reads the usual
 * spellings (`u_data_classification`, `u_encrypted`, `u_edr`, ...) when present; a source maps its own
 * names by redeclaring the field (`classification: { column: u_info_class }`).
 */
import { CRITICALITY_VALUES, columnsOf, flag } from './register-reading.js';
import { csvDate } from './servicenow.js';
import type { Preset, PresetField } from './types.js';

/** The display values of `busines_criticality`, and their codes, on the register's scale. */
const CRITICALITY_MAP = {
  '1 - most critical': 'critical',
  '2 - somewhat critical': 'high',
  '3 - less critical': 'medium',
  '4 - not critical': 'low',
  '1': 'critical',
  '2': 'high',
  '3': 'medium',
  '4': 'low',
};

const CMDB_FIELDS: Record<string, PresetField> = {
  asset: { column: ['name', 'Name'], required: true, description: 'The CI’s name' },
  class: {
    column: ['sys_class_name', 'Class'],
    description: 'Class label: Windows Server, Linux Server, Computer, IP Switch...',
  },
  asset_tag: { column: ['asset_tag', 'Asset tag'] },
  serial_number: { column: ['serial_number', 'Serial number'] },
  site: { column: ['location', 'Location'], description: 'The location’s name' },
  operational_status: {
    column: ['operational_status', 'Operational status'],
    description: 'Operational, Non-Operational, Repair in Progress, DR Standby, Ready, Retired...',
  },
  install_status: {
    column: ['install_status', 'Status', 'Install Status'],
    description: 'Installed, In Maintenance, Pending Install, In Stock, Retired, Absent...',
  },
  used_for: {
    column: ['used_for', 'Used for'],
    description: 'Production, Staging, QA, Test, Development...',
  },
  os: { column: ['os', 'Operating System'] },
  os_version: { column: ['os_version', 'OS Version'] },
  ip_address: { column: ['ip_address', 'IP Address'] },
  assignee: { column: ['assigned_to', 'Assigned to'], personal: true },
  group: { column: ['support_group', 'Support group'] },
  owner: { column: ['owned_by', 'Owned by', 'managed_by', 'Managed by'], personal: true },
  criticality: {
    column: ['busines_criticality', 'business_criticality', 'Business criticality', 'u_criticality'],
    type: 'enum',
    values: CRITICALITY_VALUES,
    map: CRITICALITY_MAP,
    description: "Business criticality, on the asset inventory's scale",
  },
  updated: csvDate('sys_updated_on', 'Updated'),
  classification: {
    column: ['u_data_classification', 'u_classification', 'Data classification'],
    description: 'custom column: public, internal, confidential, restricted...',
  },
  os_supported: flag(
    ['u_os_supported', 'OS supported'],
    'custom column: the OS still gets vendor security updates',
  ),
  edr: flag(['u_edr', 'u_edr_installed', 'EDR'], 'custom column: an EDR agent runs on it'),
  logging: flag(['u_log_forwarding', 'u_logging', 'Log forwarding'], 'custom column: logs reach the SIEM'),
  backup: flag(['u_backup', 'u_backed_up', 'Backup'], 'custom column: in a backup job'),
  encrypted: flag(['u_encrypted', 'u_encryption', 'Encrypted'], 'custom column: data encrypted at rest'),
  legacy: flag(['u_legacy', 'Legacy'], 'custom column: a legacy system'),
  compensating_controls: {
    column: ['u_compensating_controls', 'Compensating controls'],
    description: 'custom column: documented compensating controls; empty: none',
  },
};

export const servicenowCmdbCi: Preset = {
  name: 'servicenow-cmdb-ci',
  title: 'ServiceNow CMDB configuration items (cmdb_ci list export, CSV display values)',
  notes: [
    'A list export of `cmdb_ci` or of a class below it (`cmdb_ci_computer`, `cmdb_ci_server`): `os` and `os_version` only exist on computer classes. Export it at each review (`cmdb-ci-{quarter}.csv`, `kind: snapshot`).',
    'Values are display values, all quoted: `Operational`, `Installed`, class labels (`Windows Server`), location, user and group names; `""`, an empty cell and a literal `null` are no value. Retired CIs stay in the table: a KPI over live assets adds `(install_status == null or install_status != "Retired")` (the library\'s KPIs do).',
    "`busines_criticality` (ServiceNow's spelling) `1 - most critical`, `2 - somewhat critical`, `3 - less critical` and `4 - not critical` (or the codes 1 to 4) is read as critical, high, medium and low, the scale of the generic asset inventory, so one formula serves both.",
    'Classification, encryption, EDR, log forwarding, backup, OS support, legacy and compensating controls are not base-system fields: the preset reads the custom columns `u_data_classification`, `u_encrypted`, `u_edr`, `u_log_forwarding`, `u_backup`, `u_os_supported`, `u_legacy` and `u_compensating_controls` when the export has them (booleans `true`/`false`); other names need the field redeclared in the source.',
    'CI names are not unique in every CMDB (two `PLC-01` in two plants), so the preset declares no key: duplicates are read as they are.',
  ],
  formats: {
    csv: {
      kind: 'snapshot',
      fields: CMDB_FIELDS,
      signature: {
        required: [
          ['name', 'Name'],
          ['sys_class_name', 'Class'],
          ['operational_status', 'Operational status'],
          ['install_status', 'Status', 'Install Status'],
        ],
        optional: columnsOf(CMDB_FIELDS),
      },
    },
  },
};
