import { createHash } from 'node:crypto';
import type { Db, Queryable } from './db.js';
import type { Migration } from './migrations/migration.js';

/**
 * An arbitrary constant that every instance shares: the advisory lock that serialises
 * migrations when several servers start at once. Other locks (jobs) must use other keys.
 */
const MIGRATION_LOCK_KEY = '7765656275600001';

export class MigrationError extends Error {
  readonly code = 'migration_failed';
}

const checksum = (m: Migration): string =>
  createHash('sha256').update(m.statements.join('\n;\n')).digest('hex');

const CREATE_TRACKING_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

interface AppliedRow extends Record<string, unknown> {
  version: number;
  name: string;
  checksum: string;
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    const previous = migrations[i - 1];
    if (previous !== undefined && m.version <= previous.version) {
      throw new MigrationError(`migration ${m.version} is out of order`);
    }
  });
}

/** Refuses to run when an applied migration differs from the code: the schema is unknown. */
function verifyApplied(applied: readonly AppliedRow[], migrations: readonly Migration[]): void {
  for (const row of applied) {
    const known = migrations.find((m) => m.version === row.version);
    // Unknown newer versions are fine: a newer release migrated ahead of us (blue-green).
    if (known !== undefined && row.checksum !== checksum(known)) {
      throw new MigrationError(
        `migration ${row.version} (${row.name}) was changed after it was applied`,
      );
    }
  }
}

/**
 * Applies pending migrations, each in its own transaction under a transaction-scoped advisory
 * lock, re-reading what is applied after taking the lock, so concurrent starters apply each
 * migration exactly once. Returns the versions this call applied.
 */
export async function migrate(db: Db, migrations: readonly Migration[]): Promise<number[]> {
  checkOrder(migrations);
  const appliedNow: number[] = [];
  for (;;) {
    const next = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
      await tx.query(CREATE_TRACKING_TABLE);
      const applied = await readApplied(tx);
      verifyApplied(applied, migrations);
      const done = new Set(applied.map((r) => r.version));
      const pending = migrations.find((m) => !done.has(m.version));
      if (pending === undefined) return undefined;
      for (const statement of pending.statements) await tx.query(statement);
      await tx.query(
        'INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)',
        [pending.version, pending.name, checksum(pending)],
      );
      return pending.version;
    });
    if (next === undefined) return appliedNow;
    appliedNow.push(next);
  }
}

async function readApplied(q: Queryable): Promise<AppliedRow[]> {
  const { rows } = await q.query<AppliedRow>(
    'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
  );
  return rows;
}

/** For readiness: every migration this release knows is applied (newer ones may be too). */
export async function migrationsCurrent(
  db: Queryable,
  migrations: readonly Migration[],
): Promise<boolean> {
  const exists = await db.query<{ present: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
  );
  if (exists.rows[0]?.present !== true) return false;
  const applied = await readApplied(db);
  const done = new Map(applied.map((r) => [r.version, r.checksum]));
  return migrations.every((m) => done.get(m.version) === checksum(m));
}
