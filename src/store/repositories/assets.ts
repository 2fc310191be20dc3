import { sql } from 'kysely';
import type { Asset, InstalledPackage } from '../../core/types.js';
import { type Db, definedOnly, fromJson, isPostgres, loadByKeys, orNull, toJson } from '../rows.js';
import type { AssetsTable } from '../schema.js';
import { type BulkColumn, insertRows } from './bulk.js';

export type AssetInput = Omit<Asset, 'createdAt' | 'updatedAt'>;

/** Inserts or updates an asset by id: assets are upserted, never duplicated. */
export async function upsertAsset(db: Db, asset: AssetInput, at: string): Promise<void> {
  const row = {
    id: asset.id,
    name: asset.name,
    kind: asset.kind,
    environment: orNull(asset.environment),
    criticality: orNull(asset.criticality),
    internet_exposed: asset.internetExposed ? 1 : 0,
    data_classification: orNull(asset.dataClassification),
    owner: orNull(asset.owner),
    services: toJson(asset.services),
    tags: toJson(asset.tags),
    window_group: orNull(asset.windowGroup),
    os_ecosystem: orNull(asset.osEcosystem),
    created_at: at,
    updated_at: at,
  };
  const { id: _id, created_at: _created, ...update } = row;
  await db
    .insertInto('assets')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet(update))
    .execute();
}

export async function loadAsset(db: Db, id: string): Promise<Asset | undefined> {
  const row = await db.selectFrom('assets').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function listAssets(db: Db): Promise<Asset[]> {
  const rows = await db.selectFrom('assets').selectAll().orderBy('id').execute();
  return rows.map(fromRow);
}

export async function countAssets(db: Db): Promise<number> {
  const row = await db
    .selectFrom('assets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

function fromRow(row: AssetsTable): Asset {
  return definedOnly({
    id: row.id,
    name: row.name,
    kind: row.kind as Asset['kind'],
    environment: row.environment,
    criticality: row.criticality as Asset['criticality'] | null,
    internetExposed: row.internet_exposed === 1,
    dataClassification: row.data_classification,
    owner: row.owner,
    services: fromJson<string[]>(row.services) ?? [],
    tags: fromJson<string[]>(row.tags) ?? [],
    windowGroup: row.window_group,
    osEcosystem: row.os_ecosystem,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

export interface PackageImport {
  assetId: string;
  source: string;
  format: string;
  digest?: string;
  importedAt: string;
}

/**
 * Replaces an asset's installed packages with a new inventory and records the dated import, so the
 * baseline keeps its history. Returns the import id.
 */
export async function replaceAssetPackages(
  db: Db,
  meta: PackageImport,
  packages: readonly InstalledPackage[],
): Promise<number> {
  const inserted = await db
    .insertInto('asset_imports')
    .values({
      asset_id: meta.assetId,
      source: meta.source,
      format: meta.format,
      digest: orNull(meta.digest),
      package_count: packages.length,
      imported_at: meta.importedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const importId = Number(inserted.id);
  await db.deleteFrom('asset_packages').where('asset_id', '=', meta.assetId).execute();
  const unique = new Map<string, InstalledPackage>();
  for (const p of packages) unique.set(`${p.ecosystem}\0${p.name}\0${p.version}`, p);
  const rows = [...unique.values()].map((p) => [
    meta.assetId,
    p.ecosystem,
    p.name,
    p.version,
    orNull(p.purl),
    orNull(p.sourceName),
    orNull(p.sourceVersion),
    importId,
    p.inUse === undefined ? null : p.inUse ? 1 : 0,
  ]);
  await insertRows(db, 'asset_packages', PACKAGE_COLUMNS, rows);
  return importId;
}

const PACKAGE_COLUMNS: readonly BulkColumn[] = [
  { name: 'asset_id', type: 'text' },
  { name: 'ecosystem', type: 'text' },
  { name: 'name', type: 'text' },
  { name: 'version', type: 'text' },
  { name: 'purl', type: 'text' },
  { name: 'source_name', type: 'text' },
  { name: 'source_version', type: 'text' },
  { name: 'import_id', type: 'integer' },
  { name: 'in_use', type: 'integer' },
];

export async function loadAssetPackages(db: Db, assetId: string): Promise<InstalledPackage[]> {
  const rows = await db
    .selectFrom('asset_packages')
    .selectAll()
    .where('asset_id', '=', assetId)
    .orderBy('ecosystem')
    .orderBy('name')
    .execute();
  return rows.map((r) =>
    definedOnly({
      ecosystem: r.ecosystem,
      name: r.name,
      version: r.version,
      purl: r.purl,
      sourceName: r.source_name,
      sourceVersion: r.source_version,
      inUse: r.in_use === null ? null : r.in_use === 1,
    }),
  );
}

/** An installed package version on an asset: what a finding is about. */
export interface AssetPackageKey {
  assetId: string;
  ecosystem: string;
  name: string;
  version: string;
}

/** The key of `loadPackageUsage`'s map. */
export function getAssetPackageKey(k: AssetPackageKey): string {
  return `${k.assetId}\0${k.ecosystem}\0${k.name}\0${k.version}`;
}

/**
 * Whether each of these installed packages is in use (a running process maps its files), for those
 * whose inventory said so; a package whose usage is unknown is absent. One query per chunk of names
 * (IN-lists within the parameter limits), never one per package: the assets' rows are read through
 * the primary key (asset_id first) and only the named packages with a known usage come back.
 */
export async function loadPackageUsage(
  db: Db,
  keys: readonly AssetPackageKey[],
): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>();
  if (keys.length === 0) return out;
  const wanted = new Set(keys.map(getAssetPackageKey));
  const assetIds = [...new Set(keys.map((k) => k.assetId))];
  const names = keys.map((k) => k.name);
  for (let i = 0; i < assetIds.length; i += USAGE_CHUNK) {
    const assets = assetIds.slice(i, i + USAGE_CHUNK);
    const rows = await loadByKeys(names, USAGE_CHUNK, (chunk) =>
      db
        .selectFrom('asset_packages')
        .select(['asset_id', 'ecosystem', 'name', 'version', 'in_use'])
        .where('asset_id', 'in', assets)
        .where('name', 'in', chunk)
        .where('in_use', 'is not', null)
        .execute(),
    );
    for (const r of rows) {
      const key = getAssetPackageKey({
        assetId: r.asset_id,
        ecosystem: r.ecosystem,
        name: r.name,
        version: r.version,
      });
      if (wanted.has(key)) out.set(key, r.in_use === 1);
    }
  }
  return out;
}

/** Assets and names per IN-list: two lists of this size stay far below both backends' limits. */
const USAGE_CHUNK = 5_000;

/** The dated imports of an asset, newest first. */
/** The purl an asset recorded for an installed package version, when its inventory gave one. */
export async function loadInstalledPurl(
  db: Db,
  pkg: { assetId: string; ecosystem: string; packageName: string; installedVersion: string },
): Promise<string | undefined> {
  const row = await db
    .selectFrom('asset_packages')
    .select('purl')
    .where('asset_id', '=', pkg.assetId)
    .where('ecosystem', '=', pkg.ecosystem)
    .where('name', '=', pkg.packageName)
    .where('version', '=', pkg.installedVersion)
    .executeTakeFirst();
  return row?.purl ?? undefined;
}

export async function listAssetImports(db: Db, assetId: string) {
  return db
    .selectFrom('asset_imports')
    .selectAll()
    .where('asset_id', '=', assetId)
    .orderBy('imported_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** An installed (ecosystem, name, version). */
export interface PackageVersionKey {
  ecosystem: string;
  name: string;
  version: string;
}

/** One asset holding the key at `keyIndex` of the list given to `forEachPackageHolder`. */
export interface PackageHolder {
  asset_id: string;
  key_index: number;
}

/**
 * The assets holding each of many package versions, one slice of keys at a time: `keys[0, ends[0])`,
 * then `keys[ends[0], ends[1])`, …, each slice's holders ordered by asset. The keys go into a temporary
 * table joined with asset_packages, so a slice is one indexed join however many keys it has, and
 * memory is bounded by one slice's holders. `assetIds` limits the holders to those assets.
 */
export async function forEachPackageHolder(
  db: Db,
  keys: readonly PackageVersionKey[],
  ends: readonly number[],
  assetIds: readonly string[] | undefined,
  visit: (holders: PackageHolder[]) => Promise<void>,
): Promise<void> {
  await createHolderTables(db, keys, assetIds);
  try {
    let start = 0;
    for (const end of ends) {
      const scope = assetIds ? sql`and ap.asset_id in (select asset_id from pc_match_assets)` : sql``;
      const { rows } = await sql<PackageHolder>`
        select ap.asset_id as asset_id, k.key_index as key_index
        from pc_match_keys k
        join asset_packages ap on ap.ecosystem = k.ecosystem and ap.name = k.name and ap.version = k.version
        where k.key_index >= ${start} and k.key_index < ${end} ${scope}
        order by ap.asset_id`.execute(db);
      await visit(rows.map((r) => ({ asset_id: r.asset_id, key_index: Number(r.key_index) })));
      start = end;
    }
  } finally {
    await sql`drop table if exists pc_match_keys`.execute(db);
    await sql`drop table if exists pc_match_assets`.execute(db);
  }
}

async function createHolderTables(
  db: Db,
  keys: readonly PackageVersionKey[],
  assetIds: readonly string[] | undefined,
): Promise<void> {
  await sql`drop table if exists pc_match_keys`.execute(db);
  await sql`drop table if exists pc_match_assets`.execute(db);
  await sql`create temporary table pc_match_keys (key_index integer primary key, ecosystem text not null, name text not null, version text not null)`.execute(
    db,
  );
  const rows = keys.map((k, i) => [i, k.ecosystem, k.name, k.version]);
  await insertRows(db, 'pc_match_keys', KEY_COLUMNS, rows);
  if (assetIds) {
    await sql`create temporary table pc_match_assets (asset_id text primary key)`.execute(db);
    const unique = [...new Set(assetIds)].map((id) => [id]);
    await insertRows(db, 'pc_match_assets', [{ name: 'asset_id', type: 'text' }], unique);
  }
  // PostgreSQL plans the join from statistics, which a fresh temporary table lacks.
  if (isPostgres(db)) await sql`analyze pc_match_keys`.execute(db);
}

const KEY_COLUMNS: readonly BulkColumn[] = [
  { name: 'key_index', type: 'integer' },
  { name: 'ecosystem', type: 'text' },
  { name: 'name', type: 'text' },
  { name: 'version', type: 'text' },
];
