/**
 * The order of KPIs in every report: by urgency, a stale KPI by its judgement (the status its value would
 * have), after the KPIs of that status whose data is current, and never among the greens.
 */
import { describe, expect, it } from 'vitest';
import { byAreaUrgency, byUrgency, urgencyRank } from '../../src/render/format.js';
import type { KpiResult } from '../../src/report/model.js';
import { runBundled } from './bundled.js';

type Judged = Pick<KpiResult, 'id' | 'status' | 'judgement' | 'area'>;
const kpi = (id: string, status: KpiResult['status'], judgement?: 'red' | 'amber' | 'green'): Judged => ({
  id,
  status,
  ...(judgement ? { judgement } : {}),
  area: 'A',
});

describe('urgency', () => {
  it('red, stale judged red, amber, stale judged amber, other stale, no data, green, info', () => {
    const kpis = [
      kpi('info', 'info'),
      kpi('green', 'green'),
      kpi('stale-green', 'stale', 'green'),
      kpi('no-data', 'no-data'),
      kpi('stale-amber', 'stale', 'amber'),
      kpi('amber', 'amber'),
      kpi('stale-red', 'stale', 'red'),
      kpi('stale', 'stale'),
      kpi('red', 'red'),
    ] as KpiResult[];
    expect(byUrgency(kpis).map((k) => k.id)).toEqual([
      'red',
      'stale-red',
      'amber',
      'stale-amber',
      'stale-green',
      'stale',
      'no-data',
      'green',
      'info',
    ]);
    expect(urgencyRank({ status: 'stale', judgement: 'green' })).toBeLessThan(
      urgencyRank({ status: 'green' }),
    );
  });

  it('2026-Q2: VM-03 (stale, red if current) comes after every red and before every amber KPI, VM-04 (amber if current) after them', async () => {
    const { report } = await runBundled({ period: '2026-Q2' });
    const order = byUrgency(report.kpis);
    const at = (id: string) => order.findIndex((k) => k.id === id);
    expect([order[at('VM-03')]!.judgement, order[at('VM-04')]!.judgement]).toEqual(['red', 'amber']);
    const of = (status: string) => order.filter((k) => k.status === status).map((k) => at(k.id));
    expect(of('red').length).toBeGreaterThan(0);
    expect(of('amber').length).toBeGreaterThan(0);
    expect(Math.max(...of('red'))).toBeLessThan(at('VM-03'));
    expect(at('VM-03')).toBeLessThan(Math.min(...of('amber')));
    expect(Math.max(...of('amber'))).toBeLessThan(at('VM-04'));
    expect(at('VM-04')).toBeLessThan(Math.min(...of('green'), ...of('no-data')));
    // Grouped by area, the Vulnerability management area keeps the same order inside.
    const vm = byAreaUrgency(report.kpis).find((g) => g.area === 'Vulnerability management')!;
    expect(vm.kpis.map((k) => k.id)).toEqual(['VM-01', 'VM-02', 'VM-03', 'VM-04']);
  });
});
