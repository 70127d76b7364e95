import { describe, expect, it } from 'vitest';
import {
  IMPORT_FAILURE_REASONS,
  LOCAL_UPLOAD_FAILURES,
  SERVER_PHOTO_FAILURES,
  UNKNOWN_REFUSAL,
} from '../../src-shared/library/failureReasons.js';
import { translator } from '../i18n/i18nStore.js';
import { failureText } from './failureText.js';

describe('failureText', () => {
  // Walks the lists the import, the upload queue and the server's processor take their codes
  // from: a new reason without its sentences fails here.
  const codes = [
    ...new Set<string>([
      ...IMPORT_FAILURE_REASONS,
      ...LOCAL_UPLOAD_FAILURES,
      ...SERVER_PHOTO_FAILURES,
      UNKNOWN_REFUSAL,
    ]),
  ];

  it('gives every known reason its own sentence in both languages', () => {
    expect(codes.length).toBeGreaterThan(15);
    for (const locale of ['ja', 'en'] as const) {
      const t = translator(locale);
      const texts = codes.map((code) => failureText(t, code));
      expect(new Set(texts).size, locale).toBe(codes.length);
      for (const text of texts) expect(text, locale).not.toMatch(/[a-z0-9]+_[a-z0-9]+/);
    }
  });

  it('says in Japanese why a file whose name is not UTF-8 was not imported', () => {
    expect(failureText(translator('ja'), 'file_name_not_utf8')).toBe(
      'ファイル名の文字コードが UTF-8 ではないため読み込めません（ファイル名を付け直してください）',
    );
  });

  it('shows an unknown reason with its code', () => {
    expect(failureText(translator('en'), 'brand_new')).toBe('Failed (brand_new)');
    expect(failureText(translator('ja'), 'brand_new')).toBe('失敗しました（brand_new）');
  });
});
