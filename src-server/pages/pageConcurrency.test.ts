import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePage, sampleAlbum } from '../../src-shared/model/fixtures.js';
import type { Page } from '../../src-shared/model/page.js';
import { createAlbum } from '../albums/albumRepository.js';
import { readChanges } from '../albums/changeFeed.js';
import type { Db } from '../db/db.js';
import { migrate } from '../db/migrate.js';
import { MIGRATIONS } from '../db/migrations/index.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/testDatabase.js';
import { createPage, deletePage, getPage, listPages, putPage } from './pageRepository.js';

async function newAlbum(db: Db): Promise<string> {
  const tenant = async (kind: string) =>
    (
      await db.query<{ id: string }>(
        `INSERT INTO tenants (kind, name, contract_start) VALUES ($1, $2, now()) RETURNING id`,
        [kind, `${kind} ${randomUUID()}`],
      )
    ).rows[0]?.id as string;
  const albumId = randomUUID();
  await createAlbum(db, {
    album: sampleAlbum({ id: albumId }),
    studioTenantId: await tenant('studio'),
    schoolTenantId: await tenant('school'),
    createdBy: null,
  });
  return albumId;
}

const withText = (page: Page, text: string): Page => ({
  ...page,
  elements: page.elements.map((e) => (e.kind === 'text' ? { ...e, text } : e)),
});
const textOf = (page: Page): string =>
  page.elements.flatMap((e) => (e.kind === 'text' ? [e.text] : [])).join('');

describe.each(DIALECTS)('pages and the change feed on %s', (dialect) => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = database.db;
    await migrate(db, MIGRATIONS);
  });
  afterAll(async () => {
    await database.dispose();
  });

  it('stores with the current version, refuses a stale one with the current copy, replays once', async () => {
    const albumId = await newAlbum(db);
    const created = await createPage(db, albumId, samplePage({ id: 'p1' }), null);
    expect(created?.version).toBe(1);
    expect(await createPage(db, albumId, samplePage({ id: 'p1' }), null)).toBeNull();

    const push = {
      albumId,
      pageId: 'p1',
      ifMatch: 1,
      document: withText(samplePage({ id: 'p1' }), 'first'),
      clientId: 'client-a',
      mutationNo: 1,
      userId: null,
    };
    expect(await putPage(db, push)).toEqual({ kind: 'stored', version: 2 });
    // The same push again (a retry after a lost answer) is answered, not applied.
    expect(await putPage(db, push)).toEqual({ kind: 'replayed', version: 2 });
    const stale = await putPage(db, { ...push, mutationNo: 2, document: samplePage({ id: 'p1' }) });
    expect(stale.kind).toBe('stale');
    if (stale.kind === 'stale') {
      expect(stale.current.version).toBe(2);
      expect(textOf(stale.current.document)).toBe('first');
      expect(stale.current.document.version).toBe(2);
    }
    expect(await putPage(db, { ...push, mutationNo: 1, pageId: 'p2' })).toEqual({
      kind: 'mutation_reused',
    });
    expect(await putPage(db, { ...push, mutationNo: 3, pageId: 'nope' })).toEqual({
      kind: 'not_found',
    });
    expect(await deletePage(db, albumId, 'p1')).toBe(true);
    expect(await deletePage(db, albumId, 'p1')).toBe(false);
    expect(await getPage(db, albumId, 'p1')).toBeNull();
    const feed = await readChanges(db, albumId, '0', 100);
    expect(feed.map((c) => [c.seq, c.entity, c.op, c.version])).toEqual([
      ['1', 'album', 'upsert', 1],
      ['2', 'page', 'upsert', 1],
      ['3', 'page', 'upsert', 2],
      ['4', 'page', 'delete', 3],
    ]);
  });

  it('10 clients writing one page: distinct versions, nothing accepted is lost', async () => {
    const albumId = await newAlbum(db);
    await createPage(db, albumId, samplePage({ id: 'shared' }), null);
    const accepted: { version: number; text: string; client: string; mutationNo: number }[] = [];
    const rounds = 8;
    await Promise.all(
      Array.from({ length: 10 }, async (_, c) => {
        const client = `client-${c}`;
        let mutationNo = 0;
        for (let round = 0; round < rounds; round++) {
          const text = `${client}/${round}`;
          for (let attempt = 0; ; attempt++) {
            if (attempt > 200) throw new Error('no progress');
            const current = await getPage(db, albumId, 'shared');
            if (!current) throw new Error('page vanished');
            mutationNo++;
            const outcome = await putPage(db, {
              albumId,
              pageId: 'shared',
              ifMatch: current.version,
              document: withText(current.document, text),
              clientId: client,
              mutationNo,
              userId: null,
            });
            if (outcome.kind === 'stored') {
              accepted.push({ version: outcome.version, text, client, mutationNo });
              break;
            }
            expect(outcome.kind).toBe('stale');
          }
        }
      }),
    );
    expect(accepted).toHaveLength(10 * rounds);
    const versions = accepted.map((a) => a.version).sort((a, b) => a - b);
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions).toEqual(Array.from({ length: 10 * rounds }, (_, i) => i + 2));
    const final = await getPage(db, albumId, 'shared');
    const last = accepted.find((a) => a.version === final?.version);
    expect(final && textOf(final.document)).toBe(last?.text);
    // Every accepted write is in the feed under its own version, and each is recorded once.
    const feed = await readChanges(db, albumId, '1', 1000);
    expect(feed.map((c) => c.version)).toEqual([1, ...versions]);
    const { rows } = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM page_mutations WHERE album_id = $1`,
      [albumId],
    );
    expect(Number(rows[0]?.n)).toBe(10 * rounds);
  });

  it('20 concurrent writers and a reader following the feed: no gap, same final state', async () => {
    const albumId = await newAlbum(db);
    let writersDone = false;
    const seen = new Map<string, Page>();
    let cursor = '0';
    let batches = 0;

    const follow = async (): Promise<number> => {
      const changes = await readChanges(db, albumId, cursor, 50);
      for (const change of changes) {
        // Gap-free: the next change visible is always cursor + 1, even mid-commit-storm.
        expect(BigInt(change.seq)).toBe(BigInt(cursor) + 1n);
        cursor = change.seq;
        if (change.entity !== 'page') continue;
        const page = change.op === 'delete' ? null : await getPage(db, albumId, change.entityId);
        if (page) seen.set(change.entityId, page.document);
        else seen.delete(change.entityId);
      }
      batches++;
      return changes.length;
    };

    const reader = (async () => {
      while (!writersDone) await follow();
      while ((await follow()) > 0);
    })();

    await Promise.all(
      Array.from({ length: 20 }, async (_, w) => {
        const id = `w${w}`;
        await createPage(db, albumId, samplePage({ id, index: w }), null);
        let version = 1;
        for (let round = 0; round < 5; round++) {
          const outcome = await putPage(db, {
            albumId,
            pageId: id,
            ifMatch: version,
            document: withText(samplePage({ id, index: w }), `${id}/${round}`),
            clientId: id,
            mutationNo: round + 1,
            userId: null,
          });
          if (outcome.kind !== 'stored') throw new Error(`unexpected ${outcome.kind}`);
          version = outcome.version;
        }
        if (w % 4 === 0) await deletePage(db, albumId, id);
      }),
    );
    writersDone = true;
    await reader;

    const final = new Map((await listPages(db, albumId)).map((p) => [p.document.id, p.document]));
    expect(seen).toEqual(final);
    expect(final.size).toBe(15);
    expect(batches).toBeGreaterThan(1);
    expect(cursor).toBe(String(1 + 20 * 6 + 5));
  });
});
