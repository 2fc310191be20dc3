import { sql } from 'kysely';
import { PatchcastError } from '../../core/errors.js';
import { loadMigrationStatus } from '../../store/index.js';
import type { ServiceDeps } from '../deps.js';

/**
 * Whether this process can serve (the API's `/readyz`): the store answers and every migration this
 * version knows is applied; else STORE_UNREACHABLE saying which. Needs no permission: it tells no
 * data, only whether to route traffic here, and load balancers and agents (any credential) ask it.
 */
export async function checkReadiness(deps: ServiceDeps): Promise<{ store: string; schema: string }> {
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
  return { store: deps.store.dialect, schema: states.at(-1)?.name ?? '' };
}
