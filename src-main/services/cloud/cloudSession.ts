import type { Role } from '../../../src-shared/auth/roles.js';
import { CloudError } from './cloudError.js';
import { apiError, type CloudResponse, type HttpsTransport } from './httpsTransport.js';

/** Where the refresh token lives between runs: the OS keychain (see credentials/). */
export interface RefreshTokenStore {
  get(server: string, loginId: string): Promise<string | null>;
  set(server: string, loginId: string, token: string): Promise<void>;
  /** Whether something was removed is the store's business; callers do not depend on it. */
  delete(server: string, loginId: string): Promise<unknown>;
}

export interface CloudUser {
  readonly id: string;
  readonly tenantId: string | null;
  readonly role: Role;
  readonly loginId: string;
  readonly displayName: string;
  readonly passwordChangeRequired: boolean;
}

interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

/**
 * One signed-in user on one server. The access token stays in memory; the refresh token goes
 * to the keychain and nowhere else (never SQLite, never a log, never the renderer). Expired
 * access tokens are refreshed transparently, once, and concurrent callers share one refresh.
 */
export function createCloudSession(deps: { transport: HttpsTransport; tokens: RefreshTokenStore }) {
  const { transport, tokens } = deps;
  const server = transport.baseUrl;
  let access: string | null = null;
  /** Whose keychain entry refreshes the session; known before the user's details are. */
  let loginId: string | null = null;
  let user: CloudUser | null = null;
  let refreshing: Promise<void> | null = null;

  const expect2xx = (res: CloudResponse): CloudResponse => {
    if (res.status >= 200 && res.status < 300) return res;
    throw apiError(res);
  };

  async function adopt(pair: TokenPair, owner: string): Promise<void> {
    // The rotated refresh token is kept before the access token is used.
    await tokens.set(server, owner, pair.refreshToken);
    access = pair.accessToken;
  }

  async function fetchMe(): Promise<CloudUser> {
    const res = expect2xx(await authorized('GET', '/v1/me'));
    const me = res.json as CloudUser;
    user = {
      id: me.id,
      tenantId: me.tenantId,
      role: me.role,
      loginId: me.loginId,
      displayName: me.displayName,
      passwordChangeRequired: me.passwordChangeRequired,
    };
    return user;
  }

  async function refresh(owner: string): Promise<void> {
    const stored = await tokens.get(server, owner);
    if (!stored) throw new CloudError('signed_out', 'Sign in again', 401);
    const res = await transport.send('POST', '/v1/auth/refresh', {
      body: { refreshToken: stored },
    });
    if (res.status === 401) {
      // Used, revoked or expired: this device must sign in again.
      await tokens.delete(server, owner);
      access = null;
      throw apiError(res);
    }
    await adopt(expect2xx(res).json as TokenPair, owner);
  }

  function refreshOnce(owner: string): Promise<void> {
    refreshing ??= refresh(owner).finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  /** An API call as the signed-in user; one transparent refresh on an expired access token. */
  async function authorized(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<CloudResponse> {
    return authorizedWith((authorization) =>
      transport.send(method, path, {
        headers: { ...headers, authorization },
        ...(body === undefined ? {} : { body }),
      }),
    );
  }

  async function authorizedWith(
    send: (authorization: string) => Promise<CloudResponse>,
  ): Promise<CloudResponse> {
    const owner = loginId;
    if (access === null && owner !== null) await refreshOnce(owner);
    if (access === null) throw new CloudError('signed_out', 'Sign in first', 401);
    const attempt = () => send(`Bearer ${access ?? ''}`);
    let res = await attempt();
    const code = (res.json as { error?: { code?: unknown } } | undefined)?.error?.code;
    if (res.status === 401 && code === 'session_expired' && owner !== null) {
      await refreshOnce(owner);
      res = await attempt();
    }
    return res;
  }

  return {
    server,
    current: (): CloudUser | null => user,

    async signIn(id: string, password: string): Promise<CloudUser> {
      const res = expect2xx(
        await transport.send('POST', '/v1/auth/sign-in', { body: { loginId: id, password } }),
      );
      const body = res.json as TokenPair & { user: Omit<CloudUser, 'loginId'> };
      await adopt(body, id);
      loginId = id;
      user = { ...body.user, loginId: id };
      return user;
    },

    /** Signs in again from the keychain's refresh token, without a password. */
    async resume(id: string): Promise<CloudUser | null> {
      loginId = id;
      try {
        await refreshOnce(id);
        return await fetchMe();
      } catch (error) {
        loginId = null;
        user = null;
        access = null;
        if (error instanceof CloudError && error.status === 401) return null;
        throw error;
      }
    },

    async changePassword(currentPassword: string, newPassword: string): Promise<CloudUser> {
      const owner = loginId;
      if (owner === null) throw new CloudError('signed_out', 'Sign in first', 401);
      const res = expect2xx(
        await authorized('POST', '/v1/me/password', { currentPassword, newPassword }),
      );
      await adopt(res.json as TokenPair, owner);
      return fetchMe();
    },

    async signOut(): Promise<void> {
      if (access !== null) {
        // Best effort: the keychain entry is removed whether or not the server answers.
        await authorized('POST', '/v1/auth/sign-out').catch(() => undefined);
      }
      if (loginId !== null) await tokens.delete(server, loginId);
      access = null;
      loginId = null;
      user = null;
    },

    /** 2xx answers only; anything else becomes a CloudError with the server's code. */
    async call<T>(
      method: string,
      path: string,
      body?: unknown,
      headers?: Record<string, string>,
    ): Promise<{ status: number; body: T; headers: CloudResponse['headers'] }> {
      const res = expect2xx(await authorized(method, path, body, headers));
      return { status: res.status, body: res.json as T, headers: res.headers };
    },

    /** A GET streamed into a new file `destination` (2xx only; else a CloudError). */
    async download(path: string, destination: string): Promise<void> {
      expect2xx(
        await authorizedWith((authorization) =>
          transport.download(path, { headers: { authorization }, destination }),
        ),
      );
    },

    /** The raw answer, for callers that handle statuses themselves (412 on a page push). */
    raw: authorized,
  };
}
export type CloudSession = ReturnType<typeof createCloudSession>;
