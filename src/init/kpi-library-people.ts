/**
 * KPI templates of the library for training and awareness registers: training records (`lms-training`,
 * `knowbe4-training-enrollments`) and phishing simulation results (`knowbe4-phishing-recipients`).
 * Kept beside kpi-library.ts, which lists them with its own; the bundled metrics.yaml has the same KPIs
 * for fixtures/acme (AW-01, AW-02, TR-01, TR-02).
 */
import type { KpiTemplate } from './kpi-library.js';

const inPeriod = (field: string) => `${field} >= period_start() and ${field} < period_end()`;

export const PEOPLE_KPIS: readonly KpiTemplate[] = [
  {
    id: 'TR-01',
    name: 'Assigned security training completed',
    description:
      'Training due in the period (for an export without due dates: enrolled in the period) that was completed.',
    area: 'Training and awareness',
    owner: 'Security awareness lead',
    cadence: 'quarterly',
    unit: '%',
    tier: 'key',
    controls: ['A.6.3'],
    thresholds: { green: '>= 95', amber: '>= 85' },
    decimals: 1,
    variants: [
      {
        fields: { due: 'datetime', completed: 'datetime' },
        formula: (c) =>
          `pct(count(${c.s}, ${inPeriod('due')} and completed != null), count(${c.s}, ${inPeriod('due')}))`,
      },
      {
        presets: ['knowbe4-training-enrollments'],
        fields: { assigned: 'datetime', completed: 'datetime' },
        formula: (c) =>
          `pct(count(${c.s}, ${inPeriod('assigned')} and completed != null), count(${c.s}, ${inPeriod('assigned')}))`,
      },
    ],
  },
  {
    id: 'TR-02',
    name: 'People with security training completed in the last 12 months',
    description:
      'People in the training export with a course completed at most 365 days before the period end.',
    area: 'Training and awareness',
    owner: 'Security awareness lead',
    cadence: 'quarterly',
    unit: '%',
    tier: 'key',
    controls: ['A.6.3'],
    thresholds: { green: '>= 90', amber: '>= 80' },
    decimals: 1,
    variants: [
      {
        kind: 'snapshot',
        fields: { email: 'text', completed: 'datetime' },
        formula: (c) =>
          `pct(count_distinct(${c.s}, lower(email), completed != null and age(completed) <= 365), count_distinct(${c.s}, lower(email)))`,
      },
    ],
  },
  {
    id: 'AW-01',
    name: 'Phishing simulation click rate',
    description: 'Recipients of the period’s phishing tests who clicked, among those the message reached.',
    area: 'Training and awareness',
    owner: 'Security awareness lead',
    cadence: 'quarterly',
    unit: '%',
    tier: 'supporting',
    controls: ['A.6.3'],
    thresholds: { green: '<= 5', amber: '<= 10' },
    decimals: 1,
    variants: [
      {
        kind: 'events',
        fields: { delivered: 'datetime', clicked: 'datetime' },
        formula: (c) => `pct(count(${c.s}, not_null(clicked)), count(${c.s}, not_null(delivered)))`,
      },
    ],
  },
  {
    id: 'AW-02',
    name: 'Phishing simulation report rate',
    description:
      'Recipients of the period’s phishing tests who reported the message, among those it reached.',
    area: 'Training and awareness',
    owner: 'Security awareness lead',
    cadence: 'quarterly',
    unit: '%',
    tier: 'key',
    controls: ['A.6.3', 'A.6.8'],
    thresholds: { green: '>= 60', amber: '>= 40' },
    decimals: 1,
    variants: [
      {
        kind: 'events',
        fields: { delivered: 'datetime', reported: 'datetime' },
        formula: (c) =>
          `pct(count(${c.s}, not_null(reported) and not_null(delivered)), count(${c.s}, not_null(delivered)))`,
      },
    ],
  },
];
