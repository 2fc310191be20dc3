import { getOrCreate } from '../../core/collections.js';
import { getEcosystemBase, getLookupName } from '../../core/package-name.js';
import type { OsvRange } from '../../core/types.js';
import { type Db, fromJson } from '../rows.js';

/** One `affected[]` entry of a stored vulnerability, as the matcher reads it. */
export interface AdvisoryEntry {
  vulnerabilityId: string;
  ecosystem: string;
  name: string;
  ranges: OsvRange[];
  versions: string[];
}

export interface PackageKey {
  ecosystem: string;
  name: string;
}

/** `base\0lookupName`: the key matching groups packages and advisories by. */
export function getPackageLookupKey(ecosystem: string, name: string): string {
  return `${getEcosystemBase(ecosystem)}\0${getLookupName(ecosystem, name)}`;
}

/**
 * Advisory entries for many packages at once, keyed by `getPackageLookupKey`. Entries of every
 * release of the ecosystem are returned (`Debian` finds `Debian:11` and `Debian:12` records); the
 * matcher keeps those of the package's release.
 */
export async function loadAdvisoryEntries(
  db: Db,
  packages: readonly PackageKey[],
): Promise<Map<string, AdvisoryEntry[]>> {
  const byBase = new Map<string, Set<string>>();
  for (const p of packages) {
    const base = getEcosystemBase(p.ecosystem);
    const names = getOrCreate(byBase, base, () => new Set());
    names.add(getLookupName(p.ecosystem, p.name));
  }
  const out = new Map<string, AdvisoryEntry[]>();
  for (const [base, names] of byBase) {
    const all = [...names];
    for (let i = 0; i < all.length; i += 1000) {
      const rows = await db
        .selectFrom('affected_packages')
        .select(['vulnerability_id', 'ecosystem', 'name', 'lookup_name', 'ranges', 'versions'])
        .where('ecosystem_base', '=', base)
        .where('lookup_name', 'in', all.slice(i, i + 1000))
        // A withdrawn advisory no longer claims anything.
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('vulnerabilities as v')
                .select('v.id')
                .whereRef('v.id', '=', 'affected_packages.vulnerability_id')
                .where('v.withdrawn', 'is not', null),
            ),
          ),
        )
        .execute();
      for (const row of rows) {
        const key = `${base}\0${row.lookup_name}`;
        const list = getOrCreate(out, key, () => []);
        list.push({
          vulnerabilityId: row.vulnerability_id,
          ecosystem: row.ecosystem,
          name: row.name,
          ranges: fromJson<OsvRange[]>(row.ranges) ?? [],
          versions: fromJson<string[]>(row.versions) ?? [],
        });
      }
    }
  }
  return out;
}

/** Aliases of many vulnerabilities at once. */
export async function loadAliasesFor(db: Db, ids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 1000) {
    const rows = await db
      .selectFrom('vulnerability_aliases')
      .select(['vulnerability_id', 'alias'])
      .where('vulnerability_id', 'in', unique.slice(i, i + 1000))
      .orderBy('alias')
      .execute();
    for (const row of rows) {
      const list = getOrCreate(out, row.vulnerability_id, () => []);
      list.push(row.alias);
    }
  }
  return out;
}

/** Distinct installed packages across assets (or the given ones): matching evaluates each once. */
export async function loadDistinctPackages(db: Db, assetIds?: readonly string[]) {
  let query = db
    .selectFrom('asset_packages')
    .select(['ecosystem', 'name', 'version', 'source_name', 'source_version'])
    .distinct();
  if (assetIds) query = query.where('asset_id', 'in', assetIds.length ? [...assetIds] : ['']);
  return query.execute();
}
