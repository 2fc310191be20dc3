import { z } from 'zod';
import { PatchcastError } from '../../core/errors.js';
import { loadLatestPlan, loadStoredPlan } from '../../pipeline/stored-plans.js';
import { getPlanChanges } from '../../planning/render/diff.js';
import { getPlanDiff } from '../../planning/replan.js';
import { listPlans } from '../../store/index.js';
import { defineRoute } from '../route.js';
import { idParam, limitParam, openObject, planSchema } from '../schemas.js';

const storedPlan = z
  .object({
    id: z.string(),
    status: planSchema.shape.status,
    previousId: z.string().optional(),
    plan: openObject('PlanDocument', 'The plan: jobs, windows, rings, objective, bound, gap, reasons'),
  })
  .meta({ id: 'StoredPlan' });

export const PLAN_READ_ROUTES = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/plans',
    tag: 'plans',
    summary: 'Stored plans, newest first (as `patchcast plan list`)',
    access: 'read',
    query: z.strictObject({ limit: limitParam(20, 500) }),
    response: z.array(planSchema),
    handler: async ({ deps, query }) => listPlans(deps.store.db, { limit: query.limit }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/plans/:id',
    tag: 'plans',
    summary: 'A stored plan (`latest` for the newest)',
    access: 'read',
    params: idParam,
    response: storedPlan,
    handler: async ({ deps, params }) => {
      if (params.id !== 'latest') return loadStoredPlan(deps.store.db, params.id);
      const latest = await loadLatestPlan(deps.store.db);
      if (!latest)
        throw new PatchcastError('STORE_NOT_FOUND', 'no plan is stored yet', {
          hint: 'Create one with POST /api/v1/plans or `patchcast plan`.',
        });
      return latest;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/plans/:id/diff',
    tag: 'plans',
    summary: 'What changed from another plan (`against`, default the one it replaced) to this one',
    access: 'read',
    params: idParam,
    query: z.strictObject({ against: z.string().min(1).optional() }),
    response: z.object({ from: z.string(), to: z.string(), changes: z.array(z.looseObject({})) }),
    handler: async ({ deps, params, query }) => {
      const after = await loadStoredPlan(deps.store.db, params.id);
      const againstId = query.against ?? after.previousId;
      if (!againstId)
        throw new PatchcastError(
          'INPUT_INVALID',
          `plan ${params.id} replaced no plan; pass ?against=PLAN_ID`,
        );
      const before = await loadStoredPlan(deps.store.db, againstId);
      const diff = getPlanDiff(before.plan, after.plan);
      return { from: before.id, to: after.id, changes: getPlanChanges(before.plan, after.plan, diff) };
    },
  }),
];
