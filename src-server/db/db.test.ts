import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, migrationsCurrent } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Migration } from './migrations/migration.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../testing/testDatabase.js';

/** Far beyond the real migrations, so the suite holds as migrations are added. */
const extra: Migration = {
  version: 1000,
  name: 'probe',
  statements: ['CREATE TABLE probe (id integer PRIMARY KEY, note text)'],
};

describe.each(DIALECTS)('database on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('applies migrations once and is idempotent', async () => {
    const { db } = database;
    expect(await migrationsCurrent(db, MIGRATIONS)).toBe(false);
    expect(await migrate(db, MIGRATIONS)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(db, MIGRATIONS)).toEqual([]);
    expect(await migrationsCurrent(db, MIGRATIONS)).toBe(true);
    const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations');
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
  });

  it('reports not current when a newer migration is pending, and applies it', async () => {
    const { db } = database;
    expect(await migrationsCurrent(db, [...MIGRATIONS, extra])).toBe(false);
    expect(await migrate(db, [...MIGRATIONS, extra])).toEqual([extra.version]);
    // The previous release still sees its own schema as current (blue-green).
    expect(await migrationsCurrent(db, MIGRATIONS)).toBe(true);
  });

  it('refuses to run when an applied migration was edited', async () => {
    const edited: Migration = { ...extra, statements: ['CREATE TABLE probe (id bigint)'] };
    await expect(migrate(database.db, [...MIGRATIONS, edited])).rejects.toThrow(
      /migration 1000 \(probe\) was changed after it was applied/,
    );
    expect(await migrationsCurrent(database.db, [...MIGRATIONS, edited])).toBe(false);
  });

  it('rolls a failing migration back entirely', async () => {
    const broken: Migration = {
      version: 1001,
      name: 'broken',
      statements: ['CREATE TABLE half_done (id integer)', 'SELECT no_such_function()'],
    };
    await expect(migrate(database.db, [...MIGRATIONS, extra, broken])).rejects.toThrow();
    const { rows } = await database.db.query<{ present: boolean }>(
      "SELECT to_regclass('half_done') IS NOT NULL AS present",
    );
    expect(rows[0]?.present).toBe(false);
  });

  it('returns the same JS types on both dialects', async () => {
    const { rows } = await database.db.query(
      `SELECT 9007199254740993::int8 AS big, 7::int4 AS small, '2026-04-01'::date AS day,
              '2026-04-01T00:00:00Z'::timestamptz AS at, $1::bytea AS bytes,
              '{"a":[1]}'::jsonb AS doc, '1.50'::numeric AS amount, NULL::text AS nothing`,
      [Buffer.from([0, 255])],
    );
    expect(rows[0]).toEqual({
      big: '9007199254740993',
      small: 7,
      day: '2026-04-01',
      at: new Date('2026-04-01T00:00:00Z'),
      bytes: Buffer.from([0, 255]),
      doc: { a: [1] },
      amount: '1.50',
      nothing: null,
    });
    expect(Buffer.isBuffer(rows[0]?.['bytes'])).toBe(true);
  });

  it('commits and rolls back transactions', async () => {
    const { db } = database;
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO probe (id, note) VALUES ($1, $2)', [1, 'kept']);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO probe (id, note) VALUES ($1, $2)', [2, 'dropped']);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const { rows, rowCount } = await db.query('SELECT id, note FROM probe ORDER BY id');
    expect(rows).toEqual([{ id: 1, note: 'kept' }]);
    expect(rowCount).toBe(1);
    const update = await db.query('UPDATE probe SET note = $1', ['x']);
    expect(update.rowCount).toBe(1);
  });

  it('keeps SQL metacharacters in parameters as data', async () => {
    const note = "'); DROP TABLE tenants; --";
    await database.db.query('INSERT INTO probe (id, note) VALUES ($1, $2)', [3, note]);
    const { rows } = await database.db.query('SELECT note FROM probe WHERE id = 3');
    expect(rows).toEqual([{ note }]);
    expect(await migrationsCurrent(database.db, MIGRATIONS)).toBe(true);
  });
});

describe('concurrent migrations on postgres', () => {
  it('apply each migration once when two instances start together', async () => {
    const database = await createTestDatabase('postgres');
    try {
      const a = database.connect();
      const b = database.connect();
      const [fromA, fromB] = await Promise.all([migrate(a, MIGRATIONS), migrate(b, MIGRATIONS)]);
      expect([...fromA, ...fromB].sort()).toEqual(MIGRATIONS.map((m) => m.version));
      const { rows } = await a.query<{ n: string }>('SELECT count(*) AS n FROM schema_migrations');
      expect(rows[0]?.n).toBe(String(MIGRATIONS.length));
      expect(await migrationsCurrent(b, MIGRATIONS)).toBe(true);
    } finally {
      await database.dispose();
    }
  });
});
