import type { z } from 'zod';
import { ErrorBody } from '../../../src-shared/cloud/errorBody.js';
import {
  routeName,
  successStatus,
  type BodyOf,
  type ParamsOf,
  type QueryOf,
  type ReplyOf,
  type RouteSpec,
} from '../../../src-shared/cloud/routeSpec.js';
import { CloudError } from './cloudError.js';
import type { CloudResponse } from './httpsTransport.js';

/**
 * The desktop's half of the Cloud API contract (src-shared/cloud): a call's input typed from
 * its route spec, the path built from the spec, and the answer parsed with the spec's reply
 * schema. Transport and sign-in live in cloudSession.ts, which calls these.
 */
type ParamsInput<P> = P extends z.ZodType
  ? { readonly params: z.input<P> }
  : { readonly params?: undefined };
type QueryInput<Q> = Q extends z.ZodType
  ? object extends z.input<Q>
    ? { readonly query?: z.input<Q> }
    : { readonly query: z.input<Q> }
  : { readonly query?: undefined };
type BodyInput<B> = B extends z.ZodType
  ? { readonly body: z.input<B> }
  : { readonly body?: undefined };

/** What a call of route S sends: its params, query and body, and any extra headers. */
export type CallInput<S> = ParamsInput<ParamsOf<S>> &
  QueryInput<QueryOf<S>> &
  BodyInput<BodyOf<S>> & { readonly headers?: Readonly<Record<string, string>> };
/** The input may be left out when nothing in it is required. */
export type CallArgs<S> =
  object extends CallInput<S> ? [input?: CallInput<S>] : [input: CallInput<S>];

type Scalar = string | number | boolean;
const isScalar = (value: unknown): value is Scalar =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/**
 * One path segment from a value: percent-encoded, and never `.` or `..`, which URL parsing
 * would resolve and so reach another route.
 */
function segment(value: string): string {
  const encoded = encodeURIComponent(value);
  return encoded === '.' || encoded === '..' ? encoded.replaceAll('.', '%2E') : encoded;
}

/**
 * The request path of a call: each `:name` of the spec's path replaced by its encoded
 * parameter, a final `*` by the rest of the path (each part encoded), then the query string.
 * A missing or empty parameter is a programming error, thrown before anything is sent.
 */
export function requestPath(
  spec: Pick<RouteSpec, 'method' | 'path'>,
  input: {
    readonly params?: Readonly<Record<string, unknown>>;
    readonly query?: Readonly<Record<string, unknown>>;
  } = {},
): string {
  const params = input.params ?? {};
  const value = (name: string): string => {
    const v = params[name];
    if (!isScalar(v) || String(v) === '') {
      throw new TypeError(`${routeName(spec)}: parameter ${name} is missing`);
    }
    return String(v);
  };
  const path = spec.path
    .split('/')
    .map((part) => {
      if (part.startsWith(':')) return segment(value(part.slice(1)));
      if (part === '*') return value('*').split('/').map(segment).join('/');
      return part;
    })
    .join('/');
  const query = new URLSearchParams();
  for (const [key, v] of Object.entries(input.query ?? {})) {
    if (v === undefined) continue;
    if (!isScalar(v)) throw new TypeError(`${routeName(spec)}: query ${key} is not a scalar`);
    query.append(key, String(v));
  }
  const search = query.toString();
  return search === '' ? path : `${path}?${search}`;
}

/** An answer that breaks the route's contract: never handed on as if it were right. */
export function protocolError(spec: RouteSpec, status: number, problem: string): CloudError {
  const route = routeName(spec);
  return new CloudError(
    'cloud_protocol',
    `${route} answered ${status} with ${problem}`,
    status,
    undefined,
    { route },
  );
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'an answer that does not match its schema';
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  return `an answer that does not match its schema: ${where}: ${issue.message}`;
}

/** The API's error body as a CloudError (every error is `{ error: { code, message } }`). */
function apiError(res: CloudResponse, spec: RouteSpec): CloudError {
  const body = ErrorBody.safeParse(res.json);
  const retryAfter = Number(res.headers['retry-after']);
  return new CloudError(
    body.success ? body.data.error.code : `http_${res.status}`,
    body.success ? body.data.error.message : `The server answered ${res.status}`,
    res.status,
    Number.isFinite(retryAfter) ? retryAfter : undefined,
    {
      route: routeName(spec),
      ...(body.success && body.data.current !== undefined ? { current: body.data.current } : {}),
    },
  );
}

function parseWith<T extends z.ZodType>(
  schema: T,
  value: unknown,
): z.ZodSafeParseResult<z.output<T>> {
  return schema.safeParse(value);
}

/**
 * Throws unless the answer has the spec's success status: the API's error when it is one, else
 * (another 2xx) `cloud_protocol`.
 */
export function expectSuccess(spec: RouteSpec, res: CloudResponse): void {
  const expected = successStatus(spec);
  if (res.status === expected) return;
  if (res.status >= 200 && res.status < 300) {
    throw protocolError(spec, res.status, `a status the contract does not name (${expected})`);
  }
  throw apiError(res, spec);
}

/**
 * The successful answer of a call, parsed with the route's reply schema. A status other than
 * the spec's success status is the API's error when it is one, else `cloud_protocol`; so is a
 * body the schema refuses.
 */
export function readReply<S extends RouteSpec>(spec: S, res: CloudResponse): ReplyOf<S> {
  expectSuccess(spec, res);
  const parsed = parseWith<S['reply']>(spec.reply, res.json);
  if (!parsed.success) throw protocolError(spec, res.status, firstIssue(parsed.error));
  return parsed.data;
}
