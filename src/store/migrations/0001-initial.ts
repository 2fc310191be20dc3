import type { Kysely } from 'kysely';
import type { MigrationContext } from './types.js';

/**
 * The first schema of the core model. Portable between SQLite and PostgreSQL: dates and timestamps are
 * ISO-8601 text (UTC), JSON is text, booleans are 0/1 integers, so both backends hold the same
 * tables and columns (a test compares them).
 */
export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  const { serial, json } = ctx;

  await db.schema
    .createTable('vulnerabilities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('summary', 'text')
    .addColumn('details', 'text')
    .addColumn('severity', 'text')
    .addColumn('cvss_score', 'real')
    .addColumn('cvss_vector', 'text')
    .addColumn('cvss', json)
    .addColumn('cwes', json)
    .addColumn('refs', json)
    .addColumn('published', 'text')
    .addColumn('modified', 'text')
    .addColumn('withdrawn', 'text')
    .addColumn('record', json)
    .execute();
  await db.schema.createIndex('vulnerabilities_modified').on('vulnerabilities').column('modified').execute();

  await db.schema
    .createTable('vulnerability_aliases')
    .addColumn('vulnerability_id', 'text', (c) =>
      c.notNull().references('vulnerabilities.id').onDelete('cascade'),
    )
    .addColumn('alias', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('vulnerability_aliases_pk', ['vulnerability_id', 'alias'])
    .execute();
  await db.schema
    .createIndex('vulnerability_aliases_alias')
    .on('vulnerability_aliases')
    .column('alias')
    .execute();

  await db.schema
    .createTable('affected_packages')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('vulnerability_id', 'text', (c) =>
      c.notNull().references('vulnerabilities.id').onDelete('cascade'),
    )
    .addColumn('ecosystem', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('purl', 'text')
    .addColumn('ranges', json)
    .addColumn('versions', json)
    .addColumn('fixed_versions', json)
    .addColumn('data', json)
    .execute();
  await db.schema
    .createIndex('affected_packages_package')
    .on('affected_packages')
    .columns(['ecosystem', 'name'])
    .execute();
  await db.schema
    .createIndex('affected_packages_vulnerability')
    .on('affected_packages')
    .column('vulnerability_id')
    .execute();

  await createSignalTables(db, ctx);
  await createAssetTables(db, ctx);
  await createFindingTables(db, ctx);
  await createPlanTables(db, ctx);
  await createOperationalTables(db, ctx);
}

/** Dated intelligence: every row says when it became known, so "as of T" can be asked. */
async function createSignalTables(db: Kysely<unknown>, { serial, json }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('kev_entries')
    .addColumn('cve_id', 'text', (c) => c.primaryKey())
    .addColumn('vendor', 'text')
    .addColumn('product', 'text')
    .addColumn('name', 'text')
    .addColumn('date_added', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text')
    .addColumn('ransomware', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('required_action', 'text')
    .addColumn('notes', 'text')
    .addColumn('removed_at', 'text')
    .execute();

  await db.schema
    .createTable('epss_scores')
    .addColumn('cve_id', 'text', (c) => c.notNull())
    .addColumn('score_date', 'text', (c) => c.notNull())
    .addColumn('score', 'real', (c) => c.notNull())
    .addColumn('percentile', 'real')
    .addColumn('model_version', 'text')
    .addPrimaryKeyConstraint('epss_scores_pk', ['cve_id', 'score_date'])
    .execute();

  await db.schema
    .createTable('exploit_sightings')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('cve_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .addColumn('maturity', 'text')
    .addColumn('data', json)
    .addUniqueConstraint('exploit_sightings_key', ['cve_id', 'source', 'url'])
    .execute();
  await db.schema.createIndex('exploit_sightings_cve').on('exploit_sightings').column('cve_id').execute();

  await db.schema
    .createTable('ssvc_decisions')
    .addColumn('cve_id', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addColumn('exploitation', 'text')
    .addColumn('automatable', 'text')
    .addColumn('technical_impact', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ssvc_decisions_pk', ['cve_id', 'decided_at', 'source'])
    .execute();
}

async function createAssetTables(db: Kysely<unknown>, { serial, json }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('assets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('environment', 'text')
    .addColumn('criticality', 'text')
    .addColumn('internet_exposed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('data_classification', 'text')
    .addColumn('owner', 'text')
    .addColumn('services', json)
    .addColumn('tags', json)
    .addColumn('window_group', 'text')
    .addColumn('os_ecosystem', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('asset_imports')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('asset_id', 'text', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('digest', 'text')
    .addColumn('package_count', 'integer', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('asset_imports_asset')
    .on('asset_imports')
    .columns(['asset_id', 'imported_at'])
    .execute();

  await db.schema
    .createTable('asset_packages')
    .addColumn('asset_id', 'text', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('ecosystem', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('purl', 'text')
    .addColumn('source_name', 'text')
    .addColumn('source_version', 'text')
    .addColumn('import_id', 'integer')
    .addPrimaryKeyConstraint('asset_packages_pk', ['asset_id', 'ecosystem', 'name', 'version'])
    .execute();
  await db.schema
    .createIndex('asset_packages_package')
    .on('asset_packages')
    .columns(['ecosystem', 'name', 'version'])
    .execute();
}

async function createFindingTables(db: Kysely<unknown>, { json }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('findings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('asset_id', 'text', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('vulnerability_id', 'text', (c) => c.notNull())
    .addColumn('ecosystem', 'text', (c) => c.notNull())
    .addColumn('package_name', 'text', (c) => c.notNull())
    .addColumn('installed_version', 'text', (c) => c.notNull())
    .addColumn('fixed_versions', json)
    .addColumn('target_version', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('suppression', json)
    .addColumn('risk', 'real')
    .addColumn('due_date', 'text')
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .execute();
  await db.schema.createIndex('findings_asset').on('findings').columns(['asset_id', 'status']).execute();
  await db.schema.createIndex('findings_vulnerability').on('findings').column('vulnerability_id').execute();

  await db.schema
    .createTable('exceptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('vulnerability_id', 'text')
    .addColumn('asset_id', 'text')
    .addColumn('package_name', 'text')
    .addColumn('finding_id', 'text')
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('approver', 'text')
    .addColumn('compensating_control', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
}

async function createPlanTables(db: Kysely<unknown>, { serial, json }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('horizon_end', 'text')
    .addColumn('objective', 'real')
    .addColumn('bound', 'real')
    .addColumn('gap', 'real')
    .addColumn('data', json)
    .execute();

  await db.schema
    .createTable('waves')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('ring', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text')
    .addColumn('ends_at', 'text')
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.references('plans.id').onDelete('cascade'))
    .addColumn('wave_id', 'text', (c) => c.references('waves.id').onDelete('cascade'))
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('payload', json)
    .addColumn('not_before', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('jobs_status').on('jobs').columns(['status', 'not_before']).execute();

  await db.schema
    .createTable('job_events')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('data', json)
    .execute();
  await db.schema.createIndex('job_events_job').on('job_events').column('job_id').execute();
}

async function createOperationalTables(db: Kysely<unknown>, { json }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('audit_events')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('data', json)
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('model_artifacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('trained_until', 'text')
    .addColumn('metrics', json)
    .addColumn('artifact', json)
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('feed_state')
    .addColumn('source', 'text', (c) => c.primaryKey())
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('cursor', 'text')
    .addColumn('records', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('newest', 'text')
    .addColumn('last_sync', 'text')
    .addColumn('outcome', 'text')
    .addColumn('message', 'text')
    .execute();
}
