import type { DesktopApi } from '../../src-shared/desktop/api.js';
import { createWsDesktopApi } from './wsDesktopApi.js';

declare global {
  interface Window {
    /** Set by the Electron preload (a frozen object); absent in a browser. */
    readonly weebum?: DesktopApi;
  }
}

/**
 * The one way the UI reaches the Node side: Electron's preload when present, else the browser
 * host's WebSocket, authorised by the token the host put in the page's URL.
 */
export function connectDesktopApi(location: Location): DesktopApi | null {
  if (window.weebum) return window.weebum;
  const token = new URLSearchParams(location.search).get('token');
  if (!token) return null;
  const ws = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api?token=${encodeURIComponent(token)}`;
  return createWsDesktopApi(ws);
}
