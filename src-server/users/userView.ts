import { z } from 'zod';
import { ROLES } from '../../src-shared/auth/roles.js';
import type { UserProfile } from './userRepository.js';
import type { ResetPassword } from './userService.js';

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

export const toUserView = (u: UserProfile): z.output<typeof UserView> => ({
  id: u.id,
  tenantId: u.tenantId,
  role: u.role,
  loginId: u.loginId,
  displayName: u.displayName,
  email: u.email,
  disabled: u.disabledAt !== null,
  passwordChangeRequired: u.passwordIsTemporary,
  createdAt: u.createdAt.toISOString(),
  updatedAt: u.updatedAt.toISOString(),
});

/** The one response that carries a temporary password (P6: shown once). */
export const IssuedAccountView = z.object({
  user: UserView,
  temporaryPassword: z.string(),
  temporaryPasswordExpiresAt: z.string(),
});

/** A password reset's answer: the new temporary password, shown once. */
export const ResetPasswordView = z.object({
  temporaryPassword: z.string(),
  temporaryPasswordExpiresAt: z.string(),
});

export const toResetPasswordView = (r: ResetPassword): z.output<typeof ResetPasswordView> => ({
  temporaryPassword: r.temporaryPassword,
  temporaryPasswordExpiresAt: r.temporaryPasswordExpiresAt.toISOString(),
});
