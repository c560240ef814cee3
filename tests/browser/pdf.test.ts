/**
 * The printed management review: `report --output FILE.pdf` with the real Chromium, read back through the
 * PDF's text layer (pdftotext, from Debian's poppler-utils; .ci/run installs it). Page 1 holds every KPI
 * of the example (and of a report of 60), every page has the running header and "page X of Y", no tile is
 * split across pages, segments are printed, and a report of more than 60 KPIs shows on page 1 every KPI
 * that needs attention while the matrix continues on page 2.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printPdf } from '../../src/cli/pdf.js';
import { urgencyRank } from '../../src/render/format.js';
import { renderHtml } from '../../src/render/html.js';
import { SUMMARY_LIMIT } from '../../src/render/html-summary.js';
import type { KpiResult, Report, Status } from '../../src/report/model.js';
import { runCli } from '../helpers/cli.js';
import { runBundled } from '../render/bundled.js';
import { CHROMIUM, skipWithoutBrowser } from './chromium.js';

const PDFTOTEXT = '/usr/bin/pdftotext';
const skip = skipWithoutBrowser || (!fs.existsSync(PDFTOTEXT) && !process.env.CI);

/** The text of each page (pdftotext separates pages by form feeds); `layout` keeps table rows on one line. */
function pagesOf(pdf: string, layout: boolean): string[] {
  const text = execFileSync(PDFTOTEXT, [...(layout ? ['-layout'] : []), pdf, '-'], { encoding: 'utf8' });
  return text.split('\f').slice(0, -1);
}

/** Whether the page lists this KPI id as a word of its own (AC-01, not AC-01-2). */
function hasId(page: string, id: string): boolean {
  return new RegExp(`(^|\\s)${id.replace(/[.-]/g, '\\$&')}(\\s|$)`).test(page);
}

const flat = (text: string) => text.replace(/\s+/g, ' ');
/**
 * Text without white space and hyphens, to find a sentence whatever its line breaks: pdftotext joins a
 * word broken after a hyphen ("phishing-" / "simulation" becomes "phishingsimulation").
 */
const bare = (text: string) => text.replace(/[\s-]+/g, '');

/** A report of `n` KPIs made from the example's, ids and areas numbered from the second copy on. */
function enlarged(report: Report, n: number, tweak: (kpi: KpiResult, i: number) => void = () => {}): Report {
  const kpis: KpiResult[] = [];
  for (let i = 0; kpis.length < n; i++) {
    const kpi = structuredClone(report.kpis[i % report.kpis.length]!);
    const copy = Math.floor(i / report.kpis.length);
    if (copy > 0) {
      kpi.id = `${kpi.id}-${copy + 1}`;
      kpi.area = `${kpi.area ?? 'Other'} ${copy + 1}`;
    }
    tweak(kpi, i);
    kpis.push(kpi);
  }
  const summary = { ...report.summary, total: n };
  for (const s of ['green', 'amber', 'red', 'no-data', 'stale', 'info'] as Status[])
    summary[s] = kpis.filter((k) => k.status === s).length;
  return { ...report, kpis, summary };
}

describe.skipIf(skip)('report --output FILE.pdf in Chromium', () => {
  let dir: string;
  let report: Report;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-pdf-'));
    report = (await runBundled()).report;
  });
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function print(shown: Report, name: string): Promise<string> {
    const file = path.join(dir, name);
    fs.writeFileSync(file, await printPdf({ browser: CHROMIUM, html: renderHtml(shown), file: name }));
    return file;
  }

  it('the example 2026-Q3: every KPI on page 1, the header and "page X of Y" on every page', async () => {
    const file = path.join(dir, 'q3.pdf');
    const run = await runCli(['report', '--period', '2026-Q3', '--output', file, '--fail-on', 'never'], {
      env: { ISMS_KPI_BROWSER: CHROMIUM },
    });
    expect(run.stderr).toBe(`wrote ${file} (pdf)\n`);
    expect(run.status).toBe(0);
    const pages = pagesOf(file, true);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(report.kpis).toHaveLength(56);
    const missing = report.kpis.filter((k) => !hasId(pages[0]!, k.id)).map((k) => k.id);
    expect(missing).toEqual([]);
    // Page 1 has the document control block and the counts.
    const first = bare(pagesOf(file, false)[0]!);
    for (const text of ['Classification', 'Chief Information Security Officer', '2027-01-20', '✖ 15 red'])
      expect(first).toContain(bare(text));
    pages.forEach((page, i) => {
      const lines = page.split('\n').filter((l) => l.trim() !== '');
      // The running header is the first line of each page, the page number in the last.
      expect(flat(lines[0]!)).toMatch(
        /^ ?ACME Precision Components GmbH \(fictional\) · ISMS performance report 2026-Q3 Internal ?$/,
      );
      expect(flat(lines.at(-1)!)).toMatch(
        new RegExp(`^ ?version 1\\.0 · as of 2026-09-30 page ${i + 1} of ${pages.length} ?$`),
      );
    });
  });

  it('keeps each tile on one page and prints segments expanded', async () => {
    const pages = pagesOf(await print(report, 'tiles.pdf'), false).map(bare);
    for (const kpi of report.kpis) {
      const head = bare(`${kpi.id} · ${kpi.area}`);
      const at = pages.flatMap((p, i) => (p.includes(head) ? [i] : []));
      expect(at, head).toHaveLength(1);
      expect(at[0], head).toBeGreaterThan(0); // the tiles start after the summary page
      expect(pages[at[0]!], `${kpi.id}: its reason on the page of its tile`).toContain(bare(kpi.reason));
      expect(pages[at[0]!], `${kpi.id}: its owner on the page of its tile`).toContain(bare(kpi.owner));
    }
    const ir02 = pages.find((p) => p.includes(bare('IR-02 · ')))!;
    expect(ir02).toContain(bare('By site (3)'));
    for (const site of ['Bremen', 'Brno', 'Leipzig']) expect(ir02).toContain(site);
  });

  it(`a report of ${SUMMARY_LIMIT} KPIs still has all of them on page 1`, async () => {
    const large = enlarged(report, SUMMARY_LIMIT);
    const pages = pagesOf(await print(large, 'sixty.pdf'), true);
    const missing = large.kpis.filter((k) => !hasId(pages[0]!, k.id)).map((k) => k.id);
    expect(missing).toEqual([]);
  });

  it('past that, page 1 shows every red, amber, stale and no-data KPI and the counts; the matrix goes on', async () => {
    // Two copies made stale (one judged red, one green): they need attention too.
    const large = enlarged(report, SUMMARY_LIMIT + 15, (kpi, i) => {
      if (i === 40 || i === 45) {
        kpi.judgement = kpi.status === 'red' ? 'red' : 'green';
        kpi.status = 'stale';
      }
    });
    expect(large.summary.stale).toBe(2);
    const pages = pagesOf(await print(large, 'seventy-five.pdf'), true);
    const attention = large.kpis.filter((k) => urgencyRank(k) <= urgencyRank({ status: 'no-data' }));
    const others = large.kpis.filter((k) => !attention.includes(k));
    expect(attention.length).toBeGreaterThan(30);
    expect(attention.filter((k) => !hasId(pages[0]!, k.id)).map((k) => k.id)).toEqual([]);
    expect(flat(pages[0]!)).toContain(`Needs attention: ${attention.length} of ${large.kpis.length} KPIs`);
    for (const s of ['red', 'amber', 'green', 'stale'] as const)
      expect(flat(pages[0]!)).toContain(`${large.summary[s]} ${s}`);
    // Every other KPI follows, the rest of them on page 2.
    const summaryText = pages[0]! + pages[1]!;
    expect(others.filter((k) => !hasId(summaryText, k.id)).map((k) => k.id)).toEqual([]);
    expect(others.some((k) => !hasId(pages[0]!, k.id))).toBe(true);
  });
});
