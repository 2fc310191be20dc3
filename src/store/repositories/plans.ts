import type { Selectable } from 'kysely';
import type { Plan, Wave } from '../../core/types.js';
import { type Db, definedOnly, fromJson, orNull, toJson } from '../rows.js';
import type { PlansTable } from '../schema.js';
import { waveFromRow } from './rollouts.js';

/** Stores a plan with its waves (jobs are enqueued separately with their plan and wave ids). */
export async function insertPlan(db: Db, plan: Plan, waves: readonly Wave[]): Promise<void> {
  await db
    .insertInto('plans')
    .values({
      id: plan.id,
      status: plan.status,
      created_at: plan.createdAt,
      horizon_end: orNull(plan.horizonEnd),
      objective: orNull(plan.objective),
      bound: orNull(plan.bound),
      gap: orNull(plan.gap),
      data: toJson(plan.data),
      method: orNull(plan.method),
      solve_seconds: orNull(plan.solveSeconds),
      job_count: orNull(plan.jobCount),
      unscheduled_count: orNull(plan.unscheduledCount),
      previous_id: orNull(plan.previousId),
    })
    .execute();
  if (waves.length === 0) return;
  await db
    .insertInto('waves')
    .values(
      waves.map((w) => ({
        id: w.id,
        plan_id: w.planId,
        ring: w.ring,
        position: w.position,
        status: w.status,
        starts_at: orNull(w.startsAt),
        ends_at: orNull(w.endsAt),
      })),
    )
    .execute();
}

/** A plan with its data (the full plan document) and its waves in ring order. */
export async function loadPlan(db: Db, id: string): Promise<{ plan: Plan; waves: Wave[] } | undefined> {
  const row = await db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const waves = await db
    .selectFrom('waves')
    .selectAll()
    .where('plan_id', '=', id)
    .orderBy('position')
    .execute();
  return {
    plan: { ...fromRow(row), ...definedOnly({ data: fromJson<Record<string, unknown>>(row.data) }) },
    waves: waves.map(waveFromRow),
  };
}

/** Plans newest first, without their data (cheap even for plans of 10,000 jobs). */
export async function listPlans(
  db: Db,
  options: { limit?: number; status?: Plan['status'][] } = {},
): Promise<Plan[]> {
  let query = db
    .selectFrom('plans')
    .select([
      'id',
      'status',
      'created_at',
      'horizon_end',
      'objective',
      'bound',
      'gap',
      'method',
      'solve_seconds',
      'job_count',
      'unscheduled_count',
      'previous_id',
    ])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc');
  if (options.status?.length) query = query.where('status', 'in', options.status);
  if (options.limit !== undefined) query = query.limit(options.limit);
  return (await query.execute()).map(fromRow);
}

export async function setPlanStatus(db: Db, id: string, status: Plan['status']): Promise<void> {
  await db.updateTable('plans').set({ status }).where('id', '=', id).execute();
}

function fromRow(row: Omit<Selectable<PlansTable>, 'data'>): Plan {
  return definedOnly({
    id: row.id,
    status: row.status as Plan['status'],
    createdAt: row.created_at,
    horizonEnd: row.horizon_end,
    objective: row.objective,
    bound: row.bound,
    gap: row.gap,
    method: row.method,
    solveSeconds: row.solve_seconds,
    jobCount: row.job_count === null ? null : Number(row.job_count),
    unscheduledCount: row.unscheduled_count === null ? null : Number(row.unscheduled_count),
    previousId: row.previous_id,
  });
}
