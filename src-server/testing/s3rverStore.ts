import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { createS3BlobStore, createS3Client } from '../blobs/s3BlobStore.js';
import type { TestBlobStore } from './testServer.js';

/**
 * A real S3 endpoint for tests: s3rver on a free loopback port in a fresh directory, with a
 * fresh bucket, behind the server's own S3 blob store. `close` stops it and removes its files.
 */
export async function startS3rverStore(bucket = 'weebum-test'): Promise<
  TestBlobStore & {
    /**
     * Every key in the bucket, whatever its prefix, listed by S3 itself: what a test compares
     * before and after, so an object written under an unexpected key is still seen.
     */
    allKeys: () => Promise<string[]>;
    close: () => Promise<void>;
  }
> {
  const directory = mkdtempSync(join(tmpdir(), 'weebum-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  const client = createS3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'ap-northeast-1',
    bucket,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    store: createS3BlobStore(client, bucket),
    allKeys: async () => {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
        );
        for (const o of page.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      return keys.sort();
    },
    close: async () => {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
