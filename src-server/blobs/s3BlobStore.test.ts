import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { blobStoreContract } from '../testing/blobStoreContract.js';
import { createS3BlobStore, createS3Client } from './s3BlobStore.js';

blobStoreContract('S3 (s3rver)', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'weebum-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  const client = createS3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'ap-northeast-1',
    bucket: 'weebum-test',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  await client.send(new CreateBucketCommand({ Bucket: 'weebum-test' }));
  return {
    store: createS3BlobStore(client, 'weebum-test'),
    close: async () => {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
});
