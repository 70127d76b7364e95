import { useState, type FormEvent } from 'react';
import type { AppError } from '../../src-shared/result.js';
import { formText } from '../components/formText.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useT } from '../i18n/i18nStore.js';
import { useSession } from '../stores/sessionStore.js';

const isHttpsUrl = (value: string): boolean => {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
};

/**
 * Server, login id, password. The password is read from the form on submit and the field is
 * emptied straight after: it is never held in React or zustand state.
 */
export function SignInScreen() {
  const t = useT();
  const { signIn, lastServerUrl } = useSession();
  const [error, setError] = useState<AppError | null>(null);
  const [urlInvalid, setUrlInvalid] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const serverUrl = formText(data, 'serverUrl').trim();
    const loginId = formText(data, 'loginId').trim();
    const password = formText(data, 'password');
    const passwordInput = form.elements.namedItem('password') as HTMLInputElement | null;
    if (passwordInput) passwordInput.value = '';
    setError(null);
    if (!isHttpsUrl(serverUrl)) {
      setUrlInvalid(true);
      return;
    }
    setUrlInvalid(false);
    setBusy(true);
    const failure = await signIn({ serverUrl, loginId, password });
    setBusy(false);
    setError(failure);
    if (failure) passwordInput?.focus();
  }

  return (
    <main className="centered-page">
      <form className="card form" onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">{t('signIn.title')}</h2>
        <label>
          {t('signIn.serverUrl')}
          <input
            name="serverUrl"
            type="url"
            required
            defaultValue={lastServerUrl}
            placeholder={t('signIn.serverUrlHint')}
            autoComplete="url"
            aria-invalid={urlInvalid}
          />
        </label>
        {urlInvalid && (
          <p className="error" role="alert">
            {t('signIn.invalidServerUrl')}
          </p>
        )}
        <label>
          {t('signIn.loginId')}
          <input name="loginId" required autoComplete="username" maxLength={254} />
        </label>
        <label>
          {t('signIn.password')}
          <input
            name="password"
            type="password"
            required
            autoComplete="current-password"
            maxLength={1024}
          />
        </label>
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('signIn.submitting') : t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
