import type { Kysely } from 'kysely';

/**
 * `events`: what changed (findings, plans, rollouts), append-only, for the API's server-sent events.
 * `id` is given by the appender under a lock (max + 1, as audit_events' seq), so ids commit in order
 * and a client resuming with `Last-Event-ID: N` on any replica misses nothing after N.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('events')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('data', 'text')
    .execute();
}
