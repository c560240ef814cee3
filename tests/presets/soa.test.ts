/**
 * The `soa` preset reads the Statement of Applicability that `audit-catalogue --soa` reads (src/app/soa.ts):
 * one model, so both readers must agree on every row of the sample, and the KPI values over it are worked
 * out by hand.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSoa } from '../../src/app/soa.js';
import { loadPreset, PRESET_FIXTURES, presetKpiValues } from './load-preset.js';

describe('preset soa', () => {
  it('reads the SoA with implementation status; audit-catalogue reads the same rows', async () => {
    const { rows, problems } = await loadPreset('soa', 'soa.csv');
    expect(problems).toEqual([]);
    expect(rows.map((r) => [r.control, r.applicable, r.status])).toEqual([
      ['A.5.1', true, 'implemented'],
      ['A.5.15', true, 'implemented'],
      ['A.5.23', true, 'partially implemented'],
      ['A.6.3', true, 'implemented'],
      ['A.7.4', true, 'planned'],
      ['A.8.8', true, 'implemented'],
      ['A.8.9', false, null],
      ['A.8.24', true, 'not implemented'],
      ['A.8.30', false, null],
    ]);
    expect(rows[2]).toMatchObject({
      owner: 'Cloud platform lead',
      last_verified: Date.parse('2025-06-30T00:00:00Z'),
    });

    const file = path.join(PRESET_FIXTURES, 'soa.csv');
    const audit = parseSoa(await readFile(file, 'utf8'), file);
    expect(audit.map((r) => [r.control, r.applicable, r.status ?? null])).toEqual(
      rows.map((r) => [r.control, r.applicable, r.status]),
    );
    expect(audit[2]).toMatchObject({ owner: 'Cloud platform lead', lastVerified: '2025-06-30' });
    expect(audit[6]).toEqual({
      control: 'A.8.9',
      applicable: false,
      justification: 'part of change management (A.8.32)',
      line: 8,
    });
  });

  it('gives the hand-computed KPI values', async () => {
    const values = await presetKpiValues(
      { source: 'soa', preset: 'soa', file: 'soa.csv' },
      {
        // 7 applicable; implemented: A.5.1, A.5.15 ("Implemented"), A.6.3, A.8.8.
        IMPLEMENTED: 'pct(count(soa, applicable and status == "implemented"), count(soa, applicable))',
        // Not verified in the 365 days before 2026-10-01: A.5.23 (2025-06-30), A.8.8 (2025-09-30, 366 days),
        // and A.7.4 and A.8.24 (never).
        UNVERIFIED: 'count(soa, applicable and (last_verified == null or age(last_verified) > 365))',
        NOT_APPLICABLE: 'count(soa, not applicable)',
      },
    );
    expect(values.IMPLEMENTED).toBeCloseTo((100 * 4) / 7, 10);
    expect(values).toMatchObject({ UNVERIFIED: 4, NOT_APPLICABLE: 2 });
  });
});
