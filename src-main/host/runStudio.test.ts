import { createHash, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import yauzl from 'yauzl';
import { albumApi } from '../../src-shared/cloud/albums.js';
import { photoApi } from '../../src-shared/cloud/photos.js';
import type { ServerMessage } from '../../src-shared/desktop/wire.js';
import { samplePage } from '../../src-shared/model/fixtures.js';
import {
  disposeCloudProcess,
  startCloudProcess,
  type CloudProcess,
} from '../testing/cloudProcess.js';
import sharp from 'sharp';
import type { StudioFixture } from '../testing/cloudFixture.js';
import { openSharedCloud, testCredentials, type SharedCloud } from '../testing/sharedCloud.js';
import { runStudio } from './runStudio.js';

/** Every entry of a zip file, read and CRC-checked by yauzl. */
function unzip(path: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, file) => {
      if (error) return reject(error);
      const entries = new Map<string, Buffer>();
      file.on('error', reject);
      file.on('end', () => resolve(entries));
      file.on('entry', (entry: yauzl.Entry) => {
        file.openReadStream(entry, (openError, stream) => {
          if (openError) return reject(openError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            file.readEntry();
          });
        });
      });
      file.readEntry();
    });
  });
}

/** Speaks the host's wire protocol, as the renderer does. */
async function connect(url: string) {
  const target = new URL(url);
  const ws = new WebSocket(`ws://${target.host}/api?token=${target.searchParams.get('token')}`, {
    origin: target.origin,
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let id = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  const events: { event: string; payload: unknown }[] = [];
  ws.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as ServerMessage;
    if (message.type === 'result') waiting.get(message.id)?.(message.result);
    else events.push({ event: message.event, payload: message.payload });
  });
  return {
    events,
    subscribe: (event: string) => ws.send(JSON.stringify({ type: 'subscribe', event })),
    call: (method: string, args: unknown = {}) =>
      new Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>((resolve) => {
        const callId = ++id;
        waiting.set(callId, resolve as (r: unknown) => void);
        ws.send(JSON.stringify({ type: 'call', id: callId, method, args }));
      }),
    close: () => ws.close(),
  };
}

describe('Weebum Studio behind the browser host, against a real Weebum Cloud', () => {
  let cloud: CloudProcess;
  let root: string;
  let studio: Awaited<ReturnType<typeof runStudio>>;
  // Stands in for the keychain (tested on its own in credentials/): it outlives a restart.
  const credentials = testCredentials();
  const start = () =>
    runStudio({
      dataDir: join(root, 'data'),
      rendererDir: join(root, 'renderer'),
      trustedCaFile: join(root, 'ca.pem'),
      credentials,
      log: () => undefined,
    });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'weebum-studio-'));
    cloud = await startCloudProcess();
    await mkdir(join(root, 'renderer'), { recursive: true });
    await writeFile(
      join(root, 'renderer', 'index.html'),
      '<!doctype html><title>Weebum Studio</title>',
    );
    await writeFile(join(root, 'ca.pem'), cloud.ca);
    studio = await start();
  }, 120_000);
  afterAll(async () => {
    await studio?.close();
    await disposeCloudProcess(cloud);
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('has no file dialogs: choosing files needs the desktop app', async () => {
    const api = await connect(studio.url);
    try {
      expect(await api.call('dialogs.chooseImport', { kind: 'files' })).toMatchObject({
        ok: false,
        error: { code: 'dialogs_unavailable' },
      });
      expect(await api.call('dialogs.chooseExportFile', { suggestedName: 'a.pdf' })).toMatchObject({
        ok: false,
        error: { code: 'dialogs_unavailable' },
      });
    } finally {
      api.close();
    }
  });

  it('signs in, forces the password change, and then works as the signed-in user', async () => {
    const api = await connect(studio.url);
    try {
      const wrong = await api.call('session.signIn', {
        serverUrl: cloud.url,
        loginId: cloud.operator.loginId,
        password: 'not-the-password',
      });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid_credentials' } });
      const first = await api.call('session.signIn', {
        serverUrl: cloud.url,
        loginId: cloud.operator.loginId,
        password: cloud.operator.temporaryPassword,
      });
      expect(first).toMatchObject({
        ok: true,
        value: {
          passwordChangeRequired: true,
          role: 'operator',
          remembered: false,
          notRememberedReason: 'test',
        },
      });
      expect(JSON.stringify(first)).not.toMatch(/wat_|wrt_/); // no token reaches the renderer
      const blocked = await api.call('admin.audit.list', { tz: 'Asia/Tokyo' });
      expect(blocked).toMatchObject({ ok: false, error: { code: 'password_change_required' } });
      const changed = await api.call('session.changePassword', {
        currentPassword: cloud.operator.temporaryPassword,
        newPassword: 'studio-host-operator-2026',
      });
      expect(changed).toMatchObject({ ok: true, value: { passwordChangeRequired: false } });
      const audit = await api.call('admin.audit.list', { tz: 'Asia/Tokyo', limit: 5 });
      expect(audit.ok).toBe(true);
      expect((audit.value as { events: { occurredAt: string }[] }).events[0]?.occurredAt).toMatch(
        /\+09:00$/,
      );
      expect(await api.call('sync.status')).toMatchObject({
        ok: true,
        value: { connection: 'online' },
      });
      const unknownAlbum = { albumId: '0b7e3c1a-2d4f-4e6a-8b9c-1d2e3f4a5b6c' };
      for (const [method, args] of [
        [
          'pages.save',
          { ...unknownAlbum, page: { ...samplePage(), albumId: unknownAlbum.albumId } },
        ],
        ['photos.import', { ...unknownAlbum, paths: ['/nowhere'] }],
        ['albums.open', unknownAlbum],
      ] as const) {
        expect(await api.call(method, args)).toMatchObject({
          ok: false,
          error: { code: 'album_not_found' },
        });
      }
      expect(await api.call('pages.list', { albumId: 'not-a-uuid' })).toMatchObject({
        ok: false,
        error: { code: 'invalid_arguments' },
      });
    } finally {
      api.close();
    }
  });

  it('resumes the session after a restart from the stored refresh token', async () => {
    await studio.close();
    studio = await start();
    const api = await connect(studio.url);
    try {
      expect(await api.call('session.current')).toMatchObject({
        ok: true,
        value: { loginId: cloud.operator.loginId, passwordChangeRequired: false },
      });
      expect(await api.call('admin.users.list')).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(await api.call('session.signOut')).toEqual({ ok: true, value: null });
      expect(await api.call('session.current')).toEqual({ ok: true, value: null });
    } finally {
      api.close();
    }
  });
});

describe('importing and uploading through the desktop API', () => {
  let shared: SharedCloud;
  let cloud: CloudProcess;
  let root: string;
  let studio: Awaited<ReturnType<typeof runStudio>>;
  // One studio per cloud (its accounts have fixed login ids), shared by the tests below.
  let fixture: StudioFixture;

  beforeAll(async () => {
    shared = await openSharedCloud({
      prefix: 'studio-upload',
      designers: ['host-designer', 'first-user', 'second-user'],
    });
    ({ cloud, root, fixture } = shared);
    await mkdir(join(root, 'renderer'), { recursive: true });
    await writeFile(join(root, 'renderer', 'index.html'), '<!doctype html>');
    studio = shared.track(
      await runStudio({
        dataDir: join(root, 'data'),
        rendererDir: join(root, 'renderer'),
        trustedCaFile: shared.caFile,
        credentials: testCredentials(),
        log: () => undefined,
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await shared?.close();
  });

  it('a second user signing in on the same Weebum Studio syncs as themselves', async () => {
    // Each album keeps one of the two designers as a member.
    const albumOf = async (title: string, without: string) => {
      const albumId = await fixture.createAlbum(title);
      const userId = fixture.users.get(without)?.id ?? '';
      await fixture.admin.call(albumApi.removeMember, { params: { albumId, userId } });
      return albumId;
    };
    const firstAlbum = await albumOf('一人目のアルバム', 'second-user');
    const secondAlbum = await albumOf('二人目のアルバム', 'first-user');
    const api = await connect(studio.url);
    const signInAs = async (loginId: string) => {
      const signedIn = await api.call('session.signIn', {
        serverUrl: cloud.url,
        loginId,
        password: fixture.users.get(loginId)?.password,
      });
      expect(signedIn).toMatchObject({ ok: true, value: { loginId } });
      expect(await api.call('sync.now')).toMatchObject({ ok: true });
      const albums = await api.call('albums.list');
      return (albums.value as { id: string }[]).map((a) => a.id);
    };
    try {
      const first = await signInAs('first-user');
      expect(first).toContain(firstAlbum);
      expect(first).not.toContain(secondAlbum);
      // No sign-out in between: the first user's sync must not carry on with the new tokens.
      const second = await signInAs('second-user');
      expect(second).toContain(secondAlbum);
      expect(second).not.toContain(firstAlbum);
      const again = await signInAs('first-user');
      expect(again).toContain(firstAlbum);
      expect(again).not.toContain(secondAlbum);
    } finally {
      api.close();
    }
  });

  it('a failed sign-in of another user leaves the signed-in user syncing', async () => {
    const api = await connect(studio.url);
    try {
      const signedIn = await api.call('session.signIn', {
        serverUrl: cloud.url,
        loginId: 'first-user',
        password: fixture.users.get('first-user')?.password,
      });
      expect(signedIn).toMatchObject({ ok: true, value: { loginId: 'first-user' } });
      const wrong = await api.call('session.signIn', {
        serverUrl: cloud.url,
        loginId: 'second-user',
        password: 'not-the-password-2026',
      });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid_credentials' } });
      expect(await api.call('session.current')).toMatchObject({
        ok: true,
        value: { loginId: 'first-user' },
      });
      // Their sync was stopped for the attempt and runs again.
      expect(await api.call('sync.now')).toMatchObject({ ok: true });
    } finally {
      api.close();
    }
  });

  it('imports photos as a designer and uploads them until the server has them ready', async () => {
    const studioSetup = fixture;
    const albumId = await studioSetup.createAlbum('写真アップロードのアルバム');
    const photos = join(root, 'photos');
    await mkdir(photos, { recursive: true });
    for (let i = 0; i < 3; i++) {
      await sharp({
        create: { width: 640, height: 480, channels: 3, background: { r: 40 * i, g: 90, b: 160 } },
      })
        .jpeg()
        .toFile(join(photos, `snap-${i}.jpg`));
    }
    await writeFile(join(photos, 'notes.jpg'), 'not a photo');
    const api = await connect(studio.url);
    try {
      const user = studioSetup.users.get('host-designer');
      const signedIn = await api.call('session.signIn', {
        serverUrl: cloud.url,
        loginId: 'host-designer',
        password: user?.password,
      });
      expect(signedIn).toMatchObject({ ok: true, value: { role: 'designer' } });
      await api.call('sync.now');
      const albums = await api.call('albums.list');
      expect((albums.value as { id: string }[]).map((a) => a.id)).toContain(albumId);
      api.subscribe('import.progress');
      expect(await api.call('photos.import', { albumId, paths: [photos] })).toMatchObject({
        ok: true,
      });
      await expect
        .poll(
          async () => {
            const listed = await api.call('photos.list', { albumId });
            return (listed.value as { state: string }[]).map((p) => p.state).sort();
          },
          { timeout: 60_000, interval: 500 },
        )
        .toEqual(['ready', 'ready', 'ready']);
      const last = api.events.filter((e) => e.event === 'import.progress').at(-1)?.payload;
      expect(last).toMatchObject({ total: 4, done: 3, failed: 1 });
      // The server has exactly these three, each once.
      const designer = await studioSetup.signIn('host-designer');
      const server = await designer.call(photoApi.list, { params: { albumId } });
      expect(server.photos).toHaveLength(3);

      // "Export album archive": the cloud's zip, saved whole under the chosen name.
      const exports = join(root, 'exports');
      await mkdir(exports, { recursive: true });
      const destinationPath = join(exports, '卒業アルバム.zip');
      const exported = await api.call('albums.exportArchive', { albumId, destinationPath });
      expect(exported).toMatchObject({ ok: true, value: { path: destinationPath } });
      const entries = await unzip(destinationPath);
      const manifest = JSON.parse((entries.get('manifest.json') as Buffer).toString('utf8')) as {
        album: { id: string };
        photos: { sha256: string; originalPath: string }[];
      };
      expect(manifest.album.id).toBe(albumId);
      expect(manifest.photos).toHaveLength(3);
      for (const photo of manifest.photos) {
        const original = entries.get(photo.originalPath) as Buffer;
        expect(createHash('sha256').update(original).digest('hex')).toBe(photo.sha256);
      }
      // A refused export leaves nothing behind, under the chosen name or a temporary one.
      const refused = await api.call('albums.exportArchive', {
        albumId: randomUUID(),
        destinationPath: join(exports, 'other.zip'),
      });
      expect(refused).toMatchObject({ ok: false, error: { code: 'not_found' } });
      const relative = await api.call('albums.exportArchive', {
        albumId,
        destinationPath: 'album.zip',
      });
      expect(relative).toMatchObject({ ok: false, error: { code: 'invalid_path' } });
      expect(await readdir(exports)).toEqual(['卒業アルバム.zip']);

      // Retention (P11): 16 months after upload the server deletes the photos; after the next
      // sync the desktop app has dropped its rows and cached thumbnails too (the files the
      // user imported from are theirs and stay).
      const thumbnails = join(root, 'data', 'thumbnails');
      expect(await readdir(thumbnails)).toHaveLength(3);
      await cloud.stop();
      const later = new Date(Date.now() + 17 * 31 * 24 * 3_600_000).toISOString();
      const job = await cloud.runCommand(['jobs', 'run', 'photos.expire', '--now', later]);
      expect(job.stdout.trim()).toBe('photos.expire: 3 processed.');
      await cloud.restart();
      expect(await api.call('sync.now')).toMatchObject({ ok: true });
      expect(await api.call('photos.list', { albumId })).toEqual({ ok: true, value: [] });
      expect(await readdir(thumbnails)).toEqual([]);
      expect((await readdir(photos)).sort()).toEqual([
        'notes.jpg',
        'snap-0.jpg',
        'snap-1.jpg',
        'snap-2.jpg',
      ]);
    } finally {
      api.close();
    }
  }, 120_000);
});
