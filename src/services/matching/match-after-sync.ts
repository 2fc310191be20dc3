/**
 * What `patchcast sync` does for findings once every source synced: re-match only the packages whose
 * advisories the syncs wrote (`pending_match_keys`), then VEX, risk and policies (`updateFindings`).
 * With nothing to re-match it still finishes the steps an interrupted pass left owed.
 */
import type { Config } from '../../config/index.js';
import { countAssets, countPendingMatchKeys, type Store } from '../../store/index.js';
import { finishOwedSteps } from '../pipeline/steps-after-match.js';
import { updateFindings } from '../pipeline/update-findings.js';

/** What the re-match after a sync did. */
export interface MatchAfterSyncReport {
  /** Package names (ecosystem, name) whose advisories changed since the last match. */
  pendingNames: number;
  /** Distinct installed packages (ecosystem, name, version) evaluated. */
  packages: number;
  /** Assets whose findings were compared. */
  assets: number;
  /** Findings inserted, updated (another version, reopened) and resolved. */
  newFindings: number;
  updatedFindings: number;
  resolvedFindings: number;
  /** True when the steps after matching (VEX, risk, policies) an interrupted run left were finished. */
  finishedInterrupted?: boolean;
}

/**
 * Runs the incremental update when package names are queued and the store has assets; else finishes
 * what an interrupted run left owed; undefined when there was nothing to do. The queue is consumed
 * only when every step succeeded.
 */
export async function runMatchAfterSync(
  store: Store,
  options: { config: Config; now: Date },
): Promise<MatchAfterSyncReport | undefined> {
  const pendingNames = await countPendingMatchKeys(store.db);
  if (pendingNames === 0 || (await countAssets(store.db)) === 0) {
    const finished = await finishOwedSteps(store, options);
    return finished ? { ...NOTHING_MATCHED, finishedInterrupted: true } : undefined;
  }
  const { matched } = await updateFindings(store, { ...options, advisoryKeys: 'pending' });
  return {
    pendingNames,
    packages: matched.distinctPackages,
    assets: matched.touchedAssets,
    newFindings: matched.inserted,
    updatedFindings: matched.updated,
    resolvedFindings: matched.resolved,
  };
}

const NOTHING_MATCHED = {
  pendingNames: 0,
  packages: 0,
  assets: 0,
  newFindings: 0,
  updatedFindings: 0,
  resolvedFindings: 0,
};
