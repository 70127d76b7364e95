import type { FastifyServerOptions } from 'fastify';
import type { LogLevel } from '../config.js';

/**
 * Keys that may hold secrets, redacted wherever a logged object carries them. A safety net:
 * request bodies and headers are not logged in the first place.
 */
const SECRET_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'temporaryPassword',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
];
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
];

interface LogDestination {
  write(line: string): void;
}

/** Only the parts of an error worth having; driver errors' `detail` can hold row values. */
function serializeError(error: Error): {
  type: string;
  message: string;
  stack: string;
  [key: string]: unknown;
} {
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    stack: error.stack ?? '',
  };
}

/**
 * Structured JSON logs with UTC ISO timestamps (P12). Per-request lines are off: the access log
 * table is the one record of requests (P13), and URLs and addresses stay out of log files.
 */
export function loggerOptions(
  level: LogLevel,
  destination: LogDestination,
): FastifyServerOptions['logger'] {
  return {
    level,
    stream: destination,
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError, error: serializeError },
  };
}
