/**
 * The asset inventory as a generic CSV (the layout of the registers note of issue 22): one row per asset
 * with its criticality, data classification, operating system support and the coverage flags the data
 * protection and legacy KPIs read. Besides the documented columns it accepts an optional `system` (the
 * business system an asset belongs to: ERP, MES, ...), so KPIs can be segmented by it.
 */
import {
  columnsOf,
  criticality,
  flag,
  REGISTER_FALSE,
  REGISTER_NULLS,
  REGISTER_TRUE,
} from './register-reading.js';
import type { Preset, PresetField } from './types.js';

export const CLASSIFICATION_VALUES = ['public', 'internal', 'confidential', 'restricted'];

const ASSET_FIELDS: Record<string, PresetField> = {
  asset: {
    column: ['asset', 'asset_name', 'hostname'],
    required: true,
    description: 'Asset name or host name, unique in the file',
  },
  class: {
    column: ['class', 'asset_class', 'asset_type'],
    description: 'server, workstation, network device, PLC, cloud account...',
  },
  system: {
    column: ['system', 'business_system', 'service'],
    description: 'The business system it belongs to (optional column)',
  },
  site: { column: ['site', 'location'] },
  owner: { column: ['owner', 'asset_owner'], personal: true },
  criticality: criticality(['criticality', 'business_criticality']),
  classification: {
    column: ['classification', 'data_classification'],
    type: 'enum',
    values: CLASSIFICATION_VALUES,
    description:
      'Highest classification of the data it holds: public, internal, confidential or restricted; empty: not classified',
  },
  os: { column: ['os', 'operating_system'], description: 'Operating system or firmware, with version' },
  os_supported: flag(
    ['os_supported', 'supported_os', 'os_in_support'],
    'The OS still gets security updates from its vendor',
  ),
  edr: flag(['edr', 'edr_installed'], 'An EDR or anti-malware agent runs on it'),
  logging: flag(['logging', 'log_forwarding', 'siem'], 'Its security logs reach the central log platform'),
  backup: flag(['backup', 'backed_up'], 'It is in a backup job'),
  encrypted: flag(['encrypted', 'encryption'], 'Its data is encrypted at rest'),
  legacy: flag(
    ['legacy', 'is_legacy'],
    'A legacy system (out of support, or cannot be changed without the vendor)',
  ),
  compensating_controls: {
    column: ['compensating_controls', 'compensating_control'],
    description: 'The documented compensating controls (or a reference to them); empty: none documented',
  },
};

export const assetInventory: Preset = {
  name: 'asset-inventory',
  title: 'Asset inventory (generic CSV)',
  notes: [
    'A register kept as a spreadsheet, one row per asset, one file per review (`asset-inventory-{quarter}.csv`, `kind: snapshot`, `as_of: period_end`). An optional `system` column names the business system, for `segment_by: system`.',
    'Flags (`os_supported`, `edr`, `logging`, `backup`, `encrypted`, `legacy`) are `yes`/`no` (also `y`/`n`, `true`/`false`, `1`/`0`, `x`); `n/a`, `-` and an empty cell are no value: an asset where a flag does not apply (no OS on a cloud account) is neither covered nor uncovered, so write `no` where the control is missing.',
    '`criticality` is critical, high, medium or low, `classification` public, internal, confidential or restricted (any letter case). Another scheme (`streng vertraulich`, C1 to C4) needs the field redeclared in the source with its `values:`.',
    '`compensating_controls` is text: empty means none are documented. `count(assets, legacy and compensating_controls != null)` counts legacy assets with documented controls.',
  ],
  formats: {
    csv: {
      kind: 'snapshot',
      key: 'asset',
      null_tokens: REGISTER_NULLS,
      true_values: REGISTER_TRUE,
      false_values: REGISTER_FALSE,
      fields: ASSET_FIELDS,
      signature: {
        required: [
          ['asset', 'asset_name', 'hostname'],
          ['class', 'asset_class', 'asset_type'],
          ['criticality', 'business_criticality'],
          ['classification', 'data_classification'],
        ],
        optional: columnsOf(ASSET_FIELDS),
      },
    },
  },
};
