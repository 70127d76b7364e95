import type { Migration } from './migration.js';

export const pipeline: Migration = {
  version: 3,
  name: 'pipeline',
  statements: [
    // Per-source-address request counts in fixed windows (P14), shared by every API instance:
    // instances keep no count in memory. The key is "<limit>|<address>"; rows live at most a
    // few windows (deleted opportunistically by the instances), so addresses are not kept.
    `CREATE TABLE rate_limit_buckets (
      key text NOT NULL,
      window_start timestamptz NOT NULL,
      count integer NOT NULL,
      PRIMARY KEY (key, window_start)
    )`,
    `CREATE INDEX rate_limit_buckets_window ON rate_limit_buckets (window_start)`,
  ],
};
