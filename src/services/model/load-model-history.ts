import type { History } from '../../predict/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { loadExploitHistory } from './history-from-store.js';

/** The exploit history in the store (CVE records, KEV, exploit signals, EPSS), for the model. Needs `read`. */
export async function loadModelHistory(
  deps: ServiceDeps,
  input: { onStep?: (text: string) => void } = {},
): Promise<History> {
  authorize(deps.actor, 'read');
  return loadExploitHistory(deps.store.db, input.onStep ? { onStep: input.onStep } : {});
}
