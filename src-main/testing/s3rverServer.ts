import { mkdtemp, rm } from 'node:fs/promises';
import { Server, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { CloudS3Options } from './cloudProcess.js';

/** One request as s3rver received it (before it parsed anything). */
export interface RecordedS3Request {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** s3rver on a free loopback port with one empty bucket, for tests and benches. */
export interface S3rverServer {
  /** Pass to startCloudProcess({ s3 }). */
  readonly s3: CloudS3Options;
  readonly directory: string;
  /**
   * Every request received, in order: s3rver ignores server-side encryption, so tests look at
   * the headers writes carried instead.
   */
  readonly requests: readonly RecordedS3Request[];
  close(): Promise<void>;
}

export const S3RVER_BUCKET = 'weebum-photos';

export async function startS3rver(bucket = S3RVER_BUCKET): Promise<S3rverServer> {
  const directory = await mkdtemp(join(tmpdir(), 'weebum-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  const requests: RecordedS3Request[] = [];
  // s3rver keeps the http.Server it listens on (untyped); a listener added ahead of its own
  // sees each request exactly as it arrived.
  const http = (server as unknown as { httpServer?: Server }).httpServer;
  if (!(http instanceof Server)) throw new Error('s3rver did not expose its http server');
  http.prependListener('request', (req: IncomingMessage) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers } });
  });
  return {
    requests,
    // s3rver takes any signature; these are its documented default keys.
    s3: {
      endpoint: `http://127.0.0.1:${port}`,
      bucket,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    },
    directory,
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
