/**
 * The one error handler: every error becomes an RFC 9457 problem document
 * (`application/problem+json`) carrying patchcast's code, with the catalogue's HTTP status.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ERROR_CATALOGUE, type ErrorCode, PatchcastError, toPatchcastError } from '../core/errors.js';

export const problemSchema = z
  .object({
    type: z.string().describe('urn:patchcast:error:<CODE>'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string(),
    hint: z.string(),
    details: z.record(z.string(), z.unknown()),
    requestId: z.string(),
  })
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof problemSchema>;

/** Fastify's own errors (body too large, bad JSON, rate limit, …) as catalogue codes. */
function fromFastifyError(error: FastifyError): PatchcastError | undefined {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new PatchcastError('INPUT_TOO_LARGE', 'the request body exceeds the limit of this route', {
      hint: 'Send a smaller body; the limits are server.bodyLimit and server.uploadLimit in patchcast.yaml.',
    });
  if (error.statusCode === 429)
    return new PatchcastError('API_RATE_LIMITED', error.message, {
      hint: ERROR_CATALOGUE.API_RATE_LIMITED.hint,
    });
  if (error.code?.startsWith('FST_ERR_CTP') || error.statusCode === 400 || error.statusCode === 415)
    return new PatchcastError('INPUT_INVALID', `request body: ${error.message}`, {
      hint: 'Send JSON with Content-Type: application/json (uploads: the file as the body).',
    });
  return undefined;
}

export function toProblem(error: unknown, request: FastifyRequest): Problem {
  const coded = isFastifyError(error)
    ? (fromFastifyError(error) ?? toPatchcastError(error))
    : toPatchcastError(error);
  return {
    type: `urn:patchcast:error:${coded.code}`,
    title: getTitle(coded.code),
    status: coded.status,
    detail:
      coded.code === 'INTERNAL' ? 'internal error (see the server log for this request id)' : coded.message,
    instance: request.url.split('?')[0] ?? request.url,
    code: coded.code,
    hint: coded.hint,
    details: coded.code === 'INTERNAL' ? {} : coded.details,
    requestId: String(request.id),
  };
}

export async function sendProblem(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const problem = toProblem(error, request);
  if (problem.status >= 500) request.log.error({ err: error, code: problem.code }, 'request failed');
  else request.log.info({ code: problem.code }, problem.detail);
  await reply.code(problem.status).type('application/problem+json; charset=utf-8').send(problem);
}

function isFastifyError(error: unknown): error is FastifyError {
  return (
    error instanceof Error && !(error instanceof PatchcastError) && ('code' in error || 'statusCode' in error)
  );
}

/** `STORE_NOT_FOUND` → `Store not found`. */
function getTitle(code: ErrorCode): string {
  const words = code.toLowerCase().split('_').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
