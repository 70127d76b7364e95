import { describe, expect, it } from 'vitest';
import { denyAllPermissions } from './permissions.js';

type RequestHandler = (contents: unknown, permission: string, cb: (ok: boolean) => void) => void;

describe('web permissions', () => {
  it('refuses every request and check', () => {
    const installed: {
      request?: RequestHandler;
      check?: () => boolean;
      device?: () => boolean;
    } = {};
    const logged: string[] = [];
    const session = {
      setPermissionRequestHandler: (h: RequestHandler) => void (installed.request = h),
      setPermissionCheckHandler: (h: () => boolean) => void (installed.check = h),
      setDevicePermissionHandler: (h: () => boolean) => void (installed.device = h),
    };
    denyAllPermissions(session, (m) => logged.push(m));
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read'])
      installed.request?.({}, permission, (ok) => answers.push(ok));
    expect(answers).toEqual([false, false, false, false]);
    expect(installed.check?.()).toBe(false);
    expect(installed.device?.()).toBe(false);
    expect(logged).toContain('permission refused: media');
  });
});
