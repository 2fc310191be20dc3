import type { ExploitModelArtifact } from '../../predict/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { type CveForecast, explainCveFromStore } from './explain-from-store.js';

export interface ExplainCveInput {
  cve: string;
  /** Day number (days since the epoch); default: the stored scores' day, else the day after the data. */
  day?: number;
  /** How many factors (default 5). */
  top?: number;
  /** A model file's artifact instead of the store's current model. */
  artifact?: ExploitModelArtifact;
}

/**
 * A CVE's exploit forecast from the store (`patchcast explain CVE-…`): probability, percentile and
 * factors; INPUT_NOT_FOUND when the store has no record of it. Needs `read`.
 */
export async function explainCve(deps: ServiceDeps, input: ExplainCveInput): Promise<CveForecast> {
  authorize(deps.actor, 'read');
  const { cve, ...options } = input;
  return explainCveFromStore(deps.store, cve, { now: deps.clock.now(), ...options });
}
