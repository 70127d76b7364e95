import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/** A small real Vitest run for .ci/summarizeTests.test.ts; REPORT_DIR gets the JSON report. */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['passes.check.ts'],
    reporters: [
      ['json', { outputFile: join(process.env['REPORT_DIR'] ?? 'test-results', 'vitest.json') }],
    ],
  },
});
