/**
 * `makeApp(deps)`: the Fastify app apart from `listen()`, so tests drive it with `inject()`. Every
 * route comes from `ROUTES` (routes/index.ts); each request is authenticated (auth.ts), authorized
 * through `authorize()`, parsed with its zod schemas and answered as JSON, or as RFC 9457
 * problem+json by the one error handler.
 */
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { getDurationMinutes } from '../config/duration.js';
import { PatchcastError } from '../core/errors.js';
import { makeOidcVerifier, type OidcVerifier } from '../services/auth/oidc.js';
import { type Clock, type Logger, type ServiceDeps, systemClock } from '../services/deps.js';
import { AGENT_SLOTS, makeGate, takeAgentSlot } from './agent-gate.js';
import { authenticate, checkAuthzRan, decideAccess } from './auth.js';
import { parseInput } from './parse.js';
import { sendProblem } from './problem.js';
import type { AppDeps, RouteSpec } from './route.js';
import { ROUTES } from './routes/index.js';
import { removeUpload, saveUpload } from './upload-file.js';
import { findWebRoot, registerWebRoutes } from './web-routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** `METHOD /path` of every route registered (HEAD left out), for the OpenAPI guard test. */
    servedRoutes: readonly string[];
    /** True once close() began: long-lived streams (events) end so the server can stop. */
    isClosing(): boolean;
  }
}

/** Headers never written to the log. */
const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'];

export async function makeApp(deps: AppDeps): Promise<FastifyInstance> {
  const server = deps.config.server;
  const clock = deps.clock ?? systemClock;
  const app = Fastify({
    logger:
      deps.logger === false
        ? false
        : { level: 'info', redact: REDACT, ...(deps.logger === true ? {} : deps.logger) },
    bodyLimit: server.bodyLimit,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    // On close, end every connection, event streams included, instead of waiting for clients to leave.
    forceCloseConnections: true,
    ...(deps.https ? { https: deps.https } : {}),
  });
  const served: string[] = [];
  app.decorate('servedRoutes', served);
  let closing = false;
  app.decorate('isClosing', () => closing);
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') served.push(`${method} ${route.url}`);
  });
  const oidc: OidcVerifier | undefined = server.oidc ? makeOidcVerifier(server.oidc, clock) : undefined;
  app.decorateRequest('actor', undefined);
  app.decorateRequest('authError', undefined);
  app.decorateRequest('authzDecided', false);
  app.decorateRequest('agentSlot', undefined);
  app.setErrorHandler((error, request, reply) => sendProblem(error, request, reply));
  app.setNotFoundHandler((request, reply) => {
    request.authzDecided = true;
    return sendProblem(
      new PatchcastError('API_ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`),
      request,
      reply,
    );
  });
  const agentGate = makeGate(AGENT_SLOTS);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (request.headers.authorization?.startsWith('Bearer pca_')) {
      // An agent's request holds a slot (agent-gate.ts) until its answer is sent or its connection ends.
      request.agentSlot = await takeAgentSlot(agentGate, reply.raw, request.raw.socket?.destroyed === true);
    }
    // A bad credential is answered by the route (401), after the rate limit counted it by address.
    try {
      request.actor = await authenticate(request, deps.store, clock, oidc);
    } catch (error) {
      request.authError = error;
    }
  });
  app.addHook('onSend', checkAuthzRan);
  await app.register(helmet, {
    // The reference page loads nothing from elsewhere; the API answers JSON.
    contentSecurityPolicy: {
      directives: { defaultSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"] },
    },
  });
  await app.register(rateLimit, {
    max: server.rateLimit.max,
    timeWindow: getDurationMinutes(server.rateLimit.window) * 60_000,
    keyGenerator: (request: FastifyRequest) => request.actor?.id ?? request.ip,
  });
  if (server.cors) await registerCors(app, server.cors.origins);
  const serviceLogger = (request: FastifyRequest): Logger => request.log;
  const makeDeps = (request: FastifyRequest): ServiceDeps => ({
    store: deps.store,
    config: deps.config,
    clock,
    logger: serviceLogger(request),
    actor: request.actor ?? { kind: 'system', id: 'anonymous', role: 'viewer' },
  });
  app.register(async (json) => {
    for (const route of ROUTES.filter((r) => !r.rawBody)) addRoute(json, route, makeDeps);
  });
  app.register(async (uploads) => {
    // Uploads are the file itself as the body, whatever its type, streamed to a temporary file.
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser('*', (request, payload, done) => {
      const declared = Number(request.headers['content-length']);
      saveUpload(payload, server.uploadLimit, Number.isFinite(declared) ? declared : undefined).then(
        (file) => done(null, file),
        (error: Error) => done(error),
      );
    });
    uploads.addHook('onResponse', async (request) => removeUpload(request.body));
    for (const route of ROUTES.filter((r) => r.rawBody)) addRoute(uploads, route, makeDeps);
  });
  await registerWebRoutes(app, deps.webRoot === undefined ? findWebRoot() : (deps.webRoot ?? undefined));
  return app;
}

function addRoute(
  app: FastifyInstance,
  route: RouteSpec,
  makeDeps: (request: FastifyRequest) => ServiceDeps,
): void {
  app.route({
    method: route.method,
    url: route.url,
    handler: async (request, reply) => {
      decideAccess(request, route.access);
      const params = parseInput(route.params, request.params, 'path');
      const query = parseInput(route.query, request.query, 'query');
      const body = route.rawBody ? request.body : parseInput(route.body, request.body, 'body');
      const result = await route.handler({ deps: makeDeps(request), params, query, body, request, reply });
      if (reply.sent) return reply;
      if (route.status) reply.code(route.status);
      return result;
    },
  });
}

/** CORS only for the configured origins (off without `server.cors`). */
async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (!origin || !origins.includes(origin)) return;
    reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    if (request.method === 'OPTIONS') {
      request.authzDecided = true;
      await reply
        .header('access-control-allow-methods', 'GET, POST, DELETE')
        .header('access-control-allow-headers', 'authorization, content-type, last-event-id')
        .code(204)
        .send();
    }
  });
}

export type { AppDeps } from './route.js';
export type { Clock };
