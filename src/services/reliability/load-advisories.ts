import type { Advisory } from '../../predict/reliability/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { loadAdvisoriesFromStore } from './reliability-advisories.js';

/**
 * Debian's advisory history as the store holds it (the `debian-advisories` feed), for the
 * patch-reliability model (`patchcast reliability train|score`). STORE_NO_DEBIAN_ADVISORIES when
 * none was synced. Needs `read`.
 */
export async function loadReliabilityAdvisories(deps: ServiceDeps): Promise<Advisory[]> {
  authorize(deps.actor, 'read');
  return loadAdvisoriesFromStore(deps.store.db);
}
