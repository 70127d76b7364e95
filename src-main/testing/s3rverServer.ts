import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { CloudS3Options } from './cloudProcess.js';

/** s3rver on a free loopback port with one empty bucket, for tests and benches. */
export interface S3rverServer {
  /** Pass to startCloudProcess({ s3 }). */
  readonly s3: CloudS3Options;
  readonly directory: string;
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
  return {
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
