// Regenerates the screenshots of page 1 of the management review in docs/management-review.md, from the
// bundled example (2026-Q3): docs/images/review-page1-screen.png (the HTML report in a browser window) and
// docs/images/review-page1-print.png (page 1 of `report --output review.pdf`). Run through
// `npm run docs:screenshots` (it builds first). Needs Chromium (/usr/bin/chromium, or ISMS_KPI_BROWSER)
// and pdftoppm (Debian's poppler-utils).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { HEADLESS_FLAGS } from '../dist/cli/pdf.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const images = path.join(repo, 'docs', 'images');
const browser = process.env.ISMS_KPI_BROWSER || '/usr/bin/chromium';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'isms-kpi-screenshots-'));

try {
  mkdirSync(images, { recursive: true });
  const html = path.join(tmp, 'review.html');
  const pdf = path.join(tmp, 'review.pdf');
  execFileSync(
    process.execPath,
    [
      path.join(repo, 'bin', 'isms-kpi.js'),
      'report',
      '--period',
      '2026-Q3',
      '--fail-on',
      'never',
      '--quiet',
      '--browser',
      browser,
      '--output',
      html,
      '--output',
      pdf,
    ],
    { cwd: repo, stdio: 'inherit' },
  );

  // Print: page 1 of the PDF at 80 dpi.
  const printBase = path.join(tmp, 'print');
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdf, printBase]);
  execFileSync('cp', [`${printBase}.png`, path.join(images, 'review-page1-print.png')]);

  // Screen: the summary (header, counts and matrix) in a browser window 1200 pixels wide.
  const instance = await chromium.launch({ executablePath: browser, args: [...HEADLESS_FLAGS] });
  try {
    const page = await instance.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
    const box = await page.evaluate(() => {
      const end = globalThis.document.querySelector('.legend').getBoundingClientRect().bottom;
      return { x: 0, y: 0, width: 1200, height: Math.ceil(end + 16) };
    });
    await page.screenshot({ path: path.join(images, 'review-page1-screen.png'), clip: box, fullPage: true });
  } finally {
    await instance.close();
  }
  for (const name of ['review-page1-screen.png', 'review-page1-print.png']) {
    const kb = Math.round(statSync(path.join(images, name)).size / 1024);
    console.log(`wrote docs/images/${name} (${kb} KB)`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
