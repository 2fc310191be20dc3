import type { Kysely } from 'kysely';
import type { MigrationContext } from './types.js';

/**
 * Package sets kept for drift: an asset's golden baseline (set on purpose) and its previous inventory
 * (kept when a new import changes it). Packages are a compact JSON list; config hashes a JSON map.
 */
export async function up(db: Kysely<unknown>, { serial, json }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('asset_snapshots')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('asset_id', 'text', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('taken_at', 'text', (c) => c.notNull())
    .addColumn('packages', json, (c) => c.notNull())
    .addColumn('config_hashes', json)
    .addUniqueConstraint('asset_snapshots_kind', ['asset_id', 'kind'])
    .execute();
  await db.schema.alterTable('assets').addColumn('config_hashes', json).execute();
}
