import { z } from 'zod';
import { loadMe } from '../../services/auth/load-me.js';
import { defineRoute } from '../route.js';

export const ME_ROUTES = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/me',
    tag: 'auth',
    summary: "The caller's identity, role and permissions (the web dashboard offers only what they allow)",
    access: 'read',
    response: z
      .object({
        id: z.string(),
        kind: z.enum(['cli', 'token', 'oidc', 'agent', 'system']),
        role: z.enum(['viewer', 'operator', 'approver', 'admin']),
        permissions: z.array(z.enum(['read', 'operate', 'approve', 'admin', 'agent'])),
      })
      .meta({ id: 'Me' }),
    handler: async ({ deps }) => loadMe(deps),
  }),
];
