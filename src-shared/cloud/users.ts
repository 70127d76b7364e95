import { z } from 'zod';
import { ROLES } from '../auth/roles.js';
import { defineRoute } from './routeSpec.js';
import { DisplayName, Email, IdParams, LoginId } from './schemas.js';

/** A user as the API shows it: never the password hash, never ciphertext. */
export const UserView = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  role: z.enum(ROLES),
  loginId: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  disabled: z.boolean(),
  passwordChangeRequired: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type UserView = z.output<typeof UserView>;

/** The one answer that carries a temporary password (P6: shown once). */
export const IssuedAccountView = z.object({
  user: UserView,
  temporaryPassword: z.string(),
  temporaryPasswordExpiresAt: z.string(),
});
export type IssuedAccountView = z.output<typeof IssuedAccountView>;

/** A password reset's answer: the new temporary password, shown once. */
export const ResetPasswordView = z.object({
  temporaryPassword: z.string(),
  temporaryPasswordExpiresAt: z.string(),
});
export type ResetPasswordView = z.output<typeof ResetPasswordView>;

/**
 * A tenant admin's user management, always inside the caller's own tenant: a user of another
 * tenant answers 404 exactly like a missing one (P15).
 */
export const userApi = {
  list: defineRoute({
    method: 'GET',
    path: '/v1/users',
    access: { action: 'user.read' },
    summary: "The users of the caller's tenant",
    tags: ['users'],
    reply: z.object({ users: z.array(UserView) }),
  }),
  create: defineRoute({
    method: 'POST',
    path: '/v1/users',
    access: { action: 'user.manage' },
    summary: 'Create a user with a temporary password (returned once)',
    tags: ['users'],
    status: 201,
    body: z.strictObject({
      loginId: LoginId,
      displayName: DisplayName,
      email: Email.optional(),
      role: z.enum(ROLES),
    }),
    reply: IssuedAccountView,
  }),
  get: defineRoute({
    method: 'GET',
    path: '/v1/users/:id',
    access: { action: 'user.read' },
    summary: "A user of the caller's tenant",
    tags: ['users'],
    params: IdParams,
    reply: UserView,
  }),
  update: defineRoute({
    method: 'PATCH',
    path: '/v1/users/:id',
    access: { action: 'user.manage' },
    summary:
      'Change role, disable or enable, or change name or e-mail (ends sessions on role or disable)',
    tags: ['users'],
    params: IdParams,
    body: z.strictObject({
      role: z.enum(ROLES).optional(),
      disabled: z.boolean().optional(),
      displayName: DisplayName.optional(),
      email: Email.nullable().optional(),
    }),
    reply: UserView,
  }),
  remove: defineRoute({
    method: 'DELETE',
    path: '/v1/users/:id',
    access: { action: 'user.manage' },
    summary: 'Delete a user: personal data is erased at once, sessions end',
    tags: ['users'],
    params: IdParams,
    reply: z.object({ id: z.string(), deletedAt: z.string() }),
  }),
  resetPassword: defineRoute({
    method: 'POST',
    path: '/v1/users/:id/reset-password',
    access: { action: 'user.manage' },
    summary: 'Give a user a new temporary password (returned once); their sessions end',
    tags: ['users'],
    params: IdParams,
    reply: ResetPasswordView,
  }),
};
