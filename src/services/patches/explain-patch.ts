import { PatchcastError } from '../../core/errors.js';
import type { Finding } from '../../core/types.js';
import type { PatchWithFindings } from '../../matching/patches.js';
import { loadPatch } from '../../pipeline/patch-selection.js';
import { getFailureProbability, getPatchKey } from '../../predict/reliability/posterior.js';
import { listFindings, loadPatchPosteriors } from '../../store/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';

/** The fleet posterior of one binary at the patch's target version, after the rollouts so far. */
export interface FleetRecord {
  key: string;
  /** The planner's predicted failure probability the posterior started from. */
  prior: number;
  mean: number;
  lower: number;
  upper: number;
  outcomes: Record<string, number>;
}

/**
 * One open patch and the findings it closes (`patchcast explain <patch-id>`). An id with no open
 * finding left is INPUT_NOT_FOUND. Needs `read`.
 */
export async function explainPatch(
  deps: ServiceDeps,
  input: { patchId: string },
): Promise<{ patch: PatchWithFindings; findings: Finding[]; fleet: FleetRecord[] }> {
  authorize(deps.actor, 'read');
  const patch = await loadPatch(deps.store.db, input.patchId);
  if (!patch)
    throw new PatchcastError('INPUT_NOT_FOUND', `no open patch ${input.patchId}`, {
      hint: 'Patch ids (<asset>/<ecosystem>/<package>) are listed by `patchcast patches`; a patch whose findings are all closed is gone.',
      details: { patchId: input.patchId },
    });
  // What rollouts have learned about this upgrade (per binary at the target version), if any ran it.
  const keys = patch.targetVersion
    ? patch.binaries.map((b) => getPatchKey(b, patch.targetVersion as string))
    : [];
  const fleet = [...(await loadPatchPosteriors(deps.store.db, keys))].map(([key, state]) => {
    const estimate = getFailureProbability(state);
    return {
      key,
      prior: state.priorProbability,
      mean: estimate.mean,
      lower: estimate.lower,
      upper: estimate.upper,
      outcomes: state.counts,
    };
  });
  return { patch, findings: await listFindings(deps.store.db, { ids: patch.findingIds }), fleet };
}
