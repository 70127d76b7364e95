import { describe, expect, it } from 'vitest';
import { errorText, format, translator } from './i18nStore.js';
import { en } from './messages.en.js';
import { ja } from './messages.ja.js';

describe('message catalogs', () => {
  it('have the same keys in Japanese and English, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ja).sort());
    for (const catalog of [ja, en]) {
      for (const [key, text] of Object.entries(catalog)) expect(text, key).not.toBe('');
    }
  });

  it('use the same placeholders in both languages', () => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(ja) as (keyof typeof ja)[]) {
      expect(names(en[key]), key).toEqual(names(ja[key]));
    }
  });

  it('take the English form a number asks for: 1 page, 2 pages', () => {
    const en = translator('en');
    expect(en('strip.count', { count: 1 })).toBe('1 page');
    expect(en('strip.count', { count: 2 })).toBe('2 pages');
    expect(en('strip.count', { count: 0 })).toBe('0 pages');
    expect(en('preflight.summary', { errors: 1, warnings: 0 })).toBe('1 error, 0 warnings');
    expect(en('export.donePlaceholders', { count: 1 })).toBe(
      '1 frame without a photo was exported as a placeholder.',
    );
    expect(translator('ja')('strip.count', { count: 1 })).toBe(
      ja['strip.count'].replace('{count}', '1'),
    );
    expect(format('{n|one|other}', {})).toBe('{n|one|other}');
  });

  it('fill placeholders and leave unknown ones visible', () => {
    expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}');
    expect(translator('ja')('albums.pending', { count: 3 })).toBe('未送信 3 件');
    expect(translator('en')('albums.pending', { count: 3 })).toBe('3 pending');
  });
});

describe('errorText', () => {
  const t = translator('ja');

  it('gives each failure a sign-in screen must explain its own message', () => {
    const codes = [
      'invalid_credentials',
      'account_locked',
      'geo_blocked',
      'server_unreachable',
      'untrusted_certificate',
      'password_too_short',
      'password_too_long',
      'password_too_common',
      'password_too_simple',
      'password_change_required',
      'rate_limited',
      'offline',
      'signed_out',
      'invalid_arguments',
      'internal_error',
      'login_id_taken',
      'role_not_allowed',
    ];
    const texts = codes.map((code) => errorText(t, { code, message: 'm' }));
    expect(new Set(texts).size).toBe(codes.length);
    for (const text of texts) expect(text).not.toContain('コード');
    expect(errorText(t, { code: 'geo_blocked', message: '' })).toBe(
      '日本国内からのみご利用いただけます。',
    );
  });

  it('shows a generic message with the code for an unknown one', () => {
    expect(errorText(t, { code: 'brand_new_failure', message: 'x' })).toBe(
      'エラーが発生しました（コード: brand_new_failure）。',
    );
    expect(errorText(translator('en'), { code: 'toString', message: '' })).toBe(
      'Something went wrong (code: toString).',
    );
  });
});
