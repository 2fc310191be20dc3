import type { PatchWithFindings } from '../../matching/patches.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { loadPatchSelection } from './patch-selection.js';

/**
 * Open findings grouped into patches (`patchcast patches`): per asset, one source-package upgrade or
 * dependency bump; highest risk removed first, at most `limit`, and how many there are. Needs `read`.
 */
export async function listPatches(
  deps: ServiceDeps,
  input: { limit: number; assetId?: string },
): Promise<{ total: number; patches: PatchWithFindings[] }> {
  authorize(deps.actor, 'read');
  return loadPatchSelection(deps.store.db, input);
}
