import { describe, expect, it } from 'vitest';
import { blobApi } from '../../../src-shared/cloud/blobs.js';
import { changeApi } from '../../../src-shared/cloud/changes.js';
import { pageApi } from '../../../src-shared/cloud/pages.js';
import { photoApi } from '../../../src-shared/cloud/photos.js';
import { tenantApi } from '../../../src-shared/cloud/tenants.js';
import { userApi } from '../../../src-shared/cloud/users.js';
import { readReply, requestPath } from './cloudCall.js';
import { CloudError } from './cloudError.js';

const ALBUM = '0b7e3c9a-8f1d-4c2b-9a6e-1d2f3c4b5a69';
const PHOTO = '5f0c1e2d-3b4a-4c5d-8e6f-7a8b9c0d1e2f';

describe('request paths built from route specs', () => {
  const cases: [string, string][] = [
    [requestPath(pageApi.list, { params: { albumId: ALBUM } }), `/v1/albums/${ALBUM}/pages`],
    [
      requestPath(pageApi.get, { params: { albumId: ALBUM, pageId: 'page-1' } }),
      `/v1/albums/${ALBUM}/pages/page-1`,
    ],
    // Each parameter is one segment: a slash, a space, a query or a fragment cannot leak out.
    [
      requestPath(pageApi.get, { params: { albumId: ALBUM, pageId: 'a/b c?d#e' } }),
      `/v1/albums/${ALBUM}/pages/a%2Fb%20c%3Fd%23e`,
    ],
    // Dot segments would be resolved by URL parsing and reach another route.
    [
      requestPath(pageApi.get, { params: { albumId: ALBUM, pageId: '..' } }),
      `/v1/albums/${ALBUM}/pages/%2E%2E`,
    ],
    [
      requestPath(pageApi.get, { params: { albumId: ALBUM, pageId: '.' } }),
      `/v1/albums/${ALBUM}/pages/%2E`,
    ],
    [
      requestPath(pageApi.get, { params: { albumId: ALBUM, pageId: '写真.1' } }),
      `/v1/albums/${ALBUM}/pages/%E5%86%99%E7%9C%9F.1`,
    ],
    [
      requestPath(tenantApi.resetAdminPassword, { params: { id: ALBUM, userId: PHOTO } }),
      `/v1/tenants/${ALBUM}/admins/${PHOTO}/reset-password`,
    ],
    [
      requestPath(changeApi.list, {
        params: { albumId: ALBUM },
        query: { after: '17', limit: 200 },
      }),
      `/v1/albums/${ALBUM}/changes?after=17&limit=200`,
    ],
    // Query values are encoded; absent ones are left out (the server's default applies).
    [
      requestPath(changeApi.list, { params: { albumId: ALBUM }, query: { after: '0&limit=1' } }),
      `/v1/albums/${ALBUM}/changes?after=0%26limit%3D1`,
    ],
    [
      requestPath(photoApi.content, {
        params: { albumId: ALBUM, photoId: PHOTO },
        query: { variant: undefined },
      }),
      `/v1/albums/${ALBUM}/photos/${PHOTO}/content`,
    ],
    [requestPath(userApi.list), '/v1/users'],
    // The rest of a wildcard path keeps its slashes; each part is encoded.
    [requestPath(blobApi.download, { params: { '*': 'up/a b/c' } }), '/v1/blobs/up/a%20b/c'],
  ];

  it.each(cases)('%s', (built, expected) => {
    expect(built).toBe(expected);
  });

  it('refuses a missing or empty parameter before anything is sent, naming the route', () => {
    expect(() => requestPath(pageApi.get, { params: { albumId: ALBUM } })).toThrow(
      'GET /v1/albums/:albumId/pages/:pageId: parameter pageId is missing',
    );
    expect(() => requestPath(pageApi.get, { params: { albumId: '', pageId: 'p' } })).toThrow(
      /parameter albumId is missing/,
    );
  });
});

describe('replies read against their route spec', () => {
  const photo = {
    id: PHOTO,
    albumId: ALBUM,
    sha256: 'a'.repeat(64),
    size: 1234,
    fileName: 'IMG_0001.JPG',
    contentType: 'image/jpeg',
    status: 'ready',
    failure: null,
    width: 4000,
    height: 3000,
    format: 'jpeg',
    takenAtLocal: null,
    uploadedBy: ALBUM,
    version: 3,
    createdAt: '2026-04-01T00:00:00.000Z',
    readyAt: '2026-04-01T00:00:01.000Z',
    expiresAt: null,
  };
  const answer = (status: number, json: unknown, headers = {}) => ({ status, headers, json });
  const failure = (work: () => unknown): CloudError => {
    try {
      work();
    } catch (error) {
      if (error instanceof CloudError) return error;
      throw error;
    }
    throw new Error('no error');
  };

  it('parses a reply that matches, dropping fields the contract does not name', () => {
    const reply = readReply(photoApi.get, answer(200, { ...photo, futureField: 1 }));
    expect(reply).toEqual(photo);
  });

  it('turns a reply that breaks its schema into cloud_protocol, naming the route and the field', () => {
    const error = failure(() => readReply(photoApi.get, answer(200, { ...photo, size: '1234' })));
    expect(error.code).toBe('cloud_protocol');
    expect(error.route).toBe('GET /v1/albums/:albumId/photos/:photoId');
    expect(error.message).toMatch(
      /^GET \/v1\/albums\/:albumId\/photos\/:photoId answered 200 .*size/,
    );
    expect(error.transient).toBe(false);
    expect(failure(() => readReply(photoApi.get, answer(200, undefined))).code).toBe(
      'cloud_protocol',
    );
  });

  it('turns a success status the contract does not name into cloud_protocol', () => {
    const error = failure(() => readReply(photoApi.get, answer(204, undefined)));
    expect(error).toMatchObject({ code: 'cloud_protocol', status: 204 });
  });

  it("keeps the server's code and message for error answers, and the conflict copy of a 412", () => {
    const notFound = failure(() =>
      readReply(photoApi.get, answer(404, { error: { code: 'not_found', message: 'Not found' } })),
    );
    expect(notFound).toMatchObject({ code: 'not_found', message: 'Not found', status: 404 });
    expect(notFound.route).toBe('GET /v1/albums/:albumId/photos/:photoId');
    const conflict = failure(() =>
      readReply(
        pageApi.put,
        answer(412, {
          error: { code: 'version_conflict', message: 'changed' },
          current: { document: { id: 'p' }, version: 4 },
        }),
      ),
    );
    expect(conflict.details.current).toEqual({ document: { id: 'p' }, version: 4 });
    const limited = failure(() =>
      readReply(
        userApi.list,
        answer(
          429,
          { error: { code: 'rate_limited', message: 'slow down' } },
          { 'retry-after': '7' },
        ),
      ),
    );
    expect(limited).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 7, transient: true });
    expect(failure(() => readReply(userApi.list, answer(502, undefined)))).toMatchObject({
      code: 'http_502',
      status: 502,
    });
  });
});
