import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  bootstrapOperator,
  createMember,
  errorCodeOf,
  movableClock,
  tenantWithAdmin,
  type Session,
} from '../testing/accountFixtures.js';
import {
  addMemberAs,
  albumSettings,
  createAlbumAs,
  pageFor,
  readFeed,
} from '../testing/albumFixtures.js';
import { DIALECTS } from '../testing/testDatabase.js';
import { startTestServer, type TestServer } from '../testing/testServer.js';

interface Person {
  readonly id: string;
  readonly token: string;
}

describe.each(DIALECTS)('albums and membership on %s', (dialect) => {
  let server: TestServer;
  let operator: Session;
  const people: Record<string, Person> = {};
  const tenants: Record<string, string> = {};

  beforeAll(async () => {
    const clock = movableClock();
    server = await startTestServer({ dialect, now: clock.now });
    operator = await bootstrapOperator(server, clock.now);
    for (const [name, kind] of [
      ['studioA', 'studio'],
      ['studioB', 'studio'],
      ['schoolC', 'school'],
    ] as const) {
      const t = await tenantWithAdmin(server, operator, kind, `${name}-admin`);
      tenants[name] = t.tenantId;
      people[`${name}Admin`] = { id: t.adminId, token: t.admin.accessToken };
    }
    const member = async (name: string, admin: string, role: string) => {
      const made = await createMember(
        server,
        { accessToken: people[admin]!.token, refreshToken: '' },
        {
          loginId: name,
          displayName: name,
          role,
        },
      );
      people[name] = { id: made.id, token: made.session.accessToken };
    };
    await member('designerIn', 'studioAAdmin', 'designer');
    await member('designerOut', 'studioAAdmin', 'designer');
    await member('staffIn', 'schoolCAdmin', 'school_staff');
    await member('staffOut', 'schoolCAdmin', 'school_staff');
    await member('designerB', 'studioBAdmin', 'designer');
  });
  afterAll(async () => {
    await server?.close();
  });

  const call = (who: string) => as(server, people[who]!.token);

  it('is created by a studio admin for an existing school tenant, with validated settings', async () => {
    const made = await call('studioAAdmin')('/v1/albums', 'POST', {
      schoolTenantId: tenants['schoolC'],
      settings: albumSettings(),
    });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({
      studioTenantId: tenants['studioA'],
      schoolTenantId: tenants['schoolC'],
      version: 1,
      archived: false,
      settings: { title: '令和8年度 卒業アルバム', schemaVersion: 1 },
    });

    for (const schoolTenantId of [tenants['studioB'], randomUUID()]) {
      const wrong = await call('studioAAdmin')('/v1/albums', 'POST', {
        schoolTenantId,
        settings: albumSettings(),
      });
      expect(wrong.status).toBe(422);
      expect(errorCodeOf(wrong)).toBe('school_not_found');
    }
    const bad = await call('studioAAdmin')('/v1/albums', 'POST', {
      schoolTenantId: tenants['schoolC'],
      settings: albumSettings({ trim: { preset: 'A4', widthMm: 200, heightMm: 297 } }),
    });
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({
      error: { code: 'invalid_document', path: ['settings', 'trim', 'widthMm'] },
    });
    const serverField = await call('studioAAdmin')('/v1/albums', 'POST', {
      schoolTenantId: tenants['schoolC'],
      settings: albumSettings({ id: randomUUID() }),
    });
    expect(serverField.json).toMatchObject({ error: { path: ['settings', 'id'] } });
    // Only a studio admin creates albums (the roles table).
    const byDesigner = await call('designerIn')('/v1/albums', 'POST', {
      schoolTenantId: tenants['schoolC'],
      settings: albumSettings(),
    });
    expect(byDesigner.status).toBe(403);
  });

  it('is seen by studio admins, member designers, school admins and member staff only', async () => {
    const albumId = await createAlbumAs(server, people['studioAAdmin']!.token, tenants['schoolC']!);
    await addMemberAs(server, people['studioAAdmin']!.token, albumId, people['designerIn']!.id);
    await addMemberAs(server, people['schoolCAdmin']!.token, albumId, people['staffIn']!.id);

    const expected: Record<string, number> = {
      studioAAdmin: 200,
      designerIn: 200,
      designerOut: 404,
      schoolCAdmin: 200,
      staffIn: 200,
      staffOut: 404,
      studioBAdmin: 404,
      designerB: 404,
    };
    for (const [who, status] of Object.entries(expected)) {
      const one = await call(who)(`/v1/albums/${albumId}`);
      expect(one.status, who).toBe(status);
      if (status === 404) expect(errorCodeOf(one)).toBe('not_found');
      const feed = await call(who)(`/v1/albums/${albumId}/changes`);
      expect(feed.status, `${who} feed`).toBe(status);
      const list = await call(who)('/v1/albums');
      const ids = (list.json as { albums: { id: string }[] }).albums.map((a) => a.id);
      expect(ids.includes(albumId), `${who} list`).toBe(status === 200);
    }
    // The operator's role has no album action at all: refused before any album is looked up.
    const byOperator = await as(server, operator.accessToken)(`/v1/albums/${albumId}`);
    expect(byOperator.status).toBe(403);
  });

  it('lets each side add and remove only its own users, audited; a removed member gets 404', async () => {
    const albumId = await createAlbumAs(server, people['studioAAdmin']!.token, tenants['schoolC']!);
    const add = (admin: string, user: string) =>
      call(admin)(`/v1/albums/${albumId}/members`, 'POST', { userId: people[user]!.id });
    expect((await add('studioAAdmin', 'staffIn')).status).toBe(404);
    expect((await add('schoolCAdmin', 'designerIn')).status).toBe(404);
    expect((await add('studioAAdmin', 'designerB')).status).toBe(404);
    expect((await add('studioAAdmin', 'designerIn')).status).toBe(201);
    expect((await add('studioAAdmin', 'designerIn')).status).toBe(201); // idempotent
    expect((await add('schoolCAdmin', 'staffIn')).status).toBe(201);
    const listed = await call('staffIn')(`/v1/albums/${albumId}/members`);
    expect(
      (listed.json as { members: { userId: string }[] }).members.map((m) => m.userId).sort(),
    ).toEqual([people['designerIn']!.id, people['staffIn']!.id].sort());

    const cursor = (await readFeed(server, people['designerIn']!.token, albumId)).nextAfter;
    const removeStaff = await call('studioAAdmin')(
      `/v1/albums/${albumId}/members/${people['staffIn']!.id}`,
      'DELETE',
    );
    expect(removeStaff.status).toBe(404); // the studio cannot remove the school's staff
    const removed = await call('schoolCAdmin')(
      `/v1/albums/${albumId}/members/${people['staffIn']!.id}`,
      'DELETE',
    );
    expect(removed.status).toBe(200);
    // The removed member learns it from the feed's 404; the others see a membership tombstone.
    const lost = await call('staffIn')(`/v1/albums/${albumId}/changes?after=${cursor}`);
    expect(lost.status).toBe(404);
    const seen = await readFeed(server, people['designerIn']!.token, albumId, cursor);
    expect(seen.changes.map((c) => [c.entity, c.op, c.userId])).toEqual([
      ['membership', 'delete', people['staffIn']!.id],
    ]);

    const audit = await call('schoolCAdmin')('/v1/audit-events?limit=50');
    const actions = (audit.json as { events: { action: string; targetId: string }[] }).events
      .filter((e) => e.targetId === albumId)
      .map((e) => e.action);
    expect(actions).toEqual(['album.member_remove', 'album.member_add']);
  });

  it('changes settings (validated as a whole), archives read-only, and deletes for everyone', async () => {
    const albumId = await createAlbumAs(server, people['studioAAdmin']!.token, tenants['schoolC']!);
    await addMemberAs(server, people['studioAAdmin']!.token, albumId, people['designerIn']!.id);
    const admin = call('studioAAdmin');
    const patched = await admin(`/v1/albums/${albumId}`, 'PATCH', {
      settings: { title: '卒業アルバム 改訂', pageCount: 48 },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ version: 2, settings: { pageCount: 48 } });
    const invalid = await admin(`/v1/albums/${albumId}`, 'PATCH', {
      settings: { safeMarginMm: 200 },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.json).toMatchObject({ error: { code: 'invalid_document' } });
    expect(
      (await call('designerIn')(`/v1/albums/${albumId}`, 'PATCH', { settings: {} })).status,
    ).toBe(403);

    const archived = await admin(`/v1/albums/${albumId}/archive`, 'POST', { archived: true });
    expect(archived.json).toMatchObject({ archived: true });
    const blocked = await call('designerIn')(
      `/v1/albums/${albumId}/pages`,
      'POST',
      pageFor(albumId, { id: 'p1' }),
    );
    expect(blocked.status).toBe(409);
    expect(errorCodeOf(blocked)).toBe('album_archived');
    await admin(`/v1/albums/${albumId}/archive`, 'POST', { archived: false });
    const page = await call('designerIn')(
      `/v1/albums/${albumId}/pages`,
      'POST',
      pageFor(albumId, { id: 'p1' }),
    );
    expect(page.status).toBe(201);

    const feed = await readFeed(server, people['designerIn']!.token, albumId);
    expect(feed.changes.map((c) => [c.entity, c.op, c.version])).toEqual([
      ['album', 'upsert', 1],
      ['membership', 'upsert', null],
      ['album', 'upsert', 2],
      ['album', 'upsert', 3],
      ['album', 'upsert', 4],
      ['page', 'upsert', 1],
    ]);
    // Entries carry the current state: the album entries all show the latest settings.
    expect(feed.changes[0]?.album?.settings).toMatchObject({ pageCount: 48 });

    expect((await admin(`/v1/albums/${albumId}`, 'DELETE')).status).toBe(200);
    for (const who of ['studioAAdmin', 'designerIn', 'schoolCAdmin']) {
      expect((await call(who)(`/v1/albums/${albumId}`)).status).toBe(404);
      expect((await call(who)(`/v1/albums/${albumId}/changes`)).status).toBe(404);
    }
  });
});
