import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests run the libraries from source; only `node` needs their compiled dist/.
  resolve: {
    alias: {
      '@herald/dns': new URL('./libs/dns/src/index.ts', import.meta.url).pathname,
      '@herald/control-plane': new URL('./apps/herald/src/index.ts', import.meta.url).pathname,
      '@herald/edge': new URL('./apps/edge/src/index.ts', import.meta.url).pathname,
    },
  },
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
