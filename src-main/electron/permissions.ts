import type { Session } from 'electron';

/**
 * The app needs no web permission (camera, notifications, geolocation, HID, ...): every
 * request and check is refused, so a compromised page cannot ask the user for one.
 */
export function denyAllPermissions(
  session: Pick<
    Session,
    'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
  >,
  log: (message: string) => void,
): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`permission refused: ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
