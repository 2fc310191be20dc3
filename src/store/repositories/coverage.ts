import type { Db } from '../rows.js';

/**
 * Every OSV ecosystem (with its release, as stored: `Debian:12`, `PyPI`) the store has at least one
 * advisory entry for. One query; it reads the `(ecosystem, name)` index, not the advisories.
 */
export async function loadAdvisoryEcosystems(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('affected_packages').select('ecosystem').distinct().execute();
  return rows.map((r) => r.ecosystem).sort();
}

/** How many packages of each ecosystem each asset holds (all assets, or the given ones). */
export async function loadAssetEcosystems(
  db: Db,
  assetIds?: readonly string[],
): Promise<Array<{ assetId: string; ecosystem: string; packages: number }>> {
  if (assetIds && assetIds.length === 0) return [];
  let query = db
    .selectFrom('asset_packages')
    .select(['asset_id', 'ecosystem', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['asset_id', 'ecosystem'])
    .orderBy('asset_id')
    .orderBy('ecosystem');
  if (assetIds) query = query.where('asset_id', 'in', [...assetIds]);
  const rows = await query.execute();
  return rows.map((r) => ({ assetId: r.asset_id, ecosystem: r.ecosystem, packages: Number(r.n) }));
}
