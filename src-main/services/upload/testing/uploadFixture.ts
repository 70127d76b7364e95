/**
 * Test helpers for the upload queue: generated photos, recorded in a local store the way import
 * records them (hash, size, dimensions; queued for upload), and a desktop core's upload queue.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import { photoApi, type PhotoView } from '../../../../src-shared/cloud/photos.js';
import type { EventPayload } from '../../../../src-shared/desktop/contract.js';
import type { CloudSession } from '../../cloud/cloudSession.js';
import { createEventHub } from '../../events/eventHub.js';
import type { LocalStore } from '../../store/localStore.js';
import type { ImportedPhotoInput, PhotoRecord } from '../../store/photoRepository.js';
import { createBlobTransfer } from '../blobTransfer.js';
import { createUploadQueue, type UploadLogEvent, type UploadQueueOptions } from '../uploadQueue.js';

/**
 * `count` different JPEGs (noise, so every file differs and compresses like a photo), about
 * 0.4 MB each at the default size.
 */
export async function generateJpegs(
  dir: string,
  count: number,
  options: { width?: number; height?: number; prefix?: string } = {},
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = join(dir, `${options.prefix ?? 'IMG'}_${String(i).padStart(4, '0')}.JPG`);
    await sharp({
      create: {
        width: options.width ?? 800,
        height: options.height ?? 600,
        channels: 3,
        background: { r: (i * 37) % 256, g: (i * 91) % 256, b: 160 },
        noise: { type: 'gaussian', mean: 128, sigma: 30 },
      },
    })
      .jpeg({ quality: 85 })
      .toFile(file);
    files.push(file);
  }
  return files;
}

/** An uncompressed TIFF over 64 MiB: the server asks for a multipart upload. */
export async function generateLargeTiff(file: string): Promise<string> {
  await sharp({
    create: { width: 5000, height: 4600, channels: 3, background: { r: 20, g: 120, b: 90 } },
  })
    .tiff({ compression: 'none' })
    .toFile(file);
  return file;
}

export async function sha256File(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(createReadStream(file), async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      size += chunk.length;
      hash.update(chunk);
    }
    yield* [];
  });
  return { sha256: hash.digest('hex'), size };
}

/** Records files as import does (in one transaction) and queues their upload. */
export async function recordImported(
  store: LocalStore,
  albumId: string,
  files: readonly string[],
): Promise<PhotoRecord[]> {
  const rows: ImportedPhotoInput[] = [];
  for (const filePath of files) {
    const { sha256, size } = await sha256File(filePath);
    const meta = await sharp(filePath).metadata();
    rows.push({
      albumId,
      sha256,
      filePath,
      byteSize: size,
      width: meta.width ?? 1,
      height: meta.height ?? 1,
      orientation: null,
      exifDate: null,
      thumbnailPath: null,
    });
  }
  return store.transaction(() =>
    rows.map((row) => {
      const r = store.photos.insertImported(row);
      return r.inserted ? r.photo : r.existing;
    }),
  );
}

export interface TestUploadQueue {
  readonly queue: ReturnType<typeof createUploadQueue>;
  readonly progress: EventPayload<'uploads.progress'>[];
  readonly log: UploadLogEvent[];
  close(): Promise<void>;
}

/** A desktop core's upload queue over a store and a signed-in session (not started). */
export function openUploadQueue(
  store: LocalStore,
  cloud: Pick<CloudSession, 'call'>,
  ca: Buffer,
  options: Partial<UploadQueueOptions> = {},
): TestUploadQueue {
  const events = createEventHub((error) => {
    throw error;
  });
  const progress: EventPayload<'uploads.progress'>[] = [];
  const log: UploadLogEvent[] = [];
  events.subscribe('uploads.progress', (p) => progress.push(p));
  const transfer = options.transfer ?? createBlobTransfer({ ca });
  const queue = createUploadQueue({
    store,
    cloud,
    transfer,
    events,
    retry: { baseMs: 50, maxMs: 1000 },
    pollMs: 200,
    log: (e) => log.push(e),
    ...options,
  });
  return {
    queue,
    progress,
    log,
    async close() {
      await queue.stop();
      transfer.close();
    },
  };
}

/** The album's photos on the server, by the API. */
export async function serverPhotos(cloud: CloudSession, albumId: string): Promise<PhotoView[]> {
  return (await cloud.call(photoApi.list, { params: { albumId } })).photos;
}
