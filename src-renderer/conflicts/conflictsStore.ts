import { create } from 'zustand';
import type { DesktopApi } from '../../src-shared/desktop/api.js';
import type { Conflict } from '../../src-shared/desktop/contract.js';

interface ConflictsState {
  /** The open album's conflicts not yet dismissed, oldest first. */
  readonly albumId: string | null;
  readonly conflicts: readonly Conflict[];
  /**
   * Reads `conflicts.list` for the album, again whenever sync reports new ones or its count
   * changes; returns the unsubscribe. The page editor reads `conflicts` to mark elements.
   */
  readonly follow: (api: DesktopApi, albumId: string) => () => void;
  readonly dismiss: (api: DesktopApi, ids: readonly string[]) => Promise<void>;
}

export const useConflicts = create<ConflictsState>((set, get) => {
  const read = async (api: DesktopApi, albumId: string) => {
    const result = await api['conflicts.list']({ albumId });
    if (result.ok && get().albumId === albumId) set({ conflicts: result.value });
  };
  return {
    albumId: null,
    conflicts: [],
    follow(api, albumId) {
      set({ albumId, conflicts: [] });
      void read(api, albumId);
      let count: number | null = null;
      const offFound = api.on('sync.conflicts', (found) => {
        if (found.some((c) => c.albumId === albumId)) void read(api, albumId);
      });
      const offState = api.on('sync.state', (state) => {
        if (count !== null && state.conflicts !== count) void read(api, albumId);
        count = state.conflicts;
      });
      return () => {
        offFound();
        offState();
        if (get().albumId === albumId) set({ albumId: null, conflicts: [] });
      };
    },
    async dismiss(api, ids) {
      if (ids.length === 0) return;
      const gone = new Set(ids);
      set({ conflicts: get().conflicts.filter((c) => !gone.has(c.id)) });
      await api['conflicts.dismiss']({ ids: [...ids] });
      const albumId = get().albumId;
      if (albumId) await read(api, albumId);
    },
  };
});

/** The element ids of a page that have conflicts (for the editor's marks). */
export const conflictedElements = (
  conflicts: readonly Conflict[],
  pageId: string,
): ReadonlySet<string> =>
  new Set(conflicts.flatMap((c) => (c.pageId === pageId && c.elementId ? [c.elementId] : [])));
