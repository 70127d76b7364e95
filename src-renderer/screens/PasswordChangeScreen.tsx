import { useState, type FormEvent } from 'react';
import type { AppError } from '../../src-shared/result.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { useT } from '../i18n/i18nStore.js';
import { useSession } from '../stores/sessionStore.js';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** The server's length rule, counted in code points as the server counts them. */
export function passwordLengthError(password: string): AppError | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return { code: 'password_too_short', message: '' };
  if (length > PASSWORD_MAX) return { code: 'password_too_long', message: '' };
  return null;
}

/**
 * Shown instead of everything else while the session runs on a temporary password. The
 * passwords stay in the form fields and are cleared once submitted.
 */
export function PasswordChangeScreen() {
  const t = useT();
  const { changePassword, signOut } = useSession();
  const [error, setError] = useState<AppError | null>(null);
  const [mismatch, setMismatch] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
    const currentPassword = field('currentPassword').value;
    const newPassword = field('newPassword').value;
    const confirm = field('confirmPassword').value;
    for (const name of ['currentPassword', 'newPassword', 'confirmPassword'])
      field(name).value = '';
    setError(null);
    setMismatch(newPassword !== confirm);
    if (newPassword !== confirm) return;
    const local = passwordLengthError(newPassword);
    if (local) {
      setError(local);
      return;
    }
    setBusy(true);
    const failure = await changePassword({ currentPassword, newPassword });
    setBusy(false);
    setError(failure);
  }

  return (
    <main className="centered-page">
      <form className="card form" onSubmit={(e) => void submit(e)} aria-labelledby="password-title">
        <h2 id="password-title">{t('password.title')}</h2>
        <p>{t('password.intro')}</p>
        <label>
          {t('password.current')}
          <input name="currentPassword" type="password" required autoComplete="current-password" />
        </label>
        <label>
          {t('password.new')}
          <input
            name="newPassword"
            type="password"
            required
            autoComplete="new-password"
            aria-describedby="password-policy"
          />
        </label>
        <label>
          {t('password.confirm')}
          <input name="confirmPassword" type="password" required autoComplete="new-password" />
        </label>
        <p id="password-policy" className="hint">
          {t('password.policy')}
        </p>
        {mismatch && (
          <p className="error" role="alert">
            {t('password.mismatch')}
          </p>
        )}
        <ErrorMessage error={error} />
        <div className="actions">
          <button type="button" onClick={() => void signOut()}>
            {t('nav.signOut')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {t('password.submit')}
          </button>
        </div>
      </form>
    </main>
  );
}
