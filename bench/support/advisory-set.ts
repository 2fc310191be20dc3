/**
 * The benchmark's advisory set: the real OSV exports of `shared/data/osv`, plus clones of real
 * distribution records for the fleet's releases that the exports do not cover (Debian 12 and 13,
 * Ubuntu 20.04), under new ids, so hosts of those releases really match.
 */

import type { AffectedPackage, InstalledPackage, OsvRange, Vulnerability } from '../../src/core/types.js';
import { osvSource } from '../../src/feeds/osv/index.js';
import { syncSource } from '../../src/services/sync/sync-source.js';
import { type Store, upsertVulnerabilities } from '../../src/store/index.js';

/** Release without data → release whose records are cloned for it. */
const CLONES: ReadonlyArray<{ from: string; to: string; suffix: string }> = [
  { from: 'Debian:11', to: 'Debian:12', suffix: 'BENCH-D12' },
  { from: 'Debian:11', to: 'Debian:13', suffix: 'BENCH-D13' },
  { from: 'Ubuntu:18.04:LTS', to: 'Ubuntu:20.04:LTS', suffix: 'BENCH-U2004' },
];
const LANGUAGE_ECOSYSTEMS = ['npm', 'PyPI', 'RubyGems', 'crates.io'];

/** Imports the OSV exports under `dataDir/osv/` and the clones; returns the affected-entry count. */
export async function loadAdvisorySet(store: Store, dataDir: string): Promise<number> {
  await syncSource(store, osvSource, { offlineDir: dataDir, now: new Date('2026-03-01T00:00:00Z') });
  for (const clone of CLONES) await cloneRelease(store, clone);
  const row = await store.db
    .selectFrom('affected_packages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function cloneRelease(store: Store, clone: (typeof CLONES)[number]): Promise<void> {
  const rows = await store.db
    .selectFrom('affected_packages')
    .select(['vulnerability_id', 'name', 'ranges', 'versions'])
    .where('ecosystem', '=', clone.from)
    .orderBy('id')
    .execute();
  const byId = new Map<string, Vulnerability>();
  for (const row of rows) {
    const id = `${row.vulnerability_id}-${clone.suffix}`;
    const vuln = byId.get(id) ?? { id, source: 'bench', aliases: [row.vulnerability_id], affected: [] };
    byId.set(id, vuln);
    const ranges = row.ranges ? (JSON.parse(row.ranges) as OsvRange[]) : [];
    const entry: AffectedPackage = {
      ecosystem: clone.to,
      name: row.name,
      ranges,
      fixedVersions: fixesOf(ranges),
    };
    if (row.versions) entry.versions = JSON.parse(row.versions) as string[];
    vuln.affected?.push(entry);
  }
  await store.db.transaction().execute((trx) => upsertVulnerabilities(trx, [...byId.values()]));
}

function fixesOf(ranges: readonly OsvRange[]): string[] {
  return ranges.flatMap((r) => r.events.flatMap((e) => ('fixed' in e ? [e.fixed] : [])));
}

/**
 * Language packages named by the advisories, at versions the advisories mention (introduced, fixed,
 * last affected, listed): some affected, some fixed, as in a real lockfile. Sorted, so reproducible.
 */
export async function loadLanguagePool(store: Store, limit = 20_000): Promise<InstalledPackage[]> {
  const rows = await store.db
    .selectFrom('affected_packages')
    .select(['ecosystem', 'name', 'ranges', 'versions'])
    .where('ecosystem', 'in', LANGUAGE_ECOSYSTEMS)
    .orderBy('id')
    .execute();
  const pool = new Map<string, InstalledPackage>();
  for (const row of rows) {
    for (const version of versionsOf(row.ranges, row.versions)) {
      if (pool.size >= limit) break;
      pool.set(`${row.ecosystem}\0${row.name}\0${version}`, {
        ecosystem: row.ecosystem,
        name: row.name,
        version,
      });
    }
  }
  return [...pool.values()];
}

function versionsOf(ranges: string | null, versions: string | null): string[] {
  const out = versions ? (JSON.parse(versions) as string[]).slice(0, 3) : [];
  for (const range of ranges ? (JSON.parse(ranges) as OsvRange[]) : []) {
    if (range.type === 'GIT') continue;
    for (const event of range.events) {
      const v = Object.values(event)[0] as string;
      if (v !== '0') out.push(v);
    }
  }
  return out;
}
