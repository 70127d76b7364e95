import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DesktopError } from '../../../src-shared/desktop/api.js';
import type { EventPayload } from '../../../src-shared/desktop/contract.js';
import { sampleAlbum } from '../../../src-shared/model/fixtures.js';
import { createMemoryCredentialStore } from '../credentials/memoryCredentialStore.js';
import { createEventHub } from '../events/eventHub.js';
import { blankPage, frame, makePhoto, photoPath } from '../export/testing/exportFixture.js';
import { createImportWorkerPool, type ImportWorkerPool } from '../import/importWorkerPool.js';
import type { LocalStore } from '../store/localStore.js';
import { openLocalStore } from '../store/openLocalStore.js';
import { createDesktopCore, type DesktopCore } from './desktopCore.js';

const run = promisify(execFile);
const album = sampleAlbum({ pageCount: 4 });

describe('desktop API: export.pdf, export.progress and export.cancel', () => {
  let dir: string;
  let store: LocalStore;
  let core: DesktopCore;
  let workers: ImportWorkerPool;
  const progress: EventPayload<'export.progress'>[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weebum-export-api-'));
    const opened = openLocalStore({ file: join(dir, 'studio.db'), now: () => new Date() });
    if (!opened.ok) throw new Error(opened.error.message);
    store = opened.value.store;
    const account = store.accounts.upsert({
      serverUrl: 'https://cloud.example',
      userId: 'u1',
      loginId: 'designer',
      tenantId: 't1',
      role: 'designer',
      displayName: 'Designer',
    });
    store.albums.upsertRemote(account.id, album, 1);
    await makePhoto(photoPath(dir, 'a'), 1200, 900);
    const inserted = store.photos.insertImported(
      {
        albumId: album.id,
        sha256: 'a'.repeat(64),
        filePath: photoPath(dir, 'a'),
        byteSize: 1,
        width: 1200,
        height: 900,
        orientation: null,
        exifDate: null,
        thumbnailPath: null,
      },
      { enqueue: false },
    );
    if (!inserted.inserted) throw new Error('photo not inserted');
    const photoId = inserted.photo.id;
    for (let i = 0; i < 4; i += 1) {
      store.pages.saveLocal(
        album.id,
        blankPage(i, [
          frame(`f${i}`, i === 3 ? 'not-in-album' : photoId, {
            x: 20,
            y: 20,
            width: 100,
            height: 75,
          }),
        ]),
      );
    }
    const events = createEventHub(() => undefined);
    events.subscribe('export.progress', (p) => progress.push(p));
    workers = createImportWorkerPool({ size: 1 });
    core = createDesktopCore({
      store,
      credentials: createMemoryCredentialStore({
        persistent: false,
        reason: 'no_keychain',
        message: 'test',
        detail: 'test',
      }),
      events,
      workers,
      thumbnailsDir: join(dir, 'thumbnails'),
      trustedCa: () => undefined,
      thumbnailUrl: (id) => `/thumbnails/${id}`,
      now: () => new Date(),
      log: () => undefined,
      fontsDir: join(import.meta.dirname, '../../../assets/fonts'),
    });
  });

  afterAll(async () => {
    await core.close();
    await workers.close();
    store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const until = async (exportId: string) => {
    for (let i = 0; i < 600; i += 1) {
      const last = progress.filter((p) => p.exportId === exportId).at(-1);
      if (last && last.state !== 'running') return last;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('export did not end');
  };

  it('exports the album in the background, reporting progress, placeholders and the end', async () => {
    const destinationPath = join(dir, 'album.pdf');
    const { exportId } = await core.handlers['export.pdf']({
      albumId: album.id,
      spreads: false,
      cropMarks: true,
      destinationPath,
    });
    const end = await until(exportId);
    expect(end).toMatchObject({ state: 'done', done: 4, total: 4, placeholders: 1, error: null });
    const running = progress.filter((p) => p.exportId === exportId && p.state === 'running');
    expect(running.map((p) => p.done)).toEqual([1, 2, 3, 4]);
    await run('qpdf', ['--check', destinationPath]);
    const { stdout } = await run('pdfinfo', [destinationPath]);
    expect(stdout).toMatch(/Pages:\s+4/);
  });

  it('exports a page range as spreads', async () => {
    const destinationPath = join(dir, 'range.pdf');
    const { exportId } = await core.handlers['export.pdf']({
      albumId: album.id,
      pageRange: { from: 2, to: 3 },
      spreads: true,
      cropMarks: false,
      destinationPath,
    });
    expect(await until(exportId)).toMatchObject({ state: 'done', total: 1 });
    const { stdout } = await run('pdfinfo', [destinationPath]);
    expect(stdout).toMatch(/Pages:\s+1/);
  });

  it('cancels: the event says cancelled and no file appears', async () => {
    const destinationPath = join(dir, 'cancelled.pdf');
    const { exportId } = await core.handlers['export.pdf']({
      albumId: album.id,
      spreads: false,
      cropMarks: false,
      destinationPath,
    });
    await core.handlers['export.cancel']({ exportId });
    expect(await until(exportId)).toMatchObject({ state: 'cancelled', error: null });
    expect(await stat(destinationPath).catch(() => null)).toBeNull();
    expect((await readdir(dir)).filter((f) => f.includes('cancelled'))).toEqual([]);
    const gone = await core.handlers['export.cancel']({ exportId }).catch((e: unknown) => e);
    expect((gone as DesktopError).code).toBe('export_not_found');
  });

  it('refuses a missing album, a bad range and a bad destination with stable codes', async () => {
    const codeOf = (args: Parameters<DesktopCore['handlers']['export.pdf']>[0]) =>
      core.handlers['export.pdf'](args).then(
        () => 'ok',
        (e: unknown) => (e as DesktopError).code,
      );
    const args = {
      albumId: album.id,
      spreads: false,
      cropMarks: false,
      destinationPath: join(dir, 'x.pdf'),
    };
    expect(await codeOf({ ...args, albumId: '00000000-0000-4000-8000-000000000000' })).toBe(
      'album_not_found',
    );
    expect(await codeOf({ ...args, pageRange: { from: 3, to: 9 } })).toBe('page_range_invalid');
    expect(await codeOf({ ...args, destinationPath: 'relative.pdf' })).toBe(
      'export_destination_invalid',
    );
    expect(await codeOf({ ...args, destinationPath: join(dir, 'album.txt') })).toBe(
      'export_destination_invalid',
    );
    expect(await codeOf({ ...args, destinationPath: join(dir, 'no-such-folder', 'a.pdf') })).toBe(
      'export_destination_invalid',
    );
    await mkdir(join(dir, 'folder.pdf'));
    expect(await codeOf({ ...args, destinationPath: join(dir, 'folder.pdf') })).toBe(
      'export_destination_invalid',
    );
  });
});
