/**
 * The `exceptions-register` preset: the fields of the catalogue's `exceptions:` block plus the register's
 * own (one model: every key of the block is a field of the preset), and KPI values over the sample worked
 * out by hand.
 */
import { describe, expect, it } from 'vitest';
import { ExceptionSchema } from '../../src/catalogue/schema.js';
import { PRESETS } from '../../src/presets/index.js';
import { loadPreset, presetKpiValues } from './load-preset.js';

describe('preset exceptions-register', () => {
  it('has a field for every key of the exceptions: block, under the same name', () => {
    const fields = Object.keys(PRESETS['exceptions-register']!.formats.csv!.fields);
    expect(Object.keys(ExceptionSchema.shape).filter((key) => !fields.includes(key))).toEqual([]);
  });

  it('reads the register: dates, "-" and empty cells as no value', async () => {
    const { rows, problems } = await loadPreset('exceptions-register', 'exceptions-register.csv');
    expect(problems).toEqual([]);
    expect(rows[0]).toEqual({
      id: 'EXC-01',
      kpi: 'VM-01',
      segment: 'Plant Bremen',
      control: 'A.8.8',
      system: 'OT network',
      reason: 'Legacy PLC hosts cannot be patched before the line migration',
      approver: 'CISO',
      risk: 'RISK-042',
      approved: Date.parse('2026-01-15T00:00:00Z'),
      expires: Date.parse('2026-12-31T00:00:00Z'),
    });
    expect(rows[3]).toMatchObject({ id: 'EXC-04', kpi: null, expires: null });
    expect(rows[4]).toMatchObject({
      reason: 'Log retention 30 days, until the SIEM licence is extended',
      risk: null,
    });
  });

  it('gives the hand-computed KPI values (2026-Q3, UTC)', async () => {
    const values = await presetKpiValues(
      { source: 'exceptions', preset: 'exceptions-register', file: 'exceptions-register.csv' },
      {
        // Approved before 2026-10-01: all but EXC-06 (2 October); with an expiry: EXC-01, 02, 03, 05.
        WITH_EXPIRY:
          'pct(count(exceptions, approved < period_end() and expires != null), count(exceptions, approved < period_end()))',
        // Expired before the quarter's last day: EXC-02 (30 June). EXC-03 expires on 30 September, the last
        // day, and is still valid for the quarter.
        EXPIRED: 'count(exceptions, approved < period_end() and age(expires) > 1)',
        FOR_A_KPI: 'count(exceptions, kpi != null)',
      },
    );
    expect(values).toEqual({ WITH_EXPIRY: 80, EXPIRED: 1, FOR_A_KPI: 2 });
  });
});
