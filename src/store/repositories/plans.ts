import type { Plan, Wave } from '../../core/types.js';
import { type Db, definedOnly, fromJson, orNull, toJson } from '../rows.js';

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
    plan: definedOnly({
      id: row.id,
      status: row.status as Plan['status'],
      createdAt: row.created_at,
      horizonEnd: row.horizon_end,
      objective: row.objective,
      bound: row.bound,
      gap: row.gap,
      data: fromJson<Record<string, unknown>>(row.data),
    }),
    waves: waves.map((w) =>
      definedOnly({
        id: w.id,
        planId: w.plan_id,
        ring: w.ring,
        position: w.position,
        status: w.status as Wave['status'],
        startsAt: w.starts_at,
        endsAt: w.ends_at,
      }),
    ),
  };
}

export async function setPlanStatus(db: Db, id: string, status: Plan['status']): Promise<void> {
  await db.updateTable('plans').set({ status }).where('id', '=', id).execute();
}
