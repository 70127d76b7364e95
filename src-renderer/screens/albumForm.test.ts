import { describe, expect, it } from 'vitest';
import { fiscalYearOf, initialAlbumForm, validateAlbumForm } from './albumForm.js';
import { passwordLengthError } from './PasswordChangeScreen.js';

const SCHOOL = '0b4cfd9d-8a3e-4c4e-9d51-6f1f2b1d9a10';
const valid = () => ({
  ...initialAlbumForm(new Date('2026-11-25T00:00:00Z')),
  title: '令和8年度 卒業アルバム',
  schoolTenantId: SCHOOL,
  schoolName: '桜ヶ丘中学校',
});

describe('the album form', () => {
  it('starts with the defaults: A4, bleed 3, safe margin 5, left binding, this fiscal year', () => {
    const form = initialAlbumForm(new Date('2027-02-01T00:00:00Z'));
    expect(form).toMatchObject({
      preset: 'A4',
      widthMm: '210',
      heightMm: '297',
      bleedMm: '3',
      safeMarginMm: '5',
      binding: 'left',
      fiscalYear: '2026',
    });
  });

  it('counts fiscal years from April in Japan time', () => {
    expect(fiscalYearOf(new Date('2027-03-31T14:59:59Z'))).toBe(2026);
    expect(fiscalYearOf(new Date('2027-03-31T15:00:00Z'))).toBe(2027); // 1 April 00:00 JST
  });

  it('turns valid fields into the desktop API arguments', () => {
    const checked = validateAlbumForm({ ...valid(), preset: 'B5', pageCount: '40' });
    expect(checked).toEqual({
      ok: true,
      args: expect.objectContaining({
        trim: { preset: 'B5', widthMm: 182, heightMm: 257 },
        pageCount: 40,
        bleedMm: 3,
        schoolTenantId: SCHOOL,
      }) as unknown,
    });
  });

  it('reports each bad field with the shared schema’s limits', () => {
    const checked = validateAlbumForm({
      ...valid(),
      title: ' ',
      schoolTenantId: 'school-1',
      fiscalYear: '1999',
      bleedMm: '21',
      pageCount: '',
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors).toEqual({
      title: { key: 'field.required' },
      schoolTenantId: { key: 'field.uuid' },
      fiscalYear: { key: 'field.min', params: { min: 2000 } },
      bleedMm: { key: 'field.max', params: { max: 20 } },
      pageCount: { key: 'field.required' },
    });
  });

  it('checks custom sizes and that the safe margin leaves room', () => {
    const small = validateAlbumForm({ ...valid(), preset: 'custom', widthMm: '40' });
    expect(small.ok ? null : small.errors.widthMm).toEqual({
      key: 'field.min',
      params: { min: 50 },
    });
    const margin = validateAlbumForm({
      ...valid(),
      preset: 'custom',
      widthMm: '60',
      heightMm: '60',
      safeMarginMm: '30',
    });
    expect(margin.ok ? null : margin.errors.safeMarginMm).toEqual({ key: 'field.safeMargin' });
  });
});

describe('the new password', () => {
  it('must have 8 to 128 characters, counted as the server counts them', () => {
    expect(passwordLengthError('1234567')?.code).toBe('password_too_short');
    expect(passwordLengthError('12345678')).toBeNull();
    expect(passwordLengthError('😀'.repeat(128))).toBeNull();
    expect(passwordLengthError('a'.repeat(129))?.code).toBe('password_too_long');
  });
});
