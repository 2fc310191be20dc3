import { z } from 'zod';
import { checkReadiness } from '../../services/store/check-readiness.js';
import { defineRoute } from '../route.js';

export const HEALTH_ROUTES = [
  defineRoute({
    method: 'GET',
    url: '/healthz',
    tag: 'health',
    summary: 'Liveness: the process answers',
    access: 'public',
    response: z.object({ status: z.literal('ok') }),
    handler: async () => ({ status: 'ok' as const }),
  }),
  defineRoute({
    method: 'GET',
    url: '/readyz',
    tag: 'health',
    summary: 'Readiness: the store answers and every migration this version knows is applied',
    access: 'public',
    response: z.object({ status: z.literal('ready'), store: z.string(), schema: z.string() }),
    handler: async ({ deps }) => ({ status: 'ready' as const, ...(await checkReadiness(deps)) }),
  }),
];
