/**
 * Uploads to S3 carry the server-side encryption header their presigned URL is signed for: the
 * desktop sends exactly the headers the server hands it (P8). s3rver ignores encryption, so the
 * test looks at the headers s3rver received.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  disposeCloudProcess,
  startCloudProcess,
  type CloudProcess,
} from '../../testing/cloudProcess.js';
import { setUpStudio, type StudioFixture } from '../../testing/cloudFixture.js';
import { startS3rver, type S3rverServer } from '../../testing/s3rverServer.js';
import { mustOpen, seedAlbum, tempDir } from '../store/testing/tempStore.js';
import {
  generateJpegs,
  openUploadQueue,
  recordImported,
  serverPhotos,
} from './testing/uploadFixture.js';

const KMS_KEY = 'alias/weebum-photos';

describe('uploads to S3 with SSE-KMS configured', () => {
  let s3: S3rverServer;
  let cloud: CloudProcess;
  let studio: StudioFixture;
  let root: string;

  beforeAll(async () => {
    root = tempDir('weebum-upload-sse-');
    s3 = await startS3rver();
    cloud = await startCloudProcess({ s3: { ...s3.s3, kmsKeyId: KMS_KEY } });
    studio = await setUpStudio(cloud, { designers: ['designer-s'] });
  }, 180_000);

  afterAll(async () => {
    studio?.close();
    await disposeCloudProcess(cloud);
    await s3?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("send the encryption headers with every photo PUT, as do the server's own writes", async () => {
    const albumId = await studio.createAlbum();
    const { store } = mustOpen(join(root, 'studio.db'));
    seedAlbum(store, albumId);
    const session = await studio.signIn('designer-s');
    await recordImported(store, albumId, await generateJpegs(join(root, 'photos'), 3));
    const upload = openUploadQueue(store, session, cloud.ca);
    try {
      upload.queue.start();
      await upload.queue.whenIdle();
      // Ready means the server read each original back and wrote its derivatives.
      const photos = await serverPhotos(session, albumId);
      expect(photos.map((p) => p.status)).toEqual(['ready', 'ready', 'ready']);
    } finally {
      await upload.close();
      store.close();
    }

    const objectPuts = s3.requests.filter((r) => {
      const url = new URL(r.url, 'http://s3');
      // PUT /<bucket>/<key>: an object write (not a part, not the bucket).
      return (
        r.method === 'PUT' &&
        !url.searchParams.has('partNumber') &&
        url.pathname.split('/').filter(Boolean).length > 1
      );
    });
    const presigned = objectPuts.filter((r) => r.url.includes('X-Amz-Signature='));
    const variants = (rs: typeof objectPuts) =>
      rs.map((r) => new URL(r.url, 'http://s3').pathname.split('/').pop()).sort();
    // Three originals from the desktop; thumbnail and preview of each from the server.
    expect(variants(presigned)).toEqual(['original', 'original', 'original']);
    expect(variants(objectPuts.filter((r) => !presigned.includes(r)))).toEqual([
      'preview',
      'preview',
      'preview',
      'thumbnail',
      'thumbnail',
      'thumbnail',
    ]);
    for (const request of objectPuts) {
      expect(request.headers).toMatchObject({
        'x-amz-server-side-encryption': 'aws:kms',
        'x-amz-server-side-encryption-aws-kms-key-id': KMS_KEY,
      });
    }
    for (const request of presigned) {
      expect(new URL(request.url, 'http://s3').searchParams.get('X-Amz-SignedHeaders')).toBe(
        'content-length;content-type;host;x-amz-server-side-encryption;x-amz-server-side-encryption-aws-kms-key-id',
      );
    }
  }, 180_000);
});
