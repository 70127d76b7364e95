import { rendererContentSecurityPolicy } from '../host/contentSecurityPolicy.js';

/**
 * Where the renderer lives inside Electron: a privileged standard scheme of our own (never
 * file://), so the page has one exact origin that navigation and IPC checks compare against.
 */
export const APP_SCHEME = 'weebum';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
/** Thumbnails and previews from the data directory (see mediaProtocol.ts). */
export const MEDIA_SCHEME = 'weebum-media';

/** The renderer's policy, sent as a header on every app response; thumbnails from our scheme. */
export const CONTENT_SECURITY_POLICY = rendererContentSecurityPolicy({
  imageSources: [`${MEDIA_SCHEME}:`],
});

/** True only for a URL of the app's own origin (scheme and host compared exactly). */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === `${APP_SCHEME}:` &&
      parsed.host === 'app' &&
      parsed.username === '' &&
      parsed.password === ''
    );
  } catch {
    return false;
  }
}
