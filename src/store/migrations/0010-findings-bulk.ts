import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './types.js';

/**
 * Findings shaped for a bulk first match (issue #5: 12.9M rows at 10,000 hosts).
 *
 * - No foreign key from `findings.asset_id` to `assets`: both backends checked it once per inserted
 *   row (PostgreSQL with a trigger per row: 3M findings took 23.5 s with it, 8.4 s without). Findings
 *   are only ever derived from `asset_packages`, whose own foreign key keeps their asset real; what
 *   the cascade did — an asset's findings go with it — an `after delete` trigger on `assets` does,
 *   at no cost to inserts.
 * - On SQLite the table is `without rowid`, keyed by its id: one B-tree instead of a rowid table and
 *   a separate index on id. The matcher's ids (asset token, then subject) come in key order, so a
 *   bulk insert appends.
 *
 * - `asset_packages_package` also holds the asset: the holders of the few vulnerable package versions
 *   are then read from the index alone (PostgreSQL: 1.37M holders in 0.9 s instead of a heap fetch
 *   each).
 *
 * - `last_seen` may be null: a first match writes none of its own, since a live finding's last sighting
 *   is its asset's `matched_at` anyway (24 bytes less in each of 12.9M rows).
 *
 * Existing rows, ids and the `(asset_id, subject_id)` index are kept.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  await db.schema.dropIndex('asset_packages_package').execute();
  await db.schema
    .createIndex('asset_packages_package')
    .on('asset_packages')
    .columns(['ecosystem', 'name', 'version', 'asset_id'])
    .execute();
  if (dialect === 'postgres') {
    await dropPostgresForeignKeys(db);
    await sql`create function patchcast_delete_asset_findings() returns trigger language plpgsql as $$
      begin
        delete from findings where asset_id = old.id;
        return old;
      end $$`.execute(db);
    await sql`alter table findings alter column last_seen drop not null`.execute(db);
    await sql`create trigger assets_delete_findings after delete on assets
      for each row execute function patchcast_delete_asset_findings()`.execute(db);
    return;
  }
  await sql`create table findings_0010 (
    id text primary key not null,
    asset_id text not null,
    subject_id integer not null,
    match_id integer not null,
    status text not null,
    suppression text,
    risk real,
    due_date text,
    first_seen text not null,
    last_seen text,
    resolved_at text
  ) without rowid`.execute(db);
  await sql`insert into findings_0010 select id, asset_id, subject_id, match_id, status, suppression, risk,
    due_date, first_seen, last_seen, resolved_at from findings order by id`.execute(db);
  await sql`drop table findings`.execute(db);
  await sql`alter table findings_0010 rename to findings`.execute(db);
  await sql`create index findings_asset_subject on findings (asset_id, subject_id)`.execute(db);
  await sql`create trigger assets_delete_findings after delete on assets
    begin delete from findings where asset_id = old.id; end`.execute(db);
}

async function dropPostgresForeignKeys(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ conname: string }>`select c.conname from pg_constraint c
    where c.conrelid = 'findings'::regclass and c.contype = 'f'`.execute(db);
  for (const { conname } of rows)
    await sql`alter table findings drop constraint ${sql.id(conname)}`.execute(db);
}
