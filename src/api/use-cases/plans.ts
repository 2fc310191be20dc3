/** Plan creation and approval over the API (until services/plan lands). */
import { PatchcastError } from '../../core/errors.js';
import { loadStoredPlan, makeStoredPlan } from '../../pipeline/stored-plans.js';
import { getPlanChanges } from '../../planning/render/diff.js';
import { recordEvent } from '../../services/auth/events.js';
import { authorize } from '../../services/authz.js';
import type { ServiceDeps } from '../../services/deps.js';
import { appendAuditEvent, setPlanStatus } from '../../store/index.js';

export async function createPlan(
  deps: ServiceDeps,
  input: { horizonDays: number; timeLimitSeconds: number; greedy: boolean; dryRun: boolean },
) {
  authorize(deps.actor, 'operate');
  const now = deps.clock.now();
  const run = await makeStoredPlan(deps.store, {
    config: deps.config,
    now,
    horizonDays: input.horizonDays,
    actor: deps.actor.id,
    ...(input.dryRun ? { dryRun: true } : {}),
    solve: {
      timeLimitSeconds: input.timeLimitSeconds,
      ...(input.greedy ? { method: 'greedy' as const } : {}),
    },
  });
  if (run.stored && run.id) {
    const id = run.id;
    await deps.store.db
      .transaction()
      .execute((db) => recordEvent(db, { at: now.toISOString(), kind: 'plan:created', subject: id }));
  }
  const changes = run.previous && run.diff ? getPlanChanges(run.previous.plan, run.plan, run.diff) : [];
  return { id: run.id ?? null, stored: run.stored, kept: run.kept, changes, plan: run.plan };
}

export async function approvePlan(deps: ServiceDeps, id: string) {
  authorize(deps.actor, 'approve');
  const at = deps.clock.now().toISOString();
  return deps.store.db.transaction().execute(async (db) => {
    const plan = await loadStoredPlan(db, id);
    if (plan.status !== 'draft')
      throw new PatchcastError(
        'STORE_CONFLICT',
        `plan ${id} is ${plan.status}, not a draft: only a draft is approved`,
        {
          hint: 'GET /api/v1/plans/latest shows the current plan.',
        },
      );
    await setPlanStatus(db, id, 'approved');
    await appendAuditEvent(db, { at, actor: deps.actor.id, action: 'plan:approve', subject: id });
    await recordEvent(db, { at, kind: 'plan:approved', subject: id });
    return { id, status: 'approved' as const, approvedBy: deps.actor.id, approvedAt: at };
  });
}
