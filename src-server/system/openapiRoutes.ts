import type { FastifyInstance } from 'fastify';
// Type-only: brings in @fastify/swagger's additions to FastifyInstance and FastifySchema.
import type {} from '@fastify/swagger';
import { systemApi } from '../../src-shared/cloud/system.js';
import { addRoute } from '../http/route.js';

/** The OpenAPI document @fastify/swagger builds from every route's schema. */
export function registerOpenapiRoutes(app: FastifyInstance): void {
  addRoute(app, systemApi.openapi, { hide: true, handler: () => app.swagger() });
}
