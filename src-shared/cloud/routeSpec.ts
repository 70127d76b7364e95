import type { z } from 'zod';
import type { Action } from '../auth/roles.js';

/**
 * One route of the Weebum Cloud API as plain data: the server registers and validates it
 * (src-server/http/route.ts), OpenAPI documents it, and the desktop calls it
 * (src-main/services/cloud/cloudSession.ts) and parses its reply with the same schemas.
 * Schemas must be representable in JSON Schema (no refinements or transforms): the server turns
 * them into the JSON schemas that Fastify validates with.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * What a route needs: one action from the shared roles table, or explicitly nothing. There is
 * no third choice, so a forgotten declaration cannot become an open route (P5, deny by default).
 * `allowWithTemporaryPassword` marks the few 'self.manage' routes (change password, sign out)
 * that a session opened with a temporary password may call (P6). The server enforces it.
 */
export type RouteAccess =
  | { readonly public: true }
  | { readonly action: Action; readonly allowWithTemporaryPassword?: true };

export interface RouteSpec {
  readonly method: HttpMethod;
  /** Fastify's syntax: `:name` for a parameter, a final `*` for the rest of the path. */
  readonly path: string;
  readonly access: RouteAccess;
  readonly summary: string;
  /** OpenAPI groups. */
  readonly tags?: readonly string[];
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /** Status of a successful answer; 200 when absent. */
  readonly status?: number;
  /** The successful answer's body (for 'binary' routes only its description). */
  readonly reply: z.ZodType;
  /** 'binary': the answer is bytes (an image, a zip), streamed; JSON otherwise. */
  readonly content?: 'binary';
}

/** Keeps the literal types of a spec (method, path, each schema) for the server and client. */
export const defineRoute = <const S extends RouteSpec>(spec: S): S => spec;

/** How routes are named in errors and logs: `GET /v1/albums/:albumId/changes`. */
export const routeName = (spec: Pick<RouteSpec, 'method' | 'path'>): string =>
  `${spec.method} ${spec.path}`;

export const successStatus = (spec: RouteSpec): number => spec.status ?? 200;

type Part = z.ZodType | undefined;
export type ParamsOf<S> = S extends { readonly params: infer P extends z.ZodType } ? P : undefined;
export type QueryOf<S> = S extends { readonly query: infer Q extends z.ZodType } ? Q : undefined;
export type BodyOf<S> = S extends { readonly body: infer B extends z.ZodType } ? B : undefined;
/** What a handler returns and a client gets back. */
export type ReplyOf<S extends RouteSpec> = z.output<S['reply']>;
/** A part of a request as the caller writes it (defaults not yet applied). */
export type InputOf<P extends Part> = P extends z.ZodType ? z.input<P> : undefined;
