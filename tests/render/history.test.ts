/** --history: earlier saved reports become trend points, only where the KPI's definition is unchanged. */
import { describe, expect, it } from 'vitest';
import { buildHistory } from '../../src/render/history.js';
import { renderHtml } from '../../src/render/html.js';
import { renderJson } from '../../src/render/json.js';
import { readReport } from '../../src/report/read.js';
import { run } from '../helpers/run.js';
import { REPO, runBundled } from './bundled.js';

describe('history', () => {
  it('draws the previous quarter and this one, and skips KPIs whose definition changed', async () => {
    const q3 = (await runBundled()).report;
    const q2json = JSON.parse(
      renderJson((await run({ catalogue: 'metrics.yaml', cwd: REPO, period: '2026-Q2' })).report),
    );
    q2json.kpis.find((k: { id: string }) => k.id === 'AC-02').definitionHash = '0'.repeat(64);
    const read = readReport(JSON.stringify(q2json), 'q2.json');
    if (!read.ok) throw new Error(read.problem.message);
    const saved = read.report;
    const history = buildHistory([saved], q3);
    expect(history.get('AC-01')).toEqual([
      { label: '2026-Q2', value: q2json.kpis.find((k: { id: string }) => k.id === 'AC-01').value },
      { label: '2026-Q3', value: q3.kpis.find((k) => k.id === 'AC-01')!.value },
    ]);
    expect(history.has('AC-02')).toBe(false);
    // A later or the same period is not history.
    expect(buildHistory([{ ...saved, period: { ...q3.period } }], q3).size).toBe(0);
    const html = renderHtml(q3, { history });
    const tile = html.slice(
      html.indexOf('id="kpi-AC-09"'),
      html.indexOf('</article>', html.indexOf('id="kpi-AC-09"')),
    );
    expect(tile).toContain('<svg class="spark"');
    expect(tile).toMatch(/in 2026-Q3 \(.* in 2026-Q2\)/);
  });
});
