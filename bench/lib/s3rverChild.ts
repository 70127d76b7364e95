/**
 * s3rver in a process of its own (so that neither side of a bench shares its event loop with
 * it): prints `{"endpoint", "bucket"}` as one JSON line when ready, stops on SIGTERM.
 */
import { startS3rver } from '../../src-main/testing/s3rverServer.js';

const server = await startS3rver();
process.stdout.write(`${JSON.stringify(server.s3)}\n`);
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
