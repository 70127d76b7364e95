import type { Page } from '../model/page.js';

/**
 * How many times each photo is placed in an album: once per image frame holding it and once
 * per page background showing it. Photos placed nowhere are absent (count 0).
 */
export function placementCounts(pages: readonly Page[]): ReadonlyMap<string, number> {
  const counts = new Map<string, number>();
  const add = (photoId: string) => counts.set(photoId, (counts.get(photoId) ?? 0) + 1);
  for (const page of pages) {
    if (page.background.kind === 'photo') add(page.background.photoId);
    for (const element of page.elements) {
      if (element.kind === 'image' && element.photoId !== null) add(element.photoId);
    }
  }
  return counts;
}

export interface LibraryPhoto {
  readonly id: string;
  readonly importBatchId: string | null;
  /** EXIF date as written in the file ("2026:03:14 09:30:00"), or null. */
  readonly takenAtLocal: string | null;
}

export interface PhotoFilter {
  /** Only photos of this import batch. */
  readonly batchId?: string | undefined;
  /** Only photos taken on or after this day (YYYY-MM-DD, the camera's local date). */
  readonly takenFrom?: string | undefined;
  /** Only photos taken on or before this day (YYYY-MM-DD). */
  readonly takenTo?: string | undefined;
  readonly placed?: 'used' | 'unused' | undefined;
}

/** The camera's local day of an EXIF date ("2026:03:14 ..." or ISO), or null. */
export function takenDay(takenAtLocal: string | null): string | null {
  const match = takenAtLocal ? /^(\d{4})[:-](\d{2})[:-](\d{2})/.exec(takenAtLocal) : null;
  return match ? `${match[1]}-${match[2]}-${match[3]}` : null;
}

/**
 * The photos a library filter keeps, in their order. A date bound drops photos without a date
 * (nothing says they were taken in the range).
 */
export function filterPhotos<P extends LibraryPhoto>(
  photos: readonly P[],
  filter: PhotoFilter,
  counts: ReadonlyMap<string, number>,
): P[] {
  return photos.filter((photo) => {
    if (filter.batchId && photo.importBatchId !== filter.batchId) return false;
    if (filter.takenFrom || filter.takenTo) {
      const day = takenDay(photo.takenAtLocal);
      if (day === null) return false;
      if (filter.takenFrom && day < filter.takenFrom) return false;
      if (filter.takenTo && day > filter.takenTo) return false;
    }
    const used = (counts.get(photo.id) ?? 0) > 0;
    if (filter.placed === 'used' && !used) return false;
    if (filter.placed === 'unused' && used) return false;
    return true;
  });
}
