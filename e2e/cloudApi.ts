import { request } from 'node:https';
import type { E2eStack } from './stack.js';

/** The operator password studio.e2e.ts sets through the UI; whichever file runs first sets it. */
export const OPERATOR_E2E_PASSWORD = 'operator-e2e-pass-2026';

/**
 * The cloud's REST API from the tests' Node side (the operator's work that has no screen in
 * Weebum Studio): JSON over HTTPS trusting the development CA.
 */
export function cloudApi(stack: E2eStack) {
  async function call<T>(method: string, path: string, body?: unknown, token?: string) {
    const url = new URL(path, stack.cloudUrl);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          ca: stack.caPem,
          headers: {
            ...(payload ? { 'content-type': 'application/json' } : {}),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 400) reject(new Error(`${method} ${path}: ${status} ${text}`));
            else resolve((text ? JSON.parse(text) : null) as T);
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  const signIn = async (loginId: string, password: string): Promise<string> =>
    (await call<{ accessToken: string }>('POST', '/v1/auth/sign-in', { loginId, password }))
      .accessToken;
  const changePassword = async (token: string, currentPassword: string, newPassword: string) =>
    (
      await call<{ accessToken: string }>(
        'POST',
        '/v1/me/password',
        { currentPassword, newPassword },
        token,
      )
    ).accessToken;

  return {
    signIn,
    /** Sets a new password (a temporary one included); returns the fresh access token. */
    changePassword,
    /**
     * The operator's access token, whichever e2e file runs first: signs in with the e2e
     * password, or first sets it from the temporary password the stack printed.
     */
    async operatorToken(): Promise<string> {
      const { loginId, temporaryPassword } = stack.operator;
      try {
        return await signIn(loginId, OPERATOR_E2E_PASSWORD);
      } catch {
        const first = await signIn(loginId, temporaryPassword);
        return changePassword(first, temporaryPassword, OPERATOR_E2E_PASSWORD);
      }
    },
    /** A user of the token's own tenant, with the temporary password. */
    async createUser(
      token: string,
      loginId: string,
      displayName: string,
      role: 'studio_admin' | 'designer' | 'school_admin' | 'school_staff',
    ): Promise<{ userId: string; temporaryPassword: string }> {
      const res = await call<{ user: { id: string }; temporaryPassword: string }>(
        'POST',
        '/v1/users',
        { loginId, displayName, role },
        token,
      );
      return { userId: res.user.id, temporaryPassword: res.temporaryPassword };
    },
    /** Lets a user of the token's side see an album (P3: members only). */
    async addMember(token: string, albumId: string, userId: string): Promise<void> {
      await call('POST', `/v1/albums/${albumId}/members`, { userId }, token);
    },
    async createTenant(token: string, kind: 'studio' | 'school', name: string): Promise<string> {
      const res = await call<{ id: string }>(
        'POST',
        '/v1/tenants',
        { kind, name, contractStart: new Date().toISOString() },
        token,
      );
      return res.id;
    },
    async createAdmin(
      token: string,
      tenantId: string,
      loginId: string,
      displayName: string,
    ): Promise<string> {
      const res = await call<{ temporaryPassword: string }>(
        'POST',
        `/v1/tenants/${tenantId}/admins`,
        { loginId, displayName },
        token,
      );
      return res.temporaryPassword;
    },
  };
}
