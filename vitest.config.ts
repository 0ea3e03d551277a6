import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'libs/*/test/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'test/**/*.test.ts',
      'tools/**/*.test.ts',
    ],
    testTimeout: 30_000,
    // A test that ends up running nothing is a defect, never a pass.
    passWithNoTests: false,
    reporters: ['default', './tools/vitest/summary-reporter.ts'],
  },
});
