import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../../src-shared/desktop/contract.js';
import { DEFAULT_PLACEMENT, type Page } from '../../../src-shared/model/page.js';
import { preflightAlbum } from '../../../src-shared/preflight/preflight.js';
import type { StudioFixture } from '../../testing/cloudFixture.js';
import type { CloudProcess } from '../../testing/cloudProcess.js';
import { openSharedCloud, testCredentials, type SharedCloud } from '../../testing/sharedCloud.js';
import { openStudioCore, type StudioCore } from './openStudioCore.js';

const run = promisify(execFile);

/**
 * Two Weebum Studios (separate data directories) against one real Weebum Cloud: what one
 * designer imports and places, the other computer's library lists, its editor can draw (the
 * thumbnail comes from the cloud), its preflight measures and its PDF prints (decision 17).
 */
describe('photos uploaded by another Weebum Studio', () => {
  let shared: SharedCloud;
  let cloud: CloudProcess;
  let root: string;
  let fixture: StudioFixture;
  const seen = new Map<StudioCore, { event: EventName; payload: unknown }[]>();

  async function openStudio(name: string): Promise<StudioCore> {
    const studio = await openStudioCore({
      dataDir: join(root, name),
      trustedCaFile: shared.caFile,
      credentials: testCredentials(),
      thumbnailUrl: (photoId) => `/thumbnails/${photoId}`,
      fontsDir: join(import.meta.dirname, '../../../assets/fonts'),
      log: () => undefined,
    });
    const events: { event: EventName; payload: unknown }[] = [];
    for (const event of ['photos.changed', 'export.progress'] as const) {
      studio.events.subscribe(event, (payload) => events.push({ event, payload }));
    }
    seen.set(studio, events);
    shared.track(studio);
    return studio;
  }

  async function signIn(studio: StudioCore, loginId: string): Promise<void> {
    await studio.core.handlers['session.signIn']({
      serverUrl: cloud.url,
      loginId,
      password: fixture.users.get(loginId)!.password,
    });
    await studio.core.handlers['sync.now']({});
  }

  beforeAll(async () => {
    shared = await openSharedCloud({
      prefix: 'remote-photos',
      designers: ['first-designer', 'second-designer'],
    });
    ({ cloud, root, fixture } = shared);
    await mkdir(join(root, 'photos'));
  }, 240_000); // a cloud process and accounts: slow on a loaded 2-core machine
  afterAll(async () => {
    await shared?.close();
  });

  it('lists, draws, preflights and prints them on the second computer; retention removes them there too', async () => {
    const albumId = await fixture.createAlbum('二台目のスタジオ');
    const a = await openStudio('studio-a');
    const b = await openStudio('studio-b');
    await signIn(a, 'first-designer');
    await signIn(b, 'second-designer');

    // Studio A imports a photo, waits until the cloud has it, and places it twice.
    const file = join(root, 'photos', 'sports-day.jpg');
    await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#c0392b' } })
      .withExif({ IFD2: { DateTimeOriginal: '2026:10:10 09:30:00' } })
      .jpeg()
      .toFile(file);
    const sha256 = createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
    await a.core.handlers['photos.import']({ albumId, paths: [file] });
    await expect
      .poll(async () => (await a.core.handlers['photos.list']({ albumId })).map((p) => p.state), {
        timeout: 60_000,
        interval: 250,
      })
      .toEqual(['ready']);
    const [imported] = await a.core.handlers['photos.list']({ albumId });
    // The name a page uses for the photo is its content: the same on every computer.
    expect(imported!.id).toBe(sha256);
    const blank = await a.core.handlers['pages.add']({ albumId, afterPageId: null });
    const page: Page = {
      ...blank,
      background: { kind: 'photo', photoId: imported!.id, placement: DEFAULT_PLACEMENT },
      elements: [
        {
          id: 'frame-sports',
          kind: 'image',
          x: 20,
          y: 20,
          width: 120,
          height: 80,
          rotation: 0,
          locked: false,
          photoId: imported!.id,
          placement: DEFAULT_PLACEMENT,
        },
      ],
    };
    await a.core.handlers['pages.save']({ albumId, page });
    await a.core.handlers['sync.now']({});

    // Studio B syncs: the page and the photo, with its pixel size, date and thumbnail.
    await b.core.handlers['sync.now']({});
    const pages = await b.core.handlers['pages.list']({ albumId });
    const frame = pages.find((p) => p.id === page.id)?.elements[0];
    expect(frame).toMatchObject({ kind: 'image', photoId: sha256 });
    const listed = await b.core.handlers['photos.list']({ albumId });
    expect(listed).toEqual([
      expect.objectContaining({
        id: sha256,
        fileName: 'sports-day.jpg',
        width: 1200,
        height: 800,
        takenAtLocal: '2026-10-10T09:30:00',
        state: 'ready',
        placements: 2,
      }),
    ]);
    expect(seen.get(b)!.some((e) => e.event === 'photos.changed')).toBe(true);
    const thumbnailUrl = listed[0]!.thumbnailUrl!;
    const rowId = /^\/thumbnails\/(.+)$/.exec(thumbnailUrl)![1]!;
    const thumbnail = await b.core.thumbnailFile(rowId);
    expect(thumbnail).toBe(join(b.thumbnailsDir, `${sha256}.jpg`));
    expect(await sharp(thumbnail!).metadata()).toMatchObject({ width: 320, format: 'jpeg' });
    expect(await b.core.handlers['photos.list']({ albumId, placed: 'used' })).toHaveLength(1);
    // Preflight (the renderer's, over the same two calls) knows the photo and its pixels.
    const album = await b.core.handlers['albums.open']({ albumId });
    const byId = new Map(listed.map((p) => [p.id, p]));
    const issues = preflightAlbum(album, pages, (id) => byId.get(id) ?? null);
    expect(issues.filter((i) => i.code === 'photo_missing')).toEqual([]);
    // 1200 px over 120 mm: 254 PPI (floored from a float), below the 300 PPI printers ask for.
    const resolution = issues.find((i) => i.elementId === 'frame-sports');
    expect(resolution?.code).toBe('resolution_low');
    expect(resolution?.values.ppi).toBeGreaterThanOrEqual(253);
    expect(resolution?.values.ppi).toBeLessThanOrEqual(254);

    // Its PDF prints the photo, fetched from the cloud (verified, cached), not a placeholder.
    const destinationPath = join(root, 'second-computer.pdf');
    const { exportId } = await b.core.handlers['export.pdf']({
      albumId,
      spreads: false,
      cropMarks: false,
      destinationPath,
    });
    await expect
      .poll(
        () =>
          seen
            .get(b)!
            .filter((e) => e.event === 'export.progress')
            .map((e) => e.payload as EventPayload<'export.progress'>)
            .find((p) => p.exportId === exportId && p.state !== 'running'),
        { timeout: 60_000, interval: 250 },
      )
      .toMatchObject({ state: 'done', placeholders: 0 });
    const images = await run('pdfimages', ['-list', destinationPath]);
    const rows = images.stdout.trim().split('\n').slice(2);
    expect(rows.length).toBeGreaterThanOrEqual(2); // the background and the frame
    expect(rows.every((r) => /\s1200\s+800\s/.test(r))).toBe(true);
    const originals = join(root, 'studio-b', 'originals');
    expect(await readdir(originals)).toEqual([sha256]);
    expect((await readFile(join(originals, sha256))).equals(await readFile(file))).toBe(true);

    // Dev data from before store step 3: the feed went past the photo without recording it.
    // Step 3 lists the album for a backfill, which reads the album's photos once.
    const raw = new Database(join(root, 'studio-b', 'studio.db'));
    raw.prepare(`DELETE FROM photos WHERE origin = 'remote'`).run();
    raw
      .prepare(`INSERT INTO settings (key, value) VALUES ('sync.photoBackfill', json_array(?))`)
      .run(albumId);
    raw.close();
    expect(await b.core.handlers['photos.list']({ albumId })).toEqual([]);
    await b.core.handlers['sync.now']({});
    expect((await b.core.handlers['photos.list']({ albumId })).map((p) => p.id)).toEqual([sha256]);

    // The second designer imports the same picture from their own card: the photo becomes
    // theirs (printed from their file from now on), nothing is uploaded again.
    const copy = join(root, 'photos', 'card', 'IMG_0001.JPG');
    await mkdir(join(root, 'photos', 'card'));
    await writeFile(copy, await readFile(file));
    await b.core.handlers['photos.import']({ albumId, paths: [copy] });
    await expect
      .poll(async () => (await b.core.handlers['photos.list']({ albumId }))[0]?.fileName, {
        timeout: 30_000,
        interval: 250,
      })
      .toBe('IMG_0001.JPG');
    expect(await b.core.handlers['photos.list']({ albumId })).toEqual([
      expect.objectContaining({ id: sha256, state: 'ready', placements: 2 }),
    ]);
    expect(await b.core.handlers['uploads.status']({})).toEqual([]);

    // Retention (P11) on the server: after the next sync B has neither the row nor its files.
    await cloud.stop();
    const later = new Date(Date.now() + 17 * 31 * 24 * 3_600_000).toISOString();
    const job = await cloud.runCommand(['jobs', 'run', 'photos.expire', '--now', later]);
    expect(job.stdout.trim()).toBe('photos.expire: 1 processed.');
    await cloud.restart();
    await b.core.handlers['sync.now']({});
    expect(await b.core.handlers['photos.list']({ albumId })).toEqual([]);
    expect(await readdir(b.thumbnailsDir)).toEqual([]);
    expect(await readdir(originals)).toEqual([]);
  }, 180_000);
});
