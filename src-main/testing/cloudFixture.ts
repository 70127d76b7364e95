import { albumApi } from '../../src-shared/cloud/albums.js';
import { tenantApi } from '../../src-shared/cloud/tenants.js';
import { userApi } from '../../src-shared/cloud/users.js';
import { trimFromPreset } from '../../src-shared/model/album.js';
import {
  createCloudSession,
  type CloudSession,
  type RefreshTokenStore,
} from '../services/cloud/cloudSession.js';
import { createHttpsTransport, type HttpsTransport } from '../services/cloud/httpsTransport.js';
import type { CloudProcess } from './cloudProcess.js';

/**
 * Accounts and albums on a real Weebum Cloud (see cloudProcess.ts) for the desktop core's
 * integration tests: an operator, a studio with its admin, a school, designers who have changed
 * their temporary passwords, and albums the designers are members of.
 */

/** A refresh-token store in memory: the keychain is tested on its own (credentials/). */
export function memoryTokens(): RefreshTokenStore {
  const entries = new Map<string, string>();
  return {
    get: (s, l) => Promise.resolve(entries.get(`${s}|${l}`) ?? null),
    set: (s, l, t) => Promise.resolve(void entries.set(`${s}|${l}`, t)),
    delete: (s, l) => Promise.resolve(void entries.delete(`${s}|${l}`)),
  };
}

/** Signs in with a temporary password and makes the forced change; returns the new password. */
export async function activate(
  session: CloudSession,
  loginId: string,
  temporary: string,
): Promise<string> {
  await session.signIn(loginId, temporary);
  const password = `${loginId}-password-2026`;
  await session.changePassword(temporary, password);
  return password;
}

export interface StudioFixture {
  readonly transport: HttpsTransport;
  readonly studioId: string;
  readonly schoolId: string;
  /** The studio admin's session (creates albums, adds members). */
  readonly admin: CloudSession;
  /** Login id to user id and (changed) password. */
  readonly users: ReadonlyMap<string, { readonly id: string; readonly password: string }>;
  /** A new album with every designer as a member; returns its id. */
  createAlbum(title?: string): Promise<string>;
  /** A fresh session of one of the designers, signed in. */
  signIn(loginId: string): Promise<CloudSession>;
  close(): void;
}

export async function setUpStudio(
  cloud: CloudProcess,
  options: { designers: readonly string[] },
): Promise<StudioFixture> {
  const transport = createHttpsTransport({ baseUrl: cloud.url, ca: cloud.ca });
  const operator = createCloudSession({ transport, tokens: memoryTokens() });
  await activate(operator, cloud.operator.loginId, cloud.operator.temporaryPassword);
  const tenant = async (kind: 'studio' | 'school', name: string) =>
    (
      await operator.call(tenantApi.create, {
        body: { kind, name, contractStart: '2026-04-01T00:00:00+09:00' },
      })
    ).id;
  const studioId = await tenant('studio', 'フォトスタジオ桜');
  const schoolId = await tenant('school', '桜ヶ丘小学校');
  const made = await operator.call(tenantApi.createAdmin, {
    params: { id: studioId },
    body: { loginId: 'sakura-admin', displayName: '桜 管理者' },
  });
  const admin = createCloudSession({ transport, tokens: memoryTokens() });
  await activate(admin, 'sakura-admin', made.temporaryPassword);
  const users = new Map<string, { id: string; password: string }>();
  for (const loginId of options.designers) {
    const issued = await admin.call(userApi.create, {
      body: { loginId, displayName: loginId, role: 'designer' },
    });
    const password = await activate(
      createCloudSession({ transport, tokens: memoryTokens() }),
      loginId,
      issued.temporaryPassword,
    );
    users.set(loginId, { id: issued.user.id, password });
  }
  return {
    transport,
    studioId,
    schoolId,
    admin,
    users,
    async createAlbum(title = '令和8年度 卒業アルバム') {
      const album = await admin.call(albumApi.create, {
        body: {
          schoolTenantId: schoolId,
          settings: {
            title,
            schoolName: '桜ヶ丘小学校',
            fiscalYear: 2026,
            trim: trimFromPreset('A4'),
            bleedMm: 3,
            safeMarginMm: 5,
            binding: 'left',
            pageCount: 24,
            status: 'draft',
          },
        },
      });
      for (const { id } of users.values()) {
        await admin.call(albumApi.addMember, {
          params: { albumId: album.id },
          body: { userId: id },
        });
      }
      return album.id;
    },
    async signIn(loginId) {
      const user = users.get(loginId);
      if (!user) throw new Error(`no designer ${loginId} in this fixture`);
      const session = createCloudSession({ transport, tokens: memoryTokens() });
      await session.signIn(loginId, user.password);
      return session;
    },
    close: () => transport.close(),
  };
}
