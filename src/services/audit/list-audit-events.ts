import type { AuditEvent } from '../../core/types.js';
import { listAuditEvents as listAuditRows } from '../../store/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';

/** Audit events in order, after `afterSeq`, at most `limit` (default 1000) of them. Needs `read`. */
export async function listAuditEvents(
  deps: ServiceDeps,
  input: { afterSeq?: number; limit?: number } = {},
): Promise<AuditEvent[]> {
  authorize(deps.actor, 'read');
  return listAuditRows(deps.store.db, { ...input, limit: Math.min(input.limit ?? 1000, 10_000) });
}
