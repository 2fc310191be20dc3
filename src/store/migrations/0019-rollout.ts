import type { Kysely } from 'kysely';
import type { MigrationContext } from './types.js';

/**
 * The rollout (src/rollout/readme.md):
 * - `rollouts`: one per plan being carried out, with who started it and whether it runs, is paused,
 *   halted by a gate, aborted or done;
 * - `waves` gain approval, soak and halt facts;
 * - `jobs` gain the lease's fencing token (bumped at every lease; a report must carry the current one),
 *   the step in progress, heartbeats, retries with backoff, the last error and the versions recorded
 *   before apply (the rollback target, and what a re-run after a crash compares the host with), and
 *   which executor runs it (`agent` jobs are leased by their host's agent, the others by a controller).
 * - `patch_posteriors`: each patch's (package@version) fleet failure posterior, a Beta updated by every
 *   job outcome (src/predict/reliability/posterior.ts), which the next wave's gate reads.
 * - `asset_packages.in_use`: whether a running process maps the package's files, as the host's agent
 *   saw it (1 in use, 0 not, NULL unknown); risk counts it as exposure.
 * Step records go to `job_events` (kind `step:<name>`).
 */
export async function up(db: Kysely<unknown>, { json }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('rollouts')
    .addColumn('plan_id', 'text', (c) => c.primaryKey().references('plans.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .execute();
  for (const [name, type] of [
    ['approved_by', 'text'],
    ['approved_at', 'text'],
    ['started_at', 'text'],
    ['finished_at', 'text'],
    ['soak_until', 'text'],
    ['halt_reason', 'text'],
  ] as const)
    await db.schema.alterTable('waves').addColumn(name, type).execute();
  await db.schema
    .alterTable('jobs')
    .addColumn('lease_token', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  for (const [name, type] of [
    ['step', 'text'],
    ['executor', 'text'],
    ['heartbeat_at', 'text'],
    ['next_attempt_at', 'text'],
    ['last_error', 'text'],
    ['started_at', 'text'],
    ['finished_at', 'text'],
  ] as const)
    await db.schema.alterTable('jobs').addColumn(name, type).execute();
  await db.schema.alterTable('jobs').addColumn('previous_versions', json).execute();
  await db.schema
    .createTable('patch_posteriors')
    .addColumn('patch_key', 'text', (c) => c.primaryKey())
    .addColumn('prior', 'real', (c) => c.notNull())
    .addColumn('pseudo_count', 'real', (c) => c.notNull())
    .addColumn('alpha', 'real', (c) => c.notNull())
    .addColumn('beta', 'real', (c) => c.notNull())
    .addColumn('counts', json, (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('jobs_wave').on('jobs').columns(['wave_id', 'status']).execute();
  await db.schema.alterTable('asset_packages').addColumn('in_use', 'integer').execute();
}
