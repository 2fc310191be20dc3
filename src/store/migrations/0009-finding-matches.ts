import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './types.js';

/**
 * Findings split by what they depend on (issue #5: 10,000 hosts, ~12M findings). What a package
 * version and a vulnerability decide — fixed versions, target version — is stored once per
 * (package version, vulnerability) in `finding_matches`; a finding's identity (vulnerability,
 * ecosystem, package name) once in `finding_subjects`; `findings` keeps per asset only the asset,
 * both references and its own state. `asset_match_state` records per asset what was last matched
 * (the inventory import, when) so a re-match writes only what changed; a finding's `last_seen` is
 * the later of its own and its asset's `matched_at`. `pending_match_keys` collects the package
 * names of advisories a sync wrote, for an incremental re-match. Existing findings keep their ids.
 */
export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  await createMatchTables(db, ctx);
  await db.schema.alterTable('findings').renameTo('findings_0008').execute();
  await dropIndexes(db);
  await createFindings(db, ctx);
  await copyFindings(db);
  await db.schema.dropTable('findings_0008').execute();
}

async function createMatchTables(db: Kysely<unknown>, { serial, json }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('finding_subjects')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('vulnerability_id', 'text', (c) => c.notNull())
    .addColumn('ecosystem', 'text', (c) => c.notNull())
    .addColumn('package_name', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('finding_subjects_key')
    .on('finding_subjects')
    .columns(['ecosystem', 'package_name', 'vulnerability_id'])
    .unique()
    .execute();
  await db.schema
    .createTable('finding_matches')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('subject_id', 'integer', (c) => c.notNull())
    .addColumn('installed_version', 'text', (c) => c.notNull())
    .addColumn('fixed_versions', json)
    .addColumn('target_version', 'text')
    .addColumn('current', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('finding_matches_key')
    .on('finding_matches')
    .columns(['subject_id', 'installed_version'])
    .unique()
    .execute();
  await db.schema
    .createTable('asset_match_state')
    .addColumn('asset_id', 'text', (c) => c.primaryKey().references('assets.id').onDelete('cascade'))
    .addColumn('token', 'integer', (c) => c.notNull().unique())
    .addColumn('import_id', 'integer')
    .addColumn('matched_at', 'text')
    .addColumn('findings', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('pending_match_keys')
    .addColumn('ecosystem_base', 'text', (c) => c.notNull())
    .addColumn('lookup_name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('pending_match_keys_pk', ['ecosystem_base', 'lookup_name'])
    .execute();
}

async function dropIndexes(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('findings_asset').execute();
  await db.schema.dropIndex('findings_vulnerability').execute();
}

/**
 * On PostgreSQL the id is compared bytewise (`collate "C"`), as SQLite does: the same `order by id`
 * on both, and a B-tree that builds several times faster than under a locale collation.
 */
async function createFindings(db: Kysely<unknown>, { dialect, json }: MigrationContext): Promise<void> {
  const idType = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  await db.schema
    .createTable('findings')
    .addColumn('id', idType, (c) => c.primaryKey())
    .addColumn('asset_id', 'text', (c) => c.notNull().references('assets.id').onDelete('cascade'))
    .addColumn('subject_id', 'integer', (c) => c.notNull())
    .addColumn('match_id', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('suppression', json)
    .addColumn('risk', 'real')
    .addColumn('due_date', 'text')
    .addColumn('first_seen', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .execute();
  await db.schema
    .createIndex('findings_asset_subject')
    .on('findings')
    .columns(['asset_id', 'subject_id'])
    .execute();
}

async function copyFindings(db: Kysely<unknown>): Promise<void> {
  await sql`insert into finding_subjects (vulnerability_id, ecosystem, package_name)
    select distinct vulnerability_id, ecosystem, package_name from findings_0008`.execute(db);
  await sql`insert into finding_matches (subject_id, installed_version, fixed_versions, target_version, current)
    select s.id, f.installed_version, max(f.fixed_versions), max(f.target_version), 0
    from findings_0008 f join finding_subjects s
      on s.vulnerability_id = f.vulnerability_id and s.ecosystem = f.ecosystem and s.package_name = f.package_name
    group by s.id, f.installed_version`.execute(db);
  await sql`insert into findings (id, asset_id, subject_id, match_id, status, suppression, risk, due_date,
      first_seen, last_seen, resolved_at)
    select f.id, f.asset_id, s.id, m.id, f.status, f.suppression, f.risk, f.due_date, f.first_seen,
      f.last_seen, f.resolved_at
    from findings_0008 f
    join finding_subjects s
      on s.vulnerability_id = f.vulnerability_id and s.ecosystem = f.ecosystem and s.package_name = f.package_name
    join finding_matches m on m.subject_id = s.id and m.installed_version = f.installed_version`.execute(db);
}
