import { defineConfig } from 'vitest/config';

/**
 * `npm run test:browser`: the tests that drive headless Chromium (tests/browser/), kept out of `npm test`
 * because each start of the browser costs seconds. One file at a time: two Chromiums on a 2-core machine
 * only slow each other down.
 */
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
