import type { Kysely } from 'kysely';
import type { MigrationContext } from './types.js';

/**
 * `debian_advisories` holds Debian's security advisories (DSA/DLA) with their regression-update
 * links, written by the `debian-advisories` feed, so `patchcast reliability` and the planner's
 * patch-failure estimate read the store instead of a data directory. One row per advisory id;
 * `position` keeps the file's order of advisories published on the same day (the model's history
 * is ordered by day, then that order). `cves` and `fixed` are JSON text.
 */
export async function up(db: Kysely<unknown>, { json }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('debian_advisories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('published', 'text', (c) => c.notNull())
    .addColumn('package', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('cves', json, (c) => c.notNull())
    .addColumn('fixed', json, (c) => c.notNull())
    .addColumn('is_regression_update', 'integer', (c) => c.notNull())
    .addColumn('followed_by_regression', 'integer', (c) => c.notNull())
    .addColumn('regression_published', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('debian_advisories_order')
    .on('debian_advisories')
    .columns(['published', 'position'])
    .execute();
}
