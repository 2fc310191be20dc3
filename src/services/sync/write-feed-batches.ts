/**
 * Writes a feed source's batches through the store's repositories, inside the source's transaction,
 * and counts what they changed: the feed plug-ins only read and parse (src/feeds/types.ts).
 */
import type { Vulnerability } from '../../core/types.js';
import type {
  FeedBatch,
  FeedOutcome,
  FeedSource,
  FeedVulnerability,
  SyncContext,
} from '../../feeds/index.js';
import {
  analyzeVulnerabilityTables,
  applyKevRemovals,
  countEpssScores,
  countExploitSightingsFrom,
  countKevEntries,
  countSsvcDecisionsFrom,
  countVulnerabilitiesFrom,
  type Db,
  insertEpssScores,
  insertExploitSightings,
  loadVulnerabilityVersions,
  type StoredVulnerabilityVersion,
  upsertDebianAdvisories,
  upsertKevEntries,
  upsertSsvcDecisions,
  upsertVulnerabilities,
} from '../../store/index.js';

/** What one location's sync wrote, for the source's sync state. */
export interface SyncResult {
  /** Records written (inserted or updated) by this sync. */
  records: number;
  /** Records the store holds from this source after the sync (for `sync status`); omitted, the runner adds `records`. */
  total?: number;
  newest?: string;
  cursor?: string;
  /** True when the source had nothing new (HTTP 304, or every record already known). */
  unchanged?: boolean;
  etag?: string;
  lastModified?: string;
}

type Kind = FeedBatch['kind'];

/** Per kind of batch: rows counted before the first write (when new rows are told by counting). */
interface Tally {
  written: number;
  before?: number;
  sources?: readonly string[];
  debianTotal?: number;
}

/**
 * Reads one location of `source` and writes each batch it yields with `db` (the source's
 * transaction). A failed write stops the reading (its download is cleaned up) and is rethrown.
 */
export async function writeFeedBatches(db: Db, source: FeedSource, ctx: SyncContext): Promise<SyncResult> {
  const sourceId = source.id;
  const tallies = new Map<Kind, Tally>();
  const refreshStatistics = makeStatisticsRefresher(db);
  let written = 0;
  const batches = source.read(ctx);
  let outcome: FeedOutcome;
  try {
    // One batch referenced at a time: the written one is dropped before the next is read.
    for (;;) {
      const step = await batches.next();
      if (step.done) {
        outcome = step.value;
        break;
      }
      const batch = step.value;
      const tally = tallies.get(batch.kind) ?? (await startTally(db, sourceId, batch));
      tallies.set(batch.kind, tally);
      const count = await writeBatch(db, batch, tally);
      tally.written += count;
      written += count;
      if (batch.kind === 'vulnerabilities') await refreshStatistics(tally.written);
      ctx.progress.records(written);
    }
  } catch (error) {
    await batches.return({}).catch(() => undefined);
    throw error;
  }
  return { ...(await finishTallies(db, sourceId, tallies)), ...outcome };
}

async function startTally(db: Db, sourceId: string, batch: FeedBatch): Promise<Tally> {
  if (batch.kind === 'ssvc') return { written: 0, before: await countSsvcDecisionsFrom(db, sourceId) };
  if (batch.kind === 'sightings')
    return { written: 0, sources: batch.sources, before: await countExploitSightingsFrom(db, batch.sources) };
  return { written: 0 };
}

/** Writes one batch; returns the records it counts as written (for progress and the result). */
async function writeBatch(db: Db, batch: FeedBatch, tally: Tally): Promise<number> {
  switch (batch.kind) {
    case 'vulnerabilities':
      return writeVulnerabilities(db, batch.records);
    case 'ssvc':
      await upsertSsvcDecisions(db, batch.records);
      return batch.records.length;
    case 'kev':
      await upsertKevEntries(db, batch.records);
      return batch.records.length;
    case 'kev-removals':
      return applyKevRemovals(db, batch.records);
    case 'epss':
      await insertEpssScores(db, batch.records);
      return batch.records.length;
    case 'sightings':
      await insertExploitSightings(db, batch.records);
      return batch.records.length;
    case 'debian-advisories': {
      const { written, total } = await upsertDebianAdvisories(db, batch.records);
      tally.debianTotal = total;
      return written;
    }
  }
}

/**
 * The records, the store's total and whether anything changed, as each kind counts them: new or
 * newer vulnerabilities; new SSVC decisions and sightings by the rows held before and after (repeats
 * are ignored by the store); every KEV entry and EPSS score read (a re-synced day updates in place).
 */
async function finishTallies(
  db: Db,
  sourceId: string,
  tallies: ReadonlyMap<Kind, Tally>,
): Promise<Omit<SyncResult, 'newest' | 'cursor' | 'etag' | 'lastModified'>> {
  if (tallies.size === 0) return { records: 0, unchanged: true };
  const out = { records: 0, total: 0, unchanged: true };
  for (const [kind, tally] of tallies) {
    const { records, total, unchanged } = await finishTally(db, sourceId, kind, tally);
    out.records += records;
    out.total += total;
    out.unchanged &&= unchanged;
  }
  return out.unchanged ? out : { records: out.records, total: out.total };
}

async function finishTally(
  db: Db,
  sourceId: string,
  kind: Kind,
  tally: Tally,
): Promise<{ records: number; total: number; unchanged: boolean }> {
  switch (kind) {
    case 'vulnerabilities':
      return {
        records: tally.written,
        total: await countVulnerabilitiesFrom(db, sourceId),
        unchanged: tally.written === 0,
      };
    case 'ssvc':
      return countedBeforeAndAfter(tally, await countSsvcDecisionsFrom(db, sourceId));
    case 'sightings':
      return countedBeforeAndAfter(tally, await countExploitSightingsFrom(db, tally.sources ?? []));
    case 'kev':
    case 'kev-removals':
      return { records: tally.written, total: (await countKevEntries(db)).current, unchanged: false };
    case 'epss':
      return { records: tally.written, total: await countEpssScores(db), unchanged: false };
    case 'debian-advisories':
      return { records: tally.written, total: tally.debianTotal ?? 0, unchanged: tally.written === 0 };
  }
}

function countedBeforeAndAfter(tally: Tally, total: number) {
  const before = tally.before ?? 0;
  return { records: total - before, total, unchanged: total === before };
}

/**
 * Writes the vulnerabilities whose stored copy is older (or absent), and the SSVC decisions that
 * came with them: a second sync of the same data writes nothing. Returns how many were written.
 */
async function writeVulnerabilities(db: Db, records: readonly FeedVulnerability[]): Promise<number> {
  const stored = await loadVulnerabilityVersions(
    db,
    records.map((r) => r.vuln.id),
  );
  const fresh = records.filter((r) => isNewer(r.vuln, stored.get(r.vuln.id)));
  if (fresh.length === 0) return 0;
  await upsertVulnerabilities(
    db,
    fresh.map((r) => r.vuln),
  );
  await upsertSsvcDecisions(
    db,
    fresh.flatMap((r) => r.ssvc ?? []),
  );
  return fresh.length;
}

function isNewer(vuln: Vulnerability, known: StoredVulnerabilityVersion | undefined): boolean {
  if (!known) return true;
  if (known.modified && vuln.modified) return known.modified < vuln.modified;
  // Undated on both sides: rewrite only when the content differs.
  return !(known.modified === null && vuln.modified === undefined && isSameContent(known, vuln));
}

function isSameContent(row: StoredVulnerabilityVersion, v: Vulnerability): boolean {
  return (
    row.summary === (v.summary ?? null) &&
    row.details === (v.details ?? null) &&
    row.cvss === (v.cvss ? JSON.stringify(v.cvss) : null) &&
    row.refs === (v.references ? JSON.stringify(v.references) : null)
  );
}

/** Rows written before the first statistics refresh, and the growth factor between refreshes. */
const ANALYZE_FIRST = 5000;
const ANALYZE_GROWTH = 4;

/**
 * PostgreSQL plans each batch's id look-ups (the stored versions, and the delete of replaced
 * affected entries) from table statistics, and a sync writes in one transaction that autovacuum
 * cannot see into: on a table filled by this very sync the planner falls back to guesses and scans
 * the whole table per batch, which makes a first import quadratic. ANALYZE inside the transaction
 * counts its own rows, so the statistics are refreshed whenever the rows written by this sync have
 * grown fourfold (a handful of times however large the feed). SQLite uses its indexes regardless.
 */
function makeStatisticsRefresher(db: Db): (written: number) => Promise<void> {
  let next = ANALYZE_FIRST;
  return async (written) => {
    if (written < next) return;
    next = written * ANALYZE_GROWTH;
    await analyzeVulnerabilityTables(db);
  };
}
