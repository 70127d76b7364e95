import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  bootstrapOperator,
  createMember,
  movableClock,
  tenantWithAdmin,
  type TenantWithAdmin,
} from '../testing/accountFixtures.js';
import { DIALECTS } from '../testing/testDatabase.js';
import { startTestServer, type TestServer } from '../testing/testServer.js';

describe.each(DIALECTS)('GET /v1/me on %s', (dialect) => {
  let server: TestServer;
  let studio: TenantWithAdmin;
  const statements: string[] = [];

  beforeAll(async () => {
    const clock = movableClock();
    server = await startTestServer({
      dialect,
      now: clock.now,
      observeQueries: (sql) => void statements.push(sql),
    });
    const operator = await bootstrapOperator(server, clock.now);
    studio = await tenantWithAdmin(server, operator, 'studio', 'me-admin');
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers from the token check itself: one query, read after the request arrived', async () => {
    const member = await createMember(server, studio.admin, {
      loginId: 'me-designer',
      displayName: '山田 花子',
      role: 'designer',
      email: 'hanako@example.jp',
    });
    const renamed = await as(server, studio.admin.accessToken)(`/v1/users/${member.id}`, 'PATCH', {
      displayName: '山田 はなこ',
    });
    expect(renamed.status).toBe(200);

    statements.length = 0;
    const me = await as(server, member.session.accessToken)('/v1/me');
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({
      id: member.id,
      loginId: 'me-designer',
      displayName: '山田 はなこ',
      email: 'hanako@example.jp',
      role: 'designer',
    });
    // The access log is written in the background and is not part of the answer.
    const answering = statements.filter((sql) => !/access_log/.test(sql));
    expect(answering).toHaveLength(1);
    expect(answering[0]).toMatch(/FROM sessions s JOIN users u/);
  });

  it('refuses a disabled account at the token check', async () => {
    const member = await createMember(server, studio.admin, {
      loginId: 'me-disabled',
      displayName: '停止 太郎',
      role: 'designer',
    });
    await as(server, studio.admin.accessToken)(`/v1/users/${member.id}`, 'PATCH', {
      disabled: true,
    });
    expect((await as(server, member.session.accessToken)('/v1/me')).status).toBe(401);
  });
});
