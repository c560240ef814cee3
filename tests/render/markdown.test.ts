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
    expect(headings.slice(0, 3)).toEqual([
      '### 🔴 Access control',
      '### 🔴 Governance and ISMS effectiveness',
      '### 🔴 Incident management',
    ]);
    const access = md.slice(
      md.indexOf('### 🔴 Access control'),
      md.indexOf('### 🔴 Governance and ISMS effectiveness'),
    );
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
