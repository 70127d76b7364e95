import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { TENANT_KINDS } from '../../src-shared/auth/roles.js';
import { addRoute } from '../http/route.js';
import { requireAuth } from '../http/requireAuth.js';
import { DisplayName, Email, IdParams, Instant, LoginId, displayText } from '../http/schemas.js';
import { toIssuedAccountView } from '../users/userRoutes.js';
import { actorOf, type UserService } from '../users/userService.js';
import { IssuedAccountView, ResetPasswordView, toResetPasswordView } from '../users/userView.js';
import type { Tenant } from './tenantRepository.js';
import type { TenantService } from './tenantService.js';

const TenantView = z.object({
  id: z.string(),
  kind: z.enum(TENANT_KINDS),
  name: z.string(),
  contractStart: z.string(),
  contractEnd: z.string().nullable(),
  legalHold: z.boolean(),
  createdAt: z.string(),
});

const toTenantView = (t: Tenant): z.output<typeof TenantView> => ({
  id: t.id,
  kind: t.kind,
  name: t.name,
  contractStart: t.contractStart.toISOString(),
  contractEnd: t.contractEnd?.toISOString() ?? null,
  legalHold: t.legalHold,
  createdAt: t.createdAt.toISOString(),
});

const TenantName = displayText(200);

/** Operator only ('tenant.manage'): tenants and their admins. */
export function registerTenantRoutes(
  app: FastifyInstance,
  deps: { tenants: TenantService; users: UserService },
): void {
  addRoute(app, {
    method: 'POST',
    url: '/v1/tenants',
    access: { action: 'tenant.manage' },
    summary: 'Create a tenant (studio or school)',
    tags: ['tenants'],
    status: 201,
    body: z.strictObject({
      kind: z.enum(TENANT_KINDS),
      name: TenantName,
      contractStart: Instant,
      contractEnd: Instant.optional(),
    }),
    reply: TenantView,
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

  addRoute(app, {
    method: 'GET',
    url: '/v1/tenants',
    access: { action: 'tenant.manage' },
    summary: 'Every tenant',
    tags: ['tenants'],
    reply: z.object({ tenants: z.array(TenantView) }),
    handler: async () => ({ tenants: (await deps.tenants.list()).map(toTenantView) }),
  });

  addRoute(app, {
    method: 'GET',
    url: '/v1/tenants/:id',
    access: { action: 'tenant.manage' },
    summary: 'One tenant',
    tags: ['tenants'],
    params: IdParams,
    reply: TenantView,
    handler: async ({ params }) => toTenantView(await deps.tenants.get(params.id)),
  });

  addRoute(app, {
    method: 'PATCH',
    url: '/v1/tenants/:id',
    access: { action: 'tenant.manage' },
    summary: 'Rename a tenant or change its contract dates (audited)',
    tags: ['tenants'],
    params: IdParams,
    body: z.strictObject({
      name: TenantName.optional(),
      contractStart: Instant.optional(),
      contractEnd: Instant.nullable().optional(),
    }),
    reply: TenantView,
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

  addRoute(app, {
    method: 'PUT',
    url: '/v1/tenants/:id/legal-hold',
    access: { action: 'tenant.manage' },
    summary: 'Set or lift the legal hold that stops every purge of the tenant (audited)',
    tags: ['tenants'],
    params: IdParams,
    body: z.strictObject({ legalHold: z.boolean() }),
    reply: TenantView,
    handler: async ({ params, body, request }) =>
      toTenantView(
        await deps.tenants.setLegalHold(
          actorOf(requireAuth(request), request.ip),
          params.id,
          body.legalHold,
        ),
      ),
  });

  addRoute(app, {
    method: 'POST',
    url: '/v1/tenants/:id/admins',
    access: { action: 'tenant.manage' },
    summary: 'Create an admin of the tenant with a temporary password (returned once)',
    tags: ['tenants'],
    status: 201,
    params: IdParams,
    body: z.strictObject({ loginId: LoginId, displayName: DisplayName, email: Email.optional() }),
    reply: IssuedAccountView,
    handler: async ({ params, body, request }) =>
      toIssuedAccountView(
        await deps.users.createTenantAdmin(actorOf(requireAuth(request), request.ip), params.id, {
          loginId: body.loginId,
          displayName: body.displayName,
          email: body.email ?? null,
        }),
      ),
  });

  addRoute(app, {
    method: 'POST',
    url: '/v1/tenants/:id/admins/:userId/reset-password',
    access: { action: 'tenant.manage' },
    summary:
      "Give one of the tenant's admins a new temporary password (returned once); their sessions end",
    tags: ['tenants'],
    params: z.strictObject({ id: z.uuid(), userId: z.uuid() }),
    reply: ResetPasswordView,
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
