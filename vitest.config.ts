import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Vitest leaves one core idle by default (cores - 1), which on a 2-core machine runs one test file
    // at a time; the suite is CPU-bound, so use them all.
    maxWorkers: availableParallelism(),
    // Test files share a worker's module cache instead of importing src/ afresh for each file (about
    // half of the suite's CPU time). Safe because nothing in src/ keeps state between calls that a test
    // could see, no test mocks modules or changes process.env or the working directory, and the CLI
    // runs in-process over an injected Io (tests/helpers/cli.ts). A test that needs a fresh module
    // graph belongs in its own vitest project with `isolate: true`.
    isolate: false,
  },
});
