import type { Kysely } from 'kysely';

/**
 * What a stored plan needs beyond 0001: its method, solve time, counts and the plan it replaced as
 * columns (listing plans never parses their JSON), and per job the window occurrence it belongs to
 * and the last moment it may start (`not_after`, the occurrence's cutoff), so the rollout engine
 * leases a job only inside its window. Jobs are looked up by plan, so `plan_id` gets an index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // SQLite adds one column per ALTER TABLE statement.
  await db.schema.alterTable('plans').addColumn('method', 'text').execute();
  await db.schema.alterTable('plans').addColumn('solve_seconds', 'real').execute();
  await db.schema.alterTable('plans').addColumn('job_count', 'integer').execute();
  await db.schema.alterTable('plans').addColumn('unscheduled_count', 'integer').execute();
  await db.schema.alterTable('plans').addColumn('previous_id', 'text').execute();
  await db.schema.createIndex('plans_created').on('plans').column('created_at').execute();
  await db.schema.alterTable('jobs').addColumn('slot_id', 'text').execute();
  await db.schema.alterTable('jobs').addColumn('not_after', 'text').execute();
  await db.schema.createIndex('jobs_plan').on('jobs').columns(['plan_id', 'status']).execute();
}
