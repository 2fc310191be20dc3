import { PatchcastError } from '../../core/errors.js';
import type { Finding } from '../../core/types.js';
import type { PatchWithFindings } from '../../matching/patches.js';
import { getFailureProbability, getPatchKey } from '../../predict/reliability/posterior.js';
import type { ReleaseNotes } from '../../rollout/release-notes.js';
import { listFindings, listJobEvents, listJobs, loadPatchPosteriors } from '../../store/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { getPreflightFacts, type PredictionUpdate } from '../rollout/release-notes-prediction.js';
import { loadPatch } from './patch-selection.js';

/** The fleet posterior of one binary at the patch's target version, after the rollouts so far. */
export interface FleetRecord {
  key: string;
  /** The predicted failure probability the posterior started from (the planner's, or as the release notes updated it). */
  prior: number;
  mean: number;
  lower: number;
  upper: number;
  outcomes: Record<string, number>;
}

/** The latest preflight of a job applying the patch: its release notes and how they moved the prediction. */
export interface PatchPreflight {
  jobId: string;
  at: string;
  releaseNotes?: ReleaseNotes;
  prediction?: PredictionUpdate;
}

/**
 * One open patch and the findings it closes (`patchcast explain <patch-id>`). An id with no open
 * finding left is INPUT_NOT_FOUND. Needs `read`.
 */
export async function explainPatch(
  deps: ServiceDeps,
  input: { patchId: string },
): Promise<{
  patch: PatchWithFindings;
  findings: Finding[];
  fleet: FleetRecord[];
  preflight?: PatchPreflight;
}> {
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
  const preflight = await loadLastPreflight(deps, patch);
  return {
    patch,
    findings: await listFindings(deps.store.db, { ids: patch.findingIds }),
    fleet,
    ...(preflight ? { preflight } : {}),
  };
}

/** The newest preflight with release notes among the asset's jobs that apply this patch. */
async function loadLastPreflight(
  deps: ServiceDeps,
  patch: PatchWithFindings,
): Promise<PatchPreflight | undefined> {
  let last: PatchPreflight | undefined;
  for (const job of await listJobs(deps.store.db, { assetId: patch.asset })) {
    const patches = Array.isArray(job.payload?.patches) ? job.payload.patches : [];
    if (!job.step || !patches.includes(patch.id)) continue;
    for (const event of await listJobEvents(deps.store.db, job.id)) {
      if (event.kind !== 'step:preflight' || (last && event.at < last.at)) continue;
      const facts = getPreflightFacts(event.data);
      if (facts.releaseNotes || facts.prediction) last = { jobId: job.id, at: event.at, ...facts };
    }
  }
  return last;
}
