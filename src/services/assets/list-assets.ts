import type { Asset } from '../../core/types.js';
import { countOpenFindingsByAsset, listAssets as listAssetRows } from '../../store/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { loadCoverageWarnings } from '../matching/load-coverage-warnings.js';

/** An asset with how many findings are open on it and what the store cannot match for it. */
export interface AssetListItem extends Asset {
  openFindings: number;
  /** E.g. the store has no advisories for the asset's ecosystem or release. */
  warnings: string[];
}

export interface AssetList {
  assets: AssetListItem[];
  /** Every coverage warning, asset by asset, in one list (the CLI prints the first 20). */
  warnings: string[];
}

/** Every asset with its context, open findings and coverage warnings (`patchcast assets`). */
export async function listAssets(deps: ServiceDeps): Promise<AssetList> {
  authorize(deps.actor, 'read');
  const db = deps.store.db;
  const assets = await listAssetRows(db);
  const open = await countOpenFindingsByAsset(db);
  const warnings = await loadCoverageWarnings(db);
  return {
    assets: assets.map((a) => ({
      ...a,
      openFindings: open.get(a.id) ?? 0,
      warnings: warnings.filter((w) => w.assetId === a.id).map((w) => w.message),
    })),
    warnings: warnings.map((w) => w.message),
  };
}
