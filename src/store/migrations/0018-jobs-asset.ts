import type { Kysely } from 'kysely';

/**
 * `jobs_asset`: an agent polls its own host's jobs (`listJobs` with `assetId`, src/api/routes/agents.ts)
 * every minute; without an index each poll scanned the whole `jobs` table (bench/agents.ts, 10,000
 * agents: ~167 such polls a second).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('jobs_asset').on('jobs').columns(['asset_id', 'status']).execute();
}
