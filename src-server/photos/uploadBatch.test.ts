import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, movableClock } from '../testing/accountFixtures.js';
import { albumWithDesigner } from '../testing/albumFixtures.js';
import { DIALECTS } from '../testing/testDatabase.js';
import { startTestServer, type TestServer } from '../testing/testServer.js';

interface Result {
  ok: boolean;
  value?: { photo: { id: string; status: string }; duplicate: boolean; upload: unknown };
  error?: { code: string };
}

const claim = (bytes: Buffer) => ({
  sha256: createHash('sha256').update(bytes).digest('hex'),
  size: bytes.length,
  fileName: 'IMG_0001.JPG',
  contentType: 'image/jpeg',
});

describe.each(DIALECTS)('starting uploads in one batch call on %s', (dialect) => {
  let server: TestServer;
  let statements: string[] = [];
  const clock = movableClock();
  let token: string;
  let albumId: string;

  beforeAll(async () => {
    server = await startTestServer({
      dialect,
      now: clock.now,
      observeQueries: (sql) => void statements.push(sql),
    });
    const cast = await albumWithDesigner(server, clock.now, 'batch');
    token = cast.designer.session.accessToken;
    albumId = cast.albumId;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  const batch = async (uploads: ReturnType<typeof claim>[]): Promise<Result[]> => {
    const res = await as(server, token)(`/v1/albums/${albumId}/photos/uploads/batch`, 'POST', {
      uploads,
    });
    expect(res.status, res.text).toBe(200);
    return (res.json as { results: Result[] }).results;
  };

  it('inserts every new photo in one transaction after one look-up of the hashes', async () => {
    const files = Array.from({ length: 12 }, () => randomBytes(64));
    statements = [];
    const results = await batch(files.map(claim));
    expect(results.every((r) => r.ok && r.value?.duplicate === false)).toBe(true);
    expect(new Set(results.map((r) => r.value!.photo.id)).size).toBe(12);
    // One transaction for the twelve (not one each), and no per-photo hash look-up.
    expect(statements.filter((sql) => sql === 'BEGIN')).toHaveLength(1);
    expect(statements.filter((sql) => /sha256 = ANY/.test(sql))).toHaveLength(1);
    expect(statements.filter((sql) => /sha256 = \$\d/.test(sql))).toHaveLength(0);
  });

  it('answers a hash claimed twice in one call, and the album’s own photos, with one photo each', async () => {
    const [known, twice] = [randomBytes(64), randomBytes(64)];
    const [first] = await batch([claim(known)]);
    const results = await batch([claim(twice), claim(known), claim(twice)]);
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    // The caller's own open upload is resumed (fresh URLs), not reported as a duplicate.
    expect(results[1]!.value).toMatchObject({
      duplicate: false,
      photo: { id: first!.value!.photo.id },
    });
    expect(results[2]!.value).toMatchObject({
      duplicate: false,
      photo: { id: results[0]!.value!.photo.id },
    });
    expect(results[2]!.value!.upload).not.toBeNull();
  });
});
