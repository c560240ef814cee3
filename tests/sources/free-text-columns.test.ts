/**
 * Columns of mostly distinct text switch from a dictionary to one entry per row after a few thousand
 * rows; the same text can then appear under two codes, and every consumer must still treat it as equal.
 */
import { describe, expect, it } from 'vitest';
import { catalogueYaml, kpiResults } from '../formula/harness.js';

const SOURCE = `  s:
    path: s.csv
    kind: snapshot
    fields:
      id: id
      site: site
`;

// 4096 distinct ids (the switch happens at row 4096), then ids u0..u1903 again: 6000 rows
const rows = Array.from(
  { length: 6000 },
  (_, i) => `u${i < 4096 ? i : i - 4096},${i % 3 === 0 ? 'Bremen' : 'Brno'}`,
);

describe('free-text columns', () => {
  it('count_distinct, equality, in-lists and segments see repeated text as one value', async () => {
    const kpis = await kpiResults({
      'metrics.yaml': catalogueYaml(
        SOURCE,
        [
          { id: 'D', formula: 'count_distinct(s, id)' },
          { id: 'E', formula: 'count(s, id == "u5")' },
          { id: 'L', formula: 'count(s, id in ["u1", "u4095", "u5000"])' },
          { id: 'X', formula: 'count(s, exists(s2, s2.key == s.id))' },
          { id: 'S', formula: 'count(s, starts_with(id, "u19"))', segment_by: 'site' },
        ],
        'UTC',
      ).replace('kpis:', `  s2:\n    path: s2.csv\n    kind: snapshot\n    fields:\n      key: key\nkpis:`),
      's.csv': `id,site\n${rows.join('\n')}\n`,
      's2.csv': 'key\nu7\nu4000\n',
    });
    expect(kpis.get('D')!.value).toBe(4096);
    // u5 is row 6 and row 4102
    expect(kpis.get('E')!.value).toBe(2);
    // u1 twice, u4095 once, u5000 never
    expect(kpis.get('L')!.value).toBe(3);
    // u7 twice (rows 8 and 4104), u4000 once
    expect(kpis.get('X')!.value).toBe(3);
    // ids starting "u19": u19, u190-u199, u1900-u1999 = 111 in the first 4096 rows, and again u19,
    // u190-u199, u1900-u1903 = 15 among the repeats: 126 in all
    expect(kpis.get('S')!.value).toBe(126);
    const segments = kpis.get('S')!.segments;
    expect(segments.map((g) => g.key)).toEqual(['Bremen', 'Brno']);
    expect(segments.reduce((sum, g) => sum + (g.value ?? 0), 0)).toBe(126);
  });
});
