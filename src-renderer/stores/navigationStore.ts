import { create } from 'zustand';

export type Screen =
  | { readonly name: 'albums' }
  | { readonly name: 'album'; readonly albumId: string }
  | { readonly name: 'admin' }
  | { readonly name: 'audit' };

interface NavigationState {
  readonly screen: Screen;
  readonly go: (screen: Screen) => void;
}

/** Which screen the signed-in user sees. */
export const useNavigation = create<NavigationState>((set) => ({
  screen: { name: 'albums' },
  go: (screen) => set({ screen }),
}));
