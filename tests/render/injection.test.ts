/**
 * Hostile export values and catalogue texts come out inert: no live markup in HTML, Markdown or JUnit, and
 * no cell a spreadsheet would run as a formula in the CSV report or the evidence pack.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildEvidencePack, type EvidenceFile } from '../../src/evidence/build-pack.js';
import { RENDERERS } from '../../src/render/index.js';
import type { RunResult } from '../helpers/run.js';
import { parseCsv } from './csv-parse.js';
import { HYPERLINK, SCRIPT, withHostile } from './hostile-project.js';

let result: RunResult;
let files: EvidenceFile[];
beforeAll(async () => {
  // The evidence pack reads the export again, so it is built while the project's files exist.
  [result, files] = await withHostile(async (r) => [
    r,
    await buildEvidencePack({
      report: r.report,
      catalogue: r.catalogue,
      sources: r.sources,
      traces: r.evaluation.traces,
    }),
  ]);
});

const render = (format: keyof typeof RENDERERS) => RENDERERS[format](result.report, { color: false });

/** Text cells only: numbers we write ourselves (which may be negative) are checked by the writer's tests. */
function formulaCells(text: string): string[] {
  return parseCsv(text)
    .flat()
    .filter((cell) => /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?(e[+-]?\d+)?$/.test(cell));
}

describe('hostile values', () => {
  it('reach the report as data (the test would prove nothing otherwise)', () => {
    const segments = result.report.kpis.flatMap((k) => k.segments.map((s) => s.key));
    expect(segments).toContain(HYPERLINK);
    expect(segments.some((s) => s.includes(SCRIPT))).toBe(true);
  });

  it('csv: every such cell is neutralised with a leading apostrophe', () => {
    const text = render('csv');
    expect(formulaCells(text)).toEqual([]);
    const cells = parseCsv(text).flat();
    expect(cells).toContain(`'${HYPERLINK}`);
    expect(cells).toContain("'@owner");
    expect(cells).toContain("'+49 owner");
    expect(cells.some((c) => c.startsWith(`'=HYPERLINK("http://evil"`))).toBe(true);
  });

  it('html: markup is escaped text, and there is no script, image or handler anywhere', () => {
    const text = render('html');
    expect(text).not.toMatch(/<script/i);
    expect(text).not.toMatch(/<img/i);
    expect(text).not.toMatch(/<b>/);
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(text).toContain('&lt;img src=x onerror=alert(3)&gt;');
    expect(text).toContain('=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)');
    expect(text).toContain('Evil &lt;script&gt;alert(&#39;org&#39;)&lt;/script&gt; &amp; Co');
    // The running header and footer are CSS strings: the document control texts cannot leave them.
    expect(text.match(/<\/style>/g)).toHaveLength(2);
    expect(text).toContain(
      '@top-right { content: "Secret\\22  } body { display: none } @x { content: \\22 "; ',
    );
    expect(text).toContain('@bottom-left { content: "version 1\\5c a \\b7  as of');
    expect(text).toContain('<h1>&lt;/style&gt;&lt;script&gt;alert(4)&lt;/script&gt; 2026-Q3</h1>');
  });

  it('markdown and junit: markup is escaped', () => {
    const md = render('markdown');
    expect(md).not.toMatch(/<script|<img|<b>/i);
    expect(md).toContain('&lt;b>Area&lt;/b> \\| pipes');
    const xml = render('junit');
    expect(xml).not.toMatch(/<script|<img|<b>/i);
    expect(xml).toContain(
      'name="INJ-01 =HYPERLINK(&quot;http://evil&quot;,&quot;KPI&quot;) &lt;script&gt;alert(2)&lt;/script&gt;"',
    );
  });

  it('evidence pack: the rows behind each KPI carry the values, neutralised', () => {
    for (const file of files.filter((f) => f.path.endsWith('.csv')))
      expect(formulaCells(file.content), file.path).toEqual([]);
    const rows = parseCsv(files.find((f) => f.path === 'kpis/INJ-01.csv')!.content);
    const department = rows[0]!.indexOf('department');
    expect(rows.map((r) => r[department])).toContain(`'${HYPERLINK}`);
  });
});
