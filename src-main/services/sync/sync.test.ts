import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../src-shared/desktop/contract.js';
import { trimFromPreset } from '../../../src-shared/model/album.js';
import { samplePage } from '../../../src-shared/model/fixtures.js';
import type { Page } from '../../../src-shared/model/page.js';
import {
  disposeCloudProcess,
  startCloudProcess,
  type CloudProcess,
} from '../../testing/cloudProcess.js';
import {
  createCloudSession,
  type CloudSession,
  type RefreshTokenStore,
} from '../cloud/cloudSession.js';
import { createHttpsTransport, type HttpsTransport } from '../cloud/httpsTransport.js';
import { createEventHub } from '../events/eventHub.js';
import { openLocalStore } from '../store/openLocalStore.js';
import type { LocalStore } from '../store/localStore.js';
import { createSyncEngine, type SyncEngine } from './syncEngine.js';

function memoryTokens(): RefreshTokenStore {
  const entries = new Map<string, string>();
  return {
    get: (s, l) => Promise.resolve(entries.get(`${s}|${l}`) ?? null),
    set: (s, l, t) => Promise.resolve(void entries.set(`${s}|${l}`, t)),
    delete: (s, l) => Promise.resolve(void entries.delete(`${s}|${l}`)),
  };
}

/** One desktop core: its own data directory, store, session and sync engine. */
interface Core {
  readonly store: LocalStore;
  readonly engine: SyncEngine;
  readonly conflicts: EventPayload<'sync.conflicts'>;
  close(): Promise<void>;
}

describe('sync between two desktop cores through a real Weebum Cloud', () => {
  let cloud: CloudProcess;
  let transport: HttpsTransport;
  let root: string;
  let albumId: string;
  const passwords = new Map<string, string>();
  const cores: Core[] = [];
  const byName = new Map<string, Core>();

  async function activate(session: CloudSession, loginId: string, temporary: string) {
    await session.signIn(loginId, temporary);
    const password = `${loginId}-password-2026`;
    await session.changePassword(temporary, password);
    passwords.set(loginId, password);
  }

  async function openCore(name: string, loginId: string): Promise<Core> {
    await mkdir(join(root, name), { recursive: true });
    const opened = openLocalStore({ file: join(root, name, 'studio.db'), now: () => new Date() });
    if (!opened.ok) throw new Error(opened.error.message);
    const store = opened.value.store;
    const session = createCloudSession({ transport, tokens: memoryTokens() });
    const user = await session.signIn(loginId, passwords.get(loginId) as string);
    const account = store.accounts.upsert({
      serverUrl: cloud.url,
      userId: user.id,
      loginId,
      tenantId: user.tenantId ?? '',
      role: user.role,
      displayName: user.displayName,
    });
    const events = createEventHub(() => undefined);
    const conflicts: EventPayload<'sync.conflicts'> = [];
    events.subscribe('sync.conflicts', (c) => conflicts.push(...c));
    const engine = createSyncEngine({
      store,
      cloud: session,
      accountId: account.id,
      userId: user.id,
      events,
      now: () => new Date(),
      removeFiles: () => Promise.resolve(),
      log: () => undefined,
    });
    const core = {
      store,
      engine,
      conflicts,
      async close() {
        await engine.stop();
        store.close();
      },
    };
    cores.push(core);
    byName.set(name, core);
    return core;
  }

  const page = (core: Core): Page => {
    const listed = core.store.pages.list(albumId);
    if (!listed.ok) throw new Error(listed.error.message);
    const found = listed.value.find((p) => p.id === 'p1');
    if (!found) throw new Error('page p1 is not there');
    return found;
  };
  const edit = (p: Page, id: string, change: Record<string, unknown>): Page => ({
    ...p,
    elements: p.elements.map((e) => (e.id === id ? { ...e, ...change } : e)),
  });
  const field = (p: Page, id: string, key: string): unknown =>
    (p.elements.find((e) => e.id === id) as Record<string, unknown> | undefined)?.[key];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'weebum-sync-'));
    cloud = await startCloudProcess();
    transport = createHttpsTransport({ baseUrl: cloud.url, ca: cloud.ca });
    const operator = createCloudSession({ transport, tokens: memoryTokens() });
    await activate(operator, cloud.operator.loginId, cloud.operator.temporaryPassword);
    const tenant = async (kind: string, name: string) =>
      (
        await operator.call<{ id: string }>('POST', '/v1/tenants', {
          kind,
          name,
          contractStart: '2026-04-01T00:00:00+09:00',
        })
      ).body.id;
    const studioId = await tenant('studio', 'フォトスタジオ桜');
    const schoolId = await tenant('school', '桜ヶ丘小学校');
    const admin = await operator.call<{ temporaryPassword: string }>(
      'POST',
      `/v1/tenants/${studioId}/admins`,
      {
        loginId: 'sakura-admin',
        displayName: '桜 管理者',
      },
    );
    const studioAdmin = createCloudSession({ transport, tokens: memoryTokens() });
    await activate(studioAdmin, 'sakura-admin', admin.body.temporaryPassword);
    const designers: string[] = [];
    for (const loginId of ['designer-a', 'designer-b']) {
      const made = await studioAdmin.call<{ user: { id: string }; temporaryPassword: string }>(
        'POST',
        '/v1/users',
        {
          loginId,
          displayName: loginId,
          role: 'designer',
        },
      );
      designers.push(made.body.user.id);
      await activate(
        createCloudSession({ transport, tokens: memoryTokens() }),
        loginId,
        made.body.temporaryPassword,
      );
    }
    const album = await studioAdmin.call<{ id: string }>('POST', '/v1/albums', {
      schoolTenantId: schoolId,
      settings: {
        title: '令和8年度 卒業アルバム',
        schoolName: '桜ヶ丘小学校',
        fiscalYear: 2026,
        trim: trimFromPreset('A4'),
        bleedMm: 3,
        safeMarginMm: 5,
        binding: 'left',
        pageCount: 24,
        status: 'draft',
      },
    });
    albumId = album.body.id;
    for (const userId of designers) {
      await studioAdmin.call('POST', `/v1/albums/${albumId}/members`, { userId });
    }
  }, 180_000);

  afterAll(async () => {
    for (const core of cores) await core.close();
    transport?.close();
    await disposeCloudProcess(cloud);
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('carries an edit made offline, across a restart of the core, to the other core', async () => {
    let a = await openCore('a', 'designer-a');
    const b = await openCore('b', 'designer-b');
    await a.engine.syncNow();
    expect(a.store.albums.get(albumId)).toMatchObject({ ok: true, value: { accessLost: false } });
    a.store.pages.saveLocal(albumId, samplePage({ id: 'p1', albumId }));
    await a.engine.syncNow();
    expect(a.engine.state()).toMatchObject({ connection: 'online', pending: 0 });
    await b.engine.syncNow();
    expect(field(page(b), 'title-1', 'text')).toBe('思い出の運動会');

    await cloud.stop();
    a.store.pages.saveLocal(albumId, edit(page(a), 'title-1', { text: '修学旅行' }));
    await expect(a.engine.syncNow()).rejects.toMatchObject({ code: 'server_unreachable' });
    expect(a.engine.state()).toMatchObject({ connection: 'offline', pending: 1 });
    // The core process restarts: everything it needs is in its store.
    await a.close();
    cores.splice(cores.indexOf(a), 1);
    await cloud.restart();
    a = await openCore('a', 'designer-a');
    expect(a.engine.state().pending).toBe(1);
    await a.engine.syncNow();
    expect(a.engine.state().pending).toBe(0);
    await b.engine.syncNow();
    expect(field(page(b), 'title-1', 'text')).toBe('修学旅行');
  }, 120_000);

  it('merges offline edits of different elements silently, and reports the same field changed on both', async () => {
    const [a, b] = [cores[1] as Core, cores[0] as Core].sort((x) =>
      x.store.file.includes('/a/') ? -1 : 1,
    ) as [Core, Core];
    a.store.pages.saveLocal(albumId, edit(page(a), 'title-1', { text: 'A の見出し' }));
    b.store.pages.saveLocal(
      albumId,
      edit(page(b), 'rule-1', { stroke: { color: '#000000', widthMm: 1 } }),
    );
    await a.engine.syncNow();
    await b.engine.syncNow(); // 412, merged, pushed again
    await a.engine.syncNow();
    for (const core of [a, b]) {
      expect(field(page(core), 'title-1', 'text')).toBe('A の見出し');
      expect(field(page(core), 'rule-1', 'stroke')).toEqual({ color: '#000000', widthMm: 1 });
    }
    expect(b.conflicts).toEqual([]);

    a.store.pages.saveLocal(albumId, edit(page(a), 'title-1', { text: 'A が決めた題' }));
    b.store.pages.saveLocal(albumId, edit(page(b), 'title-1', { text: 'B が決めた題' }));
    await a.engine.syncNow();
    await b.engine.syncNow();
    expect(field(page(b), 'title-1', 'text')).toBe('A が決めた題');
    expect(b.conflicts).toEqual([
      { albumId, pageId: 'p1', elementId: 'title-1', field: 'text', kind: 'field' },
    ]);
    expect(b.engine.state().pending).toBe(0);
  }, 120_000);
});
