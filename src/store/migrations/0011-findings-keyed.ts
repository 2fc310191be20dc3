import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './types.js';

/**
 * Findings keyed by what they are: (asset, subject) is the primary key, and the one B-tree of the
 * table (issue #5: a first match writes 12.9M rows at 10,000 hosts; every byte and every B-tree
 * counts).
 *
 * - A matcher-made finding's id is its asset's token (12 hex) and its subject id (8 hex), so the id
 *   is derived, not stored: `id` is null for those and holds only ids that are not of that form
 *   (pre-0009 ids, and ids given to `upsertFindings`), under a partial unique index. The id index
 *   and the `(asset_id, subject_id)` index become one: an asset's findings are a primary-key range.
 * - `first_seen` may be null: a first match writes none, and the asset's `first_matched_at` (new
 *   here, in `asset_match_state`) says when those findings were first seen.
 *
 * Together that is ~45 bytes and one index entry less in each row. Existing ids are kept: the
 * stored ids that equal the derived one become null, the others stay. Two findings of one asset
 * about one subject (possible only in stores from before 0009) keep the excepted or suppressed one,
 * then the open one, then the earliest; an exception naming the other names the kept one.
 */
export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const postgres = dialect === 'postgres';
  await sql`alter table asset_match_state add column first_matched_at text`.execute(db);
  // SQLite checks every trigger when a table is renamed: this one names findings, so it goes first.
  if (!postgres) await sql`drop trigger assets_delete_findings`.execute(db);
  await sql`create table findings_0011 (
    asset_id text not null,
    subject_id integer not null,
    id text,
    match_id integer not null,
    status text not null,
    suppression text,
    risk real,
    due_date text,
    first_seen text,
    last_seen text,
    resolved_at text,
    constraint findings_0011_pkey primary key (asset_id, subject_id)
  ) ${postgres ? sql`` : sql`without rowid`}`.execute(db);
  const derivedOf = (f: string) =>
    postgres
      ? sql`lpad(to_hex(s.token), 12, '0') || lpad(to_hex(${sql.ref(`${f}.subject_id`)}), 8, '0')`
      : sql`printf('%012x%08x', s.token, ${sql.ref(`${f}.subject_id`)})`;
  const derived = derivedOf('f');
  const columns = sql`f.asset_id, f.subject_id,
    case when s.token is not null and f.id = ${derived} then null else f.id end,
    f.match_id, f.status, f.suppression, f.risk, f.due_date, f.first_seen, f.last_seen, f.resolved_at`;
  // Of duplicates: an excepted or suppressed one (a decision was made about it), then an open one,
  // then a fixed one; the earliest first.
  const rank = sql`case f.status when 'fixed' then 2 when 'open' then 1 else 0 end`;
  const order = sql`order by f.asset_id, f.subject_id, ${rank}, f.first_seen, f.id`;
  if (postgres)
    await sql`insert into findings_0011 select distinct on (f.asset_id, f.subject_id) ${columns}
      from findings f left join asset_match_state s on s.asset_id = f.asset_id ${order}`.execute(db);
  else
    await sql`insert or ignore into findings_0011 select ${columns}
      from findings f left join asset_match_state s on s.asset_id = f.asset_id ${order}`.execute(db);
  // An exception naming a dropped duplicate names the finding kept in its place.
  const keptId = sql`coalesce(n.id, ${derivedOf('n')})`;
  const kept = sql`findings o join findings_0011 n on n.asset_id = o.asset_id and n.subject_id = o.subject_id
    left join asset_match_state s on s.asset_id = n.asset_id`;
  await sql`update exceptions set finding_id = (select ${keptId} from ${kept} where o.id = exceptions.finding_id)
    where finding_id in (select o.id from ${kept} where ${keptId} <> o.id)`.execute(db);
  await sql`drop table findings`.execute(db);
  await sql`alter table findings_0011 rename to findings`.execute(db);
  if (postgres)
    await sql`alter table findings rename constraint findings_0011_pkey to findings_pkey`.execute(db);
  await sql`create unique index findings_id on findings (id) where id is not null`.execute(db);
  // PostgreSQL's trigger names findings only in its function body, resolved when it runs.
  if (!postgres)
    await sql`create trigger assets_delete_findings after delete on assets
      begin delete from findings where asset_id = old.id; end`.execute(db);
}
