import { describe, expect, it } from 'vitest';
import { exifWallClock } from './processFile.js';
import { sniffFormat } from './sniffFormat.js';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))),
  );

describe('recognising images by their first bytes', () => {
  it.each([
    ['jpeg', bytes([0xff, 0xd8, 0xff, 0xe1], 'xxxxxxxxxxxx')],
    ['png', bytes([0x89], 'PNG\r\n\x1a\n', 'xxxxxxx')],
    ['webp', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 ')],
    ['tiff', bytes('II*\0', 'xxxxxxxxxxxx')],
    ['tiff', bytes('MM\0*', 'xxxxxxxxxxxx')],
    ['unsupported_image', bytes([0, 0, 0, 24], 'ftypheic', 'xxxx')],
    ['unsupported_image', bytes('GIF89a', 'xxxxxxxxxx')],
    ['unknown', bytes([0, 0, 0, 24], 'ftypqt  ', 'xxxx')], // a camera's .MOV video
    ['unknown', bytes('BMW の写真リスト')],
    ['unknown', bytes('')],
  ])('%s', (format, head) => {
    expect(sniffFormat(head)).toBe(format);
  });
});

describe('EXIF DateTimeOriginal as wall clock', () => {
  it('keeps the camera time, with no zone', () => {
    expect(exifWallClock('2026:07:15 09:30:00')).toBe('2026-07-15T09:30:00');
  });
  it.each([['0000:00:00 00:00:00'], ['    :  :     :  :  '], [''], [1_700_000_000], [null]])(
    'refuses %j',
    (value) => {
      expect(exifWallClock(value)).toBeNull();
    },
  );
});
