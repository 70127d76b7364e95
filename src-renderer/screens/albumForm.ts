import type { z } from 'zod';
import { NewAlbumSchema, type MethodArgs } from '../../src-shared/desktop/contract.js';
import {
  AlbumSchema,
  ALBUM_SCHEMA_VERSION,
  DEFAULT_BLEED_MM,
  DEFAULT_SAFE_MARGIN_MM,
  TRIM_PRESETS,
  type BindingSide,
  type TrimPreset,
} from '../../src-shared/model/album.js';
import type { MessageKey } from '../i18n/messages.ja.js';
import type { MessageParams } from '../i18n/i18nStore.js';

export type PresetChoice = TrimPreset | 'custom';
export const PRESET_CHOICES: readonly PresetChoice[] = ['A4', 'B5', 'AB', 'A4_LANDSCAPE', 'custom'];

/** What the form fields hold: text as typed. */
export interface AlbumFormValues {
  title: string;
  schoolTenantId: string;
  schoolName: string;
  fiscalYear: string;
  preset: PresetChoice;
  widthMm: string;
  heightMm: string;
  bleedMm: string;
  safeMarginMm: string;
  binding: BindingSide;
  pageCount: string;
}

export type AlbumField = keyof AlbumFormValues;
export interface FieldError {
  readonly key: MessageKey;
  readonly params?: MessageParams;
}
export type AlbumFormErrors = Partial<Record<AlbumField, FieldError>>;

/** The fiscal year (April to March) a date falls in, Japanese style. */
export function fiscalYearOf(date: Date): number {
  const jst = new Date(date.getTime() + 9 * 3_600_000);
  return jst.getUTCMonth() >= 3 ? jst.getUTCFullYear() : jst.getUTCFullYear() - 1;
}

export function initialAlbumForm(now: Date): AlbumFormValues {
  return {
    title: '',
    schoolTenantId: '',
    schoolName: '',
    fiscalYear: String(fiscalYearOf(now)),
    preset: 'A4',
    widthMm: String(TRIM_PRESETS.A4.widthMm),
    heightMm: String(TRIM_PRESETS.A4.heightMm),
    bleedMm: String(DEFAULT_BLEED_MM),
    safeMarginMm: String(DEFAULT_SAFE_MARGIN_MM),
    binding: 'left',
    pageCount: '24',
  };
}

const number = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

function toArgs(v: AlbumFormValues): MethodArgs<'albums.create'> {
  const size =
    v.preset === 'custom'
      ? { widthMm: number(v.widthMm), heightMm: number(v.heightMm) }
      : TRIM_PRESETS[v.preset];
  return {
    title: v.title,
    schoolTenantId: v.schoolTenantId.trim(),
    schoolName: v.schoolName,
    fiscalYear: number(v.fiscalYear),
    trim: { preset: v.preset, ...size },
    bleedMm: number(v.bleedMm),
    safeMarginMm: number(v.safeMarginMm),
    binding: v.binding,
    pageCount: number(v.pageCount),
  };
}

function messageFor(issue: z.core.$ZodIssue): FieldError {
  switch (issue.code) {
    case 'invalid_type':
      return { key: 'field.required' };
    case 'too_small':
      return issue.origin === 'string'
        ? { key: 'field.required' }
        : { key: 'field.min', params: { min: Number(issue.minimum) } };
    case 'too_big':
      return issue.origin === 'string'
        ? { key: 'field.tooLong', params: { max: Number(issue.maximum) } }
        : { key: 'field.max', params: { max: Number(issue.maximum) } };
    case 'invalid_format':
      return { key: issue.format === 'uuid' ? 'field.uuid' : 'field.invalid' };
    case 'custom':
      return { key: issue.path.includes('safeMarginMm') ? 'field.safeMargin' : 'field.presetSize' };
    default:
      return issue.message.toLowerCase().includes('int')
        ? { key: 'field.integer' }
        : { key: 'field.invalid' };
  }
}

/** The form's path names: `trim.widthMm` is shown at the width field. */
function fieldOf(path: readonly PropertyKey[]): AlbumField | null {
  const last = path[path.length - 1];
  if (path[0] === 'trim') return last === 'heightMm' ? 'heightMm' : 'widthMm';
  return typeof last === 'string' && last !== 'schemaVersion' && last !== 'id'
    ? (last as AlbumField)
    : null;
}

/**
 * Checks the form with the very schemas the desktop API and the cloud apply: the contract's
 * `NewAlbumSchema`, then the album document's own rules (the safe margin must leave room).
 */
export function validateAlbumForm(
  values: AlbumFormValues,
): { ok: true; args: MethodArgs<'albums.create'> } | { ok: false; errors: AlbumFormErrors } {
  const args = toArgs(values);
  const errors: AlbumFormErrors = {};
  const collect = (issues: readonly z.core.$ZodIssue[]) => {
    for (const issue of issues) {
      const field = fieldOf(issue.path);
      if (field && !errors[field]) errors[field] = messageFor(issue);
    }
  };
  const parsed = NewAlbumSchema.safeParse(args);
  if (!parsed.success) collect(parsed.error.issues);
  else {
    const { schoolTenantId: _school, ...settings } = parsed.data;
    const whole = AlbumSchema.safeParse({
      ...settings,
      schemaVersion: ALBUM_SCHEMA_VERSION,
      // A stand-in id: only the album's cross-field rules are being checked here.
      id: '00000000-0000-4000-8000-000000000000',
    });
    if (!whole.success) collect(whole.error.issues);
  }
  return Object.keys(errors).length === 0 ? { ok: true, args } : { ok: false, errors };
}
