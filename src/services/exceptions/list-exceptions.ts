import type { RiskException } from '../../core/types.js';
import { isExceptionActive } from '../../risk/exceptions/index.js';
import { listExceptions as listExceptionRows } from '../../store/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { loadCoveredCounts } from './covered-counts.js';

export type ExceptionState = 'active' | 'pending' | 'lapsed' | 'revoked';

export interface ExceptionListItem extends RiskException {
  state: ExceptionState;
  /** Findings it excepts now (0 unless active). */
  covers: number;
}

/** Exceptions in force with how many findings each covers; `all` adds lapsed and revoked ones. */
export async function listExceptions(
  deps: ServiceDeps,
  input: { all?: boolean } = {},
): Promise<ExceptionListItem[]> {
  authorize(deps.actor, 'read');
  const now = deps.clock.now();
  const db = deps.store.db;
  const all = await listExceptionRows(db, input.all ? {} : { activeAt: now.toISOString() });
  const counts = await loadCoveredCounts(db);
  return all.map((e) => ({
    ...e,
    state: getState(e, now),
    covers: isExceptionActive(e, now) ? (counts.get(e.id) ?? 0) : 0,
  }));
}

function getState(e: RiskException, now: Date): ExceptionState {
  if (e.revokedAt && Date.parse(e.revokedAt) <= now.getTime()) return 'revoked';
  if (Date.parse(e.expiresAt) <= now.getTime()) return 'lapsed';
  return isExceptionActive(e, now) ? 'active' : 'pending';
}
