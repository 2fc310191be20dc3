import type SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { getOrCreate } from '../../core/collections.js';
import { getEcosystemBase, getLookupName } from '../../core/package-name.js';
import type { OsvRange } from '../../core/types.js';
import { type Db, fromJson, getSqliteHandle } from '../rows.js';

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

/** A distinct installed package as matching reads it. */
export interface DistinctPackageRow {
  ecosystem: string;
  name: string;
  version: string;
  source_name: string | null;
  source_version: string | null;
}

/**
 * Distinct installed (ecosystem, name, version) across assets (or the given ones), with a source
 * package: matching evaluates each once. Over the whole fleet this is a loose index scan — one seek
 * per distinct key on the (ecosystem, name, version) index — since a DISTINCT over 15M rows reads
 * every row of a table far larger than the cache (40 s at 10,000 hosts on SQLite).
 */
export async function loadDistinctPackages(
  db: Db,
  assetIds?: readonly string[],
): Promise<DistinctPackageRow[]> {
  if (assetIds) {
    return db
      .selectFrom('asset_packages')
      .select(['ecosystem', 'name', 'version', 'source_name', 'source_version'])
      .distinct()
      .where('asset_id', 'in', assetIds.length ? [...assetIds] : [''])
      .execute();
  }
  const raw = getSqliteHandle(db);
  if (raw) return skipScanSqlite(raw);
  const { rows } = await sql<DistinctPackageRow>`
    with recursive k as (
      (select ecosystem, name, version from asset_packages order by ecosystem, name, version limit 1)
      union all
      select n.ecosystem, n.name, n.version from k cross join lateral (
        select ap.ecosystem, ap.name, ap.version from asset_packages ap
        where (ap.ecosystem, ap.name, ap.version) > (k.ecosystem, k.name, k.version)
        order by ap.ecosystem, ap.name, ap.version limit 1) n
    )
    select k.ecosystem, k.name, k.version, s.source_name, s.source_version from k cross join lateral (
      select ap.source_name, ap.source_version from asset_packages ap
      where ap.ecosystem = k.ecosystem and ap.name = k.name and ap.version = k.version limit 1) s`.execute(
    db,
  );
  return rows;
}

function skipScanSqlite(raw: SQLite.Database): DistinctPackageRow[] {
  const columns = 'ecosystem, name, version, source_name, source_version';
  const order = 'order by ecosystem, name, version limit 1';
  const first = raw.prepare(`select ${columns} from asset_packages ${order}`);
  const next = raw.prepare(
    `select ${columns} from asset_packages where (ecosystem, name, version) > (?, ?, ?) ${order}`,
  );
  const out: DistinctPackageRow[] = [];
  let row = first.get() as DistinctPackageRow | undefined;
  while (row) {
    out.push(row);
    row = next.get(row.ecosystem, row.name, row.version) as DistinctPackageRow | undefined;
  }
  return out;
}
