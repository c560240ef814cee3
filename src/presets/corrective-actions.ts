/**
 * Corrective actions as a CSV: the columns of the `actions:` list (src/catalogue/actions.ts), so the file
 * `isms-kpi actions --actions FILE.csv` reads is also a register source of the catalogue.
 */
import type { Preset } from './types.js';

export const correctiveActions: Preset = {
  name: 'corrective-actions',
  title: 'Corrective actions register (generic CSV, the columns of actions.yaml)',
  notes: [
    'One row per action: `id, kpi, segment, opened, owner, description, expected, due, status, links`, the fields of an `actions:` entry; `links` are ticket ids separated by `;`. `isms-kpi actions --actions FILE.csv` and `isms-kpi review --actions FILE.csv` read the same file and judge each action.',
    '`opened` and `due` are a period (`2026-Q2`) or a date (`2026-07-15`), so they are read as text; `status` must be open, done or cancelled.',
    'A register is a snapshot: give `as_of` (the day the file was exported) next to the preset.',
  ],
  formats: {
    csv: {
      kind: 'snapshot',
      key: 'id',
      fields: {
        id: { column: 'id', required: true, description: 'Action id' },
        kpi: { column: 'kpi', required: true, description: 'The KPI the action should move' },
        segment: { column: 'segment', description: 'One segment of the KPI, if the action is about one' },
        opened: { column: 'opened', required: true, description: 'A period (2026-Q2) or a date' },
        owner: { column: 'owner', personal: true },
        description: { column: 'description' },
        expected: { column: 'expected', description: 'The expected effect, a comparison like ">= 95"' },
        due: { column: 'due', description: 'A period or a date' },
        status: { column: 'status', type: 'enum', values: ['open', 'done', 'cancelled'], required: true },
        links: { column: 'links', type: 'list', separator: ';', description: 'Ticket ids' },
      },
      signature: {
        required: ['id', 'kpi', 'expected', 'due', 'status'],
        optional: ['segment', 'opened', 'owner', 'description', 'links'],
      },
    },
  },
};
