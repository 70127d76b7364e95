import type { Role } from '../../src-shared/auth/roles.js';
import type { UserProfile } from '../users/userRepository.js';

/** Who is calling, set by the token check on every non-public route. */
export interface AuthContext {
  readonly userId: string;
  /** null for the operator, who belongs to no customer tenant. */
  readonly tenantId: string | null;
  readonly role: Role;
  readonly sessionId: string;
  /** Opened with a temporary password: only changing it or signing out is allowed (P6). */
  readonly passwordChangeRequired: boolean;
  /** The tenant's contract has ended: it is read-only until purged (P4). */
  readonly contractEnded: boolean;
  /** The caller's account as read with the token, in the same query (decrypted on first use). */
  readonly profile: () => UserProfile;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthContext;
  }
}
