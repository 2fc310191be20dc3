import type { Kysely } from 'kysely';

/**
 * `pipeline_steps` records which steps after matching (VEX, risk, policies) a pass still owes, and
 * on which assets. A pass writes its rows before it matches and deletes each one as its step
 * commits, so a process killed between steps (or between risk batches) leaves the rest recorded,
 * and the next `patchcast run`, `sync` or import finishes them: no finding stays unscored or
 * without its SLA. `scope` is a JSON array of asset ids, NULL for every asset; `pass` names the
 * pass that owns the row, so a pass never clears a row another pass widened meanwhile.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pipeline_steps')
    .addColumn('step', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text')
    .addColumn('pass', 'text', (c) => c.notNull())
    .addColumn('owed_since', 'text', (c) => c.notNull())
    .execute();
}
