/**
 * The HTML report in a real browser (headless Chromium through playwright-core): tiles and counts are
 * visible, nothing is fetched, nothing runs, and the print layout fits A4. CI installs Chromium (.ci/run);
 * on a machine without it the test is skipped, unless CI is set, where a missing browser is a failure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/render/html.js';
import { renderJunit } from '../../src/render/junit.js';
import type { Report } from '../../src/report/model.js';
import { runBundled } from './bundled.js';
import { runHostile, SCRIPT } from './hostile-project.js';

const CHROMIUM = '/usr/bin/chromium';
/** The little of the DOM these tests touch (the project's tsconfig has no DOM library). */
interface BrowserGlobals {
  getComputedStyle(element: unknown): { borderLeftColor: string };
  DOMParser: new () => {
    parseFromString(text: string, type: string): { querySelectorAll(selector: string): { length: number } };
  };
  document: { documentElement: { scrollWidth: number } };
}
const hasChromium = fs.existsSync(CHROMIUM);
/** A4 minus the 12 mm page margins of the print stylesheet, in CSS pixels (96 per inch). */
const A4_PRINTABLE_WIDTH = Math.floor(((210 - 24) / 25.4) * 96);

describe.skipIf(!hasChromium && !process.env.CI)('HTML report in Chromium', () => {
  let browser: Browser;
  let dir: string;
  let report: Report;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
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
  ): Promise<{ page: Page; requests: string[]; dialogs: string[] }> {
    const file = path.join(dir, name);
    fs.writeFileSync(file, html);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
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

  it('shows a tile per KPI, red first, and the counts per status', async () => {
    const { page, requests } = await open(renderHtml(report), 'report.html');
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
    // A tile tells value, target and owner; the caveat of AW-01 is on screen, not in a tooltip.
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered, visible text is what is checked
    const ac01 = await page.locator('#kpi-AC-01').innerText();
    expect(ac01).toContain('81.3 %');
    expect(ac01).toContain('>= 95 %');
    expect(ac01).toContain('IAM lead');
    expect(await page.locator('#kpi-AC-01 svg.spark').isVisible()).toBe(true);
    expect(await page.locator('#kpi-AW-01 .caveat').isVisible()).toBe(true);
    // The tile colour comes from the status.
    const border = await page
      .locator('#kpi-AC-01')
      .evaluate((e) => (globalThis as unknown as BrowserGlobals).getComputedStyle(e).borderLeftColor);
    expect(border).toBe('rgb(179, 38, 30)');
    expect(requests).toEqual([pathToFileURL(path.join(dir, 'report.html')).href]);
    await page.close();
  });

  it('prints to A4: three tiles a row, nothing wider than the page, a handful of pages', async () => {
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
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(pages).toBeLessThanOrEqual(10);
    await page.close();
  });

  it('shows hostile values as text and runs nothing', async () => {
    const hostile = (await runHostile()).report;
    const { page, dialogs, requests } = await open(renderHtml(hostile), 'hostile.html');
    await page.locator('#kpi-INJ-02 details summary').click();
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered, visible text is what is checked
    expect(await page.locator('body').innerText()).toContain(SCRIPT);
    expect(await page.locator('h2', { hasText: '=HYPERLINK("http://evil","KPI")' }).isVisible()).toBe(true);
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
