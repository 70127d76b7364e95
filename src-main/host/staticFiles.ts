import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { contentTypeOf } from '../services/files/contentType.js';

/**
 * Resolves a URL path to a file inside `root`, or null: encoded separators, `..` and absolute
 * paths never leave the directory.
 */
export async function openStatic(
  root: string,
  urlPath: string,
): Promise<{ stream: Readable; type: string; size: number } | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const base = resolve(root);
  const path = resolve(base, `.${decoded === '/' ? '/index.html' : decoded}`);
  if (path !== base && !path.startsWith(base + sep)) return null;
  return openFile(path);
}

/** A regular file the host decided to serve (already confined by its caller). */
export async function openFile(
  path: string,
): Promise<{ stream: Readable; type: string; size: number } | null> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) return null;
  return {
    stream: createReadStream(path),
    type: contentTypeOf(path),
    size: info.size,
  };
}
