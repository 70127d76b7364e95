import type { Database } from 'better-sqlite3';
import type { Migration } from './migrations.js';

export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `The local database has schema version ${found}; this Weebum Studio knows up to ${known}. Update Weebum Studio. / ローカルデータベースが新しい版で作成されています。Weebum Studio を更新してください。`,
    );
    this.name = 'SchemaTooNewError';
  }
}

const userVersion = (db: Database): number => db.pragma('user_version', { simple: true }) as number;

/**
 * Applies the steps newer than `PRAGMA user_version`, each in its own IMMEDIATE transaction
 * together with the version bump, so a kill mid-migration leaves the previous version intact
 * and a second process opening the same file waits instead of running the step twice.
 * Returns the versions applied.
 */
export function runMigrations(db: Database, migrations: readonly Migration[]): number[] {
  const latest = migrations.at(-1)?.version ?? 0;
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} must have version ${i + 1}`);
  });
  const found = userVersion(db);
  if (found > latest) throw new SchemaTooNewError(found, latest);

  const applied: number[] = [];
  for (const migration of migrations) {
    const step = db.transaction(() => {
      if (userVersion(db) >= migration.version) return false;
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
      return true;
    });
    if (step.immediate()) applied.push(migration.version);
  }
  return applied;
}
