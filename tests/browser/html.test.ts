/**
 * The HTML report in a real browser (headless Chromium through playwright-core): the summary matrix, tiles
 * and counts are visible, nothing is fetched, nothing runs, the print layout fits A4, and axe-core finds no
 * accessibility violation (contrast included) on screen or in print.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/render/html.js';
import { renderJunit } from '../../src/render/junit.js';
import type { Report } from '../../src/report/model.js';
import { runBundled } from '../render/bundled.js';
import { runHostile, SCRIPT } from '../render/hostile-project.js';
import { launchChromium, skipWithoutBrowser } from './chromium.js';

/** The little of the DOM these tests touch (the project's tsconfig has no DOM library). */
interface BrowserGlobals {
  getComputedStyle(element: unknown): { borderLeftColor: string };
  DOMParser: new () => {
    parseFromString(text: string, type: string): { querySelectorAll(selector: string): { length: number } };
  };
  document: { documentElement: { scrollWidth: number } };
  axe: {
    run(
      options: object,
    ): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
  };
}
/** A4 minus the 12 mm side margins of the print stylesheet, in CSS pixels (96 per inch). */
const A4_PRINTABLE_WIDTH = Math.floor(((210 - 24) / 25.4) * 96);
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

describe.skipIf(skipWithoutBrowser)('HTML report in Chromium', () => {
  let browser: Browser;
  let dir: string;
  let report: Report;
  beforeAll(async () => {
    browser = await launchChromium();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-html-'));
    report = (await runBundled()).report;
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Opens the HTML from a file, recording every request and every script-created dialog. */
  async function open(
    html: string,
    name: string,
    options: { bypassCSP?: boolean } = {},
  ): Promise<{ page: Page; requests: string[]; dialogs: string[] }> {
    const file = path.join(dir, name);
    fs.writeFileSync(file, html);
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      bypassCSP: options.bypassCSP === true,
    });
    const page = await context.newPage();
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return { page, requests, dialogs };
  }

  it('shows every KPI in the summary matrix and as a tile, red first, and the counts per status', async () => {
    const { page, requests } = await open(renderHtml(report), 'report.html');
    const rows = page.locator('table.matrix tr.kpi');
    expect(await rows.count()).toBe(report.kpis.length);
    const tiles = page.locator('article.tile');
    expect(await tiles.count()).toBe(report.kpis.length);
    for (let i = 0; i < report.kpis.length; i++) expect(await tiles.nth(i).isVisible()).toBe(true);
    const statuses = await tiles.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(statuses.slice(0, report.summary.red)).toEqual(Array(report.summary.red).fill('red'));
    for (const status of ['red', 'amber', 'green', 'no-data', 'info'] as const) {
      const count = page.locator(`.count[data-status="${status}"] .n`);
      expect(await count.isVisible()).toBe(true);
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered, visible text is what is checked
      expect(await count.innerText()).toBe(String(report.summary[status]));
    }
    // The matrix row of IR-09 gives value and target with their unit, and the status in words.
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered, visible text is what is checked
    const ir09 = await page.locator('table.matrix tr.kpi', { hasText: 'IR-09' }).innerText();
    expect(ir09.replace(/\s+/g, ' ')).toContain('30.6 h <= 8 h ✖ red');
    // A tile tells value, target and owner; the caveat of AW-03 and IR-02's segments are on screen.
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered, visible text is what is checked
    const ac01 = await page.locator('#kpi-AC-01').innerText();
    expect(ac01).toContain('81.3 %');
    // Target and unit are joined by a no-break space (unitsKeptWithNumbers), which innerText keeps.
    expect(ac01.replace(/\u00a0/g, ' ')).toContain('>= 95 %');
    expect(ac01).toContain('IAM lead');
    expect(await page.locator('#kpi-AC-01 svg.spark').isVisible()).toBe(true);
    expect(await page.locator('#kpi-AW-03 .caveat').isVisible()).toBe(true);
    expect(await page.locator('#kpi-IR-02 table.segments', { hasText: 'Leipzig' }).isVisible()).toBe(true);
    // The tile colour comes from the status.
    const border = await page
      .locator('#kpi-AC-01')
      .evaluate((e) => (globalThis as unknown as BrowserGlobals).getComputedStyle(e).borderLeftColor);
    expect(border).toBe('rgb(149, 27, 27)');
    expect(requests).toEqual([pathToFileURL(path.join(dir, 'report.html')).href]);
    await page.close();
  });

  it('prints to A4: three tiles a row, nothing wider than the page', async () => {
    const { page } = await open(renderHtml(report), 'print.html');
    await page.setViewportSize({ width: A4_PRINTABLE_WIDTH, height: 1000 });
    await page.emulateMedia({ media: 'print' });
    const width = await page.evaluate(
      () => (globalThis as unknown as BrowserGlobals).document.documentElement.scrollWidth,
    );
    expect(width).toBeLessThanOrEqual(A4_PRINTABLE_WIDTH);
    const tops = await page
      .locator('article.tile')
      .evaluateAll((els) => els.slice(0, 3).map((e) => Math.round(e.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBe(1);
    await page.close();
  });

  // 2026-Q2 has stale KPIs (VM-03, VM-04), whose hatched tiles and grey values are checked too.
  it.each([
    ['2026-Q3', 'screen'],
    ['2026-Q3', 'print'],
    ['2026-Q2', 'screen'],
  ] as const)('axe-core finds no violation in %s (%s)', async (period, media) => {
    const shown = period === '2026-Q3' ? report : (await runBundled({ period })).report;
    expect(shown.summary.stale > 0).toBe(period === '2026-Q2');
    const { page } = await open(renderHtml(shown), `axe-${period}-${media}.html`, { bypassCSP: true });
    if (media === 'print') {
      await page.setViewportSize({ width: A4_PRINTABLE_WIDTH, height: 1000 });
      await page.emulateMedia({ media: 'print' });
    }
    await page.addScriptTag({ content: AXE_SOURCE });
    const result = await page.evaluate(() =>
      (globalThis as unknown as BrowserGlobals).axe.run({
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      }),
    );
    const found = result.violations.map(
      (v) =>
        `${v.id} (${v.impact}), ${v.nodes.length} elements: ${v.nodes
          .slice(0, 5)
          .map((n) => n.target.join(' '))
          .join(', ')}`,
    );
    expect(found).toEqual([]);
    await page.close();
  });

  it('shows hostile values as text and runs nothing', async () => {
    const hostile = (await runHostile()).report;
    const { page, dialogs, requests } = await open(renderHtml(hostile), 'hostile.html');
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered, visible text is what is checked
    expect(await page.locator('#kpi-INJ-02 table.segments').innerText()).toContain(SCRIPT);
    expect(await page.locator('h3', { hasText: '=HYPERLINK("http://evil","KPI")' }).isVisible()).toBe(true);
    expect(await page.locator('script, img, b').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(requests).toHaveLength(1);
    await page.close();
  });

  it('junit is well-formed XML, hostile values included (parsed by Chromium)', async () => {
    const page = await browser.newPage();
    for (const xml of [renderJunit(report), renderJunit((await runHostile()).report)]) {
      const counts = await page.evaluate((text) => {
        const g = globalThis as unknown as BrowserGlobals;
        const doc = new g.DOMParser().parseFromString(text, 'application/xml');
        return [doc.querySelectorAll('parsererror').length, doc.querySelectorAll('testcase').length];
      }, xml);
      expect(counts[0]).toBe(0);
      expect(counts[1]).toBeGreaterThan(0);
    }
    await page.close();
  });
});
