/**
 * The source package of each installed package of some assets, for grouping findings into patches
 * (a Debian binary such as exim4-base upgrades with its source package exim4).
 */
import type { Db } from '../rows.js';

/** A source package and version as the inventory recorded them. */
export interface PackageSource {
  sourceName: string;
  sourceVersion?: string;
}

const ASSETS_PER_QUERY = 500;

/** The key `loadPackageSources` uses: asset, ecosystem, package name and version. */
export function getPackageSourceKey(
  assetId: string,
  ecosystem: string,
  name: string,
  version: string,
): string {
  return `${assetId}\0${ecosystem}\0${name}\0${version}`;
}

/**
 * Per installed package (key: `getPackageSourceKey`) of these assets, its source package when the
 * inventory names one other than itself or with another version; packages without one are left out.
 */
export async function loadPackageSources(
  db: Db,
  assetIds: readonly string[],
): Promise<Map<string, PackageSource>> {
  const out = new Map<string, PackageSource>();
  const unique = [...new Set(assetIds)];
  for (let i = 0; i < unique.length; i += ASSETS_PER_QUERY) {
    const rows = await db
      .selectFrom('asset_packages')
      .select(['asset_id', 'ecosystem', 'name', 'version', 'source_name', 'source_version'])
      .where('asset_id', 'in', unique.slice(i, i + ASSETS_PER_QUERY))
      .where('source_name', 'is not', null)
      .execute();
    for (const r of rows) {
      if (!r.source_name) continue;
      out.set(getPackageSourceKey(r.asset_id, r.ecosystem, r.name, r.version), {
        sourceName: r.source_name,
        ...(r.source_version ? { sourceVersion: r.source_version } : {}),
      });
    }
  }
  return out;
}
