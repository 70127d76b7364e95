import { mkdtempSync, rmSync } from 'node:fs';
import { Server, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
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
/** One request as s3rver received it (before it parsed anything). */
export interface RecordedS3Request {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

export async function startS3rverStore(
  bucket = 'weebum-test',
  options: { kmsKeyId?: string } = {},
): Promise<
  TestBlobStore & {
    /**
     * Every request s3rver received since the store started, in order: s3rver ignores
     * server-side encryption, so tests look at the headers the writes carried instead.
     */
    requests: () => readonly RecordedS3Request[];
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
  const requests: RecordedS3Request[] = [];
  // s3rver keeps the http.Server it listens on (untyped); a listener added ahead of its own
  // sees each request exactly as it arrived.
  const http = (server as unknown as { httpServer?: Server }).httpServer;
  if (!(http instanceof Server)) throw new Error('s3rver did not expose its http server');
  http.prependListener('request', (req: IncomingMessage) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers } });
  });
  const client = createS3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'ap-northeast-1',
    bucket,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    store: createS3BlobStore(
      client,
      bucket,
      options.kmsKeyId === undefined ? {} : { kmsKeyId: options.kmsKeyId },
    ),
    requests: () => requests,
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
