import { type DriftReport, getAssetDrift } from '../../inventory/drift.js';
import {
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
  const db = deps.store.db;
  const reference = await loadAssetSnapshot(db, input.assetId, input.against);
  const current = await loadAssetPackages(db, input.assetId);
  const hashes = (await loadAssetConfigHashes(db, input.assetId)) ?? {};
  return getAssetDrift(input.assetId, input.against, reference, current, hashes);
}
