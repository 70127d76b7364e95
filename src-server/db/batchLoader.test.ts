import { describe, expect, it } from 'vitest';
import { createBatchLoader } from './batchLoader.js';

/** A fetch over a table that can change between calls, recording every call's keys. */
function fakeTable(initial: Record<string, string>) {
  const rows = new Map(Object.entries(initial));
  const calls: string[][] = [];
  return {
    rows,
    calls,
    fetchMany: async (keys: readonly string[]) => {
      calls.push([...keys]);
      await Promise.resolve();
      return new Map(keys.flatMap((k) => (rows.has(k) ? [[k, rows.get(k) ?? '']] : [])));
    },
  };
}

describe('createBatchLoader', () => {
  it('answers look-ups asked together with one fetch, each with its own row', async () => {
    const table = fakeTable({ a: 'A', b: 'B' });
    const loader = createBatchLoader(table.fetchMany);
    const answers = await Promise.all([loader.load('a'), loader.load('b'), loader.load('zz')]);
    expect(answers).toEqual(['A', 'B', undefined]);
    expect(table.calls).toEqual([['a', 'b', 'zz']]);
  });

  it('asks for a repeated key once', async () => {
    const table = fakeTable({ a: 'A' });
    const loader = createBatchLoader(table.fetchMany);
    expect(await Promise.all([loader.load('a'), loader.load('a')])).toEqual(['A', 'A']);
    expect(table.calls).toEqual([['a']]);
  });

  it('keeps no cache: a change before the next ask is seen', async () => {
    const table = fakeTable({ session: 'live' });
    const loader = createBatchLoader(table.fetchMany);
    expect(await loader.load('session')).toBe('live');
    table.rows.set('session', 'revoked');
    expect(await loader.load('session')).toBe('revoked');
    expect(table.calls).toHaveLength(2);
  });

  it('splits a flood into bounded fetches', async () => {
    const table = fakeTable({});
    const loader = createBatchLoader(table.fetchMany, { maxBatch: 2 });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => loader.load(k)));
    expect(table.calls).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('fails every look-up of a failed fetch, and the next batch still works', async () => {
    let fail = true;
    const loader = createBatchLoader(async (keys: readonly string[]) => {
      await Promise.resolve();
      if (fail) throw new Error('database gone');
      return new Map(keys.map((k) => [k, k.toUpperCase()]));
    });
    const results = await Promise.allSettled([loader.load('a'), loader.load('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await loader.load('c')).toBe('C');
  });
});
