import type { Config } from '../config/index.js';
import { type RefreshResult, refreshFindings } from '../matching/index.js';
import { type ScoredFinding, scoreFindings } from '../risk/score-findings.js';
import { applyPolicies, type PolicyResult } from '../risk/sla/index.js';
import { loadPendingMatchKeys, removePendingMatchKeys, type Store } from '../store/index.js';
import { SNAPSHOT_DIR } from './bundled-snapshot.js';

export interface UpdateFindingsOptions {
  now: Date;
  config: Config;
  /** Only these assets (an inventory import); all when omitted. */
  assetIds?: string[];
  /**
   * Only the packages of advisories the syncs since the last match wrote (after `patchcast sync`).
   * They are consumed only once every step succeeded: a failure leaves them queued for a retry.
   */
  advisoryKeys?: 'pending';
  /** Data directory for the exploit model (../shared/data layout); default: the bundled snapshot. */
  modelDataDir?: string;
}

export interface UpdateFindingsResult {
  matched: RefreshResult;
  scored: ScoredFinding[];
  policy: PolicyResult;
}

/**
 * Brings findings up to date, in the one order that makes each step see the last one's result:
 * match and VEX, then risk, then exceptions, SLA due dates and the day's history (which records the
 * fresh risk). Every command that changes inventories, advisories or VEX goes through here.
 * A whole match (no `assetIds`, no `advisoryKeys`) also empties the queue of pending keys.
 */
export async function updateFindings(
  store: Store,
  options: UpdateFindingsOptions,
): Promise<UpdateFindingsResult> {
  const scope = options.assetIds ? { assetIds: options.assetIds } : {};
  const pending = options.advisoryKeys === 'pending' ? await loadPendingMatchKeys(store.db) : undefined;
  const advisories = pending ? { advisoryKeys: pending } : {};
  const matched = await refreshFindings(store, { now: options.now, ...scope, ...advisories });
  const scored = await scoreFindings(store, {
    asOf: options.now,
    weights: options.config.risk.weights,
    modelDataDir: options.modelDataDir ?? SNAPSHOT_DIR,
    ...scope,
  });
  const policy = await store.db
    .transaction()
    .execute((db) => applyPolicies(db, options.now, options.config.policies));
  // Re-matching these keys again is harmless (nothing changed is written), so a failure above keeps them.
  if (pending) await removePendingMatchKeys(store.db, pending);
  return { matched, scored, policy };
}
