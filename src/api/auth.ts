/**
 * Who is calling: `Authorization: Bearer <secret>` is an API token (`pct_…`), an agent credential
 * (`pca_…`) or, when `server.oidc` is configured, an OIDC JWT. Every route's authorization goes
 * through `authorize()` (services/authz.ts); `decideAccess` records that a decision ran, and the
 * guard (`checkAuthzRan`) fails any successful answer of a request for which none did — as Fleet's
 * authzcheck does — so a route added without a check cannot leak.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PatchcastError } from '../core/errors.js';
import { authenticateAgent } from '../services/auth/agents.js';
import type { OidcVerifier } from '../services/auth/oidc.js';
import { authenticateApiToken } from '../services/auth/tokens.js';
import { authorize } from '../services/authz.js';
import type { Actor, Clock, ServiceDeps } from '../services/deps.js';
import type { AgentSlot } from './agent-gate.js';
import type { RouteAccess } from './route.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | undefined;
    /** A credential that failed to authenticate: answered as 401 when the route needs one. */
    authError: unknown;
    /** Set once an authorization decision ran for this request (allowed, or public). */
    authzDecided: boolean;
    /** An agent's request: its slot of the agent gate (agent-gate.ts), given back while a long poll waits. */
    agentSlot: AgentSlot | undefined;
  }
}

/** The actor of the request's bearer credential; undefined without one; AUTH_REQUIRED for a bad one. */
export async function authenticate(
  request: FastifyRequest,
  store: ServiceDeps['store'],
  clock: Clock,
  oidc: OidcVerifier | undefined,
): Promise<Actor | undefined> {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{10,8192})$/.exec(header);
  if (!match)
    throw new PatchcastError('AUTH_REQUIRED', 'the Authorization header is not `Bearer <token>`', {
      hint: 'Send Authorization: Bearer <token> (patchcast tokens create prints one).',
    });
  const secret = match[1] as string;
  const actor = secret.startsWith('pct_')
    ? await authenticateApiToken(store, clock, secret)
    : secret.startsWith('pca_')
      ? await authenticateAgent(store, clock, secret)
      : oidc && secret.split('.').length === 3
        ? await oidc(secret)
        : undefined;
  if (!actor)
    throw new PatchcastError('AUTH_REQUIRED', 'the bearer token is unknown, revoked or expired', {
      hint: 'Use a live token; `patchcast tokens list` shows which exist (an admin creates new ones).',
    });
  return actor;
}

/** The authorization decision of one route for one request: throws 401/403, or records that it allowed. */
export function decideAccess(request: FastifyRequest, access: RouteAccess): void {
  if (access !== 'public') {
    if (request.authError) throw request.authError;
    if (!request.actor)
      throw new PatchcastError(
        'AUTH_REQUIRED',
        `${request.method} ${request.routeOptions.url} needs a credential`,
      );
    authorize(request.actor, access);
  }
  request.authzDecided = true;
}

/**
 * onSend guard: a successful answer without an authorization decision is replaced by a 500
 * (API_AUTHZ_MISSING). Error answers pass: they disclose nothing the route would have.
 */
export async function checkAuthzRan(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<unknown> {
  if (request.authzDecided || reply.statusCode >= 400) return payload;
  request.log.error({ url: request.routeOptions.url }, 'no authorization decision ran for this route');
  reply.code(500).type('application/problem+json; charset=utf-8');
  return JSON.stringify({
    type: 'urn:patchcast:error:API_AUTHZ_MISSING',
    title: 'Api authz missing',
    status: 500,
    detail: 'the route answered without an authorization decision',
    instance: request.url.split('?')[0],
    code: 'API_AUTHZ_MISSING',
    hint: 'This is a bug in patchcast: report it.',
    details: {},
    requestId: String(request.id),
  });
}
