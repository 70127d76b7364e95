import { blobStoreContract } from '../testing/blobStoreContract.js';
import { startS3rverStore } from '../testing/s3rverStore.js';

blobStoreContract('S3 (s3rver)', () => startS3rverStore());
