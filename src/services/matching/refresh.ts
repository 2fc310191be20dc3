import type { FindingBatchOptions, Store } from '../../store/index.js';
import { applyStoredVex } from './apply-vex.js';
import { type MatchFleetOptions, type MatchFleetResult, matchFleet } from './match-fleet.js';

export interface RefreshResult extends MatchFleetResult {
  suppressedByVex: number;
  reopenedByVex: number;
}

/**
 * Re-matches (all assets, the ones given, or — with `advisoryKeys: 'pending'` after a feed sync —
 * only the holders of packages whose advisories the sync added, changed or withdrew) and then
 * applies VEX. Risk, exceptions and SLAs follow in
 * `updateFindings` (services/pipeline/update-findings.ts), which every command that changes findings goes through.
 */
export async function refreshFindings(
  store: Store,
  options: MatchFleetOptions & FindingBatchOptions,
): Promise<RefreshResult> {
  const { batchAssets, ...match } = options;
  const matched = await matchFleet(store, match);
  const scope = {
    ...(options.assetIds ? { assetIds: options.assetIds } : {}),
    ...(batchAssets === undefined ? {} : { batchAssets }),
  };
  const vex = await store.db.transaction().execute((db) => applyStoredVex(db, scope));
  return { ...matched, suppressedByVex: vex.suppressed, reopenedByVex: vex.reopened };
}
