import { describe, expect, it } from 'vitest';
import { groupByAlbum, startAheadRoom } from './uploadsStartedAhead.js';

describe('uploads started ahead', () => {
  it('starts up to four per slot, and only when there is room for a slot each', () => {
    expect([
      startAheadRoom(4, 0),
      startAheadRoom(4, 12),
      startAheadRoom(4, 13),
      startAheadRoom(4, 0, 4),
      startAheadRoom(4, 0, 3),
      startAheadRoom(1, 3),
      startAheadRoom(1, 4),
    ]).toEqual([16, 4, 0, 4, 0, 1, 0]);
  });

  it('groups by album, each album in its order', () => {
    const entry = (id: string, albumId: string) => ({ id, photo: { albumId } });
    const grouped = groupByAlbum([
      entry('1', 'b'),
      entry('2', 'a'),
      entry('3', 'b'),
      entry('4', 'a'),
      entry('5', 'c'),
    ]);
    expect([...grouped].map(([album, list]) => [album, list.map((e) => e.id)])).toEqual([
      ['b', ['1', '3']],
      ['a', ['2', '4']],
      ['c', ['5']],
    ]);
  });
});
