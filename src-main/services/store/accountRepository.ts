import type { Database } from 'better-sqlite3';

/** Who signed in where. Deliberately no token field: tokens live in the CredentialStore. */
export interface AccountInput {
  readonly serverUrl: string;
  readonly userId: string;
  readonly loginId: string;
  readonly tenantId: string;
  readonly role: string;
  readonly displayName: string;
}

export interface AccountRecord extends AccountInput {
  readonly id: number;
  readonly updatedAt: string;
}

interface AccountRow {
  id: number;
  server_url: string;
  user_id: string;
  login_id: string;
  tenant_id: string;
  role: string;
  display_name: string;
  updated_at: string;
}

const record = (r: AccountRow): AccountRecord => ({
  id: r.id,
  serverUrl: r.server_url,
  userId: r.user_id,
  loginId: r.login_id,
  tenantId: r.tenant_id,
  role: r.role,
  displayName: r.display_name,
  updatedAt: r.updated_at,
});

export function createAccountRepository(db: Database, now: () => Date) {
  const upsert = db.prepare<[AccountInput & { at: string }], AccountRow>(
    `INSERT INTO accounts (server_url, user_id, login_id, tenant_id, role, display_name, updated_at)
     VALUES (@serverUrl, @userId, @loginId, @tenantId, @role, @displayName, @at)
     ON CONFLICT (server_url, user_id) DO UPDATE SET
       login_id = excluded.login_id, tenant_id = excluded.tenant_id, role = excluded.role,
       display_name = excluded.display_name, updated_at = excluded.updated_at
     RETURNING *`,
  );
  const byId = db.prepare<[number], AccountRow>('SELECT * FROM accounts WHERE id = ?');
  const byLogin = db.prepare<[string, string], AccountRow>(
    'SELECT * FROM accounts WHERE server_url = ? AND login_id = ?',
  );
  const all = db.prepare<[], AccountRow>('SELECT * FROM accounts ORDER BY id');
  const remove = db.prepare('DELETE FROM accounts WHERE id = ?');

  return {
    upsert: (input: AccountInput): AccountRecord =>
      record(
        upsert.get({
          serverUrl: input.serverUrl,
          userId: input.userId,
          loginId: input.loginId,
          tenantId: input.tenantId,
          role: input.role,
          displayName: input.displayName,
          at: now().toISOString(),
        })!,
      ),
    get: (id: number): AccountRecord | null => {
      const r = byId.get(id);
      return r ? record(r) : null;
    },
    findByLogin: (serverUrl: string, loginId: string): AccountRecord | null => {
      const r = byLogin.get(serverUrl, loginId);
      return r ? record(r) : null;
    },
    list: (): AccountRecord[] => all.all().map(record),
    /** Removes the account and, by cascade, its cached albums, pages, photos and queues. */
    remove: (id: number): boolean => remove.run(id).changes > 0,
  };
}

export type AccountRepository = ReturnType<typeof createAccountRepository>;
