import { defineConfig } from 'vitest/config';

// The tests Stryker runs against each mutant: those that import the code under test in this process.
export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'renderer/**/*.test.ts', 'electron/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
