import type { AppError } from '../../src-shared/result.js';
import { errorText, useT } from '../i18n/i18nStore.js';

/** A desktop API error in the user's language, announced to screen readers. */
export function ErrorMessage({ error }: { readonly error: AppError | null }) {
  const t = useT();
  if (!error) return null;
  return (
    <p className="error" role="alert" data-code={error.code}>
      {errorText(t, error)}
    </p>
  );
}
