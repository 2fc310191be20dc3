import type { Kysely } from 'kysely';

/**
 * The state of every finding per day (status, risk, due date, SLA state), so a question about the
 * past — how many KEV findings were open past their due date on 2026-02-01 — is answered from what
 * was recorded that day, not from today's state. One row per finding and day, upserted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('finding_history')
    .addColumn('finding_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('vulnerability_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('risk', 'real')
    .addColumn('due_date', 'text')
    .addColumn('sla_state', 'text', (c) => c.notNull())
    .addColumn('sla_rule', 'text')
    .addColumn('kev', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('finding_history_pk', ['finding_id', 'day'])
    .execute();
  await db.schema.createIndex('finding_history_day').on('finding_history').column('day').execute();
}
