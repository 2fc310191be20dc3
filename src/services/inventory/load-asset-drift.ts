import { type DriftReport, loadAssetDrift as loadDriftFromStore } from '../../inventory/drift.js';
import type { SnapshotKind } from '../../store/index.js';
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
  return loadDriftFromStore(deps.store.db, input.assetId, input.against);
}
