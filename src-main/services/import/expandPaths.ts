/**
 * Turns what the user chose (files and folders) into the list of files to look at. Folders are
 * walked recursively; only regular files count, and hidden files and the operating systems'
 * own clutter are left out. A chosen path that cannot be read is a failure, not a crash.
 */
import { promises as fs, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { errorMessage } from './errorMessage.js';
import type { ImportFailure } from './importTypes.js';

export interface CandidateFile {
  readonly path: string;
  readonly byteSize: number;
}

export interface ExpandedPaths {
  readonly files: readonly CandidateFile[];
  readonly failures: readonly ImportFailure[];
}

const NOT_UTF8 = 'the file name is not valid UTF-8; rename the file to import it';

/** Files a camera, Windows or macOS leaves in photo folders that are never photos. */
const CLUTTER = new Set(['thumbs.db', 'desktop.ini', 'ehthumbs.db']);
const isClutter = (name: string): boolean =>
  name.startsWith('.') || CLUTTER.has(name.toLowerCase());

export async function expandPaths(
  paths: readonly string[],
  signal?: AbortSignal,
): Promise<ExpandedPaths> {
  const files: CandidateFile[] = [];
  const failures: ImportFailure[] = [];
  // The same file or folder reached twice (chosen twice, inside a chosen folder, via a
  // symbolic link) is looked at once; a link loop ends here too.
  const seen = new Set<string>();
  const firstVisit = (stat: Stats) => {
    const key = `${stat.dev}:${stat.ino}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  const unreadable = (path: string, error: unknown) =>
    failures.push({ path, reason: 'unreadable', message: errorMessage(error) });
  const addFile = (path: string, stat: Stats) => {
    if (!firstVisit(stat)) return;
    if (stat.size === 0) {
      failures.push({ path, reason: 'empty_file', message: 'the file has 0 bytes', byteSize: 0 });
    } else {
      files.push({ path, byteSize: stat.size });
    }
  };

  const walk = async (dir: string): Promise<void> => {
    signal?.throwIfAborted();
    let names: string[];
    try {
      // As bytes: Linux allows names that are not UTF-8 (a USB stick written in Shift_JIS), and
      // a decoded name with U+FFFD in it names no file, so it could only fail as unreadable.
      const raw = await fs.readdir(dir, { encoding: 'buffer' });
      names = [];
      for (const bytes of raw) {
        const name = bytes.toString('utf8');
        if (isClutter(name)) continue;
        if (Buffer.from(name, 'utf8').equals(bytes)) names.push(name);
        else
          failures.push({ path: join(dir, name), reason: 'file_name_not_utf8', message: NOT_UTF8 });
      }
      names.sort();
    } catch (error) {
      unreadable(dir, error);
      return;
    }
    // stat follows symbolic links: a link to a photo counts, a dangling one is unreadable.
    const entries = await Promise.all(
      names.map(async (name) => {
        const path = join(dir, name);
        try {
          return { path, stat: await fs.stat(path) };
        } catch (error) {
          return { path, error };
        }
      }),
    );
    for (const entry of entries) {
      if (!entry.stat) unreadable(entry.path, entry.error);
      else if (entry.stat.isDirectory()) {
        if (firstVisit(entry.stat)) await walk(entry.path);
      } else if (entry.stat.isFile()) addFile(entry.path, entry.stat);
      // FIFOs, sockets and devices in a folder are not photos: left out silently.
    }
  };

  for (const chosen of paths) {
    signal?.throwIfAborted();
    const path = resolve(chosen);
    let stat: Stats;
    try {
      stat = await fs.stat(path);
    } catch (error) {
      unreadable(path, error);
      continue;
    }
    // What the user chose explicitly is looked at even when its name is hidden.
    if (stat.isDirectory()) {
      if (firstVisit(stat)) await walk(path);
    } else if (stat.isFile()) addFile(path, stat);
    else unreadable(path, new Error('not a regular file or folder'));
  }
  return { files, failures };
}
