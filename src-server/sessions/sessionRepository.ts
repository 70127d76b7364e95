import type { Role } from '../../src-shared/auth/roles.js';
import type { Queryable } from '../db/db.js';
import { EMPTY_THROTTLE, type ThrottleState } from '../auth/signInThrottle.js';
import type { StoredProfile } from '../users/userRepository.js';

/** The only code that reads or writes `sessions` and `sign_in_throttle`. Tokens arrive hashed. */

export interface NewSession {
  readonly userId: string;
  readonly familyId: string;
  readonly accessTokenHash: string;
  readonly accessExpiresAt: Date;
  readonly refreshTokenHash: string;
  readonly familyExpiresAt: Date;
  readonly passwordChangeOnly: boolean;
  readonly sourceAddress: string | null;
  readonly now: Date;
}

/** A session found by its access token, with the state of its user (one query per request). */
export interface SessionWithUser {
  readonly sessionId: string;
  readonly userId: string;
  readonly tenantId: string | null;
  readonly role: Role;
  readonly accessExpiresAt: Date;
  readonly familyExpiresAt: Date;
  readonly rotatedAt: Date | null;
  readonly revokedAt: Date | null;
  readonly passwordChangeOnly: boolean;
  readonly userDisabledAt: Date | null;
  readonly userDeletedAt: Date | null;
  /** The user's tenant's contract end (null: open-ended, or the operator). */
  readonly tenantContractEnd: Date | null;
  /** The user's profile as stored, read in the same query. */
  readonly profile: StoredProfile;
}

export interface RefreshableSession {
  readonly sessionId: string;
  readonly userId: string;
  readonly familyId: string;
  readonly familyExpiresAt: Date;
  readonly rotatedAt: Date | null;
  readonly revokedAt: Date | null;
  readonly passwordChangeOnly: boolean;
}

interface RefreshRow extends Record<string, unknown> {
  id: string;
  user_id: string;
  family_id: string;
  family_expires_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
  password_change_only: boolean;
}

const toRefreshable = (row: RefreshRow): RefreshableSession => ({
  sessionId: row.id,
  userId: row.user_id,
  familyId: row.family_id,
  familyExpiresAt: row.family_expires_at,
  rotatedAt: row.rotated_at,
  revokedAt: row.revoked_at,
  passwordChangeOnly: row.password_change_only,
});

interface ThrottleRow extends Record<string, unknown> {
  consecutive_failures: number;
  last_failed_at: Date | null;
  locked_until: Date | null;
  window_started_at: Date | null;
  window_failures: number;
}

export const sessionRepository = {
  async insert(q: Queryable, s: NewSession): Promise<string> {
    const { rows } = await q.query<{ id: string }>(
      `INSERT INTO sessions
         (user_id, family_id, access_token_hash, access_expires_at, refresh_token_hash,
          family_expires_at, password_change_only, created_at, source_address)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::inet)
       RETURNING id`,
      [
        s.userId,
        s.familyId,
        s.accessTokenHash,
        s.accessExpiresAt,
        s.refreshTokenHash,
        s.familyExpiresAt,
        s.passwordChangeOnly,
        s.now,
        s.sourceAddress,
      ],
    );
    const id = rows[0]?.id;
    if (id === undefined) throw new Error('session insert returned no id');
    return id;
  },

  /** Sessions by access-token hash, with their users' state: one indexed query for many. */
  async findByAccessHashes(
    q: Queryable,
    hashes: readonly string[],
  ): Promise<Map<string, SessionWithUser>> {
    const { rows } = await q.query<{
      id: string;
      access_token_hash: string;
      user_id: string;
      tenant_id: string | null;
      role: Role;
      access_expires_at: Date;
      family_expires_at: Date;
      rotated_at: Date | null;
      revoked_at: Date | null;
      password_change_only: boolean;
      disabled_at: Date | null;
      deleted_at: Date | null;
      contract_end: Date | null;
      login_id_enc: string;
      display_name_enc: string;
      email_enc: string | null;
      password_is_temporary: boolean;
      user_created_at: Date;
      user_updated_at: Date;
    }>(
      `SELECT s.id, s.access_token_hash, s.user_id, u.tenant_id, u.role, s.access_expires_at,
              s.family_expires_at, s.rotated_at, s.revoked_at, s.password_change_only,
              u.disabled_at, u.deleted_at, t.contract_end, u.login_id_enc, u.display_name_enc,
              u.email_enc, u.password_is_temporary, u.created_at AS user_created_at,
              u.updated_at AS user_updated_at
         FROM sessions s JOIN users u ON u.id = s.user_id
         LEFT JOIN tenants t ON t.id = u.tenant_id
        WHERE s.access_token_hash = ANY($1::text[])`,
      [hashes],
    );
    return new Map(
      rows.map((r) => [
        r.access_token_hash,
        {
          sessionId: r.id,
          userId: r.user_id,
          tenantId: r.tenant_id,
          role: r.role,
          accessExpiresAt: r.access_expires_at,
          familyExpiresAt: r.family_expires_at,
          rotatedAt: r.rotated_at,
          revokedAt: r.revoked_at,
          passwordChangeOnly: r.password_change_only,
          userDisabledAt: r.disabled_at,
          userDeletedAt: r.deleted_at,
          tenantContractEnd: r.contract_end,
          profile: {
            id: r.user_id,
            tenantId: r.tenant_id,
            role: r.role,
            loginIdEnc: r.login_id_enc,
            displayNameEnc: r.display_name_enc,
            emailEnc: r.email_enc,
            passwordIsTemporary: r.password_is_temporary,
            disabledAt: r.disabled_at,
            createdAt: r.user_created_at,
            updatedAt: r.user_updated_at,
          },
        },
      ]),
    );
  },

  /**
   * Marks a live session's refresh token used, atomically: of two concurrent refreshes with the
   * same token only one gets the row; the other then sees it rotated (reuse).
   */
  async rotate(
    q: Queryable,
    refreshHash: string,
    now: Date,
  ): Promise<RefreshableSession | undefined> {
    const { rows } = await q.query<RefreshRow>(
      `UPDATE sessions SET rotated_at = $2
        WHERE refresh_token_hash = $1 AND rotated_at IS NULL AND revoked_at IS NULL
          AND family_expires_at > $2
        RETURNING id, user_id, family_id, family_expires_at, rotated_at, revoked_at,
                  password_change_only`,
      [refreshHash, now],
    );
    return rows[0] === undefined ? undefined : toRefreshable(rows[0]);
  },

  async findByRefreshHash(
    q: Queryable,
    refreshHash: string,
  ): Promise<RefreshableSession | undefined> {
    const { rows } = await q.query<RefreshRow>(
      `SELECT id, user_id, family_id, family_expires_at, rotated_at, revoked_at,
              password_change_only
         FROM sessions WHERE refresh_token_hash = $1`,
      [refreshHash],
    );
    return rows[0] === undefined ? undefined : toRefreshable(rows[0]);
  },

  async familyOf(q: Queryable, sessionId: string): Promise<string | undefined> {
    const { rows } = await q.query<{ family_id: string }>(
      `SELECT family_id FROM sessions WHERE id = $1`,
      [sessionId],
    );
    return rows[0]?.family_id;
  },

  /** Returns how many sessions were still live. */
  async revokeFamily(q: Queryable, familyId: string, now: Date): Promise<number> {
    const { rowCount } = await q.query(
      `UPDATE sessions SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`,
      [familyId, now],
    );
    return rowCount;
  },

  async revokeAllOfUser(q: Queryable, userId: string, now: Date): Promise<number> {
    const { rowCount } = await q.query(
      `UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId, now],
    );
    return rowCount;
  },

  /**
   * The throttle state of a login id, row-locked until the transaction ends, so concurrent
   * guesses against one login id are counted one after another, never in parallel.
   */
  async lockThrottle(q: Queryable, loginIdIndex: string): Promise<ThrottleState> {
    await q.query(
      `INSERT INTO sign_in_throttle (login_id_index) VALUES ($1)
       ON CONFLICT (login_id_index) DO NOTHING`,
      [loginIdIndex],
    );
    const { rows } = await q.query<ThrottleRow>(
      `SELECT consecutive_failures, last_failed_at, locked_until, window_started_at,
              window_failures
         FROM sign_in_throttle WHERE login_id_index = $1 FOR UPDATE`,
      [loginIdIndex],
    );
    const r = rows[0];
    // Gone only if a concurrent success cleared it after our insert: nothing to count then.
    if (r === undefined) return EMPTY_THROTTLE;
    return {
      consecutiveFailures: r.consecutive_failures,
      lastFailedAt: r.last_failed_at,
      lockedUntil: r.locked_until,
      windowStartedAt: r.window_started_at,
      windowFailures: r.window_failures,
    };
  },

  async saveThrottle(q: Queryable, loginIdIndex: string, s: ThrottleState): Promise<void> {
    await q.query(
      `INSERT INTO sign_in_throttle
         (login_id_index, consecutive_failures, last_failed_at, locked_until,
          window_started_at, window_failures)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (login_id_index) DO UPDATE SET
         consecutive_failures = EXCLUDED.consecutive_failures,
         last_failed_at = EXCLUDED.last_failed_at,
         locked_until = EXCLUDED.locked_until,
         window_started_at = EXCLUDED.window_started_at,
         window_failures = EXCLUDED.window_failures`,
      [
        loginIdIndex,
        s.consecutiveFailures,
        s.lastFailedAt,
        s.lockedUntil,
        s.windowStartedAt,
        s.windowFailures,
      ],
    );
  },

  async clearThrottle(q: Queryable, loginIdIndex: string): Promise<void> {
    await q.query(`DELETE FROM sign_in_throttle WHERE login_id_index = $1`, [loginIdIndex]);
  },
};
