import { request } from 'node:https';
import { albumApi } from '../src-shared/cloud/albums.js';
import { authApi } from '../src-shared/cloud/auth.js';
import { meApi } from '../src-shared/cloud/me.js';
import type { ReplyOf, RouteSpec } from '../src-shared/cloud/routeSpec.js';
import { tenantApi } from '../src-shared/cloud/tenants.js';
import { userApi } from '../src-shared/cloud/users.js';
import { readReply, requestPath, type CallArgs } from '../src-main/services/cloud/cloudCall.js';
import type { E2eStack } from './stack.js';

/** The operator password studio.e2e.ts sets through the UI; whichever file runs first sets it. */
export const OPERATOR_E2E_PASSWORD = 'operator-e2e-pass-2026';

/**
 * The cloud's REST API from the tests' Node side (the operator's work that has no screen in
 * Weebum Studio): JSON over HTTPS trusting the development CA, each call a route spec of the
 * shared contract, built and read like the desktop's client does (src-main/services/cloud).
 */
export function cloudApi(stack: E2eStack) {
  async function call<S extends RouteSpec>(
    token: string | undefined,
    spec: S,
    ...[input]: CallArgs<S>
  ): Promise<ReplyOf<S>> {
    const url = new URL(requestPath(spec, input ?? {}), stack.cloudUrl);
    const body = input?.body;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const answer = await new Promise<{ status: number; json: unknown }>((resolve, reject) => {
      const req = request(
        url,
        {
          method: spec.method,
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
            let json: unknown;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, json });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
    return readReply(spec, { ...answer, headers: {} });
  }

  const signIn = async (loginId: string, password: string): Promise<string> =>
    (await call(undefined, authApi.signIn, { body: { loginId, password } })).accessToken;
  const changePassword = async (token: string, currentPassword: string, newPassword: string) =>
    (await call(token, meApi.changePassword, { body: { currentPassword, newPassword } }))
      .accessToken;

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
      const res = await call(token, userApi.create, { body: { loginId, displayName, role } });
      return { userId: res.user.id, temporaryPassword: res.temporaryPassword };
    },
    /** Lets a user of the token's side see an album (P3: members only). */
    async addMember(token: string, albumId: string, userId: string): Promise<void> {
      await call(token, albumApi.addMember, { params: { albumId }, body: { userId } });
    },
    async createTenant(token: string, kind: 'studio' | 'school', name: string): Promise<string> {
      const res = await call(token, tenantApi.create, {
        body: { kind, name, contractStart: new Date().toISOString() },
      });
      return res.id;
    },
    async createAdmin(
      token: string,
      tenantId: string,
      loginId: string,
      displayName: string,
    ): Promise<string> {
      const res = await call(token, tenantApi.createAdmin, {
        params: { id: tenantId },
        body: { loginId, displayName },
      });
      return res.temporaryPassword;
    },
  };
}
