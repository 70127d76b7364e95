import { describe, expect, it } from 'vitest';
import { samplePage } from '../model/fixtures.js';
import { DesktopError, dispatch, type DesktopHandlers } from './api.js';
import { DESKTOP_EVENTS, DESKTOP_METHODS, EVENT_NAMES, METHOD_NAMES } from './contract.js';

const ALBUM = '3f0d7c2a-5b1e-4c8a-9d3f-2a6b8c4e1f00';

/** Handlers that fail loudly unless a test gives one; only `dispatch` is under test here. */
function handlers(overrides: Partial<DesktopHandlers>): DesktopHandlers {
  const fail = () => Promise.reject(new Error('not used in this test'));
  const all = Object.fromEntries(METHOD_NAMES.map((m) => [m, fail])) as unknown as DesktopHandlers;
  return { ...all, ...overrides };
}

describe('desktop API dispatch', () => {
  const unexpected: unknown[] = [];
  const call = (h: DesktopHandlers, method: unknown, args: unknown) =>
    dispatch(h, method, args, (_m, e) => unexpected.push(e));

  it('validates arguments and passes the parsed value to the handler', async () => {
    const seen: unknown[] = [];
    const h = handlers({
      'pages.save': (args) => {
        seen.push(args);
        return Promise.resolve(null);
      },
    });
    const page = samplePage();
    expect(await call(h, 'pages.save', { albumId: ALBUM, page })).toEqual({
      ok: true,
      value: null,
    });
    expect(seen).toEqual([{ albumId: ALBUM, page }]);
  });

  it('refuses unknown methods, including inherited names', async () => {
    for (const name of ['pages.explode', 'toString', '__proto__', 42, null]) {
      expect(await call(handlers({}), name, {})).toEqual({
        ok: false,
        error: { code: 'unknown_method', message: 'Unknown desktop API method' },
      });
    }
  });

  it('refuses invalid arguments with the path of the first bad field, before any handler', async () => {
    const h = handlers({});
    const bad = await call(h, 'pages.save', {
      albumId: ALBUM,
      page: { ...samplePage(), elements: [{ ...samplePage().elements[0], x: 'left' }] },
    });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'invalid_arguments', path: ['page', 'elements', '0', 'x'] },
    });
    expect(
      await call(h, 'session.signIn', {
        serverUrl: 'http://cloud.example.jp',
        loginId: 'a',
        password: 'b',
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_arguments', path: ['serverUrl'] } });
    expect(await call(h, 'sync.now', { extra: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid_arguments' },
    });
  });

  it('passes deliberate errors through and hides unexpected ones', async () => {
    const h = handlers({
      'sync.now': () => Promise.reject(new DesktopError('offline', 'The server cannot be reached')),
      'sync.status': () => Promise.reject(new Error('SQLITE_CORRUPT at /home/user/secret/path')),
    });
    expect(await call(h, 'sync.now', {})).toEqual({
      ok: false,
      error: { code: 'offline', message: 'The server cannot be reached' },
    });
    expect(await call(h, 'sync.status', undefined)).toEqual({
      ok: false,
      error: { code: 'internal_error', message: 'Something went wrong' },
    });
    expect(unexpected).toHaveLength(1);
  });

  it('names every method and event once, with schemas for both sides', () => {
    expect(new Set(METHOD_NAMES).size).toBe(METHOD_NAMES.length);
    for (const name of METHOD_NAMES) {
      expect(DESKTOP_METHODS[name].args).toBeDefined();
      expect(DESKTOP_METHODS[name].result).toBeDefined();
    }
    expect(EVENT_NAMES.every((e) => DESKTOP_EVENTS[e] !== undefined)).toBe(true);
  });

  it('makes a missing handler a compile error', () => {
    const { 'sync.now': _dropped, ...rest } = handlers({});
    // @ts-expect-error 'sync.now' is missing: the handler table must be complete.
    const incomplete: DesktopHandlers = rest;
    expect(Object.keys(incomplete)).not.toContain('sync.now');
  });
});
