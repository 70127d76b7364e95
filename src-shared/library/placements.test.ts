import { describe, expect, it } from 'vitest';
import { sampleAlbum } from '../model/fixtures.js';
import { DEFAULT_PLACEMENT, PAGE_SCHEMA_VERSION, type Element, type Page } from '../model/page.js';
import { filterPhotos, placementCounts, takenDay, type LibraryPhoto } from './placements.js';

const albumId = sampleAlbum().id;

function frame(id: string, photoId: string | null): Element {
  return {
    id,
    kind: 'image',
    x: 0,
    y: 0,
    width: 10,
    height: 10,
    rotation: 0,
    locked: false,
    photoId,
    placement: DEFAULT_PLACEMENT,
  };
}

function page(id: string, elements: Element[], backgroundPhoto?: string): Page {
  return {
    schemaVersion: PAGE_SCHEMA_VERSION,
    id,
    albumId,
    index: 0,
    version: 0,
    background: backgroundPhoto
      ? { kind: 'photo', photoId: backgroundPhoto, placement: DEFAULT_PLACEMENT }
      : { kind: 'color', color: '#ffffff' },
    elements,
  };
}

describe('placementCounts', () => {
  it('counts every frame and background holding a photo, across pages', () => {
    const counts = placementCounts([
      page('p1', [frame('a', 'photo-1'), frame('b', 'photo-1'), frame('c', null)]),
      page('p2', [frame('a', 'photo-2')], 'photo-1'),
      page('p3', []),
    ]);
    expect([...counts.entries()].sort()).toEqual([
      ['photo-1', 3],
      ['photo-2', 1],
    ]);
  });

  it('ignores text boxes and shapes', () => {
    const text: Element = {
      id: 't',
      kind: 'text',
      x: 0,
      y: 0,
      width: 10,
      height: 10,
      rotation: 0,
      locked: false,
      text: 'photo-1',
      fontFamily: 'IPAexGothic',
      sizePt: 10,
      color: '#000000',
      align: 'start',
      lineHeight: 1.5,
      vertical: true,
    };
    expect(placementCounts([page('p1', [text])]).size).toBe(0);
  });
});

describe('filterPhotos', () => {
  const photos: LibraryPhoto[] = [
    { id: 'a', importBatchId: 'b1', takenAtLocal: '2026:03:14 09:30:00' },
    { id: 'b', importBatchId: 'b1', takenAtLocal: null },
    { id: 'c', importBatchId: 'b2', takenAtLocal: '2026:04:01 12:00:00' },
    { id: 'd', importBatchId: null, takenAtLocal: '2025-12-24T18:00:00' },
  ];
  const counts = new Map([['c', 2]]);
  const ids = (filter: Parameters<typeof filterPhotos>[1]) =>
    filterPhotos(photos, filter, counts).map((p) => p.id);

  it('keeps everything without a filter', () => {
    expect(ids({})).toEqual(['a', 'b', 'c', 'd']);
  });
  it('keeps one import batch', () => {
    expect(ids({ batchId: 'b1' })).toEqual(['a', 'b']);
  });
  it('keeps a date range (inclusive days), dropping undated photos', () => {
    expect(ids({ takenFrom: '2026-03-14' })).toEqual(['a', 'c']);
    expect(ids({ takenTo: '2026-03-14' })).toEqual(['a', 'd']);
    expect(ids({ takenFrom: '2026-03-15', takenTo: '2026-04-01' })).toEqual(['c']);
  });
  it('keeps used or unused photos of this album', () => {
    expect(ids({ placed: 'used' })).toEqual(['c']);
    expect(ids({ placed: 'unused' })).toEqual(['a', 'b', 'd']);
  });
  it('combines filters', () => {
    expect(ids({ batchId: 'b1', placed: 'unused', takenFrom: '2026-01-01' })).toEqual(['a']);
  });
  it('reads the day of EXIF and ISO dates', () => {
    expect(takenDay('2026:03:14 09:30:00')).toBe('2026-03-14');
    expect(takenDay('2025-12-24T18:00:00')).toBe('2025-12-24');
    expect(takenDay('garbage')).toBeNull();
    expect(takenDay(null)).toBeNull();
  });
});
