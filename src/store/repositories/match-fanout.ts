import { sql } from 'kysely';
import { getOrCreate } from '../../core/collections.js';
import { copyIn, copyOut, runOnClient } from '../pg-copy.js';
import { type Db, isPostgres } from '../rows.js';
import { type BulkColumn, insertRows } from './bulk.js';

/**
 * The matcher's bulk paths. The run's vulnerable package versions go into two temporary tables —
 * `pc_keys` (key_id, ecosystem, name, version, changed) and `pc_fanout` (key_id, subject_id,
 * match_id) — and findings are derived by joining them with asset_packages: inside the database on
 * SQLite (no per-finding row crosses into JavaScript), and on PostgreSQL for some assets; a first
 * match of every asset on PostgreSQL reads only the holders and writes the rows with COPY.
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
  for (const table of ['pc_keys', 'pc_fanout', 'pc_assets', 'pc_holders'])
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
 * A bulk insert into an empty findings table (a first match): on PostgreSQL the primary key is
 * dropped and `buildFindingIndexes` adds it once afterwards (one sort is cheaper than 12M insertions,
 * each a WAL record). On SQLite the table is its primary key (`without rowid`), filled in key order.
 * Undefined when the table holds findings already (they stay indexed as they go in).
 */
export interface BulkFindingsLoad {
  /** PostgreSQL: the name of findings' primary key constraint, to be added again. */
  primaryKey?: string;
}

/** Prepares a bulk insert of every asset's findings when the table is empty (a first match). */
export async function dropFindingIndexes(db: Db): Promise<BulkFindingsLoad | undefined> {
  if (await hasAnyFinding(db)) return undefined;
  return isPostgres(db) ? { primaryKey: await dropPrimaryKey(db) } : {};
}

export async function buildFindingIndexes(db: Db, load: BulkFindingsLoad): Promise<void> {
  if (!load.primaryKey) return;
  await sql`set local maintenance_work_mem = '512MB'`.execute(db);
  await sql`alter table findings add constraint ${sql.id(load.primaryKey)} primary key (asset_id, subject_id)`.execute(
    db,
  );
}

/**
 * Inserts every finding of assets that have none yet (`pc_assets`, or every asset with `all`, which
 * then all have none): asset_packages ⋈ pc_keys ⋈ pc_fanout (`keys`). Rows get no id (theirs is
 * derived, see finding-keys.ts) and no first_seen (the asset's `first_matched_at`, set here); of two
 * keys giving one asset the same subject the lower key id wins. Returns the rows inserted.
 */
export async function insertFindingsOfAssets(
  db: Db,
  scope: 'all' | 'pc_assets',
  at: string,
  keys: readonly FanoutKey[],
): Promise<number> {
  const assets =
    scope === 'all'
      ? sql`not exists (select 1 from findings f where f.asset_id = asset_match_state.asset_id)`
      : sql`asset_id in (select asset_id from pc_assets)`;
  await sql`update asset_match_state set first_matched_at = ${at} where ${assets}`.execute(db);
  if (!isPostgres(db)) return insertSqlite(db, scope);
  if (scope === 'all') return copyPostgres(db, keys);
  return insertPostgres(db);
}

/**
 * PostgreSQL, every asset (none has findings): COPY, which writes a page of rows at a time with one
 * WAL record (12.9M findings: 5.5–7.5 s, against ~14 s for INSERT … SELECT and its record per row).
 * The holders of the run's keys (an index-only scan of asset_packages_package: 1.37M at 10,000
 * hosts) are grouped by asset here; each asset's findings are its keys' subjects — the lowest key's
 * match where two keys share a subject — sorted by subject, and the assets go in the store's own
 * order of ids, so the rows arrive in primary-key order and the key built after
 * (`buildFindingIndexes`) sorts presorted input. Asset ids go back as COPY wrote them (escaped).
 */
async function copyPostgres(db: Db, keys: readonly FanoutKey[]): Promise<number> {
  await sql`set local work_mem = '256MB'`.execute(db);
  const order: string[] = [];
  const keysOf = new Map<string, number[]>();
  let rows = 0;
  await runOnClient(db, async (client) => {
    await copyOut(client, 'select id from assets order by id', ([id = '']) => order.push(id));
    await copyOut(
      client,
      `select ap.asset_id, k.key_id from pc_keys k join asset_packages ap
        on ap.ecosystem = k.ecosystem and ap.name = k.name and ap.version = k.version`,
      ([assetId = '', keyId = '']) => getOrCreate(keysOf, assetId, () => []).push(Number(keyId)),
    );
    const lines = function* () {
      for (const assetId of order) {
        const held = keysOf.get(assetId);
        if (!held) continue;
        const found = getAssetFindings(held, keys);
        rows += found.subjects.length;
        yield toCopyLines(assetId, found);
      }
    };
    await copyIn(client, 'findings (asset_id, subject_id, match_id, status)', lines());
  });
  return rows;
}

const SLOT_BITS = 2 ** 26;

/**
 * One asset's findings from the keys it holds (`keys[keyId]`; ids without a key give nothing):
 * subject ids ascending, each with the match of the lowest key giving it — the rule for two keys
 * giving one subject everywhere findings are made. Sorted as numbers `subject × 2^26 + slot`, the
 * slot being the order the (key, subject) pairs were met in, keys ascending, so that of two keys
 * giving a subject the lower one comes first.
 */
export function getAssetFindings(
  held: readonly number[],
  keys: readonly FanoutKey[],
): { subjects: number[]; matches: number[] } {
  const keyIds = [...held].sort((a, b) => a - b);
  let n = 0;
  for (const k of keyIds) n += keys[k]?.matches.length ?? 0;
  const order = new Float64Array(n);
  const matchOf = new Int32Array(n);
  let slot = 0;
  for (const k of keyIds)
    for (const m of keys[k]?.matches ?? []) {
      if (m.subjectId >= 2 ** 27) throw new Error(`subject id ${m.subjectId} is beyond the bulk path's 2^27`);
      order[slot] = m.subjectId * SLOT_BITS + slot;
      matchOf[slot++] = m.matchId;
    }
  order.sort();
  const subjects: number[] = [];
  const matches: number[] = [];
  for (const v of order) {
    const subject = Math.floor(v / SLOT_BITS);
    if (subjects[subjects.length - 1] === subject) continue;
    subjects.push(subject);
    matches.push(matchOf[v - subject * SLOT_BITS] as number);
  }
  return { subjects, matches };
}

function toCopyLines(assetId: string, found: { subjects: number[]; matches: number[] }): string {
  let out = '';
  for (let i = 0; i < found.subjects.length; i++)
    out += `${assetId}\t${found.subjects[i]}\t${found.matches[i]}\topen\n`;
  return out;
}

/**
 * SQLite: the holders of the run's keys go into a temporary table keyed by (asset, key) — read from
 * asset_packages_package for every asset (one seek per key; probing the key table from each of the
 * 15.6M installed packages instead took 6 s more), or from the primary key of the assets in scope —
 * so rows come in findings' key order (the order by only sorts within one asset) and the table's
 * B-tree grows at its end; `on conflict` drops the losing key's duplicate.
 */
async function insertSqlite(db: Db, scope: 'all' | 'pc_assets') {
  await sql`create temporary table pc_holders (asset_id text not null, key_id integer not null,
    primary key (asset_id, key_id)) without rowid`.execute(db);
  const onKey = sql`ap.ecosystem = k.ecosystem and ap.name = k.name and ap.version = k.version`;
  if (scope === 'all')
    await sql`insert into pc_holders select ap.asset_id, k.key_id
      from pc_keys k cross join asset_packages ap on ${onKey}`.execute(db);
  else
    await sql`insert into pc_holders select ap.asset_id, k.key_id
      from pc_assets a cross join asset_packages ap on ap.asset_id = a.asset_id join pc_keys k on ${onKey}`.execute(
      db,
    );
  const result = await sql`
    insert into findings (asset_id, subject_id, match_id, status)
    select h.asset_id, x.subject_id, x.match_id, 'open'
    from pc_holders h join pc_fanout x on x.key_id = h.key_id
    where true
    order by h.asset_id, x.subject_id, h.key_id
    on conflict (asset_id, subject_id) do nothing`.execute(db);
  await sql`drop table pc_holders`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * PostgreSQL, some assets (an inventory import) or into a table that holds findings: one
 * `INSERT … SELECT`, the lowest key first so that `on conflict` keeps its match.
 */
async function insertPostgres(db: Db) {
  const result = await sql`
    insert into findings (asset_id, subject_id, match_id, status)
    select ap.asset_id, x.subject_id, x.match_id, 'open' from pc_assets a
    join asset_packages ap on ap.asset_id = a.asset_id
    join pc_keys k on k.ecosystem = ap.ecosystem and k.name = ap.name and k.version = ap.version
    join pc_fanout x on x.key_id = k.key_id
    order by ap.asset_id, x.subject_id, k.key_id
    on conflict (asset_id, subject_id) do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0);
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
  return (await db.selectFrom('findings').select('asset_id').limit(1).executeTakeFirst()) !== undefined;
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
  { name: 'asset_id', type: 'text' },
  { name: 'subject_id', type: 'integer' },
  { name: 'match_id', type: 'integer' },
  { name: 'status', type: 'text' },
  { name: 'first_seen', type: 'text' },
  { name: 'last_seen', type: 'text' },
];

/** Inserts new findings given as [asset_id, subject_id, match_id, status, first_seen, last_seen]. */
export async function insertFindingRows(db: Db, rows: ReadonlyArray<readonly unknown[]>): Promise<void> {
  await insertRows(db, 'findings', NEW_FINDING_COLUMNS, rows);
}
