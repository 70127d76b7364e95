import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findNul } from './requestGuards.js';
import { as, bearer } from '../testing/accountFixtures.js';
import { albumSettings, albumWithDesigner, pageFor, withText } from '../testing/albumFixtures.js';
import type { TestResponse } from '../testing/httpsClient.js';
import { startTestServer, type TestServer } from '../testing/testServer.js';

const errorOf = (res: TestResponse) =>
  (res.json as { error: { code: string; path?: unknown[] } }).error;

/**
 * What an attacker's probe answered 500 to (issue 17), and the like: a NUL anywhere (text
 * columns and jsonb refuse it) and numbers no column holds. Each is a 400 validation_failed
 * that names where the problem is, and nothing is written.
 */
describe('requests the database could not store', () => {
  let server: TestServer;
  let call: ReturnType<typeof as>;
  let albumId: string;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect: 'pglite' });
    const world = await albumWithDesigner(server, () => new Date(), 'guards');
    albumId = world.albumId;
    token = world.studio.admin.accessToken;
    call = as(server, token);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  it.each([
    ['NUL in page text', 'POST', 'pages', 'text', ['body', 'elements', 1, 'text']],
    ['NUL in album settings', 'PATCH', '', 'settings', ['body', 'settings', 'title']],
    ['NUL in a document key', 'PATCH', '', 'key', ['body', 'settings', 'a\u0000b']],
  ] as const)('%s is 400 validation_failed at its path', async (_case, method, sub, what, path) => {
    const body =
      what === 'text'
        ? withText(pageFor(albumId, { id: 'nul-page' }), 'before\u0000after')
        : {
            settings: albumSettings(
              what === 'settings' ? { title: 'a\u0000b' } : { 'a\u0000b': 1 },
            ),
          };
    const res = await call(`/v1/albums/${albumId}${sub === '' ? '' : `/${sub}`}`, method, body);
    expect(res.status, res.text).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'validation_failed', path });
  });

  it('wrote nothing for the refused page and settings', async () => {
    const pages = await call(`/v1/albums/${albumId}/pages`);
    expect((pages.json as { pages: unknown[] }).pages).toEqual([]);
    const album = await call(`/v1/albums/${albumId}`);
    expect((album.json as { settings: { title: string } }).settings.title).toBe(
      '令和8年度 卒業アルバム',
    );
  });

  it.each([
    ['/v1/albums/:album/changes?limit=1e309', ['querystring', 'limit']],
    ['/v1/albums/:album/changes?after=%00', ['querystring', 'after']],
    ['/v1/audit-events?before=9999999999999999999', ['querystring', 'before']],
    ['/v1/audit-events?tz=UTC%00', ['querystring', 'tz']],
  ] as const)('GET %s is 400 validation_failed', async (url, path) => {
    const res = await call(url.replace(':album', albumId));
    expect(res.status, res.text).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'validation_failed', path });
  });

  it('a body number of 1e309 is 400 validation_failed', async () => {
    const res = await server.request(`/v1/albums/${albumId}/photos/uploads`, {
      method: 'POST',
      headers: bearer(token),
      body: `{"sha256":"${'a'.repeat(64)}","size":1e309,"fileName":"a.jpg","contentType":"image/jpeg"}`,
    });
    expect(res.status, res.text).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'validation_failed', path: ['body', 'size'] });
  });
});

describe('findNul', () => {
  it('searches only parsed data: a raw upload stream is passed over, not walked', () => {
    const stream = Readable.from([Buffer.from('a\u0000b')]);
    expect(findNul(stream)).toBeNull();
    expect(findNul({ a: [{ b: 'x\u0000' }] })).toEqual(['a', 0, 'b']);
    expect(findNul(Object.assign(Object.create(null) as object, { k: '\u0000' }))).toEqual(['k']);
  });
});
