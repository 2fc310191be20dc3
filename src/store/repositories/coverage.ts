import { sql } from 'kysely';
import type { Db } from '../rows.js';

/**
 * Every OSV ecosystem (with its release, as stored: `Debian:12`, `PyPI`) the store has at least one
 * advisory entry for. One query: a skip scan of the `(ecosystem, name)` index, one seek per distinct
 * ecosystem, so its cost does not grow with the number of advisories (a plain DISTINCT reads them all).
 */
export async function loadAdvisoryEcosystems(db: Db): Promise<string[]> {
  const { rows } = await sql<{ ecosystem: string | null }>`
    with recursive e(ecosystem) as (
      select min(ecosystem) from affected_packages
      union all
      select (select min(a.ecosystem) from affected_packages a where a.ecosystem > e.ecosystem)
      from e where e.ecosystem is not null
    )
    select ecosystem from e where ecosystem is not null`.execute(db);
  return rows.map((r) => r.ecosystem as string).sort();
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
