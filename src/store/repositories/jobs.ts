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
}

/**
 * Leases up to `limit` runnable jobs: pending ones, and leased ones whose lease ran out. On PostgreSQL
 * the candidate rows are locked with FOR UPDATE SKIP LOCKED, so concurrent workers never take the same
 * job; on SQLite the single UPDATE statement is atomic under SQLite's one-writer lock.
 */
export async function leaseJobs(db: Db, request: LeaseRequest): Promise<Job[]> {
  const now = request.now.toISOString();
  const expires = new Date(request.now.getTime() + request.leaseSeconds * 1000).toISOString();
  const postgres = isPostgres(db);
  const candidates = db
    .selectFrom('jobs')
    .select('id')
    .where((eb) =>
      eb.or([
        eb('status', '=', 'pending'),
        eb.and([eb('status', '=', 'leased'), eb('lease_expires_at', '<', now)]),
      ]),
    )
    .where((eb) => eb.or([eb('not_before', 'is', null), eb('not_before', '<=', now)]))
    .$if(request.assetId !== undefined, (q) => q.where('asset_id', '=', request.assetId ?? ''))
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
      attempts: eb('attempts', '+', 1),
      updated_at: now,
    }))
    .where('id', 'in', candidates)
    .returningAll()
    .execute();
  return rows.map(fromRow).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** Ends a leased job held by `owner`; false when the lease was lost (another worker took it over). */
export async function completeJob(
  db: Db,
  id: string,
  owner: string,
  status: Exclude<JobStatus, 'pending' | 'leased'>,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ status, lease_owner: null, lease_expires_at: null, updated_at: at })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
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
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
}
