/**
 * The trend column (issue 18): the verdict word after an arrow for the way the value moved, the short
 * word of a withheld verdict, the arrow of a report of an earlier version, and the legend.
 */
import { describe, expect, it } from 'vitest';
import { trendLegend, trendText } from '../../src/render/format.js';
import type { KpiResult } from '../../src/report/model.js';

type Trendy = Pick<KpiResult, 'value' | 'trend' | 'trendNote' | 'trendVerdict'>;
const against = { period: '2026-Q2', value: 31.3, from: 'exports' as const };
const kpi = (more: Partial<Trendy>): Trendy => ({ value: 30.6, trend: 'down', ...more });

describe('trend column', () => {
  it('shows the verdict, with an arrow for how the value moved (down can be an improvement)', () => {
    expect(trendText(kpi({ trendVerdict: { verdict: 'improved', against } }))).toBe('↓ improved');
    expect(trendText(kpi({ value: 40, trendVerdict: { verdict: 'worsened', against } }))).toBe('↑ worsened');
    expect(trendText(kpi({ trendVerdict: { verdict: 'unchanged', against } }))).toBe('→ unchanged');
    expect(trendText(kpi({ trendVerdict: { verdict: 'changed', against } }))).toBe('↓ changed');
  });

  it('a withheld verdict says why in a word, or nothing when there was nothing to compare', () => {
    const none = (reason: string) => trendText(kpi({ trendVerdict: { verdict: 'none', reason } }));
    expect(none('too few rows: 3 rows in 2026-Q3 (a trend needs 5)')).toBe('few rows');
    expect(none('partial: incidents data starts 2026-05-01, after 2026-Q2 starts')).toBe('partial');
    expect(none('incomplete: 2026-Q4 has not ended (computed on 2026-11-02)')).toBe('incomplete');
    expect(none('no earlier value: a snapshot export describes one moment')).toBe('');
  });

  it('a report of an earlier version (no trendVerdict) keeps its arrow', () => {
    expect(trendText(kpi({}))).toBe('↓');
    expect(trendText(kpi({ trend: null, trendNote: 'partial: x' }))).toBe('partial');
  });

  it('the legend names the period compared and only the words shown', () => {
    const legend = trendLegend({
      kpis: [
        { trendVerdict: { verdict: 'improved', against } },
        { trendVerdict: { verdict: 'none', reason: 'too few rows: 1 row in 2026-Q3 (a trend needs 5)' } },
      ] as KpiResult[],
    });
    expect(legend).toContain('Trend against 2026-Q2: improved / worsened / unchanged');
    expect(legend).toContain('few rows: under 5 rows behind a value');
    expect(legend).not.toContain('partial');
    expect(
      trendLegend({
        kpis: [{ trendVerdict: { verdict: 'none', reason: 'no value in this period' } }] as KpiResult[],
      }),
    ).toBeUndefined();
    expect(trendLegend({ kpis: [{}] as KpiResult[] })).toBeUndefined();
  });
});
