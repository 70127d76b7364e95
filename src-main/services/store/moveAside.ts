import fs from 'node:fs';

/** SQLite's companion files; the WAL belongs to its database and must move with it. */
const COMPANIONS = ['-wal', '-shm', '-journal'] as const;

const stamp = (at: Date) => at.toISOString().replace(/[:.]/g, '-');

/**
 * Renames `file` (and its -wal/-shm/-journal) to `<file>.corrupt-<timestamp>`, adding a counter
 * if that name is taken. Nothing is deleted. Returns the new path of the main file.
 */
export function moveAside(file: string, at: Date): string {
  let target = `${file}.corrupt-${stamp(at)}`;
  for (let n = 1; fs.existsSync(target); n++) target = `${file}.corrupt-${stamp(at)}-${n}`;
  fs.renameSync(file, target);
  for (const suffix of COMPANIONS) {
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, target + suffix);
  }
  return target;
}
