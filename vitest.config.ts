import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-*/**/*.test.{ts,tsx}', 'bench/**/*.test.ts', '.ci/**/*.test.ts'],
    environment: 'node',
    // The JSON report lets .ci/run print one closing count and fail a run that tested nothing.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
