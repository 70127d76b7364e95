import { LOCALES, useI18n } from '../i18n/i18nStore.js';

/** 日本語 / English, each named in its own language. */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <div className="language-switch" role="group" aria-label={t('lang.label')}>
      {LOCALES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={locale === l}
          className={locale === l ? 'active' : undefined}
          onClick={() => setLocale(l)}
        >
          {t(l === 'ja' ? 'lang.ja' : 'lang.en')}
        </button>
      ))}
    </div>
  );
}
