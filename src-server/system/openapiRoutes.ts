import type { FastifyInstance } from 'fastify';
// Type-only: brings in @fastify/swagger's additions to FastifyInstance and FastifySchema.
import type {} from '@fastify/swagger';

/** The OpenAPI document @fastify/swagger builds from every route's schema. */
export function registerOpenapiRoutes(app: FastifyInstance): void {
  app.get(
    '/v1/openapi.json',
    { config: { access: { public: true } }, schema: { hide: true } },
    () => app.swagger(),
  );
}
