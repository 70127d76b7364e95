import { request } from 'node:https';
import type { E2eStack } from './stack.js';

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

  return {
    async signIn(loginId: string, password: string): Promise<string> {
      const res = await call<{ accessToken: string }>('POST', '/v1/auth/sign-in', {
        loginId,
        password,
      });
      return res.accessToken;
    },
    /** Changes the own password (allowed with a temporary one); returns the new access token. */
    async changePassword(token: string, currentPassword: string, newPassword: string) {
      const res = await call<{ accessToken: string }>(
        'POST',
        '/v1/me/password',
        { currentPassword, newPassword },
        token,
      );
      return res.accessToken;
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
