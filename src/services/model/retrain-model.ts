import type { History } from '../../predict/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { type RetrainReport, retrainExploitModel } from './exploit-model-registry.js';

export interface RetrainModelInput {
  /** The history to train and compare on (`loadModelHistory`, or a data directory's). */
  history: History;
  /** The retrain day (days since the epoch): information dated on or before it only. */
  asOf: number;
  /** Latest monthly windows to compare on (default `model.retrain.windows`). */
  windows?: number;
  onStep?: (text: string) => void;
}

/**
 * Trains a challenger as of `asOf`, compares it with the current model on the latest windows and
 * promotes it if not worse (`patchcast model retrain`); the evaluation, the promotion and the
 * `model:*` audit event (actor `deps.actor.id`) are one transaction. Needs `operate`.
 */
export async function retrainModel(deps: ServiceDeps, input: RetrainModelInput): Promise<RetrainReport> {
  authorize(deps.actor, 'operate');
  const model = deps.config.model;
  return retrainExploitModel(deps.store, input.history, {
    asOf: input.asOf,
    now: deps.clock.now(),
    actor: deps.actor.id,
    windows: input.windows ?? model.retrain.windows,
    rule: model.promotion,
    ...(input.onStep ? { onStep: input.onStep } : {}),
  });
}
