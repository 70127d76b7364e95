import { describe, expect, it } from 'vitest';
import { blankPage } from './blankPage.js';
import { parsePage } from './parse.js';

describe('blankPage', () => {
  it('is a valid, never-pushed white page at the given place', () => {
    const page = blankPage('album-1', 'page-1', 3);
    expect(page).toEqual({
      schemaVersion: 1,
      id: 'page-1',
      albumId: 'album-1',
      index: 3,
      version: 0,
      background: { kind: 'color', color: '#ffffff' },
      elements: [],
    });
    expect(parsePage(page).ok).toBe(true);
  });
});
