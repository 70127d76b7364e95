import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PAGE_BYTES, type Page } from '../../src-shared/model/page.js';
import { as, bearer, errorCodeOf, movableClock } from '../testing/accountFixtures.js';
import {
  albumWithDesigner,
  pageFor,
  pushPage,
  readFeed,
  textOf,
  withText,
} from '../testing/albumFixtures.js';
import { DIALECTS } from '../testing/testDatabase.js';
import { startTestServer, type TestServer } from '../testing/testServer.js';

interface Stored {
  document: Page;
  version: number;
}

describe.each(DIALECTS)('page sync over the API on %s', (dialect) => {
  let server: TestServer;
  let designer: string;
  let schoolAdmin: string;
  let albumId: string;

  beforeAll(async () => {
    const clock = movableClock();
    server = await startTestServer({ dialect, now: clock.now });
    const cast = await albumWithDesigner(server, clock.now, 'sync');
    designer = cast.designer.session.accessToken;
    schoolAdmin = cast.school.admin.accessToken;
    albumId = cast.albumId;
  });
  afterAll(async () => {
    await server?.close();
  });

  const getPage = async (id: string): Promise<Stored> => {
    const res = await as(server, designer)(`/v1/albums/${albumId}/pages/${id}`);
    expect(res.status, res.text).toBe(200);
    return res.json as Stored;
  };

  it('pushes with If-Match, answers 412 with the current copy, and applies a retry once', async () => {
    const create = await as(server, designer)(
      `/v1/albums/${albumId}/pages`,
      'POST',
      pageFor(albumId, { id: 'cover' }),
    );
    expect(create.status).toBe(201);
    expect((create.json as Stored).version).toBe(1);
    const again = await as(server, designer)(
      `/v1/albums/${albumId}/pages`,
      'POST',
      pageFor(albumId, { id: 'cover' }),
    );
    expect(errorCodeOf(again)).toBe('page_exists');

    const first = withText(pageFor(albumId, { id: 'cover' }), 'first');
    const noIfMatch = await pushPage(server, designer, albumId, first, {
      clientId: 'desk-1',
      mutationNo: 1,
    });
    expect(noIfMatch.status).toBe(428);
    expect(errorCodeOf(noIfMatch)).toBe('precondition_required');

    const push = { ifMatch: 1, clientId: 'desk-1', mutationNo: 1 };
    const stored = await pushPage(server, designer, albumId, first, push);
    expect(stored.status).toBe(200);
    expect(stored.json).toEqual({ version: 2, replayed: false });
    // The answer was lost; the client sends the same push again: answered, not applied.
    const retried = await pushPage(server, designer, albumId, first, push);
    expect(retried.json).toEqual({ version: 2, replayed: true });

    const stale = await pushPage(server, designer, albumId, withText(first, 'second'), {
      ifMatch: 1,
      clientId: 'desk-2',
      mutationNo: 1,
    });
    expect(stale.status).toBe(412);
    const conflict = stale.json as { error: { code: string }; current: Stored };
    expect(conflict.error.code).toBe('version_conflict');
    expect(conflict.current.version).toBe(2);
    expect(textOf(conflict.current.document)).toBe('first');
    expect(conflict.current.document.albumId).toBe(albumId);

    // School admins review; layout is the studio's work (roles table).
    const bySchool = await pushPage(server, schoolAdmin, albumId, first, {
      ifMatch: 2,
      clientId: 'school',
      mutationNo: 1,
    });
    expect(bySchool.status).toBe(403);
    expect((await as(server, schoolAdmin)(`/v1/albums/${albumId}/pages/cover`)).status).toBe(200);
  });

  it('refuses a page that fails the schema (422 with the path) or exceeds the size bound', async () => {
    const page = pageFor(albumId, { id: 'bad' });
    const broken = {
      ...page,
      elements: page.elements.map((e, i) => (i === 1 ? { ...e, color: 'red' } : e)),
    };
    const res = await as(server, designer)(`/v1/albums/${albumId}/pages`, 'POST', broken);
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({
      error: { code: 'invalid_document', path: ['elements', 1, 'color'] },
    });
    // 27 000 bytes a text box: 37 boxes pass the body limit (1 MiB) but not MAX_PAGE_BYTES.
    const text = 'あ'.repeat(9_000);
    const huge = {
      ...page,
      id: 'huge',
      elements: Array.from({ length: 37 }, (_, i) => ({
        ...(page.elements[1] as Page['elements'][number]),
        id: `t${i}`,
        text,
      })),
    };
    expect(Buffer.byteLength(JSON.stringify(huge))).toBeGreaterThan(MAX_PAGE_BYTES);
    const tooBig = await as(server, designer)(`/v1/albums/${albumId}/pages`, 'POST', huge);
    expect(tooBig.status).toBe(413);
    expect(errorCodeOf(tooBig)).toBe('document_too_large');
    const overBodyLimit = await as(server, designer)(`/v1/albums/${albumId}/pages`, 'POST', {
      ...huge,
      elements: [
        ...huge.elements,
        ...huge.elements.slice(0, 5).map((e) => ({ ...e, id: `${e.id}x` })),
      ],
    });
    expect(errorCodeOf(overBodyLimit)).toBe('payload_too_large');
    const wrongId = await pushPage(
      server,
      designer,
      albumId,
      { ...page, id: 'cover' },
      {
        ifMatch: 2,
        clientId: 'desk-9',
        mutationNo: 1,
      },
    );
    expect(wrongId.status).toBe(200); // sanity: the same page id in body and URL is fine
    const mismatch = await server.request(`/v1/albums/${albumId}/pages/cover`, {
      method: 'PUT',
      headers: {
        ...bearer(designer),
        'if-match': '3',
        'x-client-id': 'desk-9',
        'x-mutation-no': '2',
      },
      body: { ...page, id: 'other' },
    });
    expect(mismatch.json).toMatchObject({ error: { code: 'invalid_document', path: ['id'] } });
  });

  it('reorders in one request and deletes with a tombstone in the feed', async () => {
    const ids = ['r0', 'r1', 'r2'];
    for (const [index, id] of ids.entries()) {
      await as(server, designer)(
        `/v1/albums/${albumId}/pages`,
        'POST',
        pageFor(albumId, { id, index: 100 + index }),
      );
    }
    const cursor = (await readFeed(server, designer, albumId)).nextAfter;
    const all = (await as(server, designer)(`/v1/albums/${albumId}/pages`)).json as {
      pages: Stored[];
    };
    const order = [
      ...all.pages.map((p) => p.document.id).filter((id) => !ids.includes(id)),
      'r2',
      'r0',
      'r1',
    ];
    const partial = await as(server, designer)(`/v1/albums/${albumId}/pages/reorder`, 'POST', {
      order: ['r2'],
    });
    expect(errorCodeOf(partial)).toBe('order_mismatch');
    const reordered = await as(server, designer)(`/v1/albums/${albumId}/pages/reorder`, 'POST', {
      order,
    });
    expect(reordered.status).toBe(200);
    const after = (await as(server, designer)(`/v1/albums/${albumId}/pages`)).json as {
      pages: Stored[];
    };
    expect(after.pages.map((p) => p.document.id)).toEqual(order);
    expect(after.pages.map((p) => p.document.index)).toEqual(order.map((_, i) => i));

    expect((await as(server, designer)(`/v1/albums/${albumId}/pages/r0`, 'DELETE')).status).toBe(
      200,
    );
    expect((await as(server, designer)(`/v1/albums/${albumId}/pages/r0`)).status).toBe(404);
    const feed = await readFeed(server, designer, albumId, cursor);
    const last = feed.changes.at(-1);
    expect(last).toMatchObject({ entity: 'page', entityId: 'r0', op: 'delete', page: null });
    const moved = feed.changes.filter((c) => c.op === 'upsert').map((c) => c.entityId);
    expect(moved).toEqual(expect.arrayContaining(['r2', 'r0', 'r1']));
  });

  it('10 clients push one page concurrently, retrying after 412: nothing accepted is lost', async () => {
    await as(server, designer)(
      `/v1/albums/${albumId}/pages`,
      'POST',
      pageFor(albumId, { id: 'shared' }),
    );
    const accepted: { version: number; text: string }[] = [];
    const rounds = 4;
    await Promise.all(
      Array.from({ length: 10 }, async (_, c) => {
        const clientId = `client-${c}`;
        let mutationNo = 0;
        let base = await getPage('shared');
        for (let round = 0; round < rounds; round++) {
          const text = `${clientId}/${round}`;
          for (let attempt = 0; ; attempt++) {
            if (attempt > 200) throw new Error('no progress');
            mutationNo++;
            const res = await pushPage(server, designer, albumId, withText(base.document, text), {
              ifMatch: base.version,
              clientId,
              mutationNo,
            });
            if (res.status === 200) {
              const { version } = res.json as { version: number };
              accepted.push({ version, text });
              base = { document: withText(base.document, text), version };
              break;
            }
            expect(res.status, res.text).toBe(412);
            // Retry on the server's copy, as the client does after merging.
            base = (res.json as { current: Stored }).current;
          }
        }
      }),
    );
    expect(accepted).toHaveLength(10 * rounds);
    const versions = accepted.map((a) => a.version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 10 * rounds }, (_, i) => i + 2));
    const final = await getPage('shared');
    expect(textOf(final.document)).toBe(accepted.find((a) => a.version === final.version)?.text);
  });

  it('20 writers and a reader following the feed end with exactly the server state', async () => {
    const writers = 20;
    const baseline = (await readFeed(server, designer, albumId)).nextAfter;
    // The reader starts from the state at the cursor, then applies the feed.
    const seen = new Map<string, Stored>(
      (
        (await as(server, designer)(`/v1/albums/${albumId}/pages`)).json as { pages: Stored[] }
      ).pages.map((p) => [p.document.id, p]),
    );
    let cursor = baseline;
    let done = false;
    let polls = 0;
    const follow = async (): Promise<number> => {
      const feed = await readFeed(server, designer, albumId, cursor, 50);
      for (const change of feed.changes) {
        expect(BigInt(change.seq)).toBe(BigInt(cursor) + 1n);
        cursor = change.seq;
        if (change.entity !== 'page') continue;
        if (change.op === 'delete') seen.delete(change.entityId);
        else if (change.page) seen.set(change.entityId, change.page);
      }
      polls++;
      return feed.changes.length;
    };
    const reader = (async () => {
      while (!done) await follow();
      while ((await follow()) > 0);
    })();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const id = `w${w}`;
        const created = await as(server, designer)(
          `/v1/albums/${albumId}/pages`,
          'POST',
          pageFor(albumId, { id, index: 200 + w }),
        );
        expect(created.status).toBe(201);
        let version = 1;
        for (let round = 0; round < 3; round++) {
          const res = await pushPage(
            server,
            designer,
            albumId,
            withText(pageFor(albumId, { id, index: 200 + w }), `${id}/${round}`),
            {
              ifMatch: version,
              clientId: `writer-${w}`,
              mutationNo: round + 1,
            },
          );
          expect(res.status, res.text).toBe(200);
          version = (res.json as { version: number }).version;
        }
        if (w % 4 === 0) {
          expect(
            (await as(server, designer)(`/v1/albums/${albumId}/pages/${id}`, 'DELETE')).status,
          ).toBe(200);
        }
      }),
    );
    done = true;
    await reader;
    const final = (
      (await as(server, designer)(`/v1/albums/${albumId}/pages`)).json as { pages: Stored[] }
    ).pages;
    expect(new Map([...seen].sort())).toEqual(
      new Map(final.map((p) => [p.document.id, p] as const).sort()),
    );
    expect(polls).toBeGreaterThan(1);
    expect(BigInt(cursor) - BigInt(baseline)).toBe(BigInt(writers * 4 + writers / 4));
  });
});
