/**
 * A person's decisions about a rollout: start (approving the plan and the rings that need it when
 * asked), approve rings, pause, resume, abort, retry a job. Each is one transaction with its audit
 * event (who, what, with which numbers) and a `rollout:changed` event.
 */
import { PatchcastError } from '../../core/errors.js';
import {
  type Db,
  insertRollout,
  listWaves,
  loadJob,
  loadRollout,
  moveJobsToNow,
  type Rollout,
  type RolloutStatus,
  resetJob,
  setPlanStatus,
  setRolloutStatus,
  setWaitingJobs,
  updateWave,
} from '../../store/index.js';
import { can } from '../authz.js';
import { changeState } from '../change.js';
import type { ServiceDeps } from '../deps.js';
import { loadLatestPlan, loadStoredPlan } from '../plan/stored-plans.js';

async function getPlanId(deps: ServiceDeps, planId: string | undefined): Promise<string> {
  if (planId) return planId;
  const latest = await loadLatestPlan(deps.store.db);
  if (!latest)
    throw new PatchcastError('STORE_NOT_FOUND', 'no stored plan to roll out', {
      hint: 'Make one with `patchcast plan` first.',
    });
  return latest.id;
}

async function requireRollout(db: Db, planId: string): Promise<Rollout> {
  const rollout = await loadRollout(db, planId);
  if (!rollout)
    throw new PatchcastError('STORE_NOT_FOUND', `plan ${planId} has no rollout`, {
      hint: 'Start one with `patchcast rollout start PLAN`.',
      details: { planId },
    });
  return rollout;
}

function rings(deps: ServiceDeps) {
  return new Map(deps.config.rings.map((r) => [r.id, r]));
}

/** Approves the waves that wait for an approver (rings marked `approval: required`, waves a gate stopped); returns their rings. */
async function approveRequiredWaves(
  deps: ServiceDeps,
  db: Db,
  planId: string,
  at: string,
  ring?: string,
): Promise<string[]> {
  const policies = rings(deps);
  const approved: string[] = [];
  for (const wave of await listWaves(db, planId)) {
    if (ring && wave.ring !== ring) continue;
    if (wave.approvedBy) continue;
    // A ring that requires approval, or any wave a gate stopped for an approver (what the fleet learned).
    const waiting = wave.status === 'awaiting-approval';
    if (!waiting && !(wave.status === 'pending' && policies.get(wave.ring)?.approval === 'required'))
      continue;
    if (
      await updateWave(db, wave.id, ['pending', 'awaiting-approval'], {
        approvedBy: deps.actor.id,
        approvedAt: at,
      })
    )
      approved.push(wave.ring);
  }
  return approved;
}

export interface StartedRollout {
  planId: string;
  status: RolloutStatus;
  planApproved: boolean;
  /** Rings that need approval and got it with this start. */
  approvedRings: string[];
  /** Rings that need approval and still wait for an approver. */
  awaitingApproval: string[];
  /** Jobs moved to start now (`now`), instead of at their windows. */
  movedToNow: number;
}

/**
 * Starts carrying out a plan (the latest by default). A draft plan needs `approve: true` and an
 * approver; with `approve`, an approver also approves the rings marked `approval: required`, which
 * otherwise wait for `approveRollout`. `now` (an approver's emergency change) starts the jobs now
 * instead of at their windows; rings, gates and budgets still hold. Needs `operate`.
 */
export async function startRollout(
  deps: ServiceDeps,
  input: { planId?: string; approve?: boolean; now?: boolean } = {},
): Promise<StartedRollout & { auditEvent: unknown }> {
  const planId = await getPlanId(deps, input.planId);
  if (input.now && !can(deps.actor, 'approve'))
    throw new PatchcastError(
      'AUTH_FORBIDDEN',
      `${deps.actor.id} (${deps.actor.role}) may not start jobs outside their windows`,
      {
        hint: 'An emergency change outside maintenance windows needs an approver.',
        details: { actor: deps.actor.id, permission: 'approve' },
      },
    );
  if (input.approve && !can(deps.actor, 'approve'))
    throw new PatchcastError('AUTH_FORBIDDEN', `${deps.actor.id} (${deps.actor.role}) may not approve`, {
      hint: 'Start without --approve, and ask an approver to run `patchcast rollout approve`.',
      details: { actor: deps.actor.id, permission: 'approve' },
    });
  return changeState<StartedRollout>(deps, 'operate', async (db, now) => {
    const at = now.toISOString();
    const plan = await loadStoredPlan(db, planId);
    if (await loadRollout(db, planId))
      throw new PatchcastError('ROLLOUT_STATE', `plan ${planId} is already being rolled out`, {
        details: { planId },
      });
    if (plan.status === 'superseded' || plan.status === 'done')
      throw new PatchcastError(
        'ROLLOUT_STATE',
        `plan ${planId} is ${plan.status}; roll out the latest plan`,
        {
          hint: 'The latest plan is `patchcast plan show`.',
          details: { planId, status: plan.status },
        },
      );
    let planApproved = false;
    if (plan.status === 'draft') {
      if (!input.approve)
        throw new PatchcastError('ROLLOUT_STATE', `plan ${planId} is a draft: it must be approved first`, {
          hint: 'An approver starts it with `patchcast rollout start --approve`, or approves it with `patchcast plan approve`.',
          details: { planId },
        });
      planApproved = true;
    }
    await setPlanStatus(db, planId, 'running');
    await insertRollout(db, {
      planId,
      status: 'running',
      startedBy: deps.actor.id,
      startedAt: at,
      updatedAt: at,
    });
    const approvedRings = input.approve ? await approveRequiredWaves(deps, db, planId, at) : [];
    const movedToNow = input.now ? await moveJobsToNow(db, planId, now) : 0;
    const policies = rings(deps);
    const awaitingApproval = (await listWaves(db, planId))
      .filter((w) => policies.get(w.ring)?.approval === 'required' && !w.approvedBy)
      .map((w) => w.ring);
    return {
      result: { planId, status: 'running', planApproved, approvedRings, awaitingApproval, movedToNow },
      audit: {
        action: 'rollout:start',
        subject: planId,
        data: {
          planApproved,
          approvedRings,
          awaitingApproval,
          ...(input.now ? { emergency: true, movedToNow } : {}),
        },
      },
      event: { kind: 'rollout:changed', subject: planId, data: { status: 'running' } },
    };
  });
}

/** Approves the rings of a rollout that need an approver (one ring, or all). Needs `approve`. */
export async function approveRollout(deps: ServiceDeps, input: { planId?: string; ring?: string } = {}) {
  const planId = await getPlanId(deps, input.planId);
  return changeState<{ planId: string; approvedRings: string[] }>(deps, 'approve', async (db, now) => {
    await requireRollout(db, planId);
    const approvedRings = await approveRequiredWaves(deps, db, planId, now.toISOString(), input.ring);
    if (approvedRings.length === 0)
      throw new PatchcastError(
        'ROLLOUT_STATE',
        `no ring of ${planId}${input.ring ? ` named ${input.ring}` : ''} waits for approval`,
        { details: { planId, ring: input.ring ?? null } },
      );
    return {
      result: { planId, approvedRings },
      audit: { action: 'rollout:approve', subject: planId, data: { rings: approvedRings } },
      event: { kind: 'rollout:changed', subject: planId, data: { approvedRings } },
    };
  });
}

/** Pauses a running rollout: nothing new is released; jobs already running finish. Needs `operate`. */
export async function pauseRollout(deps: ServiceDeps, input: { planId?: string; reason?: string } = {}) {
  const planId = await getPlanId(deps, input.planId);
  return changeState<{ planId: string; status: RolloutStatus }>(deps, 'operate', async (db, now) => {
    const rollout = await requireRollout(db, planId);
    if (!(await setRolloutStatus(db, planId, ['running'], 'paused', now.toISOString(), input.reason)))
      throw new PatchcastError('ROLLOUT_STATE', `rollout ${planId} is ${rollout.status}, not running`, {
        details: { planId, status: rollout.status },
      });
    return {
      result: { planId, status: 'paused' },
      audit: { action: 'rollout:pause', subject: planId, data: { reason: input.reason ?? null } },
      event: { kind: 'rollout:changed', subject: planId, data: { status: 'paused' } },
    };
  });
}

/**
 * Resumes a paused rollout, or one a gate halted (an approver's decision: the halted wave runs again,
 * and halts again at once unless retries brought its failures back within the budget).
 */
export async function resumeRollout(deps: ServiceDeps, input: { planId?: string } = {}) {
  const planId = await getPlanId(deps, input.planId);
  const current = await requireRollout(deps.store.db, planId);
  const permission = current.status === 'halted' ? 'approve' : 'operate';
  return changeState<{ planId: string; status: RolloutStatus; from: RolloutStatus }>(
    deps,
    permission,
    async (db, now) => {
      const at = now.toISOString();
      const rollout = await requireRollout(db, planId);
      if (!(await setRolloutStatus(db, planId, ['paused', 'halted'], 'running', at)))
        throw new PatchcastError(
          'ROLLOUT_STATE',
          `rollout ${planId} is ${rollout.status}: only a paused or halted one resumes`,
          {
            details: { planId, status: rollout.status },
          },
        );
      for (const wave of await listWaves(db, planId))
        if (wave.status === 'halted')
          await updateWave(db, wave.id, ['halted'], { status: 'running', haltReason: null });
      return {
        result: { planId, status: 'running', from: rollout.status },
        audit: { action: 'rollout:resume', subject: planId, data: { from: rollout.status } },
        event: { kind: 'rollout:changed', subject: planId, data: { status: 'running' } },
      };
    },
  );
}

/** Aborts a rollout: jobs not started are cancelled; jobs running finish (or roll back) on their own. */
export async function abortRollout(deps: ServiceDeps, input: { planId?: string; reason?: string } = {}) {
  const planId = await getPlanId(deps, input.planId);
  return changeState<{ planId: string; status: RolloutStatus; cancelled: number }>(
    deps,
    'operate',
    async (db, now) => {
      const at = now.toISOString();
      const rollout = await requireRollout(db, planId);
      if (!(await setRolloutStatus(db, planId, ['running', 'paused', 'halted'], 'aborted', at, input.reason)))
        throw new PatchcastError(
          'ROLLOUT_STATE',
          `rollout ${planId} is ${rollout.status}; it cannot be aborted`,
          {
            details: { planId, status: rollout.status },
          },
        );
      const cancelled = await setWaitingJobs(
        db,
        planId,
        'cancelled',
        at,
        `rollout aborted by ${deps.actor.id}`,
      );
      for (const wave of await listWaves(db, planId))
        if (!['promoted', 'done'].includes(wave.status))
          await updateWave(db, wave.id, [wave.status], { status: 'aborted', finishedAt: at });
      await setPlanStatus(db, planId, 'done');
      return {
        result: { planId, status: 'aborted', cancelled: cancelled.length },
        audit: {
          action: 'rollout:abort',
          subject: planId,
          data: { reason: input.reason ?? null, cancelled: cancelled.length },
        },
        event: { kind: 'rollout:changed', subject: planId, data: { status: 'aborted' } },
      };
    },
  );
}

/** Puts a failed, rolled-back or missed job back in its wave (it is released again when a slot frees). */
export async function retryJob(deps: ServiceDeps, input: { jobId: string }) {
  return changeState<{ jobId: string; status: 'pending'; was: string }>(deps, 'operate', async (db, now) => {
    const job = await loadJob(db, input.jobId);
    if (!job)
      throw new PatchcastError('STORE_NOT_FOUND', `no job ${input.jobId}`, {
        hint: 'Job ids are listed by `patchcast rollout status --json`.',
        details: { jobId: input.jobId },
      });
    if (!(await resetJob(db, job.id, now.toISOString())))
      throw new PatchcastError(
        'ROLLOUT_STATE',
        `job ${job.id} is ${job.status}: only a failed, rolled-back or missed job is retried`,
        {
          details: { jobId: job.id, status: job.status },
        },
      );
    return {
      result: { jobId: job.id, status: 'pending', was: job.status },
      audit: {
        action: 'job:retry',
        subject: job.id,
        data: { was: job.status, lastError: job.lastError ?? null },
      },
      event: { kind: 'rollout:changed', subject: job.planId ?? job.id, data: { jobId: job.id } },
    };
  });
}
