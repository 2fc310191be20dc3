/**
 * One route of the API, declared as data: its method and path, the permission it needs, the zod
 * schemas of its parameters, query, body and response, and a thin handler. `makeApp` registers
 * every route from this shape, the OpenAPI document is generated from it, and the route × role
 * matrix test walks it, so the three never drift apart.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Config } from '../config/index.js';
import type { Permission } from '../services/authz.js';
import type { ServiceDeps } from '../services/deps.js';

/** Who may call a route: a permission from authz.ts, or `public` (health, the API description, agent enrollment). */
export type RouteAccess = Permission | 'public';

export interface RouteContext<P, Q, B> {
  /** The service deps of this request (actor from its credential). Public routes get a `system` actor. */
  deps: ServiceDeps;
  params: P;
  query: Q;
  body: B;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  method: 'GET' | 'POST' | 'DELETE';
  /** Fastify path syntax: `/api/v1/assets/:id`. */
  url: string;
  /** Tag in the OpenAPI document (the area). */
  tag: string;
  summary: string;
  access: RouteAccess;
  params?: P;
  query?: Q;
  body?: B;
  /** The success response's body (JSON), or a media type for raw bodies (HTML, SSE). */
  response: z.ZodType | { mediaType: string; description: string };
  /** Success status (default 200). */
  status?: number;
  /** Raw request body (uploads, up to `server.uploadLimit`): the handler receives an `UploadedFile`. */
  rawBody?: boolean;
  handler(ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>): Promise<unknown>;
}

/** Keeps each route's handler typed by its own schemas while the list holds them all. */
export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  spec: RouteSpec<P, Q, B>,
): RouteSpec {
  return spec as unknown as RouteSpec;
}

/** What `makeApp` needs beyond the routes. */
export interface AppDeps {
  store: ServiceDeps['store'];
  config: Config;
  clock?: ServiceDeps['clock'];
  /** pino options, or false for none (tests). Default: JSON lines at info. */
  logger?: boolean | Record<string, unknown>;
  /** TLS key and certificate (PEM); default from `server.tls` when `patchcast serve` starts. */
  https?: { key: Buffer; cert: Buffer };
  /** The built web dashboard's directory; default `findWebRoot()` (web-routes.ts); null for none. */
  webRoot?: string | null;
}
