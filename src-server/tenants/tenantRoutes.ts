import type { FastifyInstance } from 'fastify';
import { tenantApi, type TenantView } from '../../src-shared/cloud/tenants.js';
import { addRoute } from '../http/route.js';
import { requireAuth } from '../http/requireAuth.js';
import { actorOf, type UserService } from '../users/userService.js';
import { toIssuedAccountView, toResetPasswordView } from '../users/userView.js';
import type { Tenant } from './tenantRepository.js';
import type { TenantService } from './tenantService.js';

const toTenantView = (t: Tenant): TenantView => ({
  id: t.id,
  kind: t.kind,
  name: t.name,
  contractStart: t.contractStart.toISOString(),
  contractEnd: t.contractEnd?.toISOString() ?? null,
  legalHold: t.legalHold,
  createdAt: t.createdAt.toISOString(),
});

/** Operator only ('tenant.manage'): tenants and their admins. */
export function registerTenantRoutes(
  app: FastifyInstance,
  deps: { tenants: TenantService; users: UserService },
): void {
  addRoute(app, tenantApi.create, {
    handler: async ({ body, request }) =>
      toTenantView(
        await deps.tenants.create(actorOf(requireAuth(request), request.ip), {
          kind: body.kind,
          name: body.name,
          contractStart: new Date(body.contractStart),
          contractEnd: body.contractEnd === undefined ? null : new Date(body.contractEnd),
        }),
      ),
  });

  addRoute(app, tenantApi.list, {
    handler: async () => ({ tenants: (await deps.tenants.list()).map(toTenantView) }),
  });

  addRoute(app, tenantApi.get, {
    handler: async ({ params }) => toTenantView(await deps.tenants.get(params.id)),
  });

  addRoute(app, tenantApi.update, {
    handler: async ({ params, body, request }) =>
      toTenantView(
        await deps.tenants.update(actorOf(requireAuth(request), request.ip), params.id, {
          ...(body.name === undefined ? {} : { name: body.name }),
          ...(body.contractStart === undefined
            ? {}
            : { contractStart: new Date(body.contractStart) }),
          ...(body.contractEnd === undefined
            ? {}
            : { contractEnd: body.contractEnd === null ? null : new Date(body.contractEnd) }),
        }),
      ),
  });

  addRoute(app, tenantApi.setLegalHold, {
    handler: async ({ params, body, request }) =>
      toTenantView(
        await deps.tenants.setLegalHold(
          actorOf(requireAuth(request), request.ip),
          params.id,
          body.legalHold,
        ),
      ),
  });

  addRoute(app, tenantApi.createAdmin, {
    handler: async ({ params, body, request }) =>
      toIssuedAccountView(
        await deps.users.createTenantAdmin(actorOf(requireAuth(request), request.ip), params.id, {
          loginId: body.loginId,
          displayName: body.displayName,
          email: body.email ?? null,
        }),
      ),
  });

  addRoute(app, tenantApi.resetAdminPassword, {
    handler: async ({ params, request }) =>
      toResetPasswordView(
        await deps.users.resetTenantAdminPassword(
          actorOf(requireAuth(request), request.ip),
          params.id,
          params.userId,
        ),
      ),
  });
}
