import type { Database } from 'better-sqlite3';
import type { z } from 'zod';

/** Small user preferences as JSON. Never secrets: those go to the CredentialStore. */
export function createSettingsRepository(db: Database) {
  const read = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const write = db.prepare(
    `INSERT INTO settings (key, value) VALUES (?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  );
  const remove = db.prepare('DELETE FROM settings WHERE key = ?');

  return {
    /** The stored value if it parses with `schema`, else undefined (missing or outdated). */
    get: <T>(key: string, schema: z.ZodType<T>): T | undefined => {
      const row = read.get(key);
      if (!row) return undefined;
      let value: unknown;
      try {
        value = JSON.parse(row.value);
      } catch {
        return undefined;
      }
      const parsed = schema.safeParse(value);
      return parsed.success ? parsed.data : undefined;
    },
    set: (key: string, value: unknown): void => {
      const text = JSON.stringify(value);
      if (text === undefined) throw new TypeError(`setting ${key} is not JSON-serialisable`);
      write.run(key, text);
    },
    delete: (key: string): void => {
      remove.run(key);
    },
  };
}

export type SettingsRepository = ReturnType<typeof createSettingsRepository>;
