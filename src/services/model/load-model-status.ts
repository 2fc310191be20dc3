import {
  type ExploitScoreDay,
  listModelEntries,
  listModelEvaluations,
  listScoreDays,
  loadLastScoreDay,
} from '../../store/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { EXPLOIT_MODEL_KIND, loadCurrentExploitModel } from './exploit-model-registry.js';

/** The current exploit model, its card, the retrain history and the last stored score day (`model status`). */
export async function loadModelStatus(deps: ServiceDeps) {
  authorize(deps.actor, 'read');
  const db = deps.store.db;
  const current = await loadCurrentExploitModel(db, deps.clock.now());
  const models = await listModelEntries(db, EXPLOIT_MODEL_KIND);
  const evaluations = await listModelEvaluations(db, EXPLOIT_MODEL_KIND);
  const lastDay = await loadLastScoreDay(db);
  const entry = models.find((m) => m.id === current.id);
  return {
    current: { id: current.id, version: current.version, promotedAt: entry?.promotedAt ?? null },
    card: current.artifact.card,
    horizonDays: current.artifact.horizonDays,
    evaluations,
    lastScoreDay: lastDay ?? null,
  };
}

/** The stored daily score distributions, newest first, at most `days` (`model drift`). Needs `read`. */
export async function loadScoreDrift(deps: ServiceDeps, input: { days: number }): Promise<ExploitScoreDay[]> {
  authorize(deps.actor, 'read');
  return listScoreDays(deps.store.db, input.days);
}
