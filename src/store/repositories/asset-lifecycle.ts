import { type Db, fromJson, toJson } from '../rows.js';

/** What retiring an asset changed. */
export type RetireCounts = {
  findingsRetired: number;
  packagesRemoved: number;
};

/**
 * Retires an asset: its live findings (open, suppressed, excepted) are closed as `retired` at `at`,
 * its installed packages are dropped so no match reopens them, and it is tagged `retired`. The
 * asset, its imports, snapshots, findings and their history stay (the next policies pass records them
 * retired). Run in a transaction.
 */
export async function retireAssetRows(db: Db, assetId: string, at: string): Promise<RetireCounts> {
  const closed = await db
    .updateTable('findings')
    .set({ status: 'retired', resolved_at: at, suppression: null })
    .where('asset_id', '=', assetId)
    .where('status', 'in', ['open', 'suppressed', 'excepted'])
    .executeTakeFirst();
  const dropped = await db.deleteFrom('asset_packages').where('asset_id', '=', assetId).executeTakeFirst();
  await db.updateTable('asset_match_state').set({ findings: 0 }).where('asset_id', '=', assetId).execute();
  const row = await db.selectFrom('assets').select('tags').where('id', '=', assetId).executeTakeFirst();
  const tags = fromJson<string[]>(row?.tags ?? null) ?? [];
  if (!tags.includes('retired'))
    await db
      .updateTable('assets')
      .set({ tags: toJson([...tags, 'retired']), updated_at: at })
      .where('id', '=', assetId)
      .execute();
  return { findingsRetired: Number(closed.numUpdatedRows), packagesRemoved: Number(dropped.numDeletedRows) };
}

/** The tables `removeAssetRows` deletes from, children first. */
const ASSET_TABLES = [
  'finding_history',
  'findings',
  'asset_packages',
  'asset_imports',
  'asset_snapshots',
  'asset_match_state',
] as const;

/**
 * Deletes an asset and everything recorded about it: findings and their history, installed
 * packages, imports, snapshots and match state. Exceptions, plans and the audit log are kept (they
 * are records of decisions). Returns the rows deleted per table. Run in a transaction.
 */
export async function removeAssetRows(db: Db, assetId: string): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const table of ASSET_TABLES) {
    const result = await db.deleteFrom(table).where('asset_id', '=', assetId).executeTakeFirst();
    deleted[table] = Number(result.numDeletedRows);
  }
  const asset = await db.deleteFrom('assets').where('id', '=', assetId).executeTakeFirst();
  deleted.assets = Number(asset.numDeletedRows);
  return deleted;
}

/** Open findings per asset id. */
export async function countOpenFindingsByAsset(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('findings')
    .select(['asset_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'open')
    .groupBy('asset_id')
    .execute();
  return new Map(rows.map((r) => [r.asset_id, Number(r.n)]));
}
