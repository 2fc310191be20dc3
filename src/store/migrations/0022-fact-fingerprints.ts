import type { Kysely } from 'kysely';

/**
 * `fact_fingerprints`: what the steps after matching last used of each vulnerability and each asset
 * (issue #18's incremental path). A pass compares the facts it loads (EPSS and forecast as of its
 * day, KEV, exploit maturity, CVSS, SSVC; an asset's criticality, exposure, drift) with these and
 * rescores and polices only the findings of what changed; the pass that finishes writes them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('fact_fingerprints')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('fact_fingerprints_pk', ['kind', 'id'])
    .execute();
}
