import { type Kysely, sql } from 'kysely';

/**
 * Several feeds can describe the same id (an OSV record named CVE-…, and the CVE record itself). Each
 * feed's affected entries are its own: re-syncing one replaces only its rows, never the other's.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('affected_packages').addColumn('source', 'text').execute();
  await sql`update affected_packages set source = (select v.source from vulnerabilities v where v.id = affected_packages.vulnerability_id)`.execute(
    db,
  );
}
