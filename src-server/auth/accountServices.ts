import type { FastifyInstance } from 'fastify';
import { registerSessionRoutes } from '../sessions/sessionRoutes.js';
import { createSessionService, type SessionService } from '../sessions/sessionService.js';
import { registerTenantRoutes } from '../tenants/tenantRoutes.js';
import { createTenantService, type TenantService } from '../tenants/tenantService.js';
import { registerMeRoutes } from '../users/meRoutes.js';
import { registerUserRoutes } from '../users/userRoutes.js';
import { createUserService, type UserService } from '../users/userService.js';
import type { AccountDeps } from './accountDeps.js';

export interface AccountServices {
  readonly sessions: SessionService;
  readonly users: UserService;
  readonly tenants: TenantService;
}

export function createAccountServices(deps: AccountDeps): AccountServices {
  return {
    sessions: createSessionService(deps),
    users: createUserService(deps),
    tenants: createTenantService(deps),
  };
}

/** Sign-in and sessions, the caller's own account, tenant admins' users, operator's tenants. */
export function registerAccountRoutes(
  app: FastifyInstance,
  services: AccountServices,
  metrics: { signInFailures: { inc(): void } },
): void {
  registerSessionRoutes(app, services.sessions, metrics.signInFailures);
  registerMeRoutes(app, services);
  registerUserRoutes(app, services.users);
  registerTenantRoutes(app, services);
}
