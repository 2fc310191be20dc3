import { PatchcastError } from '../../core/errors.js';
import { getPlanChanges } from '../../planning/render/diff.js';
import { getJobExplanation } from '../../planning/render/explain.js';
import { getPlanDiff } from '../../planning/replan.js';
import { type Db, listPlans as listPlanRows } from '../../store/index.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { loadLatestPlan, loadStoredPlan, type StoredPlan } from './stored-plans.js';

/** A stored plan (`plan show`), the latest when no id is given. Needs `read`. */
export async function loadPlan(deps: ServiceDeps, input: { planId?: string } = {}): Promise<StoredPlan> {
  authorize(deps.actor, 'read');
  return loadPlanOrLatest(deps.store.db, input.planId);
}

/** Stored plans, newest first (`plan list`). Needs `read`. */
export async function listPlans(deps: ServiceDeps, input: { limit: number }) {
  authorize(deps.actor, 'read');
  return listPlanRows(deps.store.db, { limit: input.limit });
}

/**
 * Jobs added, removed and moved between two stored plans (`plan diff`): both named; one named and the
 * latest; or the latest two. Needs `read`.
 */
export async function diffPlans(deps: ServiceDeps, input: { oldId?: string; newId?: string } = {}) {
  authorize(deps.actor, 'read');
  const [before, after] = await loadPair(deps.store.db, input.oldId, input.newId);
  const diff = getPlanDiff(before.plan, after.plan);
  return { before, after, diff, changes: getPlanChanges(before.plan, after.plan, diff) };
}

/** Why a job (or an asset's job) is where it is in a stored plan (`plan explain`). Needs `read`. */
export async function explainPlanJob(deps: ServiceDeps, input: { target: string; planId?: string }) {
  authorize(deps.actor, 'read');
  const stored = await loadPlanOrLatest(deps.store.db, input.planId);
  const explanation = getJobExplanation(stored.plan, input.target);
  if (!explanation)
    throw new PatchcastError('STORE_NOT_FOUND', `plan ${stored.id} has no job for ${input.target}`, {
      hint: 'Give an asset id or a job id (job:<asset>) from `patchcast plan show`; assets without open findings get no job.',
      details: { planId: stored.id, target: input.target },
    });
  return { stored, explanation };
}

async function loadPlanOrLatest(db: Db, id: string | undefined): Promise<StoredPlan> {
  if (id) return loadStoredPlan(db, id);
  const latest = await loadLatestPlan(db);
  if (!latest) throw noPlan();
  return latest;
}

/** [old, new]: both given; one given (compared with the latest); or the latest two. */
async function loadPair(db: Db, oldId?: string, newId?: string): Promise<[StoredPlan, StoredPlan]> {
  if (oldId && newId) return [await loadStoredPlan(db, oldId), await loadStoredPlan(db, newId)];
  const latest = await listPlanRows(db, { limit: 2 });
  if (oldId) {
    if (!latest[0]) throw noPlan();
    return [await loadStoredPlan(db, oldId), await loadStoredPlan(db, latest[0].id)];
  }
  const [newest, before] = latest;
  if (!newest || !before)
    throw new PatchcastError('STORE_NOT_FOUND', `plan diff needs two stored plans; ${latest.length} stored`, {
      hint: 'Run `patchcast plan` again after findings, windows or outcomes change, or name two plans.',
    });
  return [await loadStoredPlan(db, before.id), await loadStoredPlan(db, newest.id)];
}

function noPlan(): PatchcastError {
  return new PatchcastError('STORE_NOT_FOUND', 'no plan is stored yet', {
    hint: 'Run `patchcast plan` first.',
  });
}

/**
 * Jobs added, removed and moved from another stored plan (`againstId`, default the one `planId`
 * replaced) to `planId` (the API's `GET /plans/:id/diff`). INPUT_INVALID when the plan replaced none
 * and no other is named. Needs `read`.
 */
export async function diffPlanAgainst(deps: ServiceDeps, input: { planId: string; againstId?: string }) {
  authorize(deps.actor, 'read');
  const after = await loadStoredPlan(deps.store.db, input.planId);
  const againstId = input.againstId ?? after.previousId;
  if (!againstId)
    throw new PatchcastError(
      'INPUT_INVALID',
      `plan ${input.planId} replaced no plan; name the plan to compare with`,
      {
        hint: 'Pass ?against=PLAN_ID (or `patchcast plan diff OLD NEW`).',
        details: { planId: input.planId },
      },
    );
  const before = await loadStoredPlan(deps.store.db, againstId);
  const diff = getPlanDiff(before.plan, after.plan);
  return { before, after, diff, changes: getPlanChanges(before.plan, after.plan, diff) };
}
