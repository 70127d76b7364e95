import { randomBytes, randomUUID } from 'node:crypto';
import { trimFromPreset } from '../../src-shared/model/album.js';
import { PAGE_SCHEMA_VERSION } from '../../src-shared/model/page.js';
import type { Role } from '../../src-shared/auth/roles.js';
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
 * operator and admins would: a studio and a school, a studio admin and a school admin (their
 * temporary passwords changed by the seeding, so they are printed as generated passwords), a
 * designer and a school staff account with temporary passwords, and a demo album with blank
 * pages that both belong to. The operator's temporary password is changed too.
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
        await operator.call<{ id: string }>('POST', '/v1/tenants', {
          kind,
          name,
          contractStart: new Date().toISOString(),
        })
      ).body.id;
    const studioId = await tenant('studio', 'デモ写真館');
    const schoolId = await tenant('school', 'デモ小学校');
    const firstAdmin = async (tenantId: string, loginId: string, displayName: string) => {
      const made = await operator.call<{ temporaryPassword: string }>(
        'POST',
        `/v1/tenants/${tenantId}/admins`,
        { loginId, displayName },
      );
      return activate(loginId, made.body.temporaryPassword);
    };
    const studioAdmin = await firstAdmin(studioId, 'studio-admin', 'デモ写真館 管理者');
    const schoolAdmin = await firstAdmin(schoolId, 'school-admin', 'デモ小学校 管理者');
    const user = async (admin: CloudSession, loginId: string, displayName: string, role: Role) =>
      (
        await admin.call<{ user: { id: string }; temporaryPassword: string }>('POST', '/v1/users', {
          loginId,
          displayName,
          role,
        })
      ).body;
    const designer = await user(studioAdmin, 'designer', 'デモ デザイナー', 'designer');
    const staff = await user(schoolAdmin, 'school-staff', 'デモ 先生', 'school_staff');

    const album = await studioAdmin.call<{ id: string }>('POST', '/v1/albums', {
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
    });
    const albumId = album.body.id;
    for (let index = 0; index < DEMO_PAGES; index++) {
      await studioAdmin.call('POST', `/v1/albums/${albumId}/pages`, {
        schemaVersion: PAGE_SCHEMA_VERSION,
        id: `page-${randomUUID()}`,
        albumId,
        index,
        version: 0,
        background: { kind: 'color', color: '#ffffff' },
        elements: [],
      });
    }
    await studioAdmin.call('POST', `/v1/albums/${albumId}/members`, { userId: designer.user.id });
    await schoolAdmin.call('POST', `/v1/albums/${albumId}/members`, { userId: staff.user.id });

    const kept = (role: Role, loginId: string): DemoAccount => ({
      role,
      loginId,
      password: passwords.get(loginId) ?? '',
      temporary: false,
    });
    return {
      albumTitle: DEMO_ALBUM_TITLE,
      accounts: [
        kept('operator', options.operator.loginId),
        kept('studio_admin', 'studio-admin'),
        {
          role: 'designer',
          loginId: 'designer',
          password: designer.temporaryPassword,
          temporary: true,
        },
        kept('school_admin', 'school-admin'),
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
