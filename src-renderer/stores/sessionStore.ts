import { create } from 'zustand';
import type { DesktopApi } from '../../src-shared/desktop/api.js';
import type { SessionInfo } from '../../src-shared/desktop/contract.js';
import type { AppError } from '../../src-shared/result.js';

const SERVER_KEY = 'weebum.serverUrl';

type Phase = 'starting' | 'no-host' | 'signed-out' | 'signed-in';

interface SessionState {
  readonly api: DesktopApi | null;
  readonly phase: Phase;
  readonly session: SessionInfo | null;
  /** The last server signed in to (an address, not a secret), to fill the sign-in form. */
  readonly lastServerUrl: string;
  readonly start: (api: DesktopApi | null) => Promise<void>;
  readonly signIn: (args: {
    serverUrl: string;
    loginId: string;
    password: string;
  }) => Promise<AppError | null>;
  readonly changePassword: (args: {
    currentPassword: string;
    newPassword: string;
  }) => Promise<AppError | null>;
  readonly signOut: () => Promise<void>;
}

function readServerUrl(): string {
  try {
    return localStorage.getItem(SERVER_KEY) ?? '';
  } catch {
    return '';
  }
}

/**
 * Who is signed in. Passwords pass through `signIn` / `changePassword` to the desktop API and
 * are never kept here.
 */
export const useSession = create<SessionState>((set, get) => {
  const apply = (session: SessionInfo | null) =>
    set({ session, phase: session ? 'signed-in' : 'signed-out' });

  return {
    api: null,
    phase: 'starting',
    session: null,
    lastServerUrl: readServerUrl(),
    async start(api) {
      if (!api) {
        set({ phase: 'no-host' });
        return;
      }
      set({ api });
      api.on('session.changed', apply);
      const current = await api['session.current']({});
      apply(current.ok ? current.value : null);
    },
    async signIn(args) {
      const api = get().api;
      if (!api) return { code: 'host_disconnected', message: '' };
      const result = await api['session.signIn'](args);
      if (!result.ok) return result.error;
      try {
        localStorage.setItem(SERVER_KEY, args.serverUrl);
      } catch {
        // not remembered
      }
      set({ lastServerUrl: args.serverUrl });
      apply(result.value);
      return null;
    },
    async changePassword(args) {
      const api = get().api;
      if (!api) return { code: 'host_disconnected', message: '' };
      const result = await api['session.changePassword'](args);
      if (!result.ok) return result.error;
      apply(result.value);
      return null;
    },
    async signOut() {
      await get().api?.['session.signOut']({});
      apply(null);
    },
  };
});

/** The desktop API once connected; screens are shown only then. */
export function useApi(): DesktopApi {
  const api = useSession((s) => s.api);
  if (!api) throw new Error('The desktop API is not connected');
  return api;
}
