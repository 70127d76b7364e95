import { describe, expect, it } from 'vitest';
import { contentTypeOf } from './contentType.js';

describe('contentTypeOf', () => {
  it.each([
    ['/r/index.html', 'text/html; charset=utf-8'],
    ['/r/assets/main-abc.js', 'text/javascript; charset=utf-8'],
    ['/r/assets/main.CSS', 'text/css; charset=utf-8'],
    ['/r/assets/main.js.map', 'application/json'],
    ['/r/fonts/ipaexm.ttf', 'font/ttf'],
    ['/photos/a.JPG', 'image/jpeg'],
    ['/photos/a.jpeg', 'image/jpeg'],
    ['/photos/a.webp', 'image/webp'],
    ['/r/unknown.bin', 'application/octet-stream'],
    ['/r/no-extension', 'application/octet-stream'],
  ])('%s is %s', (path, type) => {
    expect(contentTypeOf(path)).toBe(type);
  });
});
