import { auditApi } from '../../../../src-shared/cloud/audit.js';
import { userApi, type UserView } from '../../../../src-shared/cloud/users.js';
import type { CoreContext, NamespaceHandlers } from './context.js';

/** Administration goes to the cloud as it is: users and the audit log live there only. */
export function adminHandlers(ctx: CoreContext): NamespaceHandlers<'admin'> {
  return {
    async 'admin.users.list'() {
      const { users } = await ctx.cloud().call(userApi.list);
      return users.map(toUserSummary);
    },
    async 'admin.users.create'(input) {
      const issued = await ctx.cloud().call(userApi.create, { body: input });
      return { user: toUserSummary(issued.user), temporaryPassword: issued.temporaryPassword };
    },
    async 'admin.users.update'({ userId, ...changes }) {
      const updated = await ctx
        .cloud()
        .call(userApi.update, { params: { id: userId }, body: changes });
      return toUserSummary(updated);
    },
    async 'admin.users.delete'({ userId }) {
      await ctx.cloud().call(userApi.remove, { params: { id: userId } });
      return null;
    },
    async 'admin.users.resetPassword'({ userId }) {
      const reset = await ctx.cloud().call(userApi.resetPassword, { params: { id: userId } });
      return { temporaryPassword: reset.temporaryPassword };
    },
    async 'admin.audit.list'({ tz, before, limit }) {
      const page = await ctx.cloud().call(auditApi.list, {
        query: { tz, ...(before ? { before } : {}), ...(limit ? { limit } : {}) },
      });
      return {
        events: page.events.map((e) => ({
          id: e.id,
          occurredAt: e.occurredAt,
          action: e.action,
          outcome: e.outcome,
          actorId: e.actorId,
          targetId: e.targetId,
        })),
        nextBefore: page.nextBefore,
      };
    },
  };
}

const toUserSummary = (u: UserView) => ({
  id: u.id,
  loginId: u.loginId,
  displayName: u.displayName,
  email: u.email,
  role: u.role,
  disabled: u.disabled,
  passwordChangeRequired: u.passwordChangeRequired,
});
