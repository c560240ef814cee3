/**
 * One golden file per format, rendered from the bundled catalogue for 2026-Q3. The files were read by hand
 * against fixtures/acme/README.md; a change in any renderer shows up here as a diff to review.
 */
import { beforeAll, describe, it } from 'vitest';
import { FORMAT_EXTENSIONS, FORMATS, RENDERERS } from '../../src/render/index.js';
import type { Report } from '../../src/report/model.js';
import { expectGolden, runBundled } from './bundled.js';

let report: Report;
beforeAll(async () => {
  report = (await runBundled()).report;
});

describe('golden files of the bundled 2026-Q3 report', () => {
  it.each(FORMATS)('%s', (format) => {
    expectGolden(`2026-Q3${FORMAT_EXTENSIONS[format][0]}`, RENDERERS[format](report, { color: false }));
  });
});
