import { describe, expect, it } from 'vitest';
import { BlobRangeError } from './blobStore.js';
import { parseRangeHeader } from './httpRange.js';

describe('parseRangeHeader (an object of 1000 bytes)', () => {
  it.each([
    ['bytes=0-9', { offset: 0, length: 10 }],
    ['bytes=990-2000', { offset: 990, length: 10 }],
    ['bytes=500-', { offset: 500, length: 500 }],
    ['bytes=-10', { offset: 990, length: 10 }],
    ['bytes=-5000', { offset: 0, length: 1000 }],
    ['bytes=999-999', { offset: 999, length: 1 }],
  ])('%s is %o', (header, range) => {
    expect(parseRangeHeader(header, 1000)).toEqual(range);
  });

  it.each([undefined, 'bytes=0-1,5-6', 'items=0-1', 'bytes=9-1', 'bytes=-', 'bytes=a-b'])(
    '%s: the whole object',
    (header) => {
      expect(parseRangeHeader(header, 1000)).toBeUndefined();
    },
  );

  it.each([
    ['bytes=1000-', 1000],
    ['bytes=-0', 1000],
    ['bytes=0-', 0],
  ])('%s of %i bytes is unsatisfiable', (header, size) => {
    expect(() => parseRangeHeader(header, size)).toThrow(BlobRangeError);
  });
});
