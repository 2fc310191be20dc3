import type { Selectable, Updateable } from 'kysely';
import type { JobStatus, Wave, WaveStatus } from '../../core/types.js';
import { type Db, definedOnly, isPostgres } from '../rows.js';
import type { WavesTable } from '../schema.js';

/** `running`; `paused` by a person; `halted` by a gate; `aborted`; `done`. */
export type RolloutStatus = 'running' | 'paused' | 'halted' | 'aborted' | 'done';

export interface Rollout {
  planId: string;
  status: RolloutStatus;
  startedBy: string;
  startedAt: string;
  updatedAt: string;
  reason?: string;
}

export async function insertRollout(db: Db, rollout: Rollout): Promise<void> {
  await db
    .insertInto('rollouts')
    .values({
      plan_id: rollout.planId,
      status: rollout.status,
      started_by: rollout.startedBy,
      started_at: rollout.startedAt,
      updated_at: rollout.updatedAt,
      reason: rollout.reason ?? null,
    })
    .execute();
}

export async function loadRollout(db: Db, planId: string): Promise<Rollout | undefined> {
  const row = await db.selectFrom('rollouts').selectAll().where('plan_id', '=', planId).executeTakeFirst();
  return row ? toRollout(row) : undefined;
}

/** Rollouts newest first, optionally only those in the given states. */
export async function listRollouts(db: Db, status?: readonly RolloutStatus[]): Promise<Rollout[]> {
  const rows = await db
    .selectFrom('rollouts')
    .selectAll()
    .$if(status !== undefined, (q) => q.where('status', 'in', [...(status ?? [])]))
    .orderBy('started_at', 'desc')
    .execute();
  return rows.map(toRollout);
}

/** Moves a rollout from one of `from` to `to`; false when it was in none of them (someone moved first). */
export async function setRolloutStatus(
  db: Db,
  planId: string,
  from: readonly RolloutStatus[],
  to: RolloutStatus,
  at: string,
  reason?: string,
): Promise<boolean> {
  const result = await db
    .updateTable('rollouts')
    .set({ status: to, updated_at: at, reason: reason ?? null })
    .where('plan_id', '=', planId)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

function toRollout(r: {
  plan_id: string;
  status: string;
  started_by: string;
  started_at: string;
  updated_at: string;
  reason: string | null;
}): Rollout {
  return definedOnly({
    planId: r.plan_id,
    status: r.status as RolloutStatus,
    startedBy: r.started_by,
    startedAt: r.started_at,
    updatedAt: r.updated_at,
    reason: r.reason,
  });
}

export function waveFromRow(w: Selectable<WavesTable>): Wave {
  return definedOnly({
    id: w.id,
    planId: w.plan_id,
    ring: w.ring,
    position: w.position,
    status: w.status as WaveStatus,
    startsAt: w.starts_at,
    endsAt: w.ends_at,
    approvedBy: w.approved_by,
    approvedAt: w.approved_at,
    startedAt: w.started_at,
    finishedAt: w.finished_at,
    soakUntil: w.soak_until,
    haltReason: w.halt_reason,
  });
}

export async function listWaves(db: Db, planId: string): Promise<Wave[]> {
  const rows = await db
    .selectFrom('waves')
    .selectAll()
    .where('plan_id', '=', planId)
    .orderBy('position')
    .execute();
  return rows.map(waveFromRow);
}

export interface WaveChange {
  status?: WaveStatus;
  approvedBy?: string;
  approvedAt?: string;
  startedAt?: string;
  finishedAt?: string;
  soakUntil?: string | null;
  haltReason?: string | null;
}

/** Changes a wave that is in one of `from`; false when it was not (another controller moved first). */
export async function updateWave(
  db: Db,
  id: string,
  from: readonly WaveStatus[],
  change: WaveChange,
): Promise<boolean> {
  const set: Updateable<WavesTable> = {};
  if (change.status !== undefined) set.status = change.status;
  if (change.approvedBy !== undefined) set.approved_by = change.approvedBy;
  if (change.approvedAt !== undefined) set.approved_at = change.approvedAt;
  if (change.startedAt !== undefined) set.started_at = change.startedAt;
  if (change.finishedAt !== undefined) set.finished_at = change.finishedAt;
  if (change.soakUntil !== undefined) set.soak_until = change.soakUntil;
  if (change.haltReason !== undefined) set.halt_reason = change.haltReason;
  const result = await db
    .updateTable('waves')
    .set(set)
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Locks a wave's row until the transaction ends (PostgreSQL), so two controllers releasing jobs of one
 * wave count its running jobs one after the other; SQLite's single writer already serializes them.
 */
export async function lockWave(db: Db, id: string): Promise<void> {
  if (!isPostgres(db)) return;
  await db.selectFrom('waves').select('id').where('id', '=', id).forUpdate().execute();
}

/** Per wave, how many of its jobs are in each state. */
export async function countWaveJobs(
  db: Db,
  planId: string,
): Promise<Map<string, Partial<Record<JobStatus, number>>>> {
  const rows = await db
    .selectFrom('jobs')
    .select(['wave_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('plan_id', '=', planId)
    .groupBy(['wave_id', 'status'])
    .execute();
  const counts = new Map<string, Partial<Record<JobStatus, number>>>();
  for (const r of rows) {
    const key = r.wave_id ?? '';
    const entry = counts.get(key) ?? {};
    entry[r.status as JobStatus] = Number(r.n);
    counts.set(key, entry);
  }
  return counts;
}

/**
 * Releases up to `limit` of a wave's pending jobs whose window has opened (`not_before` ≤ now):
 * `pending → ready`, with the executor that will run each (from `executorOf(assetId)`). Returns
 * the released job ids.
 */
export async function releaseWaveJobs(
  db: Db,
  request: { waveId: string; limit: number; now: string; executorOf: (assetId: string) => string },
): Promise<string[]> {
  if (request.limit <= 0) return [];
  const rows = await db
    .selectFrom('jobs')
    .select(['id', 'asset_id'])
    .where('wave_id', '=', request.waveId)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('not_before', 'is', null), eb('not_before', '<=', request.now)]))
    .where((eb) => eb.or([eb('not_after', 'is', null), eb('not_after', '>=', request.now)]))
    .orderBy('not_before')
    .orderBy('id')
    .limit(request.limit)
    .execute();
  const byExecutor = new Map<string, string[]>();
  for (const r of rows) {
    const executor = request.executorOf(r.asset_id);
    byExecutor.set(executor, [...(byExecutor.get(executor) ?? []), r.id]);
  }
  const released: string[] = [];
  for (const [executor, ids] of byExecutor) {
    const updated = await db
      .updateTable('jobs')
      .set({ status: 'ready', executor, updated_at: request.now })
      .where('id', 'in', ids)
      .where('status', '=', 'pending')
      .returning('id')
      .execute();
    released.push(...updated.map((r) => r.id));
  }
  return released;
}

/**
 * Jobs of a plan whose window closed before they started (`pending` or `ready` past `not_after`)
 * become `missed`, with the reason; they go back to the planner. Returns their ids.
 */
export async function markMissedJobs(db: Db, planId: string, now: string): Promise<string[]> {
  const rows = await db
    .updateTable('jobs')
    .set(() => ({
      status: 'missed',
      updated_at: now,
      finished_at: now,
      last_error: 'its window closed (not_after) before it could start; it goes back to the planner',
    }))
    .where('plan_id', '=', planId)
    .where('status', 'in', ['pending', 'ready'])
    .where('not_after', 'is not', null)
    .where('not_after', '<', now)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Sets not-started jobs of a plan (`pending`, `ready`) to `to`; returns their ids. */
export async function setWaitingJobs(
  db: Db,
  planId: string,
  to: 'cancelled',
  now: string,
  reason: string,
): Promise<string[]> {
  const rows = await db
    .updateTable('jobs')
    .set({ status: to, updated_at: now, finished_at: now, last_error: reason })
    .where('plan_id', '=', planId)
    .where('status', 'in', ['pending', 'ready'])
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Puts a finished job back to `pending` (a retry a person asked for); false unless it had failed, rolled back or missed. */
export async function resetJob(db: Db, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({
      status: 'pending',
      attempts: 0,
      step: null,
      next_attempt_at: null,
      finished_at: null,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('status', 'in', ['failed', 'rolled-back', 'missed'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Leased jobs whose lease ran out, have used all their attempts and never reached apply: they fail
 * (`last_error` says why). A job past apply is never failed this way: the next holder must re-check
 * its host. Returns their ids.
 */
export async function failExhaustedJobs(
  db: Db,
  planId: string,
  now: string,
  maxAttempts: number,
): Promise<string[]> {
  const rows = await db
    .updateTable('jobs')
    .set({
      status: 'failed',
      lease_owner: null,
      lease_expires_at: null,
      updated_at: now,
      finished_at: now,
      last_error: `lease expired ${maxAttempts} times before apply; the host or its agent did not answer`,
    })
    .where('plan_id', '=', planId)
    .where('status', '=', 'leased')
    .where('lease_expires_at', '<', now)
    .where('attempts', '>=', maxAttempts)
    .where((eb) => eb.or([eb('step', 'is', null), eb('step', 'in', ['preflight', 'rehearsal', 'pre-hooks'])]))
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Moves a plan's pending jobs to start now (an emergency change): each keeps the length of its
 * start span (`not_after − not_before`), counted from `now`. Returns how many moved.
 */
export async function moveJobsToNow(db: Db, planId: string, now: Date): Promise<number> {
  const rows = await db
    .selectFrom('jobs')
    .select(['id', 'not_before', 'not_after'])
    .where('plan_id', '=', planId)
    .where('status', '=', 'pending')
    .execute();
  const at = now.toISOString();
  for (const r of rows) {
    const span =
      r.not_before && r.not_after
        ? Math.max(0, Date.parse(r.not_after) - Date.parse(r.not_before))
        : 3_600_000;
    await db
      .updateTable('jobs')
      .set({ not_before: at, not_after: new Date(now.getTime() + span).toISOString(), updated_at: at })
      .where('id', '=', r.id)
      .where('status', '=', 'pending')
      .execute();
  }
  return rows.length;
}
