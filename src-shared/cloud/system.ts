import { z } from 'zod';
import { defineRoute } from './routeSpec.js';

const Status = z.object({ status: z.string() });

export const About = z.object({
  service: z.literal('weebum-cloud'),
  version: z.string(),
  apiVersion: z.literal('v1'),
  /** Where customer data is stored (P2). */
  storageRegion: z.string(),
});
export type About = z.output<typeof About>;

/** Probes, the service's identity and the API's own description. */
export const systemApi = {
  /** The process answers; deliberately no database call. */
  liveness: defineRoute({
    method: 'GET',
    path: '/healthz',
    access: { public: true },
    summary: 'Liveness',
    tags: ['system'],
    reply: Status,
  }),
  /** A reachable database with the schema this release expects (P16). */
  readiness: defineRoute({
    method: 'GET',
    path: '/readyz',
    access: { public: true },
    summary: 'Readiness: database reachable and migrations current',
    tags: ['system'],
    reply: Status,
  }),
  about: defineRoute({
    method: 'GET',
    path: '/v1/about',
    access: { public: true },
    summary: 'Service name, version and storage region',
    tags: ['system'],
    reply: About,
  }),
  openapi: defineRoute({
    method: 'GET',
    path: '/v1/openapi.json',
    access: { public: true },
    summary: 'This API described as OpenAPI 3',
    tags: ['system'],
    reply: z.unknown(),
  }),
};
