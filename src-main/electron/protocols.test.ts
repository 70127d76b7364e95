import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appProtocolHandler,
  confinedPath,
  mediaProtocolHandler,
  mediaThumbnailUrl,
} from './protocols.js';

let root: string;
let dataDir: string;
let rendererDir: string;
let thumbs: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'weebum-protocol-'));
  dataDir = join(root, 'data');
  rendererDir = join(root, 'renderer');
  thumbs = join(dataDir, 'thumbnails');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await mkdir(thumbs, { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(dataDir, 'studio.db'), 'secret database');
  await writeFile(join(root, 'outside.jpg'), 'outside');
  await writeFile(join(thumbs, 'p1.jpg'), 'jpeg bytes');
  await symlink(join(root, 'outside.jpg'), join(thumbs, 'link.jpg'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const get = (url: string) => new Request(url);

/** The whole policy, written out: any loosening (a source, a keyword, a directive) fails. */
const APP_CSP =
  "default-src 'self'; img-src 'self' data: blob: weebum-media:; style-src 'self' 'unsafe-inline'; " +
  "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

describe('confinedPath', () => {
  it.each([
    ['index.html', true],
    ['assets/app.js', true],
    ['../data/studio.db', false],
    ['assets/../../data/studio.db', false],
    ['/etc/passwd', false],
    ['..\\data\\studio.db', false],
    ['index.html\0.png', false],
    ['', false],
    ['.', false],
  ])('%j stays inside: %s', (relative, inside) => {
    const path = confinedPath(rendererDir, relative);
    expect(path !== null).toBe(inside);
    if (path) expect(path.startsWith(rendererDir)).toBe(true);
  });
});

describe('the app protocol', () => {
  const handler = () => appProtocolHandler(rendererDir);

  it('serves the renderer, every file with the whole Content-Security-Policy', async () => {
    const res = await handler()(get('weebum://app/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('<title>app</title>');
    const root = await handler()(get('weebum://app/'));
    expect(root.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(await root.text()).toContain('<title>app</title>');
    const script = await handler()(get('weebum://app/assets/app.js'));
    expect(script.status).toBe(200);
    expect(script.headers.get('content-security-policy')).toBe(APP_CSP);
  });

  it.each([
    'weebum://app/..%2Fdata%2Fstudio.db',
    'weebum://app/assets%2F..%2F..%2Fdata%2Fstudio.db',
    'weebum://app/%2E%2E/data/studio.db',
    'weebum://app/..%5Cdata%5Cstudio.db',
    'weebum://app/%2Fetc%2Fpasswd',
    'weebum://app/' + encodeURIComponent('/tmp/weebum/data/studio.db'),
    'weebum://app/index.html%00.png',
    'weebum://app/%E0%A4%A',
    'weebum://other/index.html',
    'weebum://app/missing.js',
  ])('refuses %s', async (url) => {
    const res = await handler()(get(url));
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('secret');
  });

  it('refuses anything but GET', async () => {
    const res = await handler()(new Request('weebum://app/index.html', { method: 'POST' }));
    expect(res.status).toBe(404);
  });
});

describe('the media protocol', () => {
  const stored = new Map<string, string>();
  const handler = () =>
    mediaProtocolHandler({
      mediaDir: thumbs,
      thumbnailFile: (id) => Promise.resolve(stored.get(id) ?? null),
    });

  beforeAll(() => {
    stored.set('p1', join(thumbs, 'p1.jpg'));
    stored.set('outside', join(root, 'outside.jpg'));
    stored.set('db', join(dataDir, 'studio.db'));
    stored.set('relative', 'thumbnails/../studio.db');
    stored.set('traversal', join(thumbs, '..', 'studio.db'));
    stored.set('link', join(thumbs, 'link.jpg'));
  });

  it('serves a thumbnail inside the thumbnails directory', async () => {
    const res = await handler()(get(mediaThumbnailUrl('p1')));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(await res.text()).toBe('jpeg bytes');
  });

  it.each(['outside', 'db', 'relative', 'traversal', 'link', 'unknown'])(
    'refuses a stored path that leaves the directory (%s)',
    async (id) => {
      const res = await handler()(get(mediaThumbnailUrl(id)));
      expect(res.status).toBe(404);
    },
  );

  it.each([
    'weebum-media://thumbnail/..%2Fstudio.db',
    'weebum-media://thumbnail/%2Fetc%2Fpasswd',
    'weebum-media://thumbnail/p1/extra',
    'weebum-media://thumbnail/',
    'weebum-media://app/p1',
  ])('refuses %s', async (url) => {
    expect((await handler()(get(url))).status).toBe(404);
  });
});
