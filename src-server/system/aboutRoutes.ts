import type { FastifyInstance } from 'fastify';
import { systemApi } from '../../src-shared/cloud/system.js';
import { addRoute } from '../http/route.js';

export function registerAboutRoutes(
  app: FastifyInstance,
  deps: { version: string; storageRegion: string },
): void {
  addRoute(app, systemApi.about, {
    handler: () => ({
      service: 'weebum-cloud' as const,
      version: deps.version,
      apiVersion: 'v1' as const,
      storageRegion: deps.storageRegion,
    }),
  });
}
