import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportProgressSchema, type ImportProgress } from '../../../src-shared/desktop/contract.js';
import { importPhotos } from './importPhotos.js';
import { createImportWorkerPool, type ImportWorkerPool } from './importWorkerPool.js';
import { TEMPORARY_PREFIX } from './processFile.js';
import { openSqliteImportSink, type SqliteImportSink } from './testing/sqliteImportSink.js';

const ALBUM = '0b6f1e4e-7a43-4d55-9a57-111111111111';
const OTHER_ALBUM = '0b6f1e4e-7a43-4d55-9a57-222222222222';

/** A photo-like image (noise compresses like a photo), optionally with camera EXIF. */
function photo(width: number, height: number, seed: number) {
  return sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: (seed * 40) % 255, g: 120, b: 80 },
      noise: { type: 'gaussian', mean: 128, sigma: 30 },
    },
  });
}

/** 1200 x 800 held sideways (orientation 6) with a capture date. */
const sidewaysJpeg = () =>
  photo(1200, 800, 1)
    .withExif({ IFD2: { DateTimeOriginal: '2026:07:15 09:30:00' } })
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 85 })
    .toBuffer();

/** A one-pixel PNG whose header is rewritten to claim 20,000 x 20,000 pixels (400 MP). */
function pngBomb(): Buffer {
  const out = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );
  out.writeUInt32BE(20_000, 16);
  out.writeUInt32BE(20_000, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** As root, permission bits do not stop reads: a chmod 000 file is then no test of anything. */
const permissionsBlockReads = process.getuid?.() !== 0;

let root: string;
let pool: ImportWorkerPool;
const sinks: SqliteImportSink[] = [];
const newSink = () => {
  const sink = openSqliteImportSink(join(root, `store-${sinks.length}.sqlite`));
  sinks.push(sink);
  return sink;
};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'weebum-import-'));
  pool = createImportWorkerPool({ size: 2 });
  await pool.ready();
});

afterAll(async () => {
  await pool.close();
  sinks.forEach((sink) => sink.close());
  chmodSync(root, 0o755);
  rmSync(root, { recursive: true, force: true });
});

describe('importing a folder with good, duplicate and bad files', () => {
  let photos: string;
  let sideways: Buffer;
  const expectedFailures: Record<string, string> = {};

  beforeAll(async () => {
    photos = join(root, 'photos');
    mkdirSync(join(photos, 'day 2', 'deeper'), { recursive: true });
    mkdirSync(join(photos, '.hidden-folder'));
    sideways = await sidewaysJpeg();
    await writeFile(join(photos, 'IMG_0001.JPG'), sideways);
    await writeFile(join(photos, 'day 2', 'copy of IMG_0001.jpg'), sideways);
    await writeFile(join(photos, 'day 2', 'class.png'), await photo(640, 480, 2).png().toBuffer());
    // No extension at all: images are recognised by content.
    await writeFile(
      join(photos, 'day 2', 'deeper', 'scan'),
      await photo(900, 600, 3).jpeg().toBuffer(),
    );
    await writeFile(
      join(photos, '.hidden-folder', 'x.jpg'),
      await photo(10, 10, 4).jpeg().toBuffer(),
    );
    await writeFile(join(photos, '.DS_Store'), 'Bud1');
    await writeFile(join(photos, 'Thumbs.db'), 'junk');
    execFileSync('mkfifo', [join(photos, 'a-fifo')]); // not a regular file: left out silently

    const bad = async (name: string, data: Buffer | string, reason: string) => {
      await writeFile(join(photos, name), data);
      expectedFailures[join(photos, name)] = reason;
    };
    await bad('notes.jpg', 'これは写真ではありません\n'.repeat(20), 'not_an_image');
    const whole = await photo(1600, 1200, 5).jpeg({ quality: 90 }).toBuffer();
    await bad('truncated.jpg', whole.subarray(0, Math.floor(whole.length * 0.6)), 'corrupt_image');
    await bad('empty.jpg', Buffer.alloc(0), 'empty_file');
    await bad('bomb.png', pngBomb(), 'too_many_pixels');
    await bad('animation.gif', await photo(20, 20, 6).gif().toBuffer(), 'unsupported_format');
    if (permissionsBlockReads) {
      await bad('locked.jpg', await photo(50, 50, 7).jpeg().toBuffer(), 'unreadable');
      chmodSync(join(photos, 'locked.jpg'), 0o000);
    }
    // A name written in Shift_JIS (山田.jpg) on Linux: not UTF-8, said so rather than unreadable.
    const sjisName = Buffer.from([0x8e, 0x52, 0x93, 0x63, 0x2e, 0x6a, 0x70, 0x67]);
    await writeFile(
      Buffer.concat([Buffer.from(`${photos}/`), sjisName]),
      await photo(40, 40, 8).jpeg().toBuffer(),
    );
    expectedFailures[join(photos, '\ufffdR\ufffdc.jpg')] = 'file_name_not_utf8';
    // A directory entry whose file is gone (a link into an unplugged card): unreadable.
    symlinkSync(join(root, 'gone.jpg'), join(photos, 'gone.jpg'));
    expectedFailures[join(photos, 'gone.jpg')] = 'unreadable';
  });

  it('records the good files, skips the duplicate and fails each bad file with its reason', async () => {
    const sink = newSink();
    const thumbnailsDir = join(root, 'thumbnails');
    const fifo = join(root, 'chosen-fifo');
    execFileSync('mkfifo', [fifo]);
    expectedFailures[fifo] = 'unreadable'; // chosen explicitly, so reported rather than skipped
    const events: ImportProgress[] = [];

    const summary = await importPhotos({
      albumId: ALBUM,
      paths: [photos, fifo],
      sink,
      thumbnailsDir,
      workers: pool,
      progressIntervalMs: 0,
      onProgress: (event) => events.push(ImportProgressSchema.parse(event)),
    });

    const goodCount = 3;
    const failureCount = Object.keys(expectedFailures).length;
    expect(summary.cancelled).toBe(false);
    expect(summary.total).toBe(goodCount + 1 + failureCount);
    expect(summary.skippedDuplicates).toBe(1);
    expect(Object.fromEntries(summary.failures.map((f) => [f.path, f.reason]))).toEqual(
      expectedFailures,
    );
    expect(sink.failures(ALBUM)).toHaveLength(failureCount);

    const recorded = sink.photos(ALBUM);
    expect(recorded.map((p) => p.sha256).sort()).toEqual(
      summary.imported.map((p) => p.sha256).sort(),
    );
    expect(recorded.map((p) => p.fileName).sort()).toEqual(
      ['IMG_0001.JPG', 'class.png', 'scan'].sort(),
    );
    const byName = new Map(recorded.map((p) => [p.fileName, p]));
    expect(byName.get('IMG_0001.JPG')).toMatchObject({
      format: 'jpeg',
      width: 800,
      height: 1200,
      orientation: 6,
      takenAtLocal: '2026-07-15T09:30:00',
      byteSize: sideways.length,
      filePath: join(photos, 'IMG_0001.JPG'),
    });
    expect(byName.get('class.png')).toMatchObject({ format: 'png', width: 640, height: 480 });
    expect(byName.get('scan')).toMatchObject({
      format: 'jpeg',
      orientation: null,
      takenAtLocal: null,
    });

    // Orientation applied in the thumbnail; 320 px long edge; named by hash; no EXIF kept.
    const thumb = byName.get('IMG_0001.JPG')!.thumbnailPath;
    expect(basename(thumb)).toBe(`${byName.get('IMG_0001.JPG')!.sha256}.jpg`);
    const meta = await sharp(thumb).metadata();
    expect([meta.format, meta.width, meta.height, meta.exif]).toEqual([
      'jpeg',
      213,
      320,
      undefined,
    ]);
    // Nothing copied, nothing half-written: one thumbnail per recorded photo and no more.
    expect(readdirSync(thumbnailsDir).sort()).toEqual(
      recorded.map((p) => `${p.sha256}.jpg`).sort(),
    );

    // Progress: counts only grow, and the last event adds up to the total.
    expect(events.length).toBeGreaterThan(2);
    for (let i = 1; i < events.length; i++) {
      const [before, after] = [events[i - 1]!, events[i]!];
      expect(after.total).toBe(before.total);
      expect(after.done).toBeGreaterThanOrEqual(before.done);
      expect(after.failed).toBeGreaterThanOrEqual(before.failed);
      expect(after.skippedDuplicates).toBeGreaterThanOrEqual(before.skippedDuplicates);
      expect(after.bytesDone).toBeGreaterThanOrEqual(before.bytesDone);
    }
    const last = events[events.length - 1]!;
    expect(last).toMatchObject({
      batchId: summary.batchId,
      albumId: ALBUM,
      total: summary.total,
      done: goodCount,
      skippedDuplicates: 1,
      failed: failureCount,
      etaSeconds: 0,
    });
    expect(last.done + last.skippedDuplicates + last.failed).toBe(last.total);
    expect(last.failures).toHaveLength(failureCount);

    // Importing the same folder again finds everything already in the album.
    const again = await importPhotos({
      albumId: ALBUM,
      paths: [join(photos, 'day 2'), join(photos, 'IMG_0001.JPG')],
      sink,
      thumbnailsDir,
      workers: pool,
    });
    expect([again.imported.length, again.skippedDuplicates]).toEqual([0, 4]);
    expect(sink.photos(ALBUM)).toHaveLength(goodCount);

    // Another album has its own photos: the same file is imported there, sharing the thumbnail.
    const other = await importPhotos({
      albumId: OTHER_ALBUM,
      paths: [join(photos, 'IMG_0001.JPG')],
      sink,
      thumbnailsDir,
      workers: pool,
    });
    expect(other.imported.map((p) => p.thumbnailPath)).toEqual([thumb]);
  });
});

describe('a worker that dies or throws', () => {
  it('fails that one file; the batch and the pool go on', async () => {
    const dir = join(root, 'faulty');
    mkdirSync(dir);
    for (let i = 0; i < 4; i++) {
      await writeFile(
        join(dir, `good-${i}.jpg`),
        await photo(300, 200, 10 + i)
          .jpeg()
          .toBuffer(),
      );
    }
    await writeFile(join(dir, 'crash-me.jpg'), await photo(300, 200, 20).jpeg().toBuffer());
    await writeFile(join(dir, 'throw-me.jpg'), await photo(300, 200, 21).jpeg().toBuffer());
    const faulty = createImportWorkerPool({
      size: 2,
      entry: new URL('./testing/faultyImportWorker.ts', import.meta.url),
    });
    try {
      const sink = newSink();
      const summary = await importPhotos({
        albumId: ALBUM,
        paths: [dir],
        sink,
        thumbnailsDir: join(root, 'thumbnails-faulty'),
        workers: faulty,
      });
      expect(summary.failures.map((f) => [basename(f.path), f.reason]).sort()).toEqual([
        ['crash-me.jpg', 'internal_error'],
        ['throw-me.jpg', 'internal_error'],
      ]);
      expect(
        sink
          .photos(ALBUM)
          .map((p) => p.fileName)
          .sort(),
      ).toEqual(['good-0.jpg', 'good-1.jpg', 'good-2.jpg', 'good-3.jpg']);
    } finally {
      await faulty.close();
    }
  });
});

describe('cancelling', () => {
  it('stops taking files; what was recorded stays recorded and nothing is half-written', async () => {
    const dir = join(root, 'many');
    mkdirSync(dir);
    for (let i = 0; i < 12; i++) {
      await writeFile(
        join(dir, `p${i}.jpg`),
        await photo(800, 600, 30 + i)
          .jpeg()
          .toBuffer(),
      );
    }
    const controller = new AbortController();
    const inner = newSink();
    const thumbnailsDir = join(root, 'thumbnails-cancel');
    const summary = await importPhotos({
      albumId: ALBUM,
      paths: [dir],
      sink: {
        knownHashes: (albumId) => inner.knownHashes(albumId),
        record(albumId, p) {
          inner.record(albumId, p);
          controller.abort(); // the user presses Cancel right after the first photo is in
        },
      },
      thumbnailsDir,
      workers: pool,
      signal: controller.signal,
    });
    expect(summary.cancelled).toBe(true);
    const recorded = inner.photos(ALBUM);
    expect(recorded.length).toBeGreaterThanOrEqual(1);
    expect(recorded.length).toBeLessThanOrEqual(pool.size * 2); // at most the files in flight
    expect(recorded.map((p) => p.sha256).sort()).toEqual(
      summary.imported.map((p) => p.sha256).sort(),
    );
    const files = readdirSync(thumbnailsDir);
    expect(files.filter((f) => f.startsWith(TEMPORARY_PREFIX))).toEqual([]);
    expect(files.sort()).toEqual(recorded.map((p) => `${p.sha256}.jpg`).sort());
    for (const p of recorded) expect((await readFile(p.thumbnailPath)).length).toBeGreaterThan(0);
  });

  it('an already aborted signal imports nothing', async () => {
    const sink = newSink();
    const summary = await importPhotos({
      albumId: ALBUM,
      paths: [join(root, 'many')],
      sink,
      thumbnailsDir: join(root, 'thumbnails-aborted'),
      workers: pool,
      signal: AbortSignal.abort(),
    });
    expect([summary.cancelled, summary.imported.length, sink.photos(ALBUM).length]).toEqual([
      true,
      0,
      0,
    ]);
  });
});
