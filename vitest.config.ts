import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/** Test files that mock modules (vi.mock): they need a module graph of their own. */
const ISOLATED = ['tests/catalogue/compile-scale.test.ts'];
/** Slow end-to-end tests (large generated files, small heap limits): `npm run test:heavy`, not `npm test`. */
const HEAVY = 'tests/heavy/**/*.test.ts';
const isHeavy = process.env.ISMS_KPI_HEAVY_TESTS === '1';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Vitest leaves one core idle by default (cores - 1), which on a 2-core machine runs one test file
    // at a time; the suite is CPU-bound, so use them all.
    maxWorkers: availableParallelism(),
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['tests/**/*.test.ts'],
          // tests/browser/ drives headless Chromium: `npm run test:browser` (vitest.browser.config.ts).
          exclude: [...ISOLATED, HEAVY, 'tests/browser/**'],
          // Test files share a worker's module cache instead of importing src/ afresh for each file
          // (about half of the suite's CPU time). Safe because nothing in src/ keeps state between calls
          // that a test could see, these tests do not mock modules or change process.env or the working
          // directory, and the CLI runs in-process over an injected Io (tests/helpers/cli.ts). A test
          // that mocks a module goes in ISOLATED above.
          isolate: false,
        },
      },
      { extends: true, test: { name: 'isolated', include: ISOLATED, isolate: true } },
      ...(isHeavy
        ? [{ extends: true as const, test: { name: 'heavy', include: [HEAVY], testTimeout: 600_000 } }]
        : []),
    ],
  },
});
