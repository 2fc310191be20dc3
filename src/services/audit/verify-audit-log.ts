import { verifyAuditChain } from '../../store/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';

/** Re-computes the audit log's hash chain (`patchcast audit verify`): intact, or the first broken link. */
export async function verifyAuditLog(
  deps: ServiceDeps,
): Promise<{ ok: boolean; count: number; brokenAt: number | null }> {
  authorize(deps.actor, 'read');
  return verifyAuditChain(deps.store.db);
}
