import type { Role } from '../../src-shared/auth/roles.js';
import type { Queryable } from '../db/db.js';
import {
  BLIND_INDEXES,
  ENCRYPTED_COLUMNS,
  type EncryptedColumn,
} from '../crypto/encryptedColumns.js';
import type { FieldCipher } from '../crypto/fieldCipher.js';

/**
 * The only code that reads or writes `users`. Personal data (login id, display name, e-mail)
 * is encrypted here on the way in and decrypted on the way out, under the registry's labels
 * (crypto/encryptedColumns.ts), so no other layer sees the stored form, and look-ups go
 * through keyed blind indexes (P8).
 */
const { userLoginId, userDisplayName, userEmail } = ENCRYPTED_COLUMNS;

export interface User {
  readonly id: string;
  readonly tenantId: string | null;
  readonly role: Role;
  readonly loginId: string;
  readonly displayName: string;
  readonly email: string | null;
  readonly passwordHash: string;
  readonly passwordIsTemporary: boolean;
  readonly temporaryPasswordExpiresAt: Date | null;
  readonly disabledAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A user without credentials: what the token check carries for `GET /v1/me`. */
export type UserProfile = Omit<User, 'passwordHash' | 'temporaryPasswordExpiresAt'>;

/** A profile as stored (names still ciphertext), read by the token check's join on `users`. */
export interface StoredProfile {
  readonly id: string;
  readonly tenantId: string | null;
  readonly role: Role;
  readonly loginIdEnc: string;
  readonly displayNameEnc: string;
  readonly emailEnc: string | null;
  readonly passwordIsTemporary: boolean;
  readonly disabledAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

interface UserRow extends Record<string, unknown> {
  id: string;
  tenant_id: string | null;
  role: Role;
  login_id_enc: string;
  display_name_enc: string;
  email_enc: string | null;
  password_hash: string;
  password_is_temporary: boolean;
  temporary_password_expires_at: Date | null;
  disabled_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, tenant_id, role, login_id_enc, display_name_enc, email_enc, password_hash,
  password_is_temporary, temporary_password_expires_at, disabled_at, created_at, updated_at`;

/** Which users a caller may see: one tenant's, or (operator paths, CLI) any. */
export type TenantScope = { readonly tenantId: string } | 'any';

export interface NewUser {
  readonly tenantId: string | null;
  readonly role: Role;
  readonly loginId: string;
  readonly displayName: string;
  readonly email: string | null;
  readonly passwordHash: string;
  readonly temporaryPasswordExpiresAt: Date;
  readonly now: Date;
}

export interface UserChanges {
  readonly role?: Role;
  /** null enables, a date disables. */
  readonly disabledAt?: Date | null;
  readonly displayName?: string;
  readonly email?: string | null;
}

export function createUserRepository(cipher: FieldCipher) {
  const seal = (value: string, tenantId: string | null, column: EncryptedColumn): string =>
    cipher.encrypt(value, { tenantId, column });
  const open = (value: string, tenantId: string | null, column: EncryptedColumn): string =>
    cipher.decrypt(value, { tenantId, column });

  const toUser = (row: UserRow): User => ({
    id: row.id,
    tenantId: row.tenant_id,
    role: row.role,
    loginId: open(row.login_id_enc, row.tenant_id, userLoginId),
    displayName: open(row.display_name_enc, row.tenant_id, userDisplayName),
    email: row.email_enc === null ? null : open(row.email_enc, row.tenant_id, userEmail),
    passwordHash: row.password_hash,
    passwordIsTemporary: row.password_is_temporary,
    temporaryPasswordExpiresAt: row.temporary_password_expires_at,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });

  const openProfile = (p: StoredProfile): UserProfile => ({
    id: p.id,
    tenantId: p.tenantId,
    role: p.role,
    loginId: open(p.loginIdEnc, p.tenantId, userLoginId),
    displayName: open(p.displayNameEnc, p.tenantId, userDisplayName),
    email: p.emailEnc === null ? null : open(p.emailEnc, p.tenantId, userEmail),
    passwordIsTemporary: p.passwordIsTemporary,
    disabledAt: p.disabledAt,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  });

  const emailFields = (email: string | null, tenantId: string | null) =>
    email === null
      ? { enc: null, index: null }
      : {
          enc: seal(email, tenantId, userEmail),
          index: cipher.blindIndex(email, BLIND_INDEXES.userEmail),
        };

  return {
    loginIdIndex: (loginId: string): string =>
      cipher.blindIndex(loginId, BLIND_INDEXES.userLoginId),

    /** Decrypts a profile the token check read (so `GET /v1/me` needs no second query). */
    openProfile,

    /** A live (not deleted) user by login id, disabled ones included. */
    async findByLoginId(q: Queryable, loginId: string): Promise<User | undefined> {
      const { rows } = await q.query<UserRow>(
        `SELECT ${COLUMNS} FROM users WHERE login_id_index = $1 AND deleted_at IS NULL`,
        [cipher.blindIndex(loginId, BLIND_INDEXES.userLoginId)],
      );
      return rows[0] === undefined ? undefined : toUser(rows[0]);
    },

    /**
     * A live user, only if it is in scope: another tenant's user is reported exactly like a
     * missing one (P15). `forUpdate` locks the row for a read-modify-write.
     */
    async findById(
      q: Queryable,
      id: string,
      scope: TenantScope,
      forUpdate = false,
    ): Promise<User | undefined> {
      const { rows } = await q.query<UserRow>(
        `SELECT ${COLUMNS} FROM users
          WHERE id = $1 AND deleted_at IS NULL
            AND ($2::uuid IS NULL OR tenant_id = $2::uuid)
          ${forUpdate ? 'FOR UPDATE' : ''}`,
        [id, scope === 'any' ? null : scope.tenantId],
      );
      return rows[0] === undefined ? undefined : toUser(rows[0]);
    },

    async listByTenant(q: Queryable, tenantId: string): Promise<User[]> {
      const { rows } = await q.query<UserRow>(
        `SELECT ${COLUMNS} FROM users
          WHERE tenant_id = $1 AND deleted_at IS NULL
          ORDER BY created_at, id`,
        [tenantId],
      );
      return rows.map(toUser);
    },

    async operatorExists(q: Queryable): Promise<boolean> {
      const { rows } = await q.query(
        `SELECT 1 FROM users WHERE role = 'operator' AND deleted_at IS NULL LIMIT 1`,
      );
      return rows.length > 0;
    },

    /** Inserts with a temporary password; undefined when the login id is already taken. */
    async insert(q: Queryable, user: NewUser): Promise<User | undefined> {
      const email = emailFields(user.email, user.tenantId);
      const { rows } = await q.query<UserRow>(
        `INSERT INTO users
           (tenant_id, role, login_id_index, login_id_enc, display_name_enc, email_enc,
            email_index, password_hash, password_is_temporary, temporary_password_expires_at,
            created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true, $9, $10, $10)
         ON CONFLICT (login_id_index) DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          user.tenantId,
          user.role,
          cipher.blindIndex(user.loginId, BLIND_INDEXES.userLoginId),
          seal(user.loginId, user.tenantId, userLoginId),
          seal(user.displayName, user.tenantId, userDisplayName),
          email.enc,
          email.index,
          user.passwordHash,
          user.temporaryPasswordExpiresAt,
          user.now,
        ],
      );
      return rows[0] === undefined ? undefined : toUser(rows[0]);
    },

    async update(q: Queryable, user: User, changes: UserChanges, now: Date): Promise<User> {
      const email =
        changes.email === undefined ? undefined : emailFields(changes.email, user.tenantId);
      const { rows } = await q.query<UserRow>(
        `UPDATE users SET
           role = coalesce($2, role),
           disabled_at = CASE WHEN $3::boolean THEN $4::timestamptz ELSE disabled_at END,
           display_name_enc = coalesce($5, display_name_enc),
           email_enc = CASE WHEN $6::boolean THEN $7 ELSE email_enc END,
           email_index = CASE WHEN $6::boolean THEN $8 ELSE email_index END,
           updated_at = $9
         WHERE id = $1 AND deleted_at IS NULL
         RETURNING ${COLUMNS}`,
        [
          user.id,
          changes.role ?? null,
          changes.disabledAt !== undefined,
          changes.disabledAt ?? null,
          changes.displayName === undefined
            ? null
            : seal(changes.displayName, user.tenantId, userDisplayName),
          email !== undefined,
          email?.enc ?? null,
          email?.index ?? null,
          now,
        ],
      );
      if (rows[0] === undefined) throw new Error('user vanished during update');
      return toUser(rows[0]);
    },

    async setPassword(
      q: Queryable,
      userId: string,
      password: { hash: string; temporaryUntil: Date | null },
      now: Date,
    ): Promise<void> {
      await q.query(
        `UPDATE users SET password_hash = $2, password_is_temporary = $3,
                temporary_password_expires_at = $4, updated_at = $5
          WHERE id = $1 AND deleted_at IS NULL`,
        [userId, password.hash, password.temporaryUntil !== null, password.temporaryUntil, now],
      );
    },

    /** Rehash with current parameters; the temporary flag and its expiry stay as they are. */
    async replaceHash(q: Queryable, userId: string, hash: string): Promise<void> {
      await q.query(`UPDATE users SET password_hash = $2 WHERE id = $1 AND deleted_at IS NULL`, [
        userId,
        hash,
      ]);
    },

    /**
     * Soft delete: the row stays (audit events and albums refer to its id), but every piece of
     * personal data and the password go, and the login id becomes free again.
     */
    async softDelete(q: Queryable, userId: string, now: Date): Promise<void> {
      await q.query(
        `UPDATE users SET deleted_at = $2, updated_at = $2, login_id_index = NULL,
                login_id_enc = NULL, display_name_enc = NULL, email_enc = NULL,
                email_index = NULL, password_hash = NULL, password_is_temporary = false,
                temporary_password_expires_at = NULL
          WHERE id = $1 AND deleted_at IS NULL`,
        [userId, now],
      );
    },
  };
}
export type UserRepository = ReturnType<typeof createUserRepository>;
