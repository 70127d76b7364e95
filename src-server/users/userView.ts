import type {
  IssuedAccountView,
  ResetPasswordView,
  UserView,
} from '../../src-shared/cloud/users.js';
import type { UserProfile } from './userRepository.js';
import type { IssuedAccount, ResetPassword } from './userService.js';

/** The server's records as the API shows them (the shapes are src-shared/cloud/users.ts). */
export const toUserView = (u: UserProfile): UserView => ({
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

export const toIssuedAccountView = (a: IssuedAccount): IssuedAccountView => ({
  user: toUserView(a.user),
  temporaryPassword: a.temporaryPassword,
  temporaryPasswordExpiresAt: a.temporaryPasswordExpiresAt.toISOString(),
});

export const toResetPasswordView = (r: ResetPassword): ResetPasswordView => ({
  temporaryPassword: r.temporaryPassword,
  temporaryPasswordExpiresAt: r.temporaryPasswordExpiresAt.toISOString(),
});
