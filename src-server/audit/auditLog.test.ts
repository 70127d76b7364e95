import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../db/migrate.js';
import { MIGRATIONS } from '../db/migrations/index.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/testDatabase.js';
import { listAuditEvents, recordAudit } from './auditLog.js';

describe.each(DIALECTS)('audit log on %s', (dialect) => {
  let database: TestDatabase;
  const tenantA = '11111111-1111-4111-8111-111111111111';
  const tenantB = '22222222-2222-4222-8222-222222222222';

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    await migrate(database.db, MIGRATIONS);
  });
  afterAll(async () => {
    await database.dispose();
  });

  it('records events and lists them per tenant, newest first', async () => {
    const { db } = database;
    await recordAudit(db, {
      tenantId: tenantA,
      actorId: null,
      action: 'auth.sign_in',
      outcome: 'failure',
      sourceAddress: '203.0.113.9',
      details: { reason: 'bad_credentials' },
      occurredAt: new Date('2026-04-01T00:00:00Z'),
    });
    await recordAudit(db, {
      tenantId: tenantB,
      actorId: tenantB,
      action: 'user.create',
      outcome: 'success',
      targetType: 'user',
      targetId: 'u-1',
    });
    await recordAudit(db, {
      tenantId: tenantA,
      actorId: null,
      action: 'auth.sign_in',
      outcome: 'success',
    });

    const onlyA = await listAuditEvents(db, { tenantId: tenantA, limit: 10 });
    expect(onlyA.map((e) => [e.action, e.outcome])).toEqual([
      ['auth.sign_in', 'success'],
      ['auth.sign_in', 'failure'],
    ]);
    expect(onlyA[1]).toMatchObject({
      sourceAddress: '203.0.113.9',
      details: { reason: 'bad_credentials' },
      occurredAt: new Date('2026-04-01T00:00:00Z'),
    });
    const all = await listAuditEvents(db, { tenantId: null, limit: 10 });
    expect(all).toHaveLength(3);
    const page = await listAuditEvents(db, { tenantId: null, limit: 1, beforeId: all[0]?.id });
    expect(page.map((e) => e.id)).toEqual([all[1]?.id]);
  });

  it('commits with the transaction it is part of, and not without it', async () => {
    const { db } = database;
    await expect(
      db.transaction(async (tx) => {
        await recordAudit(tx, {
          tenantId: tenantB,
          actorId: null,
          action: 'user.delete',
          outcome: 'success',
        });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const events = await listAuditEvents(db, { tenantId: tenantB, limit: 10 });
    expect(events.map((e) => e.action)).toEqual(['user.create']);
  });
});
