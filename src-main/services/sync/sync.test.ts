import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePage } from '../../../src-shared/model/fixtures.js';
import { albumApi } from '../../../src-shared/cloud/albums.js';
import { pageApi } from '../../../src-shared/cloud/pages.js';
import type { RouteSpec } from '../../../src-shared/cloud/routeSpec.js';
import type { Album } from '../../../src-shared/model/album.js';
import type { Page } from '../../../src-shared/model/page.js';
import { parseAlbum, parsePage } from '../../../src-shared/model/parse.js';
import type { StudioFixture } from '../../testing/cloudFixture.js';
import type { CloudProcess } from '../../testing/cloudProcess.js';
import { openSharedCloud, type SharedCloud } from '../../testing/sharedCloud.js';
import { openSyncCore, type SyncCore } from '../../testing/syncCore.js';
import type { CloudSession } from '../cloud/cloudSession.js';

describe('sync between two desktop cores through a real Weebum Cloud', () => {
  let shared: SharedCloud;
  let cloud: CloudProcess;
  let studio: StudioFixture;
  let root: string;
  let albumId: string;
  const byName = new Map<string, SyncCore>();

  /** An album as the server has it, its settings parsed like the desktop parses them. */
  async function serverAlbum(id: string): Promise<{ settings: Album; version: number }> {
    const album = await studio.admin.call(albumApi.get, { params: { albumId: id } });
    const settings = parseAlbum(album.settings);
    if (!settings.ok) throw new Error(settings.error.message);
    return { settings: settings.value, version: album.version };
  }

  async function openCore(name: string, loginId: string): Promise<SyncCore> {
    const core = await openSyncCore({
      dir: join(root, name),
      serverUrl: cloud.url,
      session: await studio.signIn(loginId),
    });
    shared.track(core);
    byName.set(name, core);
    return core;
  }

  const page = (core: SyncCore): Page => core.page(albumId, 'p1');
  const edit = (p: Page, id: string, change: Record<string, unknown>): Page => ({
    ...p,
    elements: p.elements.map((e) => (e.id === id ? { ...e, ...change } : e)),
  });
  const field = (p: Page, id: string, key: string): unknown =>
    (p.elements.find((e) => e.id === id) as Record<string, unknown> | undefined)?.[key];

  beforeAll(async () => {
    shared = await openSharedCloud({ prefix: 'sync', designers: ['designer-a', 'designer-b'] });
    ({ cloud, root, fixture: studio } = shared);
    albumId = await studio.createAlbum();
  }, 180_000);

  afterAll(async () => {
    await shared?.close();
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
    shared.untrack(a);
    await cloud.restart();
    a = await openCore('a', 'designer-a');
    expect(a.engine.state().pending).toBe(1);
    await a.engine.syncNow();
    expect(a.engine.state().pending).toBe(0);
    await b.engine.syncNow();
    expect(field(page(b), 'title-1', 'text')).toBe('修学旅行');
  }, 120_000);

  it('merges offline edits of different elements silently, and reports the same field changed on both', async () => {
    const [a, b] = [byName.get('a') as SyncCore, byName.get('b') as SyncCore];
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
    const reported = { albumId, pageId: 'p1', elementId: 'title-1', field: 'text', kind: 'field' };
    expect(b.conflicts).toEqual([expect.objectContaining(reported)]);
    // Kept for the designer to walk through, counted in the state until dismissed.
    expect(b.conflictLog.list(albumId)).toEqual(b.conflicts);
    expect(b.engine.state()).toMatchObject({ pending: 0, conflicts: 1 });
    b.conflictLog.dismiss(b.conflicts.map((c) => c.id));
    expect(b.engine.state().conflicts).toBe(0);
  }, 120_000);

  it('pushes an edit saved while a sync runs in a sync that follows at once, not at the next tick', async () => {
    const session = await studio.signIn('designer-a');
    const id = await studio.createAlbum('令和8年度 同期中の保存');
    let core: SyncCore | null = null;
    let follow: Promise<void> | null = null;
    const text = (p: Page) => field(p, 'title-1', 'text');
    // The second edit is saved after the running sync pushed the first one, before it ends.
    const saving: CloudSession = {
      ...session,
      call: async (spec, ...input) => {
        const answer = await session.call(spec, ...input);
        const route: RouteSpec = spec;
        if (route === pageApi.put && follow === null && core !== null) {
          const current = core.page(id, 'q1');
          core.store.pages.saveLocal(id, edit(current, 'title-1', { text: '二回目の保存' }));
          follow = core.engine.syncNow();
        }
        return answer;
      },
    };
    core = await openSyncCore({ dir: join(root, 'saving'), serverUrl: cloud.url, session: saving });
    shared.track(core);
    const album = await serverAlbum(id);
    core.store.albums.upsertRemote(core.accountId, album.settings, album.version);
    core.store.pages.saveLocal(id, samplePage({ id: 'q1', albumId: id }));
    await core.engine.syncNow(); // created on the server
    core.store.pages.saveLocal(id, edit(core.page(id, 'q1'), 'title-1', { text: '一回目の保存' }));

    await core.engine.syncNow();
    // Assigned inside the session's call() above, which the compiler does not follow.
    const followed = follow as Promise<void> | null;
    expect(followed).not.toBeNull();
    await followed;
    expect(core.store.outbox.count()).toBe(0);
    const stored = await studio.admin.call(pageApi.get, { params: { albumId: id, pageId: 'q1' } });
    const storedPage = parsePage(stored.document);
    if (!storedPage.ok) throw new Error(storedPage.error.message);
    expect(text(storedPage.value)).toBe('二回目の保存');
  });

  it('keeps an album made while the album list was on its way, with its pages', async () => {
    const session = await studio.signIn('designer-b');
    let made: string | null = null;
    let core: SyncCore | null = null;
    // What albums.create does (server first, then the local copy with blank pages), done
    // between the server answering GET /v1/albums and the engine reading that answer.
    const racing: CloudSession = {
      ...session,
      call: async (spec, ...input) => {
        const answer = await session.call(spec, ...input);
        const route: RouteSpec = spec;
        if (route === albumApi.list && made === null && core !== null) {
          made = await studio.createAlbum('令和8年度 作成直後のアルバム');
          const album = await serverAlbum(made);
          core.store.albums.upsertRemote(core.accountId, album.settings, album.version);
          core.store.pages.saveLocal(made, samplePage({ id: 'first-page', albumId: made }));
        }
        return answer;
      },
    };
    core = await openSyncCore({ dir: join(root, 'racing'), serverUrl: cloud.url, session: racing });
    shared.track(core);
    await core.engine.syncNow();
    expect(made).not.toBeNull();
    const id = made as unknown as string;
    expect(core.store.albums.get(id)).toMatchObject({ ok: true, value: { accessLost: false } });
    expect(core.page(id, 'first-page').albumId).toBe(id);
    // The next sync has it in the list and pushes its page.
    await core.engine.syncNow();
    const { pages } = await studio.admin.call(pageApi.list, { params: { albumId: id } });
    expect(pages.map((p) => p.document['id'])).toEqual(['first-page']);
  });
});
