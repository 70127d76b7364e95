import { randomBytes, randomUUID } from 'node:crypto';
import { trimFromPreset } from '../../src-shared/model/album.js';
import { blankPage } from '../../src-shared/model/blankPage.js';
import type { Role } from '../../src-shared/auth/roles.js';
import { albumApi } from '../../src-shared/cloud/albums.js';
import { pageApi } from '../../src-shared/cloud/pages.js';
import { tenantApi } from '../../src-shared/cloud/tenants.js';
import { userApi } from '../../src-shared/cloud/users.js';
import {
  createCloudSession,
  type CloudSession,
  type RefreshTokenStore,
} from '../services/cloud/cloudSession.js';
import { createHttpsTransport } from '../services/cloud/httpsTransport.js';

export interface DemoAccount {
  readonly role: Role;
  readonly loginId: string;
  readonly password: string;
  /** True: the user must change it at the first sign-in. */
  readonly temporary: boolean;
}

export interface DemoSeed {
  readonly accounts: readonly DemoAccount[];
  readonly albumTitle: string;
}

export interface SeedDemoOptions {
  readonly serverUrl: string;
  /** The cloud's development CA. */
  readonly ca: Buffer;
  /** The operator just bootstrapped, with its temporary password. */
  readonly operator: { readonly loginId: string; readonly temporaryPassword: string };
}

export const DEMO_ALBUM_TITLE = '令和8年度 デモ小学校 卒業アルバム';
const DEMO_PAGES = 8;

/** Refresh tokens of the seeding sessions stay in memory: nobody resumes them. */
function memoryTokens(): RefreshTokenStore {
  const entries = new Map<string, string>();
  return {
    get: (s, l) => Promise.resolve(entries.get(`${s}|${l}`) ?? null),
    set: (s, l, t) => Promise.resolve(void entries.set(`${s}|${l}`, t)),
    delete: (s, l) => Promise.resolve(void entries.delete(`${s}|${l}`)),
  };
}

const generatedPassword = () => `demo-${randomBytes(12).toString('base64url')}`;

/**
 * The demo `npm start` makes on a fresh local Weebum Cloud, through its public API as a real
 * operator and admins would: a studio and a school, their admins, a designer and a school staff
 * account, and a demo album with blank pages that both belong to. Every tenant account is
 * printed with a temporary password (the admins' are reset by the operator after the seeding
 * used them); only the operator's, changed by the seeding, is a generated permanent one.
 */
export async function seedDemo(options: SeedDemoOptions): Promise<DemoSeed> {
  const transport = createHttpsTransport({ baseUrl: options.serverUrl, ca: options.ca });
  const session = () => createCloudSession({ transport, tokens: memoryTokens() });
  const activate = async (loginId: string, temporary: string): Promise<CloudSession> => {
    const s = session();
    await s.signIn(loginId, temporary);
    const password = generatedPassword();
    await s.changePassword(temporary, password);
    passwords.set(loginId, password);
    return s;
  };
  const passwords = new Map<string, string>();
  try {
    const operator = await activate(options.operator.loginId, options.operator.temporaryPassword);
    const tenant = async (kind: 'studio' | 'school', name: string) =>
      (
        await operator.call(tenantApi.create, {
          body: { kind, name, contractStart: new Date().toISOString() },
        })
      ).id;
    const studioId = await tenant('studio', 'デモ写真館');
    const schoolId = await tenant('school', 'デモ小学校');
    const adminIds = new Map<string, { tenantId: string; userId: string }>();
    const firstAdmin = async (tenantId: string, loginId: string, displayName: string) => {
      const made = await operator.call(tenantApi.createAdmin, {
        params: { id: tenantId },
        body: { loginId, displayName },
      });
      adminIds.set(loginId, { tenantId, userId: made.user.id });
      return activate(loginId, made.temporaryPassword);
    };
    const studioAdmin = await firstAdmin(studioId, 'studio-admin', 'デモ写真館 管理者');
    const schoolAdmin = await firstAdmin(schoolId, 'school-admin', 'デモ小学校 管理者');
    const user = async (admin: CloudSession, loginId: string, displayName: string, role: Role) =>
      admin.call(userApi.create, { body: { loginId, displayName, role } });
    const designer = await user(studioAdmin, 'designer', 'デモ デザイナー', 'designer');
    const staff = await user(schoolAdmin, 'school-staff', 'デモ 先生', 'school_staff');

    const album = await studioAdmin.call(albumApi.create, {
      body: {
        schoolTenantId: schoolId,
        settings: {
          title: DEMO_ALBUM_TITLE,
          schoolName: 'デモ小学校',
          fiscalYear: 2026,
          trim: trimFromPreset('A4'),
          bleedMm: 3,
          safeMarginMm: 5,
          binding: 'left',
          pageCount: DEMO_PAGES,
          status: 'draft',
        },
      },
    });
    const albumId = album.id;
    for (let index = 0; index < DEMO_PAGES; index++) {
      await studioAdmin.call(pageApi.create, {
        params: { albumId },
        body: blankPage(albumId, `page-${randomUUID()}`, index),
      });
    }
    await studioAdmin.call(albumApi.addMember, {
      params: { albumId },
      body: { userId: designer.user.id },
    });
    await schoolAdmin.call(albumApi.addMember, {
      params: { albumId },
      body: { userId: staff.user.id },
    });

    // The seeding acted as the admins; now they get temporary passwords of their own, as the
    // operator would give an admin who cannot sign in (and their seeding sessions end).
    const handedOver = async (role: Role, loginId: string): Promise<DemoAccount> => {
      const admin = adminIds.get(loginId);
      if (admin === undefined) throw new Error(`no demo admin ${loginId}`);
      const reset = await operator.call(tenantApi.resetAdminPassword, {
        params: { id: admin.tenantId, userId: admin.userId },
      });
      return { role, loginId, password: reset.temporaryPassword, temporary: true };
    };
    const studioAdminAccount = await handedOver('studio_admin', 'studio-admin');
    const schoolAdminAccount = await handedOver('school_admin', 'school-admin');
    return {
      albumTitle: DEMO_ALBUM_TITLE,
      accounts: [
        {
          role: 'operator',
          loginId: options.operator.loginId,
          password: passwords.get(options.operator.loginId) ?? '',
          temporary: false,
        },
        studioAdminAccount,
        {
          role: 'designer',
          loginId: 'designer',
          password: designer.temporaryPassword,
          temporary: true,
        },
        schoolAdminAccount,
        {
          role: 'school_staff',
          loginId: 'school-staff',
          password: staff.temporaryPassword,
          temporary: true,
        },
      ],
    };
  } finally {
    transport.close();
  }
}
