import type {
  FastifyRateLimitStore as Store,
  FastifyRateLimitStoreCtor as StoreCtor,
} from '@fastify/rate-limit';
import { createRequire } from 'node:module';
import type { Queryable } from '../db/db.js';

// The plugin's own in-memory LRU store, for limits each instance keeps for itself.
const LocalStore = createRequire(import.meta.url)(
  '@fastify/rate-limit/store/LocalStore.js',
) as new (continueExceeding: boolean, exponentialBackoff: boolean, cacheSize?: number) => Store;

/** How many addresses a per-instance limit remembers (least recently seen are forgotten). */
const LOCAL_CACHE_SIZE = 50_000;
type IncrCallback = Parameters<Store['incr']>[1];

/** Old windows are deleted at most this often per instance, in the background. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Counts requests in fixed windows on the database clock, so that every instance (whatever
 * its own clock) puts a request in the same window, and one atomic upsert per request keeps
 * concurrent instances from losing counts. `$3`: a given clock's time instead (tests), or null.
 */
const INCREMENT = `
  INSERT INTO rate_limit_buckets AS b (key, window_start, count)
  VALUES ($1,
          to_timestamp(floor(extract(epoch FROM coalesce($3::timestamptz, now())) * 1000
                             / $2::bigint) * $2::bigint / 1000.0),
          1)
  ON CONFLICT (key, window_start) DO UPDATE SET count = b.count + 1
  RETURNING b.count,
            greatest(0, ceil(extract(epoch FROM b.window_start) * 1000 + $2::bigint
                             - extract(epoch FROM coalesce($3::timestamptz, now())) * 1000)
                    )::integer AS ttl_ms`;

/** A row older than the longest window in use is expired for every limit. */
const SWEEP = `DELETE FROM rate_limit_buckets
  WHERE window_start < coalesce($2::timestamptz, now()) - $1::bigint * interval '1 millisecond'`;

interface Shared {
  readonly db: Queryable;
  readonly onSweepError: (error: unknown) => void;
  /** The given clock's time as a parameter, or null for the database's own. */
  readonly at: () => string | null;
  longestWindowMs: number;
  lastSweepMs: number;
}

/** What the plugin passes to `child`: the route's merged options, with the route itself. */
interface ChildOptions {
  readonly routeInfo?: { readonly method?: unknown; readonly url?: unknown };
  /** Counted in this instance's memory instead of the database (see rateLimit.ts). */
  readonly perInstance?: boolean;
}

class PgRateLimitStore implements Store {
  constructor(
    private readonly shared: Shared,
    private readonly prefix: string,
  ) {}

  incr(key: string, callback: IncrCallback, timeWindow: number): void {
    const shared = this.shared;
    shared.longestWindowMs = Math.max(shared.longestWindowMs, timeWindow);
    shared.db
      .query<{ count: number; ttl_ms: number }>(INCREMENT, [
        `${this.prefix}${key}`,
        timeWindow,
        shared.at(),
      ])
      .then(
        ({ rows }) => {
          const row = rows[0];
          if (row === undefined) return callback(new Error('rate limit upsert returned no row'));
          callback(null, { current: row.count, ttl: row.ttl_ms });
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    this.sweepNowAndThen();
  }

  /**
   * Routes given `config.rateLimit` get their own counts (keyed by route, like the plugin's
   * Redis store); limiters made with `createRateLimit` put their own prefix in the key.
   */
  child(options: unknown): Store {
    if ((options as ChildOptions).perInstance === true) {
      return new LocalStore(false, false, LOCAL_CACHE_SIZE);
    }
    const route = (options as ChildOptions).routeInfo;
    const prefix =
      typeof route?.method === 'string' && typeof route.url === 'string'
        ? `${route.method} ${route.url}|`
        : this.prefix;
    return new PgRateLimitStore(this.shared, prefix);
  }

  private sweepNowAndThen(): void {
    const shared = this.shared;
    const now = Date.now();
    if (now - shared.lastSweepMs < SWEEP_INTERVAL_MS) return;
    shared.lastSweepMs = now;
    shared.db.query(SWEEP, [shared.longestWindowMs, shared.at()]).catch(shared.onSweepError);
  }
}

/**
 * The plugin constructs its store itself (`new Store(options)`), so the database handle is
 * bound in a class made here. Supports fixed windows only: not `continueExceeding`,
 * `exponentialBackoff` or `read` (we use none of them).
 */
export function pgRateLimitStore(deps: {
  db: Queryable;
  onSweepError: (error: unknown) => void;
  /**
   * The windows' clock. Default: the database's, which every instance shares; tests pass one
   * they move instead of waiting for a window to end.
   */
  clock?: () => Date;
}): StoreCtor {
  const clock = deps.clock;
  const shared: Shared = {
    db: deps.db,
    onSweepError: deps.onSweepError,
    at: () => clock?.().toISOString() ?? null,
    longestWindowMs: 0,
    lastSweepMs: 0,
  };
  return class BoundPgRateLimitStore extends PgRateLimitStore {
    constructor() {
      super(shared, '');
    }
  };
}
