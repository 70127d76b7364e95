import { z } from 'zod';
import { TokenPairView } from './auth.js';
import { defineRoute } from './routeSpec.js';
import { PasswordInput } from './schemas.js';
import { UserView } from './users.js';

/** The signed-in user's own account. */
export const meApi = {
  get: defineRoute({
    method: 'GET',
    path: '/v1/me',
    access: { action: 'self.manage' },
    summary: 'The signed-in user',
    tags: ['me'],
    reply: UserView,
  }),
  changePassword: defineRoute({
    method: 'POST',
    path: '/v1/me/password',
    access: { action: 'self.manage', allowWithTemporaryPassword: true },
    summary: 'Change the own password; ends every session and returns a fresh token pair',
    tags: ['me'],
    body: z.strictObject({ currentPassword: PasswordInput, newPassword: PasswordInput }),
    reply: TokenPairView,
  }),
};
