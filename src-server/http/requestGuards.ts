import { Stream } from 'node:stream';
import { ApiError } from './apiError.js';

type Path = (string | number)[];

/** Parsed request data, as opposed to a raw upload's stream or bytes (the local blob routes). */
const isParsedObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !(value instanceof Stream) &&
  !ArrayBuffer.isView(value) &&
  !(value instanceof ArrayBuffer);

/** The first place in `value` where `bad` holds for a string, a key or a number. */
function findIn(value: unknown, bad: (leaf: string | number) => boolean, path: Path): Path | null {
  if (typeof value === 'string' || typeof value === 'number') return bad(value) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findIn(value[i], bad, [...path, i]);
      if (found !== null) return found;
    }
    return null;
  }
  // A raw upload's body is a stream, whose object graph is no request data and loops back on
  // itself: walking it never ended.
  if (isParsedObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (bad(key)) return [...path, key];
      const found = findIn(item, bad, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}

const hasNul = (leaf: string | number) => typeof leaf === 'string' && leaf.includes('\u0000');
const notFinite = (leaf: string | number) => typeof leaf === 'number' && !Number.isFinite(leaf);

/**
 * Where the first NUL character (U+0000) is in a parsed request part (object keys included),
 * as a path of keys and indexes, or null when there is none.
 */
export const findNul = (value: unknown, path: Path = []): Path | null =>
  findIn(value, hasNul, path);

/**
 * PostgreSQL stores no NUL in text or jsonb (it fails the statement), and page documents and
 * album settings are free-form JSON a schema rule cannot reach into, so every part of every
 * request is searched here, once, before validation: a NUL anywhere is 400 `validation_failed`
 * naming where it is. Nothing legitimate contains one.
 */
export const refuseNul = (parts: RequestParts): void =>
  refuse(parts, hasNul, 'must not contain the NUL character');

/**
 * After validation: ajv lets a number too large for a double through (`?limit=1e309` and a
 * body's `1e309` become Infinity, and its bounds do not stop them), so every number is checked
 * to be finite here, once for every route.
 */
export const refuseNonFinite = (parts: RequestParts): void =>
  refuse(parts, notFinite, 'must be a finite number');

interface RequestParts {
  readonly params: unknown;
  readonly query: unknown;
  readonly body: unknown;
}

function refuse(parts: RequestParts, bad: (leaf: string | number) => boolean, reason: string) {
  // Named as ajv names them in its own validation errors, so every path reads the same.
  const names = { params: 'params', query: 'querystring', body: 'body' } as const;
  for (const part of ['params', 'query', 'body'] as const) {
    const found = findIn(parts[part], bad, [names[part]]);
    if (found !== null) {
      throw new ApiError(400, 'validation_failed', `${found.join('.')}: ${reason}`, found);
    }
  }
}
