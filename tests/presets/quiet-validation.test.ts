/**
 * Quiet validation (issue 17): an optional preset column that a sample export lacks and that no KPI reads
 * is listed on the loaded source (an info line in validate), never a warning; the same column read by a
 * KPI is a warning, since the KPI's values would all be empty.
 */
import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { expectedPreset, loadPreset, PRESET_FIXTURES } from './load-preset.js';

const samples = (await readdir(PRESET_FIXTURES)).filter((f) => /\.(csv|json)$/i.test(f)).sort();

describe('every preset sample read by a catalogue that counts its rows', () => {
  it.each(samples)('%s: no warning about an absent optional column', async (file) => {
    const { loaded, problems } = await loadPreset(expectedPreset(file)!, file);
    expect(problems.filter((p) => p.includes('is not in the header'))).toEqual([]);
    expect(loaded.problems.filter((p) => p.code === 'column-missing')).toEqual([]);
    // What is absent is still known: every unused absent field is an empty field of the source.
    for (const field of loaded.unusedAbsentFields) expect(loaded.emptyFields).toContain(field);
  });

  it('lists the absent columns of a column-subset sample, and warns once a KPI reads one of them', async () => {
    const quiet = await loadPreset('nessus', 'nessus-subset.csv');
    expect(quiet.loaded.unusedAbsentFields).toContain('cvss3');
    // The report's evidence line counts stats.warnings: "9 warnings" before issue 17, none now.
    expect(quiet.loaded.stats.warnings).toBe(0);
    const loud = await loadPreset(
      'nessus',
      'nessus-subset.csv',
      {},
      {
        kpis: [
          {
            id: 'K-1',
            name: 'High',
            owner: 'QA',
            cadence: 'quarterly',
            unit: 'count',
            formula: 'count(s, cvss3 >= 7)',
          },
        ],
      },
    );
    expect(loud.loaded.unusedAbsentFields).not.toContain('cvss3');
    expect(loud.problems).toEqual([
      expect.stringContaining('column "CVSS v3.0 Base Score" (field cvss3) is not in the header'),
    ]);
    expect(loud.loaded.stats.warnings).toBe(1);
  });
});
