import { z } from 'zod';
import { createApiToken, listApiTokens, revokeApiToken } from '../../services/auth/tokens.js';
import { ROLES } from '../../services/authz.js';
import { defineRoute } from '../route.js';
import { idParam } from '../schemas.js';

const tokenInfo = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    createdAt: z.string(),
    createdBy: z.string(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'TokenInfo' });

export const TOKEN_ROUTES = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/tokens',
    tag: 'admin',
    summary: 'API tokens (never their secrets)',
    access: 'admin',
    response: z.array(tokenInfo),
    handler: async ({ deps }) => listApiTokens(deps),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/tokens',
    tag: 'admin',
    summary: 'Create an API token; the secret is in this answer only',
    access: 'admin',
    status: 201,
    body: z.strictObject({
      name: z.string().min(1).max(200),
      role: z.enum(ROLES),
      expires: z
        .string()
        .regex(/^((\d+[smhdw])+|never)$/)
        .optional()
        .describe('e.g. 90d; default never'),
    }),
    response: z
      .object({ id: z.string(), token: z.string(), role: z.enum(ROLES), expiresAt: z.string().nullable() })
      .meta({ id: 'CreatedToken' }),
    handler: async ({ deps, body }) =>
      createApiToken(deps, {
        name: body.name,
        role: body.role,
        ...(body.expires ? { expires: body.expires } : {}),
      }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/tokens/:id',
    tag: 'admin',
    summary: 'Revoke an API token',
    access: 'admin',
    params: idParam,
    response: tokenInfo,
    handler: async ({ deps, params }) => revokeApiToken(deps, params.id),
  }),
];
