import type { FastifyInstance } from 'fastify';
import { UNMATCHED_ROUTE, type ServerMetrics } from '../metrics/metrics.js';

/** Request counts and durations by route pattern (never raw URLs: labels must stay bounded). */
export function installRequestMetrics(app: FastifyInstance, metrics: ServerMetrics): void {
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpRequestDuration.observe(
      { method: request.method, route },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
