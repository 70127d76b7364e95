import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ErrorBody } from '../../src-shared/cloud/errorBody.js';
import {
  successStatus,
  type BodyOf,
  type InputOf,
  type ParamsOf,
  type QueryOf,
  type ReplyOf,
  type RouteSpec,
} from '../../src-shared/cloud/routeSpec.js';
import { refuseNonFinite, refuseNul } from './requestGuards.js';
import type { RateLimitTier } from './rateLimit.js';

/**
 * A route of the shared contract (src-shared/cloud) on this server. Each zod schema of the
 * spec becomes the JSON schema that Fastify validates (ajv) and serialises with and that
 * OpenAPI shows, and gives the handler its types; the desktop parses replies with the same
 * schemas. toJSONSchema throws at startup on a schema JSON Schema cannot say, so validation and
 * documentation never drift apart.
 */
export interface RouteHandling<S extends RouteSpec> {
  readonly handler: (input: {
    body: InputOf<BodyOf<S>>;
    query: InputOf<QueryOf<S>>;
    params: InputOf<ParamsOf<S>>;
    request: FastifyRequest;
    reply: FastifyReply;
  }) => Promise<ReplyOf<S>> | ReplyOf<S>;
  /** 'strict': a tighter per-address limit on top of the general one (sign-in; P14). */
  readonly rateLimit?: RateLimitTier;
  /** Larger bodies than the server's default (raw uploads to the local blob store). */
  readonly bodyLimit?: number;
  /** Left out of the OpenAPI document (the document itself). */
  readonly hide?: true;
}

export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-7',
    io,
    unrepresentable: 'throw',
  });
  return rest;
}

const errorSchema = toJsonSchema(ErrorBody, 'output');

export function addRoute<S extends RouteSpec>(
  app: FastifyInstance,
  spec: S,
  how: RouteHandling<S>,
): void {
  const status = successStatus(spec);
  const isPublic = 'public' in spec.access;
  app.route({
    method: spec.method,
    url: spec.path,
    config: {
      access: spec.access,
      ...(how.rateLimit === undefined ? {} : { rateLimitTier: how.rateLimit }),
    },
    ...(how.bodyLimit === undefined ? {} : { bodyLimit: how.bodyLimit }),
    schema: {
      ...(how.hide ? { hide: true } : {}),
      summary: spec.summary,
      ...(spec.tags === undefined ? {} : { tags: [...spec.tags] }),
      ...(isPublic ? {} : { security: [{ bearerAuth: [] }] }),
      ...(spec.body === undefined ? {} : { body: toJsonSchema(spec.body, 'input') }),
      ...(spec.query === undefined ? {} : { querystring: toJsonSchema(spec.query, 'input') }),
      ...(spec.params === undefined ? {} : { params: toJsonSchema(spec.params, 'input') }),
      response: {
        [status]: toJsonSchema(spec.reply, 'output'),
        '4xx': errorSchema,
        '5xx': errorSchema,
      },
    },
    // Before ajv: a NUL is refused the same way in every route, whatever the schema says.
    preValidation: async (request) => refuseNul(request),
    preHandler: async (request) => refuseNonFinite(request),
    handler: async (request, reply) => {
      reply.code(status);
      // ajv has checked each part against the JSON schema made from the same zod schema.
      return await how.handler({
        body: request.body as InputOf<BodyOf<S>>,
        query: request.query as InputOf<QueryOf<S>>,
        params: request.params as InputOf<ParamsOf<S>>,
        request,
        reply,
      });
    },
  });
}
