import { create } from 'zustand';
import type { AppError } from '../../src-shared/result.js';
import { en } from './messages.en.js';
import { ja, type MessageKey, type Messages } from './messages.ja.js';

export const LOCALES = ['ja', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const CATALOGS: Readonly<Record<Locale, Messages>> = { ja, en };
const STORAGE_KEY = 'weebum.locale';

export type MessageParams = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

/**
 * Fills `{name}` placeholders, and `{name|one|other}` with the form the number `name` asks for
 * in the language (English: `{count} {count|page|pages}`; Japanese needs none). A placeholder
 * without a value stays visible.
 */
export function format(
  template: string,
  params: MessageParams = {},
  plurals: Intl.PluralRules = new Intl.PluralRules('en'),
): string {
  return template
    .replace(
      /\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g,
      (whole, name: string, one: string, other: string) =>
        name in params ? (plurals.select(Number(params[name])) === 'one' ? one : other) : whole,
    )
    .replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
}

export const translator = (locale: Locale): Translate => {
  const plurals = new Intl.PluralRules(locale);
  return (key, params) => format(CATALOGS[locale][key], params, plurals);
};

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'ja') return saved;
  } catch {
    // storage unavailable: Japanese
  }
  return 'ja';
}

interface I18nState {
  readonly locale: Locale;
  readonly t: Translate;
  readonly setLocale: (locale: Locale) => void;
}

/** The UI language: Japanese by default, English selectable; remembered on this machine. */
const markDocument = (locale: Locale) => {
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
};

export const useI18n = create<I18nState>((set) => {
  const locale = initialLocale();
  markDocument(locale);
  return {
    locale,
    t: translator(locale),
    setLocale(next) {
      try {
        localStorage.setItem(STORAGE_KEY, next);
      } catch {
        // not remembered; still switched
      }
      markDocument(next);
      set({ locale: next, t: translator(next) });
    },
  };
});

/** The translate function of the current language (re-renders when it changes). */
export const useT = (): Translate => useI18n((s) => s.t);

const isKey = (key: string): key is MessageKey => Object.prototype.hasOwnProperty.call(ja, key);

/**
 * A desktop API or cloud error in the user's words: a catalog message for known codes, a
 * generic message with the code for unknown ones.
 */
export function errorText(t: Translate, error: AppError): string {
  const key = `error.${error.code}`;
  if (isKey(key)) return t(key, { detail: error.message, code: error.code });
  return t('error.generic', { code: error.code });
}
