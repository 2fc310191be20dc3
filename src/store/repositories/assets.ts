import type { Asset, InstalledPackage } from '../../core/types.js';
import { chunk, type Db, definedOnly, fromJson, orNull, toJson } from '../rows.js';
import type { AssetsTable } from '../schema.js';

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
  const rows = [...unique.values()].map((p) => ({
    asset_id: meta.assetId,
    ecosystem: p.ecosystem,
    name: p.name,
    version: p.version,
    purl: orNull(p.purl),
    source_name: orNull(p.sourceName),
    source_version: orNull(p.sourceVersion),
    import_id: importId,
  }));
  for (const batch of chunk(rows, 8)) await db.insertInto('asset_packages').values(batch).execute();
  return importId;
}

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
    }),
  );
}

/** The dated imports of an asset, newest first. */
export async function listAssetImports(db: Db, assetId: string) {
  return db
    .selectFrom('asset_imports')
    .selectAll()
    .where('asset_id', '=', assetId)
    .orderBy('imported_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}
