import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

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
    type: TYPES[extname(path)] ?? 'application/octet-stream',
    size: info.size,
  };
}
