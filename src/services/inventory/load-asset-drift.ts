import { type DriftReport, getAssetDrift } from '../../inventory/drift.js';
import {
  type Db,
  loadAssetConfigHashes,
  loadAssetPackages,
  loadAssetSnapshot,
  type SnapshotKind,
} from '../../store/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { requireAsset } from './require-asset.js';

/** An asset's drift against its baseline (golden image) or its previous inventory (`patchcast drift`). */
export async function loadAssetDrift(
  deps: ServiceDeps,
  input: { assetId: string; against: SnapshotKind },
): Promise<DriftReport> {
  authorize(deps.actor, 'read');
  await requireAsset(deps.store.db, input.assetId);
  return loadStoredAssetDrift(deps.store.db, input.assetId, input.against);
}

/**
 * `getAssetDrift` read from the store, without a permission check: for `loadAssetDrift` and risk's
 * exposure factor (services/risk/finding-contexts.ts, services/pipeline/steps-after-match.ts).
 */
export async function loadStoredAssetDrift(
  db: Db,
  assetId: string,
  against: SnapshotKind,
): Promise<DriftReport> {
  const reference = await loadAssetSnapshot(db, assetId, against);
  const current = await loadAssetPackages(db, assetId);
  const hashes = (await loadAssetConfigHashes(db, assetId)) ?? {};
  return getAssetDrift(assetId, against, reference, current, hashes);
}
