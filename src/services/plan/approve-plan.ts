import { PatchcastError } from '../../core/errors.js';
import { setPlanStatus } from '../../store/index.js';
import { changeState } from '../change.js';
import type { ServiceDeps } from '../deps.js';
import { loadStoredPlan } from './stored-plans.js';

export interface ApprovedPlan {
  id: string;
  status: 'approved';
  approvedBy: string;
  approvedAt: string;
}

/**
 * Approves a draft plan (the API's `POST /plans/:id/approve`); only a draft is approved, once (else
 * STORE_CONFLICT). Needs `approve`; audited as `plan:approve`, announced as `plan:approved`.
 */
export async function approvePlan(deps: ServiceDeps, input: { planId: string }) {
  const id = input.planId;
  return changeState<ApprovedPlan>(deps, 'approve', async (db, at) => {
    const plan = await loadStoredPlan(db, id);
    if (plan.status !== 'draft')
      throw new PatchcastError(
        'STORE_CONFLICT',
        `plan ${id} is ${plan.status}, not a draft: only a draft is approved`,
        { hint: 'The latest plan is `patchcast plan show` (GET /api/v1/plans/latest).', details: { id } },
      );
    await setPlanStatus(db, id, 'approved');
    const approvedAt = at.toISOString();
    return {
      result: { id, status: 'approved', approvedBy: deps.actor.id, approvedAt },
      audit: { action: 'plan:approve', subject: id },
      event: { kind: 'plan:approved', subject: id },
    };
  });
}
