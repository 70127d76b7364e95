import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addRoute } from '../http/route.js';

const About = z.object({
  service: z.literal('weebum-cloud'),
  version: z.string(),
  apiVersion: z.literal('v1'),
  /** Where customer data is stored (P2). */
  storageRegion: z.string(),
});

export function registerAboutRoutes(
  app: FastifyInstance,
  deps: { version: string; storageRegion: string },
): void {
  addRoute(app, {
    method: 'GET',
    url: '/v1/about',
    access: { public: true },
    summary: 'Service name, version and storage region',
    tags: ['system'],
    reply: About,
    handler: () => ({
      service: 'weebum-cloud' as const,
      version: deps.version,
      apiVersion: 'v1' as const,
      storageRegion: deps.storageRegion,
    }),
  });
}
