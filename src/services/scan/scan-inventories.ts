import type { AssetInventory } from '../../inventory/collect.js';
import { type ScanResult, scanInventories as scanAgainst } from '../../matching/scan.js';
import type { VexStatement } from '../../matching/vex/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { makeStoreAdvisorySource } from '../matching/store-advisory-source.js';

/**
 * A one-off scan of collected inventories against the store's advisories (`patchcast scan` without
 * --advisories); nothing is stored. Needs `read`.
 */
export async function scanInventories(
  deps: ServiceDeps,
  input: { assets: readonly AssetInventory[]; vex?: readonly VexStatement[] },
): Promise<ScanResult> {
  authorize(deps.actor, 'read');
  return scanAgainst(input.assets, makeStoreAdvisorySource(deps.store.db), input.vex ?? []);
}
