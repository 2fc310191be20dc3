import { sql } from 'kysely';
import { z } from 'zod';
import { PatchcastError } from '../../core/errors.js';
import { loadMigrationStatus } from '../../store/index.js';
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
    handler: async ({ deps }) => {
      try {
        await sql`select 1`.execute(deps.store.db);
      } catch (error) {
        throw new PatchcastError('STORE_UNREACHABLE', `the store does not answer: ${String(error)}`);
      }
      const states = await loadMigrationStatus(deps.store);
      const pending = states.filter((s) => s.appliedAt === null).map((s) => s.name);
      if (pending.length)
        throw new PatchcastError('STORE_UNREACHABLE', `migrations pending: ${pending.join(', ')}`, {
          hint: 'Run `patchcast db migrate` (or restart patchcast serve, which migrates on start).',
          details: { pending },
        });
      return { status: 'ready' as const, store: deps.store.dialect, schema: states.at(-1)?.name ?? '' };
    },
  }),
];
