import type { EpssScore, ExploitSighting, KevEntry, SsvcDecision } from '../../core/types.js';
import { chunk, type Db, definedOnly, fromJson, orNull, toJson } from '../rows.js';

/** KEV listings: the catalogue's current entries replace earlier copies of the same CVE. */
export async function upsertKevEntries(db: Db, entries: readonly KevEntry[]): Promise<void> {
  for (const batch of chunk(entries, 10)) {
    await db
      .insertInto('kev_entries')
      .values(
        batch.map((e) => ({
          cve_id: e.cveId,
          vendor: orNull(e.vendor),
          product: orNull(e.product),
          name: orNull(e.name),
          date_added: e.dateAdded,
          due_date: orNull(e.dueDate),
          ransomware: e.ransomware ? 1 : 0,
          required_action: orNull(e.requiredAction),
          notes: orNull(e.notes),
          removed_at: orNull(e.removedAt),
        })),
      )
      .onConflict((oc) =>
        oc.column('cve_id').doUpdateSet((eb) => ({
          vendor: eb.ref('excluded.vendor'),
          product: eb.ref('excluded.product'),
          name: eb.ref('excluded.name'),
          date_added: eb.ref('excluded.date_added'),
          due_date: eb.ref('excluded.due_date'),
          ransomware: eb.ref('excluded.ransomware'),
          required_action: eb.ref('excluded.required_action'),
          notes: eb.ref('excluded.notes'),
          removed_at: eb.ref('excluded.removed_at'),
        })),
      )
      .execute();
  }
}

/** The KEV listing of a CVE as known on `asOf` (listed on or before it), if any. */
export async function loadKevEntry(db: Db, cveId: string, asOf?: string): Promise<KevEntry | undefined> {
  let query = db.selectFrom('kev_entries').selectAll().where('cve_id', '=', cveId);
  if (asOf) query = query.where('date_added', '<=', asOf);
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  return definedOnly({
    cveId: row.cve_id,
    vendor: row.vendor,
    product: row.product,
    name: row.name,
    dateAdded: row.date_added,
    dueDate: row.due_date,
    ransomware: row.ransomware === 1,
    requiredAction: row.required_action,
    notes: row.notes,
    removedAt: row.removed_at,
  });
}

/** EPSS scores keep their history: one row per CVE and day; re-importing a day replaces that day only. */
export async function insertEpssScores(db: Db, scores: readonly EpssScore[]): Promise<void> {
  for (const batch of chunk(scores, 5)) {
    await db
      .insertInto('epss_scores')
      .values(
        batch.map((s) => ({
          cve_id: s.cveId,
          score_date: s.scoreDate,
          score: s.score,
          percentile: orNull(s.percentile),
          model_version: orNull(s.modelVersion),
        })),
      )
      .onConflict((oc) =>
        oc.columns(['cve_id', 'score_date']).doUpdateSet((eb) => ({
          score: eb.ref('excluded.score'),
          percentile: eb.ref('excluded.percentile'),
          model_version: eb.ref('excluded.model_version'),
        })),
      )
      .execute();
  }
}

/** The newest EPSS score published on or before `asOf`. */
export async function loadEpssAsOf(db: Db, cveId: string, asOf: string): Promise<EpssScore | undefined> {
  const row = await db
    .selectFrom('epss_scores')
    .selectAll()
    .where('cve_id', '=', cveId)
    .where('score_date', '<=', asOf)
    .orderBy('score_date', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return definedOnly({
    cveId: row.cve_id,
    scoreDate: row.score_date,
    score: row.score,
    percentile: row.percentile,
    modelVersion: row.model_version,
  });
}

/** Exploit sightings are facts: the first sighting of (CVE, source, URL) is kept, repeats ignored. */
export async function insertExploitSightings(db: Db, sightings: readonly ExploitSighting[]): Promise<void> {
  for (const batch of chunk(sightings, 6)) {
    await db
      .insertInto('exploit_sightings')
      .values(
        batch.map((s) => ({
          cve_id: s.cveId,
          source: s.source,
          url: s.url,
          seen_at: s.seenAt,
          maturity: orNull(s.maturity),
          data: toJson(s.data),
        })),
      )
      .onConflict((oc) => oc.columns(['cve_id', 'source', 'url']).doNothing())
      .execute();
  }
}

/** Sightings of a CVE seen on or before `asOf` (all when omitted), oldest first. */
export async function loadExploitSightings(db: Db, cveId: string, asOf?: string): Promise<ExploitSighting[]> {
  let query = db.selectFrom('exploit_sightings').selectAll().where('cve_id', '=', cveId);
  if (asOf) query = query.where('seen_at', '<=', asOf);
  const rows = await query.orderBy('seen_at').orderBy('id').execute();
  return rows.map((r) =>
    definedOnly({
      cveId: r.cve_id,
      source: r.source,
      url: r.url,
      seenAt: r.seen_at,
      maturity: r.maturity as ExploitSighting['maturity'] | null,
      data: fromJson<Record<string, unknown>>(r.data),
    }),
  );
}

export async function upsertSsvcDecisions(db: Db, decisions: readonly SsvcDecision[]): Promise<void> {
  for (const batch of chunk(decisions, 6)) {
    await db
      .insertInto('ssvc_decisions')
      .values(
        batch.map((d) => ({
          cve_id: d.cveId,
          decided_at: d.decidedAt,
          exploitation: orNull(d.exploitation),
          automatable: orNull(d.automatable),
          technical_impact: orNull(d.technicalImpact),
          source: d.source,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['cve_id', 'decided_at', 'source']).doUpdateSet((eb) => ({
          exploitation: eb.ref('excluded.exploitation'),
          automatable: eb.ref('excluded.automatable'),
          technical_impact: eb.ref('excluded.technical_impact'),
        })),
      )
      .execute();
  }
}

/** The newest SSVC decision made on or before `asOf`. */
export async function loadSsvcAsOf(db: Db, cveId: string, asOf: string): Promise<SsvcDecision | undefined> {
  const row = await db
    .selectFrom('ssvc_decisions')
    .selectAll()
    .where('cve_id', '=', cveId)
    .where('decided_at', '<=', asOf)
    .orderBy('decided_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return definedOnly({
    cveId: row.cve_id,
    decidedAt: row.decided_at,
    exploitation: row.exploitation as SsvcDecision['exploitation'] | null,
    automatable: row.automatable as SsvcDecision['automatable'] | null,
    technicalImpact: row.technical_impact as SsvcDecision['technicalImpact'] | null,
    source: row.source,
  });
}

/** KEV entries on the catalog now (`current`) and those CISA took off it (`removed`, kept for history). */
export async function countKevEntries(db: Db): Promise<{ current: number; removed: number }> {
  const rows = await db
    .selectFrom('kev_entries')
    .select((eb) => [eb.fn.countAll<number>().as('all'), eb.fn.count<number>('removed_at').as('removed')])
    .execute();
  const all = Number(rows[0]?.all ?? 0);
  const removed = Number(rows[0]?.removed ?? 0);
  return { current: all - removed, removed };
}

/** EPSS score rows held (one per CVE and score date). */
export async function countEpssScores(db: Db): Promise<number> {
  const row = await db
    .selectFrom('epss_scores')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
