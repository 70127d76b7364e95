import { z } from 'zod';
import { TENANT_KINDS } from '../auth/roles.js';
import { defineRoute } from './routeSpec.js';
import { DisplayName, Email, IdParams, Instant, LoginId, displayText } from './schemas.js';
import { IssuedAccountView, ResetPasswordView } from './users.js';

export const TenantView = z.object({
  id: z.string(),
  kind: z.enum(TENANT_KINDS),
  name: z.string(),
  contractStart: z.string(),
  contractEnd: z.string().nullable(),
  legalHold: z.boolean(),
  createdAt: z.string(),
});
export type TenantView = z.output<typeof TenantView>;

const TenantName = displayText(200);

/** Operator only ('tenant.manage'): tenants and their admins. */
export const tenantApi = {
  create: defineRoute({
    method: 'POST',
    path: '/v1/tenants',
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
  }),
  list: defineRoute({
    method: 'GET',
    path: '/v1/tenants',
    access: { action: 'tenant.manage' },
    summary: 'Every tenant',
    tags: ['tenants'],
    reply: z.object({ tenants: z.array(TenantView) }),
  }),
  get: defineRoute({
    method: 'GET',
    path: '/v1/tenants/:id',
    access: { action: 'tenant.manage' },
    summary: 'One tenant',
    tags: ['tenants'],
    params: IdParams,
    reply: TenantView,
  }),
  update: defineRoute({
    method: 'PATCH',
    path: '/v1/tenants/:id',
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
  }),
  setLegalHold: defineRoute({
    method: 'PUT',
    path: '/v1/tenants/:id/legal-hold',
    access: { action: 'tenant.manage' },
    summary: 'Set or lift the legal hold that stops every purge of the tenant (audited)',
    tags: ['tenants'],
    params: IdParams,
    body: z.strictObject({ legalHold: z.boolean() }),
    reply: TenantView,
  }),
  createAdmin: defineRoute({
    method: 'POST',
    path: '/v1/tenants/:id/admins',
    access: { action: 'tenant.manage' },
    summary: 'Create an admin of the tenant with a temporary password (returned once)',
    tags: ['tenants'],
    status: 201,
    params: IdParams,
    body: z.strictObject({ loginId: LoginId, displayName: DisplayName, email: Email.optional() }),
    reply: IssuedAccountView,
  }),
  resetAdminPassword: defineRoute({
    method: 'POST',
    path: '/v1/tenants/:id/admins/:userId/reset-password',
    access: { action: 'tenant.manage' },
    summary:
      "Give one of the tenant's admins a new temporary password (returned once); their sessions end",
    tags: ['tenants'],
    params: z.strictObject({ id: z.uuid(), userId: z.uuid() }),
    reply: ResetPasswordView,
  }),
};
