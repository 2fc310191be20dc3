import type { Selectable } from 'kysely';
import type { Job, JobEvent, JobStatus } from '../../core/types.js';
import { chunk, type Db, definedOnly, fromJson, isPostgres, orNull, toJson } from '../rows.js';
import type { JobsTable } from '../schema.js';

export type JobInput = Pick<Job, 'id' | 'assetId'> &
  Partial<Pick<Job, 'planId' | 'waveId' | 'payload' | 'notBefore' | 'notAfter' | 'slotId'>>;

/** Adds pending jobs. */
export async function enqueueJobs(db: Db, jobs: readonly JobInput[], at: string): Promise<void> {
  for (const batch of chunk(jobs, 12)) {
    await db
      .insertInto('jobs')
      .values(
        batch.map((j) => ({
          id: j.id,
          plan_id: orNull(j.planId),
          wave_id: orNull(j.waveId),
          asset_id: j.assetId,
          status: 'pending',
          payload: toJson(j.payload),
          not_before: orNull(j.notBefore),
          not_after: orNull(j.notAfter),
          slot_id: orNull(j.slotId),
          created_at: at,
          updated_at: at,
        })),
      )
      .execute();
  }
}

export interface LeaseRequest {
  /** Who takes the jobs: a worker or agent id. */
  owner: string;
  /** How many jobs at most. */
  limit: number;
  /** How long the lease lasts before another worker may take the job again. */
  leaseSeconds: number;
  now: Date;
  /** Only jobs of this asset (an agent leases its own host's jobs). */
  assetId?: string;
  /** Only jobs released to these executors (an agent takes `agent` jobs, a controller the others). */
  executors?: readonly string[];
}

/** A leased job: its row and the fencing token every report about it must carry. */
export type LeasedJob = Job;

/**
 * Leases up to `limit` runnable jobs: `ready` ones (released by the rollout controller) whose window
 * has opened and not yet closed and whose backoff has passed, and `leased` ones whose lease ran out
 * (a worker died; the next one re-checks the host before doing anything). Each lease bumps the job's
 * fencing token, so a report from the previous holder is refused. On PostgreSQL the candidate rows
 * are locked with FOR UPDATE SKIP LOCKED, so concurrent workers never take the same job; on SQLite the
 * single UPDATE statement is atomic under SQLite's one-writer lock.
 */
export async function leaseJobs(db: Db, request: LeaseRequest): Promise<LeasedJob[]> {
  const now = request.now.toISOString();
  const expires = new Date(request.now.getTime() + request.leaseSeconds * 1000).toISOString();
  const postgres = isPostgres(db);
  const candidates = selectLeasable(db, request)
    .select('id')
    .orderBy('created_at')
    .orderBy('id')
    .limit(request.limit)
    .$if(postgres, (q) => q.forUpdate().skipLocked());
  const rows = await db
    .updateTable('jobs')
    .set((eb) => ({
      status: 'leased',
      lease_owner: request.owner,
      lease_expires_at: expires,
      heartbeat_at: now,
      lease_token: eb('lease_token', '+', 1),
      attempts: eb('attempts', '+', 1),
      started_at: eb.fn.coalesce('started_at', eb.val(now)),
      updated_at: now,
    }))
    .where('id', 'in', candidates)
    .returningAll()
    .execute();
  return rows.map(fromRow).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** The jobs `leaseJobs` would take now: one predicate, so a waiter woken by it finds what it was woken for. */
function selectLeasable(db: Db, request: Pick<LeaseRequest, 'now' | 'assetId' | 'executors'>) {
  const now = request.now.toISOString();
  return db
    .selectFrom('jobs')
    .where((eb) =>
      eb.or([
        eb.and([
          eb('status', '=', 'ready'),
          eb.or([eb('not_before', 'is', null), eb('not_before', '<=', now)]),
          eb.or([eb('not_after', 'is', null), eb('not_after', '>=', now)]),
          eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]),
        ]),
        eb.and([eb('status', '=', 'leased'), eb('lease_expires_at', '<', now)]),
      ]),
    )
    .$if(request.assetId !== undefined, (q) => q.where('asset_id', '=', request.assetId ?? ''))
    .$if(request.executors !== undefined, (q) => q.where('executor', 'in', [...(request.executors ?? [])]));
}

/**
 * The assets that have a job `leaseJobs` would take now (of the given executors), without leasing
 * anything: one cheap read that tells every agent waiting on a replica whether to try a lease.
 */
export async function listLeasableAssets(
  db: Db,
  request: { now: Date; executors?: readonly string[] },
): Promise<string[]> {
  const rows = await selectLeasable(db, request).select('asset_id').distinct().execute();
  return rows.map((r) => r.asset_id);
}

/** The lease a report names: the job and the fencing token it was given. */
export interface LeaseRef {
  id: string;
  token: number;
}

/**
 * Extends a lease while its holder works (a heartbeat). Returns the new expiry, or undefined when the
 * token is no longer current (the lease ran out and someone else took the job): the holder must stop.
 */
export async function heartbeatJob(
  db: Db,
  lease: LeaseRef,
  now: Date,
  leaseSeconds: number,
): Promise<string | undefined> {
  const expires = new Date(now.getTime() + leaseSeconds * 1000).toISOString();
  const result = await db
    .updateTable('jobs')
    .set({ lease_expires_at: expires, heartbeat_at: now.toISOString(), updated_at: now.toISOString() })
    .where('id', '=', lease.id)
    .where('lease_token', '=', lease.token)
    .where('status', '=', 'leased')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0 ? expires : undefined;
}

/**
 * Records the step a lease holder has reached, and (once, before apply) the versions it found
 * installed: the rollback target. False when the token is stale (nothing is written).
 */
export async function setJobStep(
  db: Db,
  lease: LeaseRef,
  change: {
    step: string;
    at: string;
    previousVersions?: Array<{ name: string; version: string | null }>;
    /** A new payload (the failure prediction the release notes updated), under the same guard. */
    payload?: Record<string, unknown>;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({
      step: change.step,
      updated_at: change.at,
      ...(change.previousVersions ? { previous_versions: toJson(change.previousVersions) } : {}),
      ...(change.payload ? { payload: toJson(change.payload) } : {}),
    })
    .where('id', '=', lease.id)
    .where('lease_token', '=', lease.token)
    .where('status', '=', 'leased')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Ends a leased job under its current token: `succeeded`, `failed`, `rolled-back`, or back to `ready`
 * for a retry after `retryAt`. False when the token is stale (another holder took over).
 */
export async function finishJob(
  db: Db,
  lease: LeaseRef,
  end: {
    status: 'succeeded' | 'failed' | 'rolled-back' | 'ready';
    at: string;
    lastError?: string;
    retryAt?: string;
  },
): Promise<boolean> {
  const done = end.status !== 'ready';
  const result = await db
    .updateTable('jobs')
    .set({
      status: end.status,
      lease_owner: null,
      lease_expires_at: null,
      updated_at: end.at,
      last_error: end.lastError ?? null,
      ...(done ? { finished_at: end.at } : { next_attempt_at: end.retryAt ?? end.at }),
    })
    .where('id', '=', lease.id)
    .where('lease_token', '=', lease.token)
    .where('status', '=', 'leased')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function loadJob(db: Db, id: string): Promise<Job | undefined> {
  const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function listJobs(
  db: Db,
  filter: { planId?: string; status?: JobStatus; assetId?: string } = {},
): Promise<Job[]> {
  let query = db.selectFrom('jobs').selectAll();
  if (filter.assetId) query = query.where('asset_id', '=', filter.assetId);
  if (filter.planId) query = query.where('plan_id', '=', filter.planId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return (await query.orderBy('created_at').orderBy('id').execute()).map(fromRow);
}

/** Cancels a plan's jobs that no worker has taken yet (the plan was superseded); returns how many. */
export async function cancelPendingJobs(db: Db, planId: string, at: string): Promise<number> {
  const result = await db
    .updateTable('jobs')
    .set({ status: 'cancelled', updated_at: at })
    .where('plan_id', '=', planId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function appendJobEvent(db: Db, event: JobEvent): Promise<void> {
  await db
    .insertInto('job_events')
    .values({ job_id: event.jobId, at: event.at, kind: event.kind, data: toJson(event.data) })
    .execute();
}

export async function listJobEvents(db: Db, jobId: string): Promise<JobEvent[]> {
  const rows = await db
    .selectFrom('job_events')
    .selectAll()
    .where('job_id', '=', jobId)
    .orderBy('id')
    .execute();
  return rows.map((r) =>
    definedOnly({ jobId: r.job_id, at: r.at, kind: r.kind, data: fromJson<Record<string, unknown>>(r.data) }),
  );
}

function fromRow(r: Selectable<JobsTable>): Job {
  return definedOnly({
    id: r.id,
    planId: r.plan_id,
    waveId: r.wave_id,
    assetId: r.asset_id,
    status: r.status as JobStatus,
    payload: fromJson<Record<string, unknown>>(r.payload),
    notBefore: r.not_before,
    notAfter: r.not_after,
    slotId: r.slot_id,
    leaseOwner: r.lease_owner,
    leaseExpiresAt: r.lease_expires_at,
    attempts: Number(r.attempts),
    leaseToken: Number(r.lease_token),
    step: r.step,
    executor: r.executor,
    heartbeatAt: r.heartbeat_at,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    previousVersions: fromJson<Array<{ name: string; version: string | null }>>(r.previous_versions),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
}
