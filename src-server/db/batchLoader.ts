/**
 * Coalesces look-ups that arrive together into one query: keys asked for during one turn of
 * the event loop are fetched by a single `fetchMany` call (in chunks of `maxBatch`). Nothing is
 * cached: every key is fetched by a query that starts after it was asked for, so a row changed
 * before the ask (a revoked session, a disabled user) is always seen. It saves round trips, not
 * freshness.
 */
export interface BatchLoader<K, V> {
  load(key: K): Promise<V | undefined>;
}

export interface BatchLoaderOptions {
  /** Keys per query; a flood becomes several bounded queries. */
  readonly maxBatch?: number;
}

interface Waiting<K, V> {
  readonly key: K;
  readonly resolve: (value: V | undefined) => void;
  readonly reject: (error: unknown) => void;
}

export function createBatchLoader<K, V>(
  fetchMany: (keys: readonly K[]) => Promise<ReadonlyMap<K, V>>,
  options: BatchLoaderOptions = {},
): BatchLoader<K, V> {
  const maxBatch = options.maxBatch ?? 100;
  let waiting: Waiting<K, V>[] = [];
  let scheduled = false;

  async function fetchChunk(chunk: readonly Waiting<K, V>[]): Promise<void> {
    try {
      const found = await fetchMany([...new Set(chunk.map((w) => w.key))]);
      for (const w of chunk) w.resolve(found.get(w.key));
    } catch (error) {
      for (const w of chunk) w.reject(error);
    }
  }

  function flush(): void {
    scheduled = false;
    const all = waiting;
    waiting = [];
    for (let i = 0; i < all.length; i += maxBatch) void fetchChunk(all.slice(i, i + maxBatch));
  }

  return {
    load(key) {
      return new Promise<V | undefined>((resolve, reject) => {
        waiting.push({ key, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          // After the I/O callbacks of this turn: every request parsed in it joins the batch.
          setImmediate(flush);
        }
      });
    },
  };
}
