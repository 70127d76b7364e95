import { z } from 'zod';
import { ConflictSchema, type Conflict } from '../../../src-shared/desktop/contract.js';
import type { MergeConflict } from '../../../src-shared/merge/mergePage.js';
import type { SettingsRepository } from '../store/settingsRepository.js';

/** Enough for a season of walking through them; older ones go first. */
export const MAX_KEPT_CONFLICTS = 500;
const KEY = 'sync.conflicts';
const Stored = z.array(ConflictSchema);

export interface ConflictLogDeps {
  readonly settings: SettingsRepository;
  readonly randomId: () => string;
  readonly now: () => Date;
}

/**
 * The conflicts sync reported and the designer has not yet dismissed, kept in the local store
 * (settings) so they outlive a restart. Each has an id the list and the editor refer to.
 */
export function createConflictLog({ settings, randomId, now }: ConflictLogDeps) {
  const read = (): Conflict[] => settings.get(KEY, Stored) ?? [];
  const write = (list: readonly Conflict[]) => settings.set(KEY, list.slice(-MAX_KEPT_CONFLICTS));

  return {
    /** Adds what one sync of one album reported; returns the new entries. */
    record(
      albumId: string,
      reports: readonly { pageId: string; conflict: MergeConflict }[],
    ): Conflict[] {
      if (reports.length === 0) return [];
      const detectedAt = now().toISOString();
      const added = reports.map(({ pageId, conflict }): Conflict => ({
        id: randomId(),
        albumId,
        pageId,
        elementId: conflict.elementId,
        field: conflict.field,
        kind: conflict.kind,
        detectedAt,
      }));
      write([...read(), ...added]);
      return added;
    },
    /** Oldest first; one album's, or all. */
    list: (albumId?: string): Conflict[] =>
      read().filter((c) => albumId === undefined || c.albumId === albumId),
    count: (albumId?: string): number =>
      read().filter((c) => albumId === undefined || c.albumId === albumId).length,
    /** The designer has looked at these; unknown ids are ignored. */
    dismiss(ids: readonly string[]): void {
      const gone = new Set(ids);
      write(read().filter((c) => !gone.has(c.id)));
    },
    /** An album this account no longer sees takes its conflicts with it. */
    dropAlbum(albumId: string): void {
      write(read().filter((c) => c.albumId !== albumId));
    },
  };
}
export type ConflictLog = ReturnType<typeof createConflictLog>;
