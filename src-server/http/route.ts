import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { z } from 'zod';
import { ErrorBody } from './apiError.js';
import type { RateLimitTier } from './rateLimit.js';
import type { RouteAccess } from './routeAccess.js';

/**
 * One zod schema per part of a route is its single definition: it becomes the JSON schema
 * that Fastify validates (ajv) and serialises with and that OpenAPI shows, and it gives the
 * handler its types. Schemas must be representable in JSON Schema (no refinements or
 * transforms): toJSONSchema throws at startup otherwise, so the two never drift apart.
 */
type Part = z.ZodType | undefined;
type Input<S extends Part> = S extends z.ZodType ? z.input<S> : undefined;

export interface RouteDefinition<
  Body extends Part,
  Query extends Part,
  Params extends Part,
  Reply extends z.ZodType,
> {
  readonly method: HTTPMethods;
  readonly url: string;
  readonly access: RouteAccess;
  /** 'strict': a tighter per-address limit on top of the general one (sign-in; P14). */
  readonly rateLimit?: RateLimitTier;
  readonly summary: string;
  readonly tags?: readonly string[];
  readonly body?: Body;
  readonly querystring?: Query;
  readonly params?: Params;
  /** Status of a successful answer (200 by default) and its body. */
  readonly status?: number;
  readonly reply: Reply;
  readonly handler: (input: {
    body: Input<Body>;
    query: Input<Query>;
    params: Input<Params>;
    request: FastifyRequest;
    reply: FastifyReply;
  }) => Promise<z.output<Reply>> | z.output<Reply>;
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

export function addRoute<
  Body extends Part = undefined,
  Query extends Part = undefined,
  Params extends Part = undefined,
  Reply extends z.ZodType = z.ZodType,
>(app: FastifyInstance, def: RouteDefinition<Body, Query, Params, Reply>): void {
  const status = def.status ?? 200;
  const isPublic = 'public' in def.access;
  app.route({
    method: def.method,
    url: def.url,
    config: {
      access: def.access,
      ...(def.rateLimit === undefined ? {} : { rateLimitTier: def.rateLimit }),
    },
    schema: {
      summary: def.summary,
      ...(def.tags === undefined ? {} : { tags: [...def.tags] }),
      ...(isPublic ? {} : { security: [{ bearerAuth: [] }] }),
      ...(def.body === undefined ? {} : { body: toJsonSchema(def.body, 'input') }),
      ...(def.querystring === undefined
        ? {}
        : { querystring: toJsonSchema(def.querystring, 'input') }),
      ...(def.params === undefined ? {} : { params: toJsonSchema(def.params, 'input') }),
      response: {
        [status]: toJsonSchema(def.reply, 'output'),
        '4xx': errorSchema,
        '5xx': errorSchema,
      },
    },
    handler: async (request, reply) => {
      reply.code(status);
      // ajv has checked each part against the JSON schema made from the same zod schema.
      return await def.handler({
        body: request.body as Input<Body>,
        query: request.query as Input<Query>,
        params: request.params as Input<Params>,
        request,
        reply,
      });
    },
  });
}
