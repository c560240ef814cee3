/** Markdown: grouped by area with the worst area first, red first within an area, a symbol per KPI. */
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeMarkdown, renderMarkdown } from '../../src/render/markdown.js';
import type { Report } from '../../src/report/model.js';
import { runBundled } from './bundled.js';

let report: Report;
let md: string;
beforeAll(async () => {
  report = (await runBundled()).report;
  md = renderMarkdown(report);
});

describe('markdown', () => {
  it('puts areas with red KPIs first and red KPIs first within each area', () => {
    const headings = md.match(/^### .*$/gm)!;
    // Areas with a red KPI, the one with the most red KPIs first: Governance has 5 (GV-12, GV-14, GV-15,
    // GV-17, GV-21), Access control 4 (AC-01, AC-02, AC-09, GV-01), Supplier relationships 3.
    expect(headings.slice(0, 3)).toEqual([
      '### 🔴 Governance and ISMS effectiveness',
      '### 🔴 Access control',
      '### 🔴 Supplier relationships',
    ]);
    const access = md.slice(md.indexOf('### 🔴 Access control'), md.indexOf('### 🔴 Supplier relationships'));
    const statuses = [...access.matchAll(/^\| (\S+) (red|amber|green|info|no data|stale) \| (\S+) \|/gm)].map(
      (m) => m[2],
    );
    expect(statuses).toEqual([
      'red',
      'red',
      'red',
      'red',
      'amber',
      'amber',
      'amber',
      'amber',
      'green',
      'info',
    ]);
  });

  it('has a row with a status symbol for every KPI', () => {
    for (const kpi of report.kpis) expect(md).toMatch(new RegExp(`^\\| \\S+ [a-z ]+ \\| ${kpi.id} \\|`, 'm'));
  });

  it('keeps cell text from breaking the table or adding markup', () => {
    expect(escapeMarkdown('a|b *c* _d_ <x> [l](u)\nnext')).toBe(
      'a\\|b \\*c\\* \\_d\\_ &lt;x> \\[l\\](u) next',
    );
  });
});
