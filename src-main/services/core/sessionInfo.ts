import type { SessionInfo } from '../../../src-shared/desktop/contract.js';
import type { CloudUser } from '../cloud/cloudSession.js';
import type { CredentialAvailability } from '../credentials/credentialStore.js';

export function toSessionInfo(
  serverUrl: string,
  user: CloudUser,
  availability: CredentialAvailability,
): SessionInfo {
  return {
    serverUrl,
    userId: user.id,
    loginId: user.loginId,
    displayName: user.displayName,
    role: user.role,
    tenantId: user.tenantId,
    passwordChangeRequired: user.passwordChangeRequired,
    remembered: availability.persistent,
    notRememberedReason: availability.persistent ? null : availability.message,
  };
}
