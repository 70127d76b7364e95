import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/i18nStore.js';
import { failureText } from './failureText.js';

describe('failureText', () => {
  // The codes of src-main's IMPORT_FAILURE_REASONS and LOCAL_UPLOAD_FAILURES, and the server's
  // photo rejections (src-server/photos/processPhoto.ts, processPendingPhotos.ts).
  const codes = [
    'not_an_image',
    'unsupported_format',
    'corrupt_image',
    'empty_file',
    'unreadable',
    'too_many_pixels',
    'cannot_write_thumbnail',
    'internal_error',
    'file_missing',
    'file_unreadable',
    'file_changed',
    'not_uploadable',
    'size_mismatch',
    'hash_mismatch',
    'upload_missing',
    'refused',
  ];

  it('gives every known reason its own sentence in both languages', () => {
    for (const locale of ['ja', 'en'] as const) {
      const t = translator(locale);
      const texts = codes.map((code) => failureText(t, code));
      expect(new Set(texts).size, locale).toBe(codes.length);
      for (const text of texts) expect(text).not.toMatch(/[a-z]+_[a-z]+/);
    }
  });

  it('shows an unknown reason with its code', () => {
    expect(failureText(translator('en'), 'brand_new')).toBe('Failed (brand_new)');
    expect(failureText(translator('ja'), 'brand_new')).toBe('失敗しました（brand_new）');
  });
});
