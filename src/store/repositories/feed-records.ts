/**
 * The reads and writes the sync service needs around a feed's batches (src/services/sync/): which
 * records are already stored at least as new, how many rows a source holds, KEV removals.
 */
import { sql } from 'kysely';
import type { KevEntry } from '../../core/types.js';
import { type Db, isPostgres } from '../rows.js';
import { upsertKevEntries } from './signals.js';

/** What is stored of a vulnerability, to tell whether a feed's copy is newer or different. */
export interface StoredVulnerabilityVersion {
  id: string;
  modified: string | null;
  summary: string | null;
  details: string | null;
  cvss: string | null;
  refs: string | null;
}

/** The stored copies of these vulnerability ids (absent ids are not stored). */
export async function loadVulnerabilityVersions(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, StoredVulnerabilityVersion>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('vulnerabilities')
    .select(['id', 'modified', 'summary', 'details', 'cvss', 'refs'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** Vulnerability records written by one source (for `sync status`). */
export async function countVulnerabilitiesFrom(db: Db, source: string): Promise<number> {
  const row = await db
    .selectFrom('vulnerabilities')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('source', '=', source)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** SSVC decisions held from one source. */
export async function countSsvcDecisionsFrom(db: Db, source: string): Promise<number> {
  const row = await db
    .selectFrom('ssvc_decisions')
    .where('source', '=', source)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Exploit sightings held under any of these `source` names. */
export async function countExploitSightingsFrom(db: Db, sources: readonly string[]): Promise<number> {
  if (sources.length === 0) return 0;
  const row = await db
    .selectFrom('exploit_sightings')
    .where('source', 'in', [...sources])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** A KEV entry CISA took off the catalog; `entry` is kept as removed when the store never held it. */
export interface KevRemoval {
  cveId: string;
  removedAt: string;
  entry?: KevEntry;
}

/** Marks entries removed (or stores them removed); returns how many were marked or stored. */
export async function applyKevRemovals(db: Db, removals: readonly KevRemoval[]): Promise<number> {
  let applied = 0;
  for (const removal of removals) {
    const updated = await db
      .updateTable('kev_entries')
      .set({ removed_at: removal.removedAt })
      .where('cve_id', '=', removal.cveId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) {
      applied++;
      continue;
    }
    if (!removal.entry) continue;
    await upsertKevEntries(db, [removal.entry]);
    applied++;
  }
  return applied;
}

/**
 * Refreshes PostgreSQL's statistics of the vulnerability tables inside the current transaction
 * (ANALYZE counts the transaction's own rows); nothing on SQLite, which plans from its indexes.
 */
export async function analyzeVulnerabilityTables(db: Db): Promise<void> {
  if (isPostgres(db)) await sql`analyze vulnerabilities, affected_packages`.execute(db);
}
