import { describe, expect, it } from 'vitest';
import { CloudError } from '../cloud/cloudError.js';
import { TransferError } from './blobTransfer.js';
import { localFileError, PermanentFailure } from './localUploadFile.js';
import { outcomeOfFailure } from './uploadRetry.js';

const at = { nowMs: 1_000_000, random: () => 0, retry: { baseMs: 1000 } };

describe('outcomeOfFailure', () => {
  it('fails the photo for local failures and refusals, retries the rest', () => {
    const cases: [unknown, number, unknown][] = [
      [new PermanentFailure('file_changed', 'smaller'), 0, { fail: 'file_changed' }],
      [new CloudError('album_not_found', 'gone', 404), 0, { fail: 'album_not_found' }],
      [new TransferError('not_found', 'no such key', 404), 2, { fail: 'not_found' }],
      [
        new CloudError('unauthenticated', 'sign in', 401),
        0,
        { retryAt: 1_000_500, error: 'unauthenticated: sign in' },
      ],
      [
        new CloudError('server_unreachable', 'down', 0),
        3,
        { retryAt: 1_004_000, error: 'server_unreachable: down' },
      ],
      [
        new TransferError('expired', 'url expired', 403),
        1,
        { retryAt: 1_001_000, error: 'expired: url expired' },
      ],
      [new Error('boom'), 0, { retryAt: 1_000_500, error: 'error: boom' }],
    ];
    for (const [error, attempts, expected] of cases) {
      expect(outcomeOfFailure(error, attempts, at)).toEqual(expected);
    }
  });

  it("waits for the server's Retry-After when it is longer than the backoff", () => {
    const busy = new CloudError('rate_limited', 'slow down', 429, 120);
    expect(outcomeOfFailure(busy, 0, at)).toEqual({
      retryAt: 1_120_000,
      error: 'rate_limited: slow down',
    });
    expect(outcomeOfFailure(busy, 10, at)).toEqual({
      retryAt: 1_150_000, // the backoff, capped at 5 min (half of it, with no jitter)
      error: 'rate_limited: slow down',
    });
  });
});

describe('localFileError', () => {
  it('turns file-system errors into stable failure reasons', () => {
    const reasonOf = (code: string) => {
      const mapped = localFileError(Object.assign(new Error(code), { code }));
      return mapped instanceof PermanentFailure ? mapped.reason : 'kept';
    };
    expect(
      ['ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EISDIR', 'EIO', 'EMFILE'].map(reasonOf),
    ).toEqual([
      'file_missing',
      'file_missing',
      'file_unreadable',
      'file_unreadable',
      'file_unreadable',
      'file_unreadable',
      'kept',
    ]);
  });
});
