/** Change since a baseline: the catalogue's baseline, or a saved report's value for the same definition. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/run.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const q3 = (baselineReport?: Parameters<typeof run>[0]['baselineReport']) =>
  run({
    catalogue: 'metrics.yaml',
    cwd: ROOT,
    period: '2026-Q3',
    ...(baselineReport ? { baselineReport } : {}),
  });

describe('baselines', () => {
  it("uses the catalogue's baseline (IR-04: 160 h in 2025-Q4)", async () => {
    const { report } = await q3();
    const ir04 = report.kpis.find((k) => k.id === 'IR-04')!;
    // fixtures/acme/README.md: Q3 MTTR of High and Critical incidents is 96.179167 h
    expect(ir04.sinceBaseline?.from).toBe('catalogue');
    expect(ir04.sinceBaseline?.value).toBe(160);
    expect(ir04.sinceBaseline?.period).toBe('2025-Q4');
    expect(ir04.sinceBaseline?.change).toBeCloseTo(96.179167 - 160, 5);
    // KPIs without a baseline have none
    expect(report.kpis.find((k) => k.id === 'IR-02')!.sinceBaseline).toBeUndefined();
  });

  it('a saved report wins for KPIs defined the same way there; others keep the catalogue or nothing', async () => {
    const first = (await q3()).report;
    const ir02 = first.kpis.find((k) => k.id === 'IR-02')!;
    const ir04 = first.kpis.find((k) => k.id === 'IR-04')!;
    const { report } = await q3({
      period: '2026-Q2',
      kpis: [
        { id: 'IR-02', value: 75, definitionHash: ir02.definitionHash },
        // a different definition: not comparable, so the catalogue's baseline stays
        { id: 'IR-04', value: 140, definitionHash: 'f'.repeat(64) },
      ],
    });
    const byId = new Map(report.kpis.map((k) => [k.id, k]));
    // 7 of 8 critical incidents contained in Q3 = 87.5 %, against 75 % in the saved Q2 report
    expect(byId.get('IR-02')!.sinceBaseline).toEqual({
      from: 'report',
      value: 75,
      period: '2026-Q2',
      change: 12.5,
    });
    expect(byId.get('IR-04')!.sinceBaseline?.from).toBe('catalogue');
    expect(byId.get('IR-04')!.sinceBaseline?.change).toBeCloseTo(ir04.value! - 160, 9);
  });
});
