import { create } from 'zustand';
import type { DesktopApi } from '../../src-shared/desktop/api.js';
import type { SyncState } from '../../src-shared/desktop/contract.js';

interface SyncStoreState {
  readonly state: SyncState | null;
  /** Reads `sync.status` once, then follows `sync.state` events; returns the unsubscribe. */
  readonly follow: (api: DesktopApi) => () => void;
}

export const useSync = create<SyncStoreState>((set) => ({
  state: null,
  follow(api) {
    let live = true;
    const off = api.on('sync.state', (state) => set({ state }));
    void api['sync.status']({}).then((result) => {
      if (live && result.ok) set({ state: result.value });
    });
    return () => {
      live = false;
      off();
    };
  },
}));
