import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRotatingLog, redactSecrets } from './rotatingLog.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weebum-log-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the log file', () => {
  it.each([
    ['authorization: Bearer abc.def.ghi', 'abc.def'],
    ['{"password":"hunter2-long"}', 'hunter2-long'],
    ['GET /thumbnails/x?token=s3cr3tvalue&x=1', 's3cr3tvalue'],
    ['refreshToken=rt-123456', 'rt-123456'],
    ['got eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig_nature', 'eyJhbGciOiJIUzI1NiJ9'],
  ])('masks secrets in %s', (line, secret) => {
    expect(redactSecrets(line)).not.toContain(secret);
  });

  it('keeps ordinary text', () => {
    expect(redactSecrets('album 1 synced, 3 pages')).toBe('album 1 synced, 3 pages');
  });

  it('writes one redacted line per message, error included', async () => {
    const file = join(dir, 'logs', 'app.log');
    const log = createRotatingLog({
      file,
      maxBytes: 10_000,
      keep: 2,
      now: () => new Date('2026-01-02T03:04:05Z'),
    });
    log('sign-in failed', new Error('server said password=abc12345\nbad'));
    expect(await readFile(file, 'utf8')).toBe(
      '2026-01-02T03:04:05.000Z sign-in failed server said password=[redacted]\\nbad\n',
    );
  });

  it('rotates by size and keeps only the newest files', async () => {
    const file = join(dir, 'app.log');
    const log = createRotatingLog({ file, maxBytes: 100, keep: 2, now: () => new Date(0) });
    for (let i = 0; i < 12; i++) log(`message number ${i} ${'x'.repeat(20)}`);
    expect((await readdir(dir)).sort()).toEqual(['app.log', 'app.log.1', 'app.log.2']);
    const newest = await readFile(file, 'utf8');
    expect(newest).toContain('message number 11');
    expect(Buffer.byteLength(newest)).toBeLessThanOrEqual(100);
    expect(await readFile(`${file}.2`, 'utf8')).not.toContain('message number 0 ');
  });
});
