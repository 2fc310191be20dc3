import type { Kysely } from 'kysely';
import type { MigrationContext } from './types.js';

/** VEX statements imported from CycloneDX VEX, OpenVEX and CSAF documents; findings they cover are suppressed, not dropped. */
export async function up(db: Kysely<unknown>, { serial, json }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('vex_statements')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('vulnerability_id', 'text', (c) => c.notNull())
    .addColumn('products', json, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('justification', 'text')
    .addColumn('detail', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text')
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('vex_statements_vulnerability')
    .on('vex_statements')
    .column('vulnerability_id')
    .execute();
}
