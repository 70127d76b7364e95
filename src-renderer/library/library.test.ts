import { describe, expect, it } from 'vitest';
import { importBatches } from './batches.js';
import { PHOTO_DRAG_TYPE, photoDragValue, readPhotoDrag } from './photoDrag.js';

describe('photo drag data', () => {
  it('carries the photo id and pixel size as JSON under our type', () => {
    expect(PHOTO_DRAG_TYPE).toBe('application/x-weebum-photo');
    const value = photoDragValue({ id: 'p-1', width: 4000, height: 3000 });
    expect(JSON.parse(value)).toEqual({ photoId: 'p-1', widthPx: 4000, heightPx: 3000 });
    expect(readPhotoDrag(value)).toEqual({ photoId: 'p-1', widthPx: 4000, heightPx: 3000 });
  });

  it('reads nothing from other drops', () => {
    expect(readPhotoDrag('not json')).toBeNull();
    expect(readPhotoDrag('{"photoId": 3}')).toBeNull();
    expect(readPhotoDrag('null')).toBeNull();
  });
});

describe('importBatches', () => {
  it('numbers batches in import order with their photo counts, skipping photos without one', () => {
    const batches = importBatches([
      { importBatchId: 'late', importedAt: '2026-11-25T10:00:00Z' },
      { importBatchId: 'early', importedAt: '2026-11-24T09:00:01Z' },
      { importBatchId: 'early', importedAt: '2026-11-24T09:00:00Z' },
      { importBatchId: null, importedAt: '2026-11-20T00:00:00Z' },
    ]);
    expect(batches).toEqual([
      { id: 'early', number: 1, importedAt: '2026-11-24T09:00:00Z', count: 2 },
      { id: 'late', number: 2, importedAt: '2026-11-25T10:00:00Z', count: 1 },
    ]);
  });
});
