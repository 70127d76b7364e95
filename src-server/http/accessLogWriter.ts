import type { Queryable } from '../db/db.js';

/** One `access_log` row (P13): nothing else about a request is kept. */
export interface AccessLogEntry {
  readonly occurredAt: Date;
  readonly tenantId: string | null;
  readonly userId: string | null;
  readonly method: string;
  /** The route pattern (`/v1/albums/:albumId`), never the raw URL with ids or a query. */
  readonly route: string;
  readonly status: number;
  readonly durationMs: number;
  readonly sourceAddress: string | null;
}

export interface AccessLogWriter {
  /** Queues a row; never waits and never throws, so a response is never delayed by it. */
  add(entry: AccessLogEntry): void;
  /** Writes everything queued (at close, and in tests). */
  flush(): Promise<void>;
}

export interface AccessLogWriterOptions {
  readonly db: Queryable;
  /** Rows were lost; called with a count and the error, never with the rows themselves. */
  readonly onDropped: (count: number, error: unknown) => void;
  readonly batchSize?: number;
  readonly delayMs?: number;
  /** More queued than this (database gone) and new rows are dropped: memory stays bounded. */
  readonly maxQueued?: number;
}

const INSERT = `INSERT INTO access_log
    (occurred_at, tenant_id, user_id, method, route, status, duration_ms, source_address)
  SELECT * FROM unnest($1::timestamptz[], $2::uuid[], $3::uuid[], $4::text[], $5::text[],
                       $6::smallint[], $7::integer[], $8::inet[])`;

/**
 * Writes access-log rows in batches, a moment after the responses: one INSERT per batch
 * instead of one per request keeps a flood (even of refused requests) cheap for the database.
 * The queue holds only rows not yet written, which no other instance needs.
 */
export function createAccessLogWriter(options: AccessLogWriterOptions): AccessLogWriter {
  const batchSize = options.batchSize ?? 500;
  const delayMs = options.delayMs ?? 200;
  const maxQueued = options.maxQueued ?? 20_000;
  let queue: AccessLogEntry[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  async function writeBatch(batch: readonly AccessLogEntry[]): Promise<void> {
    try {
      await options.db.query(INSERT, [
        batch.map((e) => e.occurredAt),
        batch.map((e) => e.tenantId),
        batch.map((e) => e.userId),
        batch.map((e) => e.method),
        batch.map((e) => e.route),
        batch.map((e) => e.status),
        batch.map((e) => e.durationMs),
        batch.map((e) => e.sourceAddress),
      ]);
    } catch (error) {
      options.onDropped(batch.length, error);
    }
  }

  function drainQueue(): Promise<void> {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    // One write at a time, in order; each takes what is queued when its turn comes.
    writing = writing.then(async () => {
      while (queue.length > 0) {
        const batch = queue.slice(0, batchSize);
        queue = queue.slice(batch.length);
        await writeBatch(batch);
      }
    });
    return writing;
  }

  return {
    add(entry) {
      if (queue.length >= maxQueued) {
        options.onDropped(1, new Error('access log queue full'));
        return;
      }
      queue.push(entry);
      if (queue.length >= batchSize) void drainQueue();
      else if (timer === undefined) timer = setTimeout(() => void drainQueue(), delayMs).unref();
    },
    flush: drainQueue,
  };
}
