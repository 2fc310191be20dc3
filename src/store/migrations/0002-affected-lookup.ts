import type { Kysely } from 'kysely';
import { getEcosystemBase, getLookupName } from '../../core/package-name.js';

/**
 * Matching looks advisories up by (ecosystem base, name as the ecosystem compares names): `Debian`
 * covers `Debian:11` and `Debian:12` records, and PyPI's `Django` is `django`. Both are stored so the
 * lookup is one indexed query; rows written before this migration are backfilled.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('affected_packages').addColumn('ecosystem_base', 'text').execute();
  await db.schema.alterTable('affected_packages').addColumn('lookup_name', 'text').execute();
  const typed = db as unknown as Kysely<{
    affected_packages: {
      id: number;
      ecosystem: string;
      name: string;
      ecosystem_base: string | null;
      lookup_name: string | null;
    };
  }>;
  const rows = await typed.selectFrom('affected_packages').select(['id', 'ecosystem', 'name']).execute();
  for (const row of rows) {
    await typed
      .updateTable('affected_packages')
      .set({
        ecosystem_base: getEcosystemBase(row.ecosystem),
        lookup_name: getLookupName(row.ecosystem, row.name),
      })
      .where('id', '=', row.id)
      .execute();
  }
  await db.schema
    .createIndex('affected_packages_lookup')
    .on('affected_packages')
    .columns(['ecosystem_base', 'lookup_name'])
    .execute();
}
