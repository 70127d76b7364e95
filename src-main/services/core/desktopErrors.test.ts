import { describe, expect, it } from 'vitest';
import { dispatch, type DesktopHandlers } from '../../../src-shared/desktop/api.js';
import { CloudError } from '../cloud/cloudError.js';
import { ExportRequestError } from '../export/exportJobs.js';
import { mappingErrors } from './desktopErrors.js';

/** Handlers that fail the way the services do; the others are never called here. */
function failing(error: Error): DesktopHandlers {
  const fail = () => Promise.reject(error);
  return mappingErrors({
    'albums.list': fail,
    'export.cancel': fail,
  } as unknown as DesktopHandlers);
}

describe('the desktop error mapper around every handler', () => {
  it.each([
    [
      new CloudError('album_not_member', 'You are not a member of this album', 403),
      { code: 'album_not_member', message: 'You are not a member of this album' },
    ],
    [
      new CloudError('server_unreachable', 'The server cannot be reached', 0),
      { code: 'server_unreachable', message: 'The server cannot be reached' },
    ],
    [
      new ExportRequestError('export_not_found', 'No such export'),
      { code: 'export_not_found', message: 'No such export' },
    ],
  ])('keeps the code and message of %s', async (error, expected) => {
    const unexpected: unknown[] = [];
    const answer = await dispatch(failing(error), 'albums.list', {}, (_m, e) => unexpected.push(e));
    expect(answer).toEqual({ ok: false, error: expected });
    expect(unexpected).toEqual([]);
  });

  it('hides anything else and reports it to the log', async () => {
    const unexpected: unknown[] = [];
    const bug = new TypeError('cannot read properties of undefined');
    const answer = await dispatch(failing(bug), 'export.cancel', { exportId: 'e1' }, (_m, e) =>
      unexpected.push(e),
    );
    expect(answer).toEqual({
      ok: false,
      error: { code: 'internal_error', message: 'Something went wrong' },
    });
    expect(unexpected).toEqual([bug]);
  });

  it('passes answers through untouched', async () => {
    const handlers = mappingErrors({
      'albums.list': () => Promise.resolve([]),
    } as unknown as DesktopHandlers);
    expect(await dispatch(handlers, 'albums.list', {}, () => undefined)).toEqual({
      ok: true,
      value: [],
    });
  });
});
