import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { makeStoredPlan, type PlanRun, type PlanRunOptions } from './stored-plans.js';

export type MakePlanInput = Omit<PlanRunOptions, 'config' | 'now' | 'actor'>;

/**
 * Plans the open findings into windows and rings (`patchcast plan`). With a stored plan, re-plans
 * without moving started jobs. Unless a dry run (which needs only `read`), stores the plan, its waves
 * and jobs and the `plan:create` audit event (actor `deps.actor.id`) in one transaction; needs `operate`.
 */
export async function makePlan(deps: ServiceDeps, input: MakePlanInput): Promise<PlanRun> {
  authorize(deps.actor, input.dryRun ? 'read' : 'operate');
  return makeStoredPlan(deps.store, {
    ...input,
    config: deps.config,
    now: deps.clock.now(),
    actor: deps.actor.id,
  });
}
