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
  { name: 'grp', type: 'integer' },
];
const FANOUT_COLUMNS: readonly BulkColumn[] = [
  { name: 'key_id', type: 'integer' },
  { name: 'subject_id', type: 'integer' },
  { name: 'match_id', type: 'integer' },
];

/** Creates the run's temporary tables; `keys[i]` gets key_id i (a lower id wins a tie on one asset). */
export async function createFanoutTables(db: Db, keys: readonly FanoutKey[]): Promise<void> {
  await dropFanoutTables(db);
  await sql`create temporary table pc_keys (key_id integer primary key, ecosystem text not null, name text not null, version text not null, changed integer not null, grp integer not null)`.execute(
    db,
  );
  await sql`create temporary table pc_fanout (key_id integer not null, subject_id integer not null, match_id integer not null)`.execute(
    db,
  );
  await sql`create temporary table pc_assets (asset_id text primary key)`.execute(db);
  const groups = getSubjectGroups(keys);
  const keyRows = keys.map((k, i) => [i, k.ecosystem, k.name, k.version, k.changed ? 1 : 0, groups[i]]);
  await insertRows(db, 'pc_keys', KEY_COLUMNS, keyRows);
  const fanout = keys.flatMap((k, i) => k.matches.map((m) => [i, m.subjectId, m.matchId]));
  await insertRows(db, 'pc_fanout', FANOUT_COLUMNS, fanout);
  await sql`create unique index pc_keys_package on pc_keys (ecosystem, name, version)`.execute(db);
  await sql`create index pc_fanout_key on pc_fanout (key_id)`.execute(db);
  // PostgreSQL plans joins from statistics, which fresh temporary tables lack.
  if (isPostgres(db)) await sql`analyze pc_keys; analyze pc_fanout`.execute(db);
}

/**
 * Per key, a group number such that keys sharing a subject share a group (union–find over subjects).
 * Only keys of one group can give one asset the same finding twice — two versions of a package, or
 * two binary packages built from one source — so only assets holding two keys of a group need the
 * duplicates sorted out.
 */
export function getSubjectGroups(keys: readonly FanoutKey[]): number[] {
  const parent = keys.map((_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] as number;
    while (parent[i] !== root) [i, parent[i]] = [parent[i] as number, root];
    return root;
  };
  const firstKeyOf = new Map<number, number>();
  keys.forEach((k, i) => {
    for (const m of k.matches) {
      const other = firstKeyOf.get(m.subjectId);
      if (other === undefined) firstKeyOf.set(m.subjectId, i);
      else parent[find(i)] = find(other);
    }
  });
  return keys.map((_, i) => find(i));
}

export async function dropFanoutTables(db: Db): Promise<void> {
  for (const table of ['pc_keys', 'pc_fanout', 'pc_assets', 'pc_holders', 'pc_multi'])
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
 * A bulk insert into an empty findings table (a first match) drops the indexes it can rebuild, and
 * `buildFindingIndexes` builds them once afterwards: one sort is cheaper than 12M insertions. On
 * SQLite that is the asset index (the primary key is the table); on PostgreSQL the primary key too.
 * Undefined when the table holds findings already (they stay indexed as they go in).
 */
export interface BulkFindingsLoad {
  /** PostgreSQL: the name of findings' primary key constraint, to be added again. */
  primaryKey?: string;
}

/** Prepares a bulk insert of every asset's findings when the table is empty (a first match). */
export async function dropFindingIndexes(db: Db): Promise<BulkFindingsLoad | undefined> {
  if (await hasAnyFinding(db)) return undefined;
  const load: BulkFindingsLoad = {};
  if (isPostgres(db)) load.primaryKey = await dropPrimaryKey(db);
  await sql`drop index findings_asset_subject`.execute(db);
  return load;
}

export async function buildFindingIndexes(db: Db, load: BulkFindingsLoad): Promise<void> {
  if (load.primaryKey) {
    await sql`set local maintenance_work_mem = '512MB'`.execute(db);
    await sql`alter table findings add constraint ${sql.id(load.primaryKey)} primary key (id)`.execute(db);
  }
  await sql`create index findings_asset_subject on findings (asset_id, subject_id)`.execute(db);
}

/**
 * Inserts every finding of assets that have none yet (`pc_assets`, or every asset with `all`):
 * asset_packages ⋈ pc_keys ⋈ pc_fanout inside the database. An id is the asset's token (12 hex) + the
 * subject id (8 hex), as getFindingId; of two keys giving one asset the same subject the lower key
 * id wins. `bulk` (from `dropFindingIndexes`) says the table is empty and unindexed. Returns the
 * rows inserted.
 */
export async function insertFindingsOfAssets(
  db: Db,
  scope: 'all' | 'pc_assets',
  at: string,
  bulk?: BulkFindingsLoad,
): Promise<number> {
  return isPostgres(db) ? insertPostgres(db, scope, at, bulk !== undefined) : insertSqlite(db, scope, at);
}

/**
 * SQLite: scan the (asset_id, ecosystem, name, version) primary-key index in order and probe the
 * small key table, so rows come in asset order (the order by only sorts within one asset) and both
 * of findings' B-trees grow at their ends; `on conflict` drops the losing key's duplicate.
 */
async function insertSqlite(db: Db, scope: 'all' | 'pc_assets', at: string) {
  const inScope = scope === 'all' ? sql`` : sql`join pc_assets a on a.asset_id = ap.asset_id`;
  const result = await sql`
    insert into findings (id, asset_id, subject_id, match_id, status, first_seen, last_seen)
    select printf('%012x%08x', s.token, x.subject_id), ap.asset_id, x.subject_id, x.match_id, 'open', ${at}, null
    from asset_packages ap indexed by sqlite_autoindex_asset_packages_1
    ${inScope}
    join pc_keys k on k.ecosystem = ap.ecosystem and k.name = ap.name and k.version = ap.version
    join pc_fanout x on x.key_id = k.key_id
    join asset_match_state s on s.asset_id = ap.asset_id
    where true
    order by ap.asset_id, x.subject_id, k.key_id
    on conflict (id) do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * PostgreSQL writes one WAL record per row and per index entry, and `on conflict` inserts each row
 * speculatively; at 12.9M findings that took minutes. So: the holders of the run's keys go into a
 * temporary table (an index-only scan of asset_packages_package), which also gives the planner true
 * row counts; into an empty table the rows are inserted with no index and no `on conflict` — the
 * assets holding two keys of one subject group (`pc_multi`, the only ones that can get a duplicate)
 * are inserted apart, one row per subject — and the primary key and the asset index are built after
 * (`buildFindingIndexes`).
 */
async function insertPostgres(db: Db, scope: 'all' | 'pc_assets', at: string, intoEmpty: boolean) {
  const inScope = scope === 'all' ? sql`` : sql`join pc_assets a on a.asset_id = ap.asset_id`;
  await sql`set local work_mem = '256MB'`.execute(db);
  await sql`create temporary table pc_holders as
    select ap.asset_id, k.key_id, k.grp from pc_keys k
    join asset_packages ap on ap.ecosystem = k.ecosystem and ap.name = k.name and ap.version = k.version
    ${inScope}`.execute(db);
  await sql`analyze pc_holders`.execute(db);
  await sql`create temporary table pc_multi as
    select asset_id, grp from pc_holders group by asset_id, grp having count(*) > 1`.execute(db);
  await sql`analyze pc_multi`.execute(db);
  const conflict = intoEmpty ? sql`` : sql`on conflict (id) do nothing`;
  const columns = sql`lpad(to_hex(s.token), 12, '0') || lpad(to_hex(x.subject_id), 8, '0'), h.asset_id,
    x.subject_id, x.match_id, 'open', ${at}, null::text`;
  const from = sql`pc_holders h join pc_fanout x on x.key_id = h.key_id
    join asset_match_state s on s.asset_id = h.asset_id`;
  const single = await sql`
    insert into findings (id, asset_id, subject_id, match_id, status, first_seen, last_seen)
    select ${columns} from ${from}
    where not exists (select 1 from pc_multi m where m.asset_id = h.asset_id and m.grp = h.grp)
    ${conflict}`.execute(db);
  const multi = await sql`
    insert into findings (id, asset_id, subject_id, match_id, status, first_seen, last_seen)
    select distinct on (s.token, x.subject_id) ${columns} from ${from}
    join pc_multi m on m.asset_id = h.asset_id and m.grp = h.grp
    order by s.token, x.subject_id, h.key_id
    ${conflict}`.execute(db);
  await sql`drop table pc_holders; drop table pc_multi`.execute(db);
  return Number(single.numAffectedRows ?? 0) + Number(multi.numAffectedRows ?? 0);
}

/** Drops findings' primary key constraint (its name depends on the store's history); returns the name. */
async function dropPrimaryKey(db: Db): Promise<string> {
  const { rows } = await sql<{ conname: string }>`select conname from pg_constraint
    where conrelid = 'findings'::regclass and contype = 'p'`.execute(db);
  const name = rows[0]?.conname ?? 'findings_pkey';
  await sql`alter table findings drop constraint ${sql.id(name)}`.execute(db);
  return name;
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
