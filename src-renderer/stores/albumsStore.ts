import { create } from 'zustand';
import type { DesktopApi } from '../../src-shared/desktop/api.js';
import type { AlbumSummary, MethodArgs } from '../../src-shared/desktop/contract.js';
import type { AppError } from '../../src-shared/result.js';

interface AlbumsState {
  readonly albums: readonly AlbumSummary[];
  readonly loading: boolean;
  readonly error: AppError | null;
  readonly load: (api: DesktopApi) => Promise<void>;
  readonly create: (
    api: DesktopApi,
    album: MethodArgs<'albums.create'>,
  ) => Promise<AppError | null>;
}

/** The albums this account has locally (the sync engine keeps them up to date). */
export const useAlbums = create<AlbumsState>((set, get) => ({
  albums: [],
  loading: false,
  error: null,
  async load(api) {
    set({ loading: true });
    const result = await api['albums.list']({});
    set(
      result.ok
        ? { albums: result.value, loading: false, error: null }
        : { loading: false, error: result.error },
    );
  },
  async create(api, album) {
    const result = await api['albums.create'](album);
    if (!result.ok) return result.error;
    set({ albums: [...get().albums.filter((a) => a.id !== result.value.id), result.value] });
    return null;
  },
}));
