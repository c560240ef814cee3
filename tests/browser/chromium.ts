/**
 * The browser tests' Chromium: Debian's /usr/bin/chromium (CI installs it, .ci/run), or the one named by
 * ISMS_KPI_BROWSER. On a machine without it these tests are skipped, unless CI is set, where a missing
 * browser is a failure. They run with `npm run test:browser`, not `npm test` (vitest.browser.config.ts).
 */
import fs from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { HEADLESS_FLAGS } from '../../src/cli/pdf.js';

export const CHROMIUM = process.env.ISMS_KPI_BROWSER || '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);
/** Skip the suite where there is no browser, but never in CI. */
export const skipWithoutBrowser = !hasChromium && !process.env.CI;

/** With the flags of src/cli/pdf.ts: headless, no network of its own (playwright adds --no-sandbox). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...HEADLESS_FLAGS] });
}
