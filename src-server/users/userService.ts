import { generateTemporaryPassword } from '../auth/passwords.js';
import { ADMIN_ROLE, roleAllowedForTenant, type Role } from '../../src-shared/auth/roles.js';
import { recordAudit, type AuditAction, type AuditDetails } from '../audit/auditLog.js';
import { TEMPORARY_PASSWORD_TTL_MS, type AccountDeps } from '../auth/accountDeps.js';
import type { Queryable } from '../db/db.js';
import { ApiError } from '../http/apiError.js';
import type { AuthContext } from '../http/authContext.js';
import { sessionRepository as sessions } from '../sessions/sessionRepository.js';
import { tenantRepository as tenants } from '../tenants/tenantRepository.js';
import {
  createUserRepository,
  type User,
  type UserChanges,
  type UserProfile,
} from './userRepository.js';

export interface NewAccountInput {
  readonly loginId: string;
  readonly displayName: string;
  readonly email: string | null;
}

/** A temporary password is returned once, here, and never stored or shown again (P6). */
export interface IssuedAccount {
  readonly user: User;
  readonly temporaryPassword: string;
  readonly temporaryPasswordExpiresAt: Date;
}

export interface UserPatch {
  readonly role?: Role;
  readonly disabled?: boolean;
  readonly displayName?: string;
  readonly email?: string | null;
}

const notFound = () => new ApiError(404, 'not_found', 'Not found');
const loginIdTaken = () =>
  new ApiError(409, 'login_id_taken', 'This login id is already in use; choose another');
const roleNotAllowed = () =>
  new ApiError(400, 'role_not_allowed', 'This role is not available for this kind of tenant');
const cannotModifySelf = () =>
  new ApiError(
    400,
    'cannot_modify_self',
    'Administrators cannot disable, delete, demote or reset themselves; ask another administrator',
  );

/** Who acts and from where, for audit records. */
export interface Actor {
  readonly userId: string | null;
  readonly tenantId: string | null;
  readonly sourceAddress: string | null;
}

export interface ResetPassword {
  readonly temporaryPassword: string;
  readonly temporaryPasswordExpiresAt: Date;
}

export const actorOf = (auth: AuthContext, sourceAddress: string | null): Actor => ({
  userId: auth.userId,
  tenantId: auth.tenantId,
  sourceAddress,
});

/** A tenant admin's own tenant; the operator has none and so can reach no tenant's users. */
function ownTenant(auth: AuthContext): string {
  if (auth.tenantId === null) throw notFound();
  return auth.tenantId;
}

export function createUserService(deps: AccountDeps) {
  const { db, now, hasher } = deps;
  const users = createUserRepository(deps.cipher);

  const audit = (
    q: Queryable,
    actor: Actor,
    action: AuditAction,
    target: User,
    at: Date,
    details: AuditDetails = {},
  ) =>
    recordAudit(q, {
      tenantId: target.tenantId,
      actorId: actor.userId,
      action,
      outcome: 'success',
      targetType: 'user',
      targetId: target.id,
      ...(actor.sourceAddress === null ? {} : { sourceAddress: actor.sourceAddress }),
      details,
      occurredAt: at,
    });

  async function temporaryPassword(at: Date) {
    const password = generateTemporaryPassword();
    return {
      password,
      hash: await hasher.hash(password),
      expiresAt: new Date(at.getTime() + TEMPORARY_PASSWORD_TTL_MS),
    };
  }

  /** Gives the user `find` locks a new temporary password, ends their sessions, audits it. */
  async function resetTo(
    actor: Actor,
    find: (tx: Queryable) => Promise<User | undefined>,
  ): Promise<ResetPassword> {
    const at = now();
    const temp = await temporaryPassword(at);
    await db.transaction(async (tx) => {
      const user = await find(tx);
      if (user === undefined) throw notFound();
      await users.setPassword(tx, user.id, { hash: temp.hash, temporaryUntil: temp.expiresAt }, at);
      await sessions.revokeAllOfUser(tx, user.id, at);
      await audit(tx, actor, 'auth.password_reset', user, at);
    });
    return { temporaryPassword: temp.password, temporaryPasswordExpiresAt: temp.expiresAt };
  }

  /** Creates an account with a temporary password inside `tx`; undefined if the login id is taken. */
  async function createAccount(
    tx: Queryable,
    actor: Actor,
    input: NewAccountInput & { tenantId: string | null; role: Role },
    at: Date,
    // Hashed before the transaction so argon2 does not hold it open.
    temp: { password: string; hash: string; expiresAt: Date },
  ): Promise<IssuedAccount | undefined> {
    const user = await users.insert(tx, {
      tenantId: input.tenantId,
      role: input.role,
      loginId: input.loginId,
      displayName: input.displayName,
      email: input.email,
      passwordHash: temp.hash,
      temporaryPasswordExpiresAt: temp.expiresAt,
      now: at,
    });
    if (user === undefined) return undefined;
    await audit(tx, actor, 'user.create', user, at, { role: user.role });
    return { user, temporaryPassword: temp.password, temporaryPasswordExpiresAt: temp.expiresAt };
  }

  return {
    /**
     * The first operator account, once. An advisory lock makes two concurrent bootstraps
     * create one operator, not two. Returns undefined when an operator already exists.
     */
    async bootstrapOperator(input: NewAccountInput): Promise<IssuedAccount | undefined> {
      const at = now();
      const temp = await temporaryPassword(at);
      const actor: Actor = { userId: null, tenantId: null, sourceAddress: null };
      const issued = await db.transaction(async (tx) => {
        await tx.query(`SELECT pg_advisory_xact_lock(7765656275600002)`);
        if (await users.operatorExists(tx)) return 'exists' as const;
        return createAccount(tx, actor, { ...input, tenantId: null, role: 'operator' }, at, temp);
      });
      if (issued === 'exists') return undefined;
      if (issued === undefined) throw loginIdTaken();
      return issued;
    },

    /** Operator: a tenant's admin (its kind's admin role), first or additional. */
    async createTenantAdmin(
      actor: Actor,
      tenantId: string,
      input: NewAccountInput,
    ): Promise<IssuedAccount> {
      const at = now();
      const temp = await temporaryPassword(at);
      const issued = await db.transaction(async (tx) => {
        const tenant = await tenants.findById(tx, tenantId);
        if (tenant === undefined) return 'no_tenant' as const;
        return createAccount(
          tx,
          actor,
          { ...input, tenantId: tenant.id, role: ADMIN_ROLE[tenant.kind] },
          at,
          temp,
        );
      });
      if (issued === 'no_tenant') throw notFound();
      if (issued === undefined) throw loginIdTaken();
      return issued;
    },

    async list(auth: AuthContext): Promise<User[]> {
      return users.listByTenant(db, ownTenant(auth));
    },

    async get(auth: AuthContext, id: string): Promise<User> {
      const user = await users.findById(db, id, { tenantId: ownTenant(auth) });
      if (user === undefined) throw notFound();
      return user;
    },

    async create(
      auth: AuthContext,
      sourceAddress: string | null,
      input: NewAccountInput & { role: Role },
    ): Promise<IssuedAccount> {
      const tenantId = ownTenant(auth);
      const at = now();
      const temp = await temporaryPassword(at);
      const issued = await db.transaction(async (tx) => {
        const tenant = await tenants.findById(tx, tenantId);
        if (tenant === undefined) return 'no_tenant' as const;
        if (!roleAllowedForTenant(input.role, tenant.kind)) return 'role' as const;
        return createAccount(tx, actorOf(auth, sourceAddress), { ...input, tenantId }, at, temp);
      });
      if (issued === 'no_tenant') throw notFound();
      if (issued === 'role') throw roleNotAllowed();
      if (issued === undefined) throw loginIdTaken();
      return issued;
    },

    /**
     * Role changes and disabling end every session of the user at once, in the same
     * transaction: no request made with a token issued before succeeds afterwards.
     */
    async update(
      auth: AuthContext,
      sourceAddress: string | null,
      id: string,
      patch: UserPatch,
    ): Promise<User> {
      const tenantId = ownTenant(auth);
      const actor = actorOf(auth, sourceAddress);
      const at = now();
      return db.transaction(async (tx) => {
        const user = await users.findById(tx, id, { tenantId }, true);
        if (user === undefined) throw notFound();
        const roleChanges = patch.role !== undefined && patch.role !== user.role;
        const disabling = patch.disabled === true && user.disabledAt === null;
        const enabling = patch.disabled === false && user.disabledAt !== null;
        if (user.id === auth.userId && (roleChanges || patch.disabled === true)) {
          throw cannotModifySelf();
        }
        if (roleChanges && patch.role !== undefined) {
          const tenant = await tenants.findById(tx, tenantId);
          if (tenant === undefined || !roleAllowedForTenant(patch.role, tenant.kind)) {
            throw roleNotAllowed();
          }
        }
        const changes: UserChanges = {
          ...(roleChanges ? { role: patch.role } : {}),
          ...(disabling ? { disabledAt: at } : enabling ? { disabledAt: null } : {}),
          ...(patch.displayName === undefined ? {} : { displayName: patch.displayName }),
          ...(patch.email === undefined ? {} : { email: patch.email }),
        };
        if (Object.keys(changes).length === 0) return user;
        const updated = await users.update(tx, user, changes, at);
        if (roleChanges || disabling) await sessions.revokeAllOfUser(tx, user.id, at);
        if (roleChanges) {
          await audit(tx, actor, 'user.role_change', updated, at, {
            from: user.role,
            to: updated.role,
          });
        }
        if (disabling) await audit(tx, actor, 'user.disable', updated, at);
        if (enabling) await audit(tx, actor, 'user.enable', updated, at);
        const fields = [
          ...(patch.displayName === undefined ? [] : ['displayName']),
          ...(patch.email === undefined ? [] : ['email']),
        ];
        // Which fields changed, never their values (personal data).
        if (fields.length > 0) {
          await audit(tx, actor, 'user.update', updated, at, { fields: fields.join(',') });
        }
        return updated;
      });
    },

    async remove(auth: AuthContext, sourceAddress: string | null, id: string): Promise<Date> {
      const tenantId = ownTenant(auth);
      const at = now();
      await db.transaction(async (tx) => {
        const user = await users.findById(tx, id, { tenantId }, true);
        if (user === undefined) throw notFound();
        if (user.id === auth.userId) throw cannotModifySelf();
        await users.softDelete(tx, user.id, at);
        await sessions.revokeAllOfUser(tx, user.id, at);
        await audit(tx, actorOf(auth, sourceAddress), 'user.delete', user, at);
      });
      return at;
    },

    /** A new temporary password; the user's sessions end (the old password may be known). */
    async resetPassword(
      auth: AuthContext,
      sourceAddress: string | null,
      id: string,
    ): Promise<ResetPassword> {
      const tenantId = ownTenant(auth);
      return resetTo(actorOf(auth, sourceAddress), (tx) =>
        users.findById(tx, id, { tenantId }, true).then((user) => {
          if (user?.id === auth.userId) throw cannotModifySelf();
          return user;
        }),
      );
    },

    /**
     * The operator's way back in for a tenant whose admins are all locked out: a new temporary
     * password for one of the tenant's admins. Only admins: the operator never reaches the
     * tenant's other users (P15), which answer like a missing one.
     */
    async resetTenantAdminPassword(
      actor: Actor,
      tenantId: string,
      id: string,
    ): Promise<ResetPassword> {
      return resetTo(actor, async (tx) => {
        const tenant = await tenants.findById(tx, tenantId);
        if (tenant === undefined) return undefined;
        const user = await users.findById(tx, id, { tenantId: tenant.id }, true);
        return user?.role === ADMIN_ROLE[tenant.kind] ? user : undefined;
      });
    },

    /** The caller: read by the token check itself, after the request arrived (decision 9). */
    me(auth: AuthContext): UserProfile {
      return auth.profile();
    },
  };
}
export type UserService = ReturnType<typeof createUserService>;
