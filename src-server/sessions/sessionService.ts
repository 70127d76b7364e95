import { randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '../../src-shared/auth/roles.js';
import { isDue } from '../../src-shared/retention/deadlines.js';
import { recordAudit } from '../audit/auditLog.js';
import {
  ACCESS_TOKEN_TTL_MS,
  SESSION_FAMILY_TTL_MS,
  type AccountDeps,
} from '../auth/accountDeps.js';
import { afterFailure, lockSecondsLeft } from '../auth/signInThrottle.js';
import { generateToken, hashToken, isWellFormedToken } from '../auth/tokens.js';
import { createBatchLoader } from '../db/batchLoader.js';
import type { Queryable } from '../db/db.js';
import { ApiError } from '../http/apiError.js';
import type { AuthContext } from '../http/authContext.js';
import { createUserRepository, type User, type UserProfile } from '../users/userRepository.js';
import { sessionRepository as sessions } from './sessionRepository.js';

export interface TokenPair {
  readonly accessToken: string;
  readonly accessExpiresAt: Date;
  readonly refreshToken: string;
  readonly refreshExpiresAt: Date;
}

export interface SignedIn extends TokenPair {
  readonly user: {
    readonly id: string;
    readonly tenantId: string | null;
    readonly role: Role;
    readonly displayName: string;
    readonly passwordChangeRequired: boolean;
  };
}

export type AuthenticateResult = AuthContext | 'unauthenticated' | 'session_expired';

const invalidCredentials = () =>
  new ApiError(401, 'invalid_credentials', 'The login id or password is incorrect');
const unauthenticated = () => new ApiError(401, 'unauthenticated', 'Sign-in required');
const sessionExpired = () =>
  new ApiError(401, 'session_expired', 'The session has expired; sign in again');

export function createSessionService(deps: AccountDeps) {
  const { db, hasher, now } = deps;
  const users = createUserRepository(deps.cipher);
  // Concurrent requests share one look-up; each still reads the database after it arrived,
  // so a revocation is seen by the next request on every instance (decision 9).
  const sessionsByAccessHash = createBatchLoader((hashes: readonly string[]) =>
    sessions.findByAccessHashes(db, hashes),
  );

  // Unknown login ids are verified against this hash, so an answer takes as long whether or
  // not the account exists. Made once, lazily, with the same parameters as real hashes.
  let dummyHash: Promise<string> | undefined;
  const dummy = () => (dummyHash ??= hasher.hash(randomBytes(32).toString('base64url')));

  async function issue(
    q: Queryable,
    input: {
      userId: string;
      familyId?: string;
      familyExpiresAt?: Date;
      passwordChangeOnly: boolean;
      sourceAddress: string | null;
      at: Date;
    },
  ): Promise<TokenPair & { sessionId: string }> {
    const familyExpiresAt =
      input.familyExpiresAt ?? new Date(input.at.getTime() + SESSION_FAMILY_TTL_MS);
    const accessExpiresAt = new Date(
      Math.min(input.at.getTime() + ACCESS_TOKEN_TTL_MS, familyExpiresAt.getTime()),
    );
    const accessToken = generateToken('access');
    const refreshToken = generateToken('refresh');
    const sessionId = await sessions.insert(q, {
      userId: input.userId,
      familyId: input.familyId ?? randomUUID(),
      accessTokenHash: hashToken(accessToken),
      accessExpiresAt,
      refreshTokenHash: hashToken(refreshToken),
      familyExpiresAt,
      passwordChangeOnly: input.passwordChangeOnly,
      sourceAddress: input.sourceAddress,
      now: input.at,
    });
    return {
      sessionId,
      accessToken,
      accessExpiresAt,
      refreshToken,
      refreshExpiresAt: familyExpiresAt,
    };
  }

  type SignInOutcome =
    | { kind: 'ok'; signedIn: SignedIn }
    | { kind: 'invalid' }
    | { kind: 'locked'; retryAfterSeconds: number }
    | { kind: 'temporary_expired' };

  /**
   * Checks a password against a login id's throttle, inside a transaction that holds the
   * throttle row: failures are counted and audited with the attempt, and guesses against one
   * login id are serialised. Returns the user only if the password is right and the account live.
   */
  async function verifyThrottled(
    tx: Queryable,
    input: { loginIdIndex: string; user: User | undefined; password: string; at: Date },
  ): Promise<
    | { kind: 'ok'; user: User }
    | { kind: 'invalid'; reason: string }
    | { kind: 'locked'; retryAfterSeconds: number }
  > {
    const state = await sessions.lockThrottle(tx, input.loginIdIndex);
    const retryAfterSeconds = lockSecondsLeft(state, input.at);
    if (retryAfterSeconds > 0) return { kind: 'locked', retryAfterSeconds };
    const { user } = input;
    const matches = await hasher.verify(user?.passwordHash ?? (await dummy()), input.password);
    if (matches && user !== undefined && user.disabledAt === null) {
      await sessions.clearThrottle(tx, input.loginIdIndex);
      return { kind: 'ok', user };
    }
    // A disabled account counts and answers like a wrong password: nothing tells them apart.
    await sessions.saveThrottle(tx, input.loginIdIndex, afterFailure(state, input.at));
    const reason =
      user === undefined ? 'unknown_account' : matches ? 'account_disabled' : 'wrong_password';
    return { kind: 'invalid', reason };
  }

  return {
    async signIn(input: {
      loginId: string;
      password: string;
      sourceAddress: string | null;
    }): Promise<SignedIn> {
      const at = now();
      const outcome = await db.transaction(async (tx): Promise<SignInOutcome> => {
        const loginIdIndex = users.loginIdIndex(input.loginId);
        const user = await users.findByLoginId(tx, input.loginId);
        // The user id (never the login id) identifies whom an attempt was against.
        const audit = (outcome: 'success' | 'failure', details: Record<string, string>) =>
          recordAudit(tx, {
            tenantId: user?.tenantId ?? null,
            actorId: user?.id ?? null,
            action: 'auth.sign_in',
            outcome,
            ...(user === undefined ? {} : { targetType: 'user', targetId: user.id }),
            ...(input.sourceAddress === null ? {} : { sourceAddress: input.sourceAddress }),
            details,
            occurredAt: at,
          });
        const checked = await verifyThrottled(tx, {
          loginIdIndex,
          user,
          password: input.password,
          at,
        });
        if (checked.kind === 'locked') {
          await audit('failure', { reason: 'account_locked' });
          return checked;
        }
        if (checked.kind === 'invalid') {
          await audit('failure', { reason: checked.reason });
          return checked;
        }
        const verified = checked.user;
        // Told only after the password matched, so it reveals nothing to a guesser.
        if (
          verified.passwordIsTemporary &&
          (verified.temporaryPasswordExpiresAt === null ||
            verified.temporaryPasswordExpiresAt <= at)
        ) {
          await audit('failure', { reason: 'temporary_password_expired' });
          return { kind: 'temporary_expired' };
        }
        if (hasher.needsRehash(verified.passwordHash)) {
          await users.replaceHash(tx, verified.id, await hasher.hash(input.password));
        }
        const pair = await issue(tx, {
          userId: verified.id,
          passwordChangeOnly: verified.passwordIsTemporary,
          sourceAddress: input.sourceAddress,
          at,
        });
        await audit('success', { sessionId: pair.sessionId });
        return {
          kind: 'ok',
          signedIn: {
            accessToken: pair.accessToken,
            accessExpiresAt: pair.accessExpiresAt,
            refreshToken: pair.refreshToken,
            refreshExpiresAt: pair.refreshExpiresAt,
            user: {
              id: verified.id,
              tenantId: verified.tenantId,
              role: verified.role,
              displayName: verified.displayName,
              passwordChangeRequired: verified.passwordIsTemporary,
            },
          },
        };
      });
      // Thrown after the commit, so the audit record and the throttle count stay.
      switch (outcome.kind) {
        case 'ok':
          return outcome.signedIn;
        case 'invalid':
          throw invalidCredentials();
        case 'locked':
          throw new AccountLockedError(outcome.retryAfterSeconds);
        case 'temporary_expired':
          throw new ApiError(
            401,
            'temporary_password_expired',
            'The temporary password has expired; ask your administrator for a new one',
          );
      }
    },

    async refresh(input: {
      refreshToken: string;
      sourceAddress: string | null;
    }): Promise<TokenPair> {
      if (!isWellFormedToken(input.refreshToken, 'refresh')) throw unauthenticated();
      const at = now();
      const hash = hashToken(input.refreshToken);
      const outcome = await db.transaction(
        async (tx): Promise<TokenPair | 'unauthenticated' | 'session_expired'> => {
          const current = await sessions.rotate(tx, hash, at);
          if (current === undefined) {
            const known = await sessions.findByRefreshHash(tx, hash);
            if (known === undefined) return 'unauthenticated';
            if (known.rotatedAt !== null) {
              // A used refresh token came back: it was copied. Whoever holds the family's
              // current token may be the thief, so the whole family ends.
              await sessions.revokeFamily(tx, known.familyId, at);
              const owner = await users.findById(tx, known.userId, 'any');
              await recordAudit(tx, {
                tenantId: owner?.tenantId ?? null,
                actorId: known.userId,
                action: 'auth.refresh_reuse',
                outcome: 'denied',
                targetType: 'session_family',
                targetId: known.familyId,
                ...(input.sourceAddress === null ? {} : { sourceAddress: input.sourceAddress }),
                occurredAt: at,
              });
              return 'unauthenticated';
            }
            return known.revokedAt === null ? 'session_expired' : 'unauthenticated';
          }
          const owner = await users.findById(tx, current.userId, 'any');
          if (owner === undefined || owner.disabledAt !== null) return 'unauthenticated';
          const pair = await issue(tx, {
            userId: current.userId,
            familyId: current.familyId,
            familyExpiresAt: current.familyExpiresAt,
            passwordChangeOnly: current.passwordChangeOnly,
            sourceAddress: input.sourceAddress,
            at,
          });
          return {
            accessToken: pair.accessToken,
            accessExpiresAt: pair.accessExpiresAt,
            refreshToken: pair.refreshToken,
            refreshExpiresAt: pair.refreshExpiresAt,
          };
        },
      );
      if (outcome === 'unauthenticated') throw unauthenticated();
      if (outcome === 'session_expired') throw sessionExpired();
      return outcome;
    },

    async signOut(auth: AuthContext, sourceAddress: string | null): Promise<void> {
      const at = now();
      await db.transaction(async (tx) => {
        const familyId = await sessions.familyOf(tx, auth.sessionId);
        if (familyId === undefined) return;
        await sessions.revokeFamily(tx, familyId, at);
        await recordAudit(tx, {
          tenantId: auth.tenantId,
          actorId: auth.userId,
          action: 'auth.sign_out',
          outcome: 'success',
          targetType: 'session_family',
          targetId: familyId,
          ...(sourceAddress === null ? {} : { sourceAddress }),
          occurredAt: at,
        });
      });
    },

    /** The per-request token check: one indexed query joining the session, its user and tenant. */
    async authenticate(accessToken: string): Promise<AuthenticateResult> {
      const found = await sessionsByAccessHash.load(hashToken(accessToken));
      if (found === undefined) return 'unauthenticated';
      if (
        found.revokedAt !== null ||
        found.rotatedAt !== null ||
        found.userDisabledAt !== null ||
        found.userDeletedAt !== null
      ) {
        return 'unauthenticated';
      }
      const at = now();
      if (found.accessExpiresAt <= at || found.familyExpiresAt <= at) return 'session_expired';
      let profile: UserProfile | undefined;
      return {
        userId: found.userId,
        tenantId: found.tenantId,
        role: found.role,
        sessionId: found.sessionId,
        passwordChangeRequired: found.passwordChangeOnly,
        contractEnded: found.tenantContractEnd !== null && isDue(found.tenantContractEnd, at),
        // Decrypted only by the routes that show it.
        profile: () => (profile ??= users.openProfile(found.profile)),
      };
    },

    /**
     * Changes the caller's own password. The current password is checked under the same
     * throttle as sign-in (a stolen access token must not become a password-guessing oracle).
     * On success every session of the user ends and a fresh, normal pair is returned.
     */
    async changePassword(
      auth: AuthContext,
      input: { currentPassword: string; newPassword: string; sourceAddress: string | null },
    ): Promise<TokenPair> {
      const at = now();
      type Outcome =
        | { kind: 'ok'; pair: TokenPair }
        | { kind: 'invalid' }
        | { kind: 'locked'; retryAfterSeconds: number }
        | { kind: 'temporary_expired' }
        | { kind: 'policy'; code: string }
        | { kind: 'gone' };
      const outcome = await db.transaction(async (tx): Promise<Outcome> => {
        const user = await users.findById(tx, auth.userId, 'any', true);
        if (user === undefined) return { kind: 'gone' };
        const audit = (outcome: 'success' | 'failure', details: Record<string, string>) =>
          recordAudit(tx, {
            tenantId: user.tenantId,
            actorId: user.id,
            action: 'auth.password_change',
            outcome,
            targetType: 'user',
            targetId: user.id,
            ...(input.sourceAddress === null ? {} : { sourceAddress: input.sourceAddress }),
            details,
            occurredAt: at,
          });
        const checked = await verifyThrottled(tx, {
          loginIdIndex: users.loginIdIndex(user.loginId),
          user,
          password: input.currentPassword,
          at,
        });
        if (checked.kind !== 'ok') {
          await audit('failure', {
            reason: checked.kind === 'locked' ? 'account_locked' : 'wrong_password',
          });
          return checked.kind === 'locked' ? checked : { kind: 'invalid' };
        }
        if (
          user.passwordIsTemporary &&
          (user.temporaryPasswordExpiresAt === null || user.temporaryPasswordExpiresAt <= at)
        ) {
          await audit('failure', { reason: 'temporary_password_expired' });
          return { kind: 'temporary_expired' };
        }
        const problem =
          input.newPassword === input.currentPassword
            ? 'password_unchanged'
            : deps.passwordPolicy.check(input.newPassword, { loginId: user.loginId });
        if (problem !== null) return { kind: 'policy', code: problem };
        await users.setPassword(
          tx,
          user.id,
          { hash: await hasher.hash(input.newPassword), temporaryUntil: null },
          at,
        );
        await sessions.revokeAllOfUser(tx, user.id, at);
        const pair = await issue(tx, {
          userId: user.id,
          passwordChangeOnly: false,
          sourceAddress: input.sourceAddress,
          at,
        });
        await audit('success', {});
        return { kind: 'ok', pair };
      });
      switch (outcome.kind) {
        case 'ok':
          return {
            accessToken: outcome.pair.accessToken,
            accessExpiresAt: outcome.pair.accessExpiresAt,
            refreshToken: outcome.pair.refreshToken,
            refreshExpiresAt: outcome.pair.refreshExpiresAt,
          };
        case 'gone':
          throw unauthenticated();
        case 'invalid':
          throw new ApiError(
            403,
            'current_password_incorrect',
            'The current password is incorrect',
          );
        case 'locked':
          throw new AccountLockedError(outcome.retryAfterSeconds);
        case 'temporary_expired':
          throw new ApiError(
            401,
            'temporary_password_expired',
            'The temporary password has expired; ask your administrator for a new one',
          );
        case 'policy':
          throw new ApiError(
            400,
            outcome.code,
            POLICY_MESSAGES[outcome.code] ?? 'Password refused',
          );
      }
    },
  };
}
export type SessionService = ReturnType<typeof createSessionService>;

const POLICY_MESSAGES: Readonly<Record<string, string>> = {
  password_too_short: 'The new password must have at least 8 characters',
  password_too_long: 'The new password must have at most 128 characters',
  password_too_common: 'The new password is too common or too easy to guess',
  password_too_simple: 'The new password may not be only spaces or one character repeated',
  password_unchanged: 'The new password must differ from the current one',
};

/** 429 with the seconds until the lock ends; the route sets Retry-After from it. */
export class AccountLockedError extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'account_locked', 'Too many failed sign-ins; try again later');
  }
}
