import { defineConfig } from 'vitest/config';

/** The end-to-end tests: each drives a real Chromium through `furrow serve` (a browser, a server, an engine). */
const E2E = ['test/e2e/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits for what a person would wait for (a run starting, a plot drawing), on a busy machine too.
    expect: { poll: { timeout: 10_000 } },
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit and integration',
          include: ['shared/**/*.test.ts', 'renderer/**/*.test.ts', 'electron/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: E2E,
          // Integration tests start real processes: two cores, two files at a time.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: E2E,
          // After the rest, one file at a time: two Chromiums with their servers on two cores made each other's
          // waits run out (README, "npm test", has the figures).
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
