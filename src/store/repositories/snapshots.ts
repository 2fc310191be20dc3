import type { InstalledPackage } from '../../core/types.js';
import { type Db, fromJson, toJson } from '../rows.js';

export type SnapshotKind = 'baseline' | 'previous';

export interface AssetSnapshot {
  assetId: string;
  kind: SnapshotKind;
  takenAt: string;
  packages: InstalledPackage[];
  configHashes?: Record<string, string>;
}

/** Stores (replacing) an asset's snapshot of one kind. Packages are kept as [ecosystem, name, version] triples. */
export async function saveAssetSnapshot(db: Db, snapshot: AssetSnapshot): Promise<void> {
  const row = {
    asset_id: snapshot.assetId,
    kind: snapshot.kind,
    taken_at: snapshot.takenAt,
    packages: JSON.stringify(snapshot.packages.map((p) => [p.ecosystem, p.name, p.version])),
    config_hashes: toJson(snapshot.configHashes),
  };
  await db
    .insertInto('asset_snapshots')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['asset_id', 'kind'])
        .doUpdateSet({ taken_at: row.taken_at, packages: row.packages, config_hashes: row.config_hashes }),
    )
    .execute();
}

export async function loadAssetSnapshot(
  db: Db,
  assetId: string,
  kind: SnapshotKind,
): Promise<AssetSnapshot | undefined> {
  const row = await db
    .selectFrom('asset_snapshots')
    .selectAll()
    .where('asset_id', '=', assetId)
    .where('kind', '=', kind)
    .executeTakeFirst();
  if (!row) return undefined;
  const triples = JSON.parse(row.packages) as Array<[string, string, string]>;
  const snapshot: AssetSnapshot = {
    assetId,
    kind,
    takenAt: row.taken_at,
    packages: triples.map(([ecosystem, name, version]) => ({ ecosystem, name, version })),
  };
  const hashes = fromJson<Record<string, string>>(row.config_hashes);
  if (hashes) snapshot.configHashes = hashes;
  return snapshot;
}

/** The config hashes an asset's agent last reported. */
export async function saveAssetConfigHashes(
  db: Db,
  assetId: string,
  hashes: Record<string, string>,
): Promise<void> {
  await db
    .updateTable('assets')
    .set({ config_hashes: JSON.stringify(hashes) })
    .where('id', '=', assetId)
    .execute();
}

export async function loadAssetConfigHashes(
  db: Db,
  assetId: string,
): Promise<Record<string, string> | undefined> {
  const row = await db
    .selectFrom('assets')
    .select('config_hashes')
    .where('id', '=', assetId)
    .executeTakeFirst();
  return fromJson<Record<string, string>>(row?.config_hashes ?? null);
}
