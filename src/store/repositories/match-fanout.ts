import { sql } from 'kysely';
import { type Db, isPostgres } from '../rows.js';
import { type BulkColumn, insertRows } from './bulk.js';

/**
 * The matcher's bulk paths. The run's vulnerable package versions go into two temporary tables —
 * `pc_keys` (key_id, ecosystem, name, version, changed) and `pc_fanout` (key_id, subject_id,
 * match_id) — and findings are derived inside the database by joining them with asset_packages,
 * so no per-finding row crosses into JavaScript on a first match.
 */
export interface FanoutKey {
  ecosystem: string;
  name: string;
  version: string;
  /** The package name's matches changed in this run: its holders are compared finding by finding. */
  changed: boolean;
  matches: ReadonlyArray<{ subjectId: number; matchId: number }>;
}

const KEY_COLUMNS: readonly BulkColumn[] = [
  { name: 'key_id', type: 'integer' },
  { name: 'ecosystem', type: 'text' },
  { name: 'name', type: 'text' },
  { name: 'version', type: 'text' },
  { name: 'changed', type: 'integer' },
];
const FANOUT_COLUMNS: readonly BulkColumn[] = [
  { name: 'key_id', type: 'integer' },
  { name: 'subject_id', type: 'integer' },
  { name: 'match_id', type: 'integer' },
];

/** Creates the run's temporary tables; `keys[i]` gets key_id i (a lower id wins a tie on one asset). */
export async function createFanoutTables(db: Db, keys: readonly FanoutKey[]): Promise<void> {
  await dropFanoutTables(db);
  await sql`create temporary table pc_keys (key_id integer primary key, ecosystem text not null, name text not null, version text not null, changed integer not null)`.execute(
    db,
  );
  await sql`create temporary table pc_fanout (key_id integer not null, subject_id integer not null, match_id integer not null)`.execute(
    db,
  );
  await sql`create temporary table pc_assets (asset_id text primary key)`.execute(db);
  const keyRows = keys.map((k, i) => [i, k.ecosystem, k.name, k.version, k.changed ? 1 : 0]);
  await insertRows(db, 'pc_keys', KEY_COLUMNS, keyRows);
  const fanout = keys.flatMap((k, i) => k.matches.map((m) => [i, m.subjectId, m.matchId]));
  await insertRows(db, 'pc_fanout', FANOUT_COLUMNS, fanout);
  await sql`create unique index pc_keys_package on pc_keys (ecosystem, name, version)`.execute(db);
  await sql`create index pc_fanout_key on pc_fanout (key_id)`.execute(db);
  // PostgreSQL plans joins from statistics, which fresh temporary tables lack.
  if (isPostgres(db)) await sql`analyze pc_keys; analyze pc_fanout`.execute(db);
}

export async function dropFanoutTables(db: Db): Promise<void> {
  for (const table of ['pc_keys', 'pc_fanout', 'pc_assets'])
    await sql`drop table if exists ${sql.raw(table)}`.execute(db);
}

/** Puts these assets in `pc_assets`, the scope of `insertFindingsOfAssets` and `loadHolders`. */
export async function setScopeAssets(db: Db, assetIds: readonly string[]): Promise<void> {
  await sql`delete from pc_assets`.execute(db);
  await insertRows(
    db,
    'pc_assets',
    [{ name: 'asset_id', type: 'text' }],
    assetIds.map((id) => [id]),
  );
  if (isPostgres(db)) await sql`analyze pc_assets`.execute(db);
}

/**
 * Inserts every finding of assets that have none yet (`pc_assets`, or every asset with `all`), in
 * one statement: asset_packages ⋈ pc_keys ⋈ pc_fanout, in asset order so both of findings' indexes
 * grow at their ends. An id is the asset's token (12 hex) + the subject id (8 hex), as getFindingId; of two
 * versions of one package on one asset the first key wins. Returns the rows inserted.
 */
export async function insertFindingsOfAssets(
  db: Db,
  scope: 'all' | 'pc_assets',
  at: string,
): Promise<number> {
  const postgres = isPostgres(db);
  const id = postgres
    ? sql`lpad(to_hex(s.token), 12, '0') || lpad(to_hex(x.subject_id), 8, '0')`
    : sql`printf('%012x%08x', s.token, x.subject_id)`;
  const inScope = scope === 'all' ? sql`` : sql`join pc_assets a on a.asset_id = ap.asset_id`;
  // SQLite: scan the (asset_id, ecosystem, name, version) primary-key index in order and probe the
  // small key table; the order by then only sorts within one asset.
  const source = postgres
    ? sql`asset_packages ap`
    : sql`asset_packages ap indexed by sqlite_autoindex_asset_packages_1`;
  // The order by sorts every row on PostgreSQL: in memory, not in 4 MB runs on disk.
  if (postgres) await sql`set local work_mem = '256MB'`.execute(db);
  // Into an empty table, the (asset_id, subject_id) index is built once afterwards: one sort is
  // cheaper than 12M insertions (62 s → about 40 s at 10,000 hosts on SQLite). In the transaction.
  const rebuild = scope === 'all' && !(await hasAnyFinding(db));
  if (rebuild) await sql`drop index findings_asset_subject`.execute(db);
  const result = await sql`
    insert into findings (id, asset_id, subject_id, match_id, status, first_seen, last_seen)
    select ${id}, ap.asset_id, x.subject_id, x.match_id, 'open', ${at}, ${at}
    from ${source}
    ${inScope}
    join pc_keys k on k.ecosystem = ap.ecosystem and k.name = ap.name and k.version = ap.version
    join pc_fanout x on x.key_id = k.key_id
    join asset_match_state s on s.asset_id = ap.asset_id
    where true
    order by ap.asset_id, x.subject_id, k.key_id
    on conflict (id) do nothing`.execute(db);
  if (rebuild) {
    if (postgres) await sql`set local maintenance_work_mem = '512MB'`.execute(db);
    await sql`create index findings_asset_subject on findings (asset_id, subject_id)`.execute(db);
  }
  return Number(result.numAffectedRows ?? 0);
}

async function hasAnyFinding(db: Db): Promise<boolean> {
  return (await db.selectFrom('findings').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** One asset holding one of the run's keys. */
export interface Holder {
  assetId: string;
  keyId: number;
}

/** Holders among `pc_assets`, or the holders of changed keys; ordered by asset. */
export async function loadHolders(db: Db, scope: 'pc_assets' | 'changed'): Promise<Holder[]> {
  const filter =
    scope === 'pc_assets'
      ? sql`join pc_assets a on a.asset_id = ap.asset_id`
      : sql`where k.changed = 1 and ap.asset_id not in (select asset_id from pc_assets)`;
  // Driven from the few keys (SQLite's cross join fixes the join order), never from asset_packages.
  const join = isPostgres(db) ? sql`join` : sql`cross join`;
  const { rows } = await sql<{ asset_id: string; key_id: number }>`
    select ap.asset_id, k.key_id from pc_keys k
    ${join} asset_packages ap on ap.ecosystem = k.ecosystem and ap.name = k.name and ap.version = k.version
    ${filter}
    order by ap.asset_id, k.key_id`.execute(db);
  return rows.map((r) => ({ assetId: r.asset_id, keyId: Number(r.key_id) }));
}

const NEW_FINDING_COLUMNS: readonly BulkColumn[] = [
  { name: 'id', type: 'text' },
  { name: 'asset_id', type: 'text' },
  { name: 'subject_id', type: 'integer' },
  { name: 'match_id', type: 'integer' },
  { name: 'status', type: 'text' },
  { name: 'first_seen', type: 'text' },
  { name: 'last_seen', type: 'text' },
];

/** Inserts new findings given as [id, asset_id, subject_id, match_id, status, first_seen, last_seen]. */
export async function insertFindingRows(db: Db, rows: ReadonlyArray<readonly unknown[]>): Promise<void> {
  await insertRows(db, 'findings', NEW_FINDING_COLUMNS, rows);
}
