import { listVexStatements, type StoredVexStatement } from '../../store/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';

/** The stored VEX statements (`patchcast vex list`). */
export async function listVex(deps: ServiceDeps): Promise<StoredVexStatement[]> {
  authorize(deps.actor, 'read');
  return listVexStatements(deps.store.db);
}
