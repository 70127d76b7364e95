import { isAppUrl } from './appOrigin.js';

/**
 * Sites the app may open in the user's browser (help pages, the studio's own site): https
 * only, the host named exactly, no credentials or odd ports in the URL.
 */
export const EXTERNAL_ALLOW_LIST: readonly string[] = ['weebum.jp', 'www.weebum.jp'];

export function externalUrlAllowed(url: string, allowList: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === '' &&
    allowList.includes(parsed.hostname)
  );
}

/** Navigation of the app's window: only within the app's origin. */
export const navigationAllowed = (url: string): boolean => isAppUrl(url);

/**
 * `window.open` and target=_blank: never a new Electron window; an allowed https link goes to
 * the user's browser instead.
 */
export function decideWindowOpen(
  url: string,
  allowList: readonly string[],
): { readonly action: 'deny'; readonly openExternally: boolean } {
  return { action: 'deny', openExternally: externalUrlAllowed(url, allowList) };
}
