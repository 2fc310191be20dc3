import { type ExploitModelArtifact, type History, type Scores, scoreAsOf } from '../../predict/index.js';
import type { ExploitScoreDay } from '../../store/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { loadCurrentExploitModel } from './exploit-model-registry.js';
import { storeExploitScores } from './exploit-scores.js';

/**
 * Scores the population as of `day` and stores the day (`patchcast model score --store`): only the
 * rows that changed beyond `model.scores`' tolerances, plus a drift summary row. Scores are derived
 * data, written as the sync's model step writes them, so this is not an audited change. Needs
 * `operate`. `artifact` defaults to the store's current model.
 */
export async function storeModelScores(
  deps: ServiceDeps,
  input: { history: History; day: number; artifact?: ExploitModelArtifact },
): Promise<{ artifact: ExploitModelArtifact; scores: Scores; stored: ExploitScoreDay }> {
  authorize(deps.actor, 'operate');
  const now = deps.clock.now();
  const artifact = input.artifact ?? (await loadCurrentExploitModel(deps.store.db, now)).artifact;
  const scores = scoreAsOf(input.history, artifact, input.day);
  const settings = deps.config.model.scores;
  const stored = await storeExploitScores(deps.store, input.history, artifact, input.day, {
    now,
    scores,
    tolerance: { absolute: settings.absoluteTolerance, relative: settings.relativeTolerance },
  });
  return { artifact, scores, stored };
}
