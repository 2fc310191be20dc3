/**
 * The rollout controller's reconcile step. For every running rollout: jobs whose window closed go
 * back to the planner, jobs whose leases ran out too often fail, then `decide` (src/rollout/decide.ts)
 * says what to do next and each action is applied in its own transaction, guarded by the state it
 * was decided on — so several controllers on one PostgreSQL never act twice — with an audit event
 * carrying the gate's numbers.
 */
import type { Asset } from '../../core/types.js';
import { type Action, decide, type RingPolicy, type RolloutState } from '../../rollout/decide.js';
import { getHostEntry } from '../../rollout/job-spec.js';
import {
  appendAuditEvent,
  countWaveJobs,
  type Db,
  failExhaustedJobs,
  listAssets,
  listRollouts,
  listWaves,
  lockWave,
  markMissedJobs,
  releaseWaveJobs,
  setPlanStatus,
  setRolloutStatus,
  updateWave,
} from '../../store/index.js';
import { recordEvent } from '../auth/events.js';
import { authorize } from '../authz.js';
import type { ServiceDeps } from '../deps.js';
import { getHaltReason, loadPatchGates } from './patch-learning.js';

export interface TickResult {
  at: string;
  rollouts: number;
  actions: Array<Action & { planId: string; applied: boolean }>;
  missed: string[];
  exhausted: string[];
}

function getPolicy(deps: ServiceDeps, ring: string): RingPolicy {
  const config = deps.config.rings.find((r) => r.id === ring);
  return {
    concurrency: config?.concurrency ?? '25%',
    errorBudget: config?.errorBudget ?? 0,
    approval: config?.approval ?? 'auto',
    soakMinutes: config?.soakMinutes ?? 0,
  };
}

/** One reconcile pass over every running rollout. Needs `operate` (the controller runs as `system:controller`). */
export async function runControllerTick(deps: ServiceDeps): Promise<TickResult> {
  authorize(deps.actor, 'operate');
  const now = deps.clock.now();
  const at = now.toISOString();
  const result: TickResult = { at, rollouts: 0, actions: [], missed: [], exhausted: [] };
  const running = await listRollouts(deps.store.db, ['running']);
  if (running.length === 0) return result;
  const assets = new Map((await listAssets(deps.store.db)).map((a) => [a.id, a]));
  const executorOf = (assetId: string) => {
    const asset: Pick<Asset, 'id' | 'tags' | 'environment'> = assets.get(assetId) ?? {
      id: assetId,
      tags: [],
    };
    return getHostEntry(deps.config, asset).executor;
  };
  for (const rollout of running) {
    result.rollouts++;
    const planId = rollout.planId;
    const swept = await deps.store.db.transaction().execute(async (db) => {
      const missed = await markMissedJobs(db, planId, at);
      const exhausted = await failExhaustedJobs(db, planId, at, deps.config.rollout.maxAttempts);
      if (missed.length > 0)
        await audit(deps, db, at, 'rollout:window-missed', planId, { jobs: missed, count: missed.length });
      if (exhausted.length > 0)
        await audit(deps, db, at, 'rollout:lease-exhausted', planId, {
          jobs: exhausted,
          count: exhausted.length,
        });
      if (missed.length + exhausted.length > 0)
        await recordEvent(db, { at, kind: 'rollout:changed', subject: planId, data: { missed, exhausted } });
      return { missed, exhausted };
    });
    result.missed.push(...swept.missed);
    result.exhausted.push(...swept.exhausted);
    const state = await loadRolloutState(deps, deps.store.db, planId, 'running');
    for (const action of decide(state, now)) {
      const applied = await applyAction(deps, planId, action, at, executorOf);
      result.actions.push({ ...action, planId, applied });
    }
  }
  return result;
}

export async function loadRolloutState(
  deps: ServiceDeps,
  db: Db,
  planId: string,
  status: RolloutState['status'],
): Promise<RolloutState> {
  const counts = await countWaveJobs(db, planId);
  const waves = await listWaves(db, planId);
  const gates = await loadPatchGates(db, planId);
  return {
    status,
    waves: waves.map((w) => ({
      id: w.id,
      ring: w.ring,
      status: w.status,
      ...(w.approvedBy ? { approvedBy: w.approvedBy } : {}),
      ...(w.soakUntil ? { soakUntil: w.soakUntil } : {}),
      counts: counts.get(w.id) ?? {},
      policy: getPolicy(deps, w.ring),
      learned: {
        halting: (gates.get(w.id) ?? [])
          .map((g) => getHaltReason(g, w.position === 0))
          .filter((r): r is string => r !== undefined),
        soakMultiplier: Math.max(1, ...(gates.get(w.id) ?? []).map((g) => g.soakMultiplier)),
      },
    })),
  };
}

async function audit(
  deps: ServiceDeps,
  db: Db,
  at: string,
  action: string,
  subject: string,
  data: Record<string, unknown>,
): Promise<void> {
  await appendAuditEvent(db, { at, actor: deps.actor.id, action, subject, data });
}

/** Applies one action in its own transaction; false when the state moved under it (nothing written). */
async function applyAction(
  deps: ServiceDeps,
  planId: string,
  action: Action,
  at: string,
  executorOf: (assetId: string) => string,
): Promise<boolean> {
  return deps.store.db.transaction().execute(async (db) => {
    let applied = false;
    let auditData: Record<string, unknown> | undefined;
    let auditAction = '';
    switch (action.kind) {
      case 'await-approval':
        applied = await updateWave(db, action.waveId, ['pending'], { status: 'awaiting-approval' });
        auditAction = 'wave:await-approval';
        auditData = { ring: action.ring, reason: action.reason ?? 'the ring requires approval' };
        break;
      case 'start-wave':
        applied = await updateWave(db, action.waveId, [action.from], { status: 'running', startedAt: at });
        auditAction = 'wave:start';
        auditData = { ring: action.ring };
        break;
      case 'release': {
        await lockWave(db, action.waveId);
        // Count again under the lock: another controller may have released since the state was read.
        const counts = (await countWaveJobs(db, planId)).get(action.waveId) ?? {};
        const running = (counts.ready ?? 0) + (counts.leased ?? 0);
        const limit = Math.min(action.limit, action.concurrency - running);
        const released = await releaseWaveJobs(db, { waveId: action.waveId, limit, now: at, executorOf });
        applied = released.length > 0;
        if (applied)
          await recordEvent(db, { at, kind: 'rollout:changed', subject: planId, data: { released } });
        return applied;
      }
      case 'halt':
        applied = await updateWave(db, action.waveId, [action.from], {
          status: 'halted',
          haltReason: action.reason,
        });
        if (applied) await setRolloutStatus(db, planId, ['running'], 'halted', at, action.reason);
        auditAction = 'wave:halt';
        auditData = {
          ring: action.ring,
          failures: action.failures,
          budget: action.budget,
          jobs: action.jobs,
          reason: action.reason,
        };
        break;
      case 'soak':
        applied = await updateWave(db, action.waveId, ['running'], {
          status: 'soaking',
          soakUntil: action.until,
        });
        auditAction = 'wave:soak';
        auditData = {
          ring: action.ring,
          until: action.until,
          failures: action.failures,
          budget: action.budget,
        };
        break;
      case 'promote':
        applied = await updateWave(db, action.waveId, ['soaking'], { status: 'promoted', finishedAt: at });
        auditAction = 'wave:promote';
        auditData = {
          ring: action.ring,
          gate: 'passed',
          failures: action.failures,
          budget: action.budget,
          jobs: action.jobs,
        };
        break;
      case 'finish':
        applied = await setRolloutStatus(db, planId, ['running'], 'done', at);
        if (applied) await setPlanStatus(db, planId, 'done');
        auditAction = 'rollout:done';
        auditData = { succeeded: action.succeeded, failed: action.failed, missed: action.missed };
        break;
    }
    if (applied && auditData) {
      await audit(deps, db, at, auditAction, 'waveId' in action ? action.waveId : planId, {
        planId,
        ...auditData,
      });
      await recordEvent(db, { at, kind: 'rollout:changed', subject: planId, data: { action: action.kind } });
    }
    return applied;
  });
}
