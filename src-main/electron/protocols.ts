import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { CONTENT_SECURITY_POLICY, MEDIA_SCHEME } from './appOrigin.js';
import { contentTypeOf } from '../services/files/contentType.js';

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * A path under `root` for an untrusted relative path, or null: `..`, encoded or raw
 * separators of the other kind, NUL and absolute paths never leave the directory.
 */
export function confinedPath(root: string, relative: string): string | null {
  if (relative.includes('\0') || relative.includes('\\') || isAbsolute(relative)) return null;
  const base = resolve(root);
  const path = resolve(base, relative);
  return path.startsWith(base + sep) ? path : null;
}

/** The same check for a path the app already holds (from its store), resolving symlinks. */
export async function insideDirectory(root: string, path: string): Promise<string | null> {
  const [base, real] = await Promise.all([
    realpath(root).catch(() => null),
    realpath(path).catch(() => null),
  ]);
  if (base === null || real === null) return null;
  return real.startsWith(base + sep) ? real : null;
}

/** Decodes one URL path segment; a decoded separator or `..` is refused, not followed. */
function decodeSegments(pathname: string): string[] | null {
  const segments: string[] = [];
  for (const raw of pathname.split('/').filter((s) => s !== '')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '..' || segment === '.' || /[/\\\0]/.test(segment)) return null;
    segments.push(segment);
  }
  return segments;
}

const notFound = () => new Response('Not found', { status: 404, headers: { ...SECURITY_HEADERS } });

async function fileResponse(path: string, headers: Record<string, string>): Promise<Response> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) return notFound();
  const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    status: 200,
    headers: {
      ...SECURITY_HEADERS,
      ...headers,
      'content-type': contentTypeOf(path),
      'content-length': String(info.size),
    },
  });
}

/**
 * `weebum://app/<file>`: the built renderer, every response with the app's
 * Content-Security-Policy. Only GET; only files inside the renderer directory.
 */
export function appProtocolHandler(rendererDir: string) {
  return async (request: Request): Promise<Response> => {
    if (request.method !== 'GET') return notFound();
    const url = new URL(request.url);
    if (url.host !== 'app') return notFound();
    const segments = decodeSegments(url.pathname);
    if (segments === null) return notFound();
    const path = confinedPath(
      rendererDir,
      segments.length === 0 ? 'index.html' : segments.join('/'),
    );
    if (path === null) return notFound();
    return fileResponse(path, {
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'cross-origin-resource-policy': 'same-origin',
      'cache-control': 'no-cache',
    });
  };
}

export interface MediaProtocolOptions {
  /** The directory media may come from (the thumbnails inside the data directory). */
  readonly mediaDir: string;
  /** A photo's thumbnail file from the store, or null when there is none. */
  readonly thumbnailFile: (photoId: string) => Promise<string | null>;
}

/** The URL the renderer gets for a photo's thumbnail in Electron. */
export const mediaThumbnailUrl = (photoId: string): string =>
  `${MEDIA_SCHEME}://thumbnail/${encodeURIComponent(photoId)}`;

/**
 * `weebum-media://thumbnail/<photo id>`: the photo's thumbnail, served only when the file the
 * store names lies inside the media directory (after resolving symlinks).
 */
export function mediaProtocolHandler(options: MediaProtocolOptions) {
  return async (request: Request): Promise<Response> => {
    if (request.method !== 'GET') return notFound();
    const url = new URL(request.url);
    const segments = decodeSegments(url.pathname);
    if (url.host !== 'thumbnail' || segments?.length !== 1) return notFound();
    const photoId = segments[0] as string;
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(photoId)) return notFound();
    const stored = await options.thumbnailFile(photoId);
    if (stored === null) return notFound();
    const path = await insideDirectory(options.mediaDir, stored);
    if (path === null) return notFound();
    return fileResponse(path, { 'cache-control': 'private, max-age=3600' });
  };
}
