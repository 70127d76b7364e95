import { authApi, type TokenPairView } from '../../../src-shared/cloud/auth.js';
import { ErrorBody } from '../../../src-shared/cloud/errorBody.js';
import { meApi } from '../../../src-shared/cloud/me.js';
import type { ReplyOf, RouteSpec } from '../../../src-shared/cloud/routeSpec.js';
import type { UserView } from '../../../src-shared/cloud/users.js';
import {
  expectSuccess,
  readReply,
  requestPath,
  type CallArgs,
  type CallInput,
} from './cloudCall.js';
import { CloudError } from './cloudError.js';
import type { CloudResponse, HttpsTransport } from './httpsTransport.js';

/** Where the refresh token lives between runs: the OS keychain (see credentials/). */
export interface RefreshTokenStore {
  get(server: string, loginId: string): Promise<string | null>;
  set(server: string, loginId: string, token: string): Promise<void>;
  /** Whether something was removed is the store's business; callers do not depend on it. */
  delete(server: string, loginId: string): Promise<unknown>;
}

/** The signed-in user: what the desktop keeps of the server's UserView. */
export type CloudUser = Pick<
  UserView,
  'id' | 'tenantId' | 'role' | 'loginId' | 'displayName' | 'passwordChangeRequired'
>;

/** A route whose answer is bytes (an image, a zip), not JSON. */
type BinaryRoute = RouteSpec & { readonly content: 'binary' };

/**
 * One signed-in user on one server, and the desktop's one client of the Cloud API: every call
 * names a route spec of src-shared/cloud, its path is built from the spec and its answer parsed
 * with the spec's schema (cloudCall.ts). The access token stays in memory; the refresh token
 * goes to the keychain and nowhere else (never SQLite, never a log, never the renderer).
 * Expired access tokens are refreshed transparently, once, and concurrent callers share one
 * refresh.
 */
export function createCloudSession(deps: { transport: HttpsTransport; tokens: RefreshTokenStore }) {
  const { transport, tokens } = deps;
  const server = transport.baseUrl;
  let access: string | null = null;
  /** Whose keychain entry refreshes the session; known before the user's details are. */
  let loginId: string | null = null;
  let user: CloudUser | null = null;
  let refreshing: Promise<void> | null = null;

  async function adopt(pair: TokenPairView, owner: string): Promise<void> {
    // The rotated refresh token is kept before the access token is used.
    await tokens.set(server, owner, pair.refreshToken);
    access = pair.accessToken;
  }

  async function fetchMe(): Promise<CloudUser> {
    const me = await call(meApi.get);
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
    let pair: TokenPairView;
    try {
      pair = await call(authApi.refresh, { body: { refreshToken: stored } });
    } catch (error) {
      if (error instanceof CloudError && error.status === 401) {
        // Used, revoked or expired: this device must sign in again.
        await tokens.delete(server, owner);
        access = null;
      }
      throw error;
    }
    await adopt(pair, owner);
  }

  function refreshOnce(owner: string): Promise<void> {
    refreshing ??= refresh(owner).finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  /** A request as the signed-in user; one transparent refresh on an expired access token. */
  async function authorizedWith(
    send: (authorization: string) => Promise<CloudResponse>,
  ): Promise<CloudResponse> {
    const owner = loginId;
    if (access === null && owner !== null) await refreshOnce(owner);
    if (access === null) throw new CloudError('signed_out', 'Sign in first', 401);
    const attempt = () => send(`Bearer ${access ?? ''}`);
    let res = await attempt();
    const failure = ErrorBody.safeParse(res.json);
    if (
      res.status === 401 &&
      failure.success &&
      failure.data.error.code === 'session_expired' &&
      owner !== null
    ) {
      await refreshOnce(owner);
      res = await attempt();
    }
    return res;
  }

  /** Public routes go without a token; every other one as the signed-in user. */
  const withAccess = (
    spec: RouteSpec,
    send: (headers: Record<string, string>) => Promise<CloudResponse>,
  ): Promise<CloudResponse> =>
    'public' in spec.access ? send({}) : authorizedWith((authorization) => send({ authorization }));

  /**
   * Calls one route of the contract: the answer is the route's reply, parsed with its schema.
   * An error answer is a CloudError with the server's code; an answer that breaks the contract
   * is `cloud_protocol`, naming the route.
   */
  async function call<S extends RouteSpec>(spec: S, ...[input]: CallArgs<S>): Promise<ReplyOf<S>> {
    const given: Partial<CallInput<S>> = input ?? {};
    const path = requestPath(spec, given);
    const res = await withAccess(spec, (auth) =>
      transport.send(spec.method, path, {
        headers: { ...given.headers, ...auth },
        ...(given.body === undefined ? {} : { body: given.body }),
      }),
    );
    return readReply(spec, res);
  }

  return {
    server,
    current: (): CloudUser | null => user,

    async signIn(id: string, password: string): Promise<CloudUser> {
      const signedIn = await call(authApi.signIn, { body: { loginId: id, password } });
      await adopt(signedIn, id);
      loginId = id;
      user = { ...signedIn.user, loginId: id };
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
      await adopt(
        await call(meApi.changePassword, { body: { currentPassword, newPassword } }),
        owner,
      );
      return fetchMe();
    },

    async signOut(): Promise<void> {
      if (access !== null) {
        // Best effort: the keychain entry is removed whether or not the server answers.
        await call(authApi.signOut).catch(() => undefined);
      }
      if (loginId !== null) await tokens.delete(server, loginId);
      access = null;
      loginId = null;
      user = null;
    },

    call,

    /**
     * A route whose answer is bytes, streamed into the new file `destination` (callers write to
     * a temporary name); an error answer is a CloudError as with `call`.
     */
    async download<S extends BinaryRoute>(
      spec: S,
      destination: string,
      ...[input]: CallArgs<S>
    ): Promise<void> {
      const given: Partial<CallInput<S>> = input ?? {};
      const path = requestPath(spec, given);
      const res = await withAccess(spec, (auth) =>
        transport.download(path, { headers: { ...given.headers, ...auth }, destination }),
      );
      expectSuccess(spec, res);
    },
  };
}
export type CloudSession = ReturnType<typeof createCloudSession>;
