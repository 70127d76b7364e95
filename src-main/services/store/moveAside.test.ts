import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { moveAside } from './moveAside.js';
import { tempDir } from './testing/tempStore.js';

describe('moveAside', () => {
  it('renames the database with its WAL and shared-memory files, deleting nothing', () => {
    const dir = tempDir();
    const file = path.join(dir, 'studio.db');
    fs.writeFileSync(file, 'db');
    fs.writeFileSync(`${file}-wal`, 'wal');
    fs.writeFileSync(`${file}-shm`, 'shm');
    const movedTo = moveAside(file, new Date('2026-01-02T03:04:05.006Z'));
    expect(movedTo).toBe(`${file}.corrupt-2026-01-02T03-04-05-006Z`);
    expect(fs.readdirSync(dir).sort()).toEqual(
      [
        'studio.db.corrupt-2026-01-02T03-04-05-006Z',
        'studio.db.corrupt-2026-01-02T03-04-05-006Z-shm',
        'studio.db.corrupt-2026-01-02T03-04-05-006Z-wal',
      ].sort(),
    );
    expect(fs.readFileSync(`${movedTo}-wal`, 'utf8')).toBe('wal');
  });
});
