import { z } from 'zod';
import { diffPlanAgainst, listPlans, loadPlan } from '../../services/plan/load-plan.js';
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
    handler: async ({ deps, query }) => listPlans(deps, { limit: query.limit }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/plans/:id',
    tag: 'plans',
    summary: 'A stored plan (`latest` for the newest)',
    access: 'read',
    params: idParam,
    response: storedPlan,
    handler: async ({ deps, params }) => loadPlan(deps, params.id === 'latest' ? {} : { planId: params.id }),
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
      const { before, after, changes } = await diffPlanAgainst(deps, {
        planId: params.id,
        ...(query.against ? { againstId: query.against } : {}),
      });
      return { from: before.id, to: after.id, changes };
    },
  }),
];
