import type { Translate } from '../i18n/i18nStore.js';
import { ja, type MessageKey } from '../i18n/messages.ja.js';

const isKey = (key: string): key is MessageKey => Object.prototype.hasOwnProperty.call(ja, key);

/**
 * Why a photo could not be imported or uploaded, in the user's words. Reasons are stable codes
 * (the import's, the upload queue's, the server's photo checks); an unknown one shows its code.
 */
export function failureText(t: Translate, reason: string): string {
  const key = `failure.${reason}`;
  return isKey(key) ? t(key) : t('failure.other', { reason });
}
