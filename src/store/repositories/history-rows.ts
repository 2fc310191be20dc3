import type { Db } from '../rows.js';

/**
 * The store's rows the exploit model's history is built from (src/services/model/history-from-store.ts),
 * read in keyset-paged batches so memory holds one page of rows at a time. SSVC `exploitation` is
 * never selected: it is the label in another form.
 */

/** One CVE record with its vendor/product pairs and CISA ADP SSVC decisions. */
export interface HistoryCveRow {
  id: string;
  published: string | null;
  summary: string | null;
  details: string | null;
  /** JSON text: `[{version, vector, score, source}]`. */
  cvss: string | null;
  /** JSON text: `["CWE-79", …]`. */
  cwes: string | null;
  /** JSON text: `[{url, tags}]`. */
  refs: string | null;
  /** JSON text: `{provenance: {details, cwes, products}}` where the feed recorded it (see core/provenance.ts). */
  record: string | null;
  /** Affected entries of ecosystem `CPE`: `vendor:product` (vendor `*` when unknown). */
  products: HistoryProductRow[];
  /** Every SSVC decision of the CVE, without `exploitation`. */
  ssvc: HistorySsvcRow[];
}

export interface HistoryProductRow {
  name: string;
  /** Whether a CPE name gave it versions (only CPE names do; KEV and CNA pairs have none). */
  versioned: boolean;
}

export interface HistorySsvcRow {
  decidedAt: string;
  automatable: string | null;
  technicalImpact: string | null;
}

export interface HistoryKevRow {
  cveId: string;
  vendor: string | null;
  product: string | null;
  dateAdded: string;
  removedAt: string | null;
}

export interface HistorySightingRow {
  cveId: string;
  source: string;
  seenAt: string;
}

export interface HistoryEpssDay {
  day: string;
  rows: number;
  modelVersion: string | null;
}

export interface HistoryEpssRow {
  cveId: string;
  day: string;
  score: number;
  percentile: number | null;
}

/** Vulnerabilities whose id is a CVE id, in id order, a page at a time. */
export async function* loadHistoryCvePages(db: Db, pageSize: number): AsyncGenerator<HistoryCveRow[]> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('vulnerabilities')
      .select(['id', 'published', 'summary', 'details', 'cvss', 'cwes', 'refs', 'record'])
      .where('id', 'like', 'CVE-%')
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]?.id ?? after;
    const ids = rows.map((r) => r.id);
    // The ecosystem is filtered here, not in SQL: with it in the WHERE clause SQLite walks the
    // (ecosystem, name) index over every CPE entry (~560k) for each page instead of the
    // vulnerability_id index (2.7 s against 0.03 s a page of 500 on the full data).
    const products = (
      await db
        .selectFrom('affected_packages')
        .select(['vulnerability_id', 'name', 'versions', 'ecosystem'])
        .where('vulnerability_id', 'in', ids)
        .orderBy('id')
        .execute()
    ).filter((p) => p.ecosystem === 'CPE');
    const ssvc = await db
      .selectFrom('ssvc_decisions')
      .select(['cve_id', 'decided_at', 'automatable', 'technical_impact'])
      .where('cve_id', 'in', ids)
      .orderBy('decided_at')
      .execute();
    const byId = new Map<string, HistoryCveRow>(
      rows.map((r) => [r.id, { ...r, products: [], ssvc: [] }] as const),
    );
    for (const p of products)
      byId
        .get(p.vulnerability_id)
        ?.products.push({ name: p.name, versioned: p.versions !== null && p.versions !== '[]' });
    for (const s of ssvc)
      byId.get(s.cve_id)?.ssvc.push({
        decidedAt: s.decided_at,
        automatable: s.automatable,
        technicalImpact: s.technical_impact,
      });
    yield [...byId.values()];
    if (rows.length < pageSize) return;
  }
}

/** Every KEV entry, removed ones included (`removedAt`). */
export async function loadHistoryKevRows(db: Db): Promise<HistoryKevRow[]> {
  const rows = await db
    .selectFrom('kev_entries')
    .select(['cve_id', 'vendor', 'product', 'date_added', 'removed_at'])
    .orderBy('cve_id')
    .execute();
  return rows.map((r) => ({
    cveId: r.cve_id,
    vendor: r.vendor,
    product: r.product,
    dateAdded: r.date_added,
    removedAt: r.removed_at,
  }));
}

/** Exploit sightings from the given sources, in insertion order, a page at a time. */
export async function* loadHistorySightingPages(
  db: Db,
  sources: readonly string[],
  pageSize: number,
): AsyncGenerator<HistorySightingRow[]> {
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('exploit_sightings')
      .select(['id', 'cve_id', 'source', 'seen_at'])
      .where('source', 'in', [...sources])
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    after = Number(rows[rows.length - 1]?.id ?? after);
    yield rows.map((r) => ({ cveId: r.cve_id, source: r.source, seenAt: r.seen_at }));
    if (rows.length < pageSize) return;
  }
}

/** The EPSS score days with their row counts (and a model version seen that day), oldest first. */
export async function loadHistoryEpssDays(db: Db): Promise<HistoryEpssDay[]> {
  const rows = await db
    .selectFrom('epss_scores')
    .select((eb) => [
      'score_date',
      eb.fn.countAll<number | string>().as('n'),
      eb.fn.max('model_version').as('model_version'),
    ])
    .groupBy('score_date')
    .orderBy('score_date')
    .execute();
  return rows.map((r) => ({ day: r.score_date, rows: Number(r.n), modelVersion: r.model_version ?? null }));
}

/**
 * EPSS rows of the given days, a page at a time, in primary-key order (cve_id, score_date): the
 * table has no index on the day alone, so one pass over the key beats one scan per day.
 */
export async function* loadHistoryEpssPages(
  db: Db,
  days: readonly string[],
  pageSize: number,
): AsyncGenerator<HistoryEpssRow[]> {
  if (days.length === 0) return;
  let after = { cve: '', day: '' };
  for (;;) {
    const last = after;
    const rows = await db
      .selectFrom('epss_scores')
      .select(['cve_id', 'score_date', 'score', 'percentile'])
      .where((eb) =>
        eb.or([
          eb('cve_id', '>', last.cve),
          eb.and([eb('cve_id', '=', last.cve), eb('score_date', '>', last.day)]),
        ]),
      )
      .where('score_date', 'in', [...days])
      .orderBy('cve_id')
      .orderBy('score_date')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    const tail = rows[rows.length - 1];
    if (tail) after = { cve: tail.cve_id, day: tail.score_date };
    yield rows.map((r) => ({
      cveId: r.cve_id,
      day: r.score_date,
      score: Number(r.score),
      percentile: r.percentile === null ? null : Number(r.percentile),
    }));
    if (rows.length < pageSize) return;
  }
}
