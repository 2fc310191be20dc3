/**
 * The typed API client: openapi-fetch over the generated `paths` (schema.d.ts), with the session's
 * token as bearer. A 401 ends the session (the token was revoked or expired) and the app shows the
 * sign-in page; any other problem+json becomes an `ApiError` carrying the API's code and hint.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import { getToken, signOut } from '../auth/session';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type { paths };

/** An API problem document (RFC 9457) as an error: the message is its detail, with code and hint. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const auth: Middleware = {
  onRequest({ request }) {
    const token = getToken();
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && getToken()) signOut();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

interface Problem {
  code?: string;
  detail?: string;
  title?: string;
  hint?: string;
}

/** The data of an openapi-fetch result, or its problem thrown as an `ApiError` (for TanStack Query). */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data !== undefined && result.response.ok) return result.data;
  const problem = (result.error ?? {}) as Problem;
  throw new ApiError(
    result.response.status,
    problem.code ?? 'HTTP_ERROR',
    problem.detail ?? problem.title ?? `HTTP ${result.response.status}`,
    problem.hint,
  );
}
