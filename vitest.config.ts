import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-*/**/*.test.{ts,tsx}', 'bench/**/*.test.ts', '.ci/**/*.test.ts'],
    environment: 'node',
    // The JSON report lets .ci/run print one closing count and fail a run that tested nothing.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    testTimeout: 30_000,
    // expect.poll waits for a condition, not for a speed: Vitest's 1 s default made each poll
    // a timing assertion on a loaded machine (bounds on time belong in bench/).
    expect: { poll: { timeout: 20_000 } },
    hookTimeout: 60_000,
  },
});
