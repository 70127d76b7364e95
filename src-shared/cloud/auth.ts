import { z } from 'zod';
import { ROLES } from '../auth/roles.js';
import { defineRoute } from './routeSpec.js';
import { LoginId, PasswordInput } from './schemas.js';

/** A fresh access token and the refresh token that replaces the one used. */
export const TokenPairView = z.object({
  accessToken: z.string(),
  accessExpiresAt: z.string(),
  refreshToken: z.string(),
  refreshExpiresAt: z.string(),
});
export type TokenPairView = z.output<typeof TokenPairView>;

export const SignedInView = TokenPairView.extend({
  user: z.object({
    id: z.string(),
    tenantId: z.string().nullable(),
    role: z.enum(ROLES),
    displayName: z.string(),
    passwordChangeRequired: z.boolean(),
  }),
});
export type SignedInView = z.output<typeof SignedInView>;

/** Sessions: sign-in, refresh, sign-out. */
export const authApi = {
  signIn: defineRoute({
    method: 'POST',
    path: '/v1/auth/sign-in',
    access: { public: true },
    summary: 'Sign in with a login id and password; returns an access and a refresh token',
    tags: ['auth'],
    body: z.strictObject({ loginId: LoginId, password: PasswordInput }),
    reply: SignedInView,
  }),
  refresh: defineRoute({
    method: 'POST',
    path: '/v1/auth/refresh',
    access: { public: true },
    summary: 'Exchange a refresh token for a new token pair (the old refresh token is used up)',
    tags: ['auth'],
    body: z.strictObject({ refreshToken: z.string().max(200) }),
    reply: TokenPairView,
  }),
  signOut: defineRoute({
    method: 'POST',
    path: '/v1/auth/sign-out',
    access: { action: 'self.manage', allowWithTemporaryPassword: true },
    summary: "End the caller's session and every token refreshed from it",
    tags: ['auth'],
    reply: z.object({ signedOut: z.literal(true) }),
  }),
};
