import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { UNMATCHED_ROUTE } from '../metrics/metrics.js';
import type { AccessLogWriter } from './accessLogWriter.js';

/**
 * One access-log row per answered request (P13), queued in onResponse, after the response has
 * gone out. The route is the pattern Fastify matched, so ids, query strings and tokens in a URL
 * never reach the log; who called comes from `request.auth` when the token check set it.
 */
export function installAccessLog(
  app: FastifyInstance,
  writer: AccessLogWriter,
  now: () => Date,
): void {
  app.addHook('onResponse', (request, reply, done) => {
    const durationMs = reply.elapsedTime;
    writer.add({
      occurredAt: new Date(now().getTime() - durationMs),
      tenantId: request.auth?.tenantId ?? null,
      userId: request.auth?.userId ?? null,
      method: request.method,
      route: request.routeOptions.url ?? UNMATCHED_ROUTE,
      status: reply.statusCode,
      durationMs: Math.round(durationMs),
      // A forwarded value that is not an address (a misbehaving proxy) is not stored.
      sourceAddress: isIP(request.ip) === 0 ? null : request.ip,
    });
    done();
  });
  app.addHook('onClose', async () => {
    await writer.flush();
  });
}
